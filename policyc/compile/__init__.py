"""Stage 2, compile: the trust model plus a school's overlay, resolved and numbered."""
