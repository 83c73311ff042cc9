"""Stage 3, history: ratified snapshots, comparison, change logs, ratification and status."""
