"""Stage 4, write: the writers of each format (named by its row in outputs/formats.py)."""
