"""Importers: existing policy documents (text, Markdown, Word, PDF) turned into ordinary source files."""
