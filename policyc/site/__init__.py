"""The publishable bundle: indexes, registers, dashboard, the staging swap and previews."""
