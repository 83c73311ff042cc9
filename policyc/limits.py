"""The limits every source file is held to, in one place (README "Limits and safety").

Why: a policy is a few hundred clauses at most; limits far above any real policy keep a
careless or hostile file from taking the machine's memory or time, and each is reported
at its place with the number, never applied by silently cutting text.
"""

MAX_FILE_BYTES = 2_000_000        # one source or snapshot file
MAX_NESTING = 40                  # YAML mappings and lists inside each other
MAX_CLAUSE_DEPTH = 8              # clauses inside clauses (1.1.1.1.1.1.1.1)
MAX_LIST_DEPTH = 8                # Markdown lists inside lists, in one clause
MAX_MARKUP_NESTING = 50           # brackets, quotes or lists inside each other in one text, before it is parsed
MAX_TEXT_CHARS = 50_000           # one clause's text (a real clause is a few hundred)
MAX_TABLE_ROWS = 500              # rows of one Markdown table
MAX_CLAUSES = 3_000               # clauses in one resolved policy
MAX_FILES = 2_000                 # policy and school files in one source folder

# `policyc import`: the document read, before any of it is trusted (README "Limits and safety").
MAX_IMPORT_BYTES = 50_000_000     # the .docx or .pdf file itself (a policy with photographs is a few MB)
MAX_IMPORT_TEXT_BYTES = MAX_FILE_BYTES  # a .txt or .md file, as any source file
MAX_IMPORT_LINES = 10_000         # lines of a text file (a long policy has 5,000; each line costs time)
MAX_WORD_PARTS = 2_000            # files inside a Word document's zip
MAX_WORD_PART_BYTES = 50_000_000  # one of them, uncompressed (a photograph)
MAX_WORD_XML_BYTES = 20_000_000   # one of its XML parts, uncompressed (document.xml of 300 pages is ~5 MB)
MAX_WORD_TOTAL_BYTES = 200_000_000  # all of them, uncompressed
MAX_COMPRESSION_RATIO = 200       # uncompressed to compressed size of a part over 1 MB (Word's XML: 5 to 40)
MAX_XML_DEPTH = 150               # elements inside elements (a table in a table adds 3; Word's own go to ~25)
MAX_TOOL_SECONDS = 60             # pdftotext on one document
MAX_TOOL_OUTPUT_BYTES = 20_000_000  # the text pdftotext gives back
