"""Stage 1, read and check: YAML with positions, JSON Schema, the document model, meaning checks."""
