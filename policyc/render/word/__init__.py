"""Word (.docx) writers. styles.py: the house style (fonts, colours, paragraph and table styles). The other Word modules move here next (issue 23)."""
