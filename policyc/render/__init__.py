"""Stage 4, write: one module per format, and the writer table that names them."""
