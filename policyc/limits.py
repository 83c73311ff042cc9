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
