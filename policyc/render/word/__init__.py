"""The Word writers, one module per job: `ooxml` Word's XML pieces (elements, runs, fields,
numbering, bookmarks, tables, header and footer, the deterministic save); `styles` the house
style; `markdown` a clause's Markdown as Word paragraphs, lists and tables; `policy` the
policy document; `redline` the tracked-changes redline over render/changes.py's model."""
