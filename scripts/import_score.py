"""Score `policyc import` on the corpus of real published policies in tests/import_corpus/.

Each document is written as plain text, as a Word file (heading styles, automatic numbering,
Word's symbol-font bullets) and as a PDF saved from that Word file by LibreOffice; each is
imported into a new trust with no hand edits, built, and compared with its hand-made marks:

  built   the import validated and the build succeeded
  title   the policy's title is the document's
  heads   headings at their levels (F1 against the marks; an invented heading costs too)
  nums    every paragraph, heading and list number, at the start of a line of the built page (F1)
  lists   each list item an item of the built page, as deep in lists as it was (F1)
  dates   the dates as written are on the page, and DRAFT only on a draft
  clean   nothing the document does not say (Our School, Not yet ratified, a DRAFT mark ...)
  recall  the share of the document's sentences found in the built page

    python scripts/import_score.py                      # every document, every format
    python scripts/import_score.py --format txt docx    # some formats
    python scripts/import_score.py --pdf-build -v hawkhurst-aup   # build PDFs too; say why
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.import_corpus.corpus import FORMATS, documents, score, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", nargs="*", help="document names (default: all)")
    parser.add_argument("--format", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--pdf-build", action="store_true", help="build each import as PDF as well as HTML")
    parser.add_argument("-v", "--verbose", action="store_true", help="print what each import lost")
    args = parser.parse_args(argv)
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc in documents(args.documents):
            for fmt in args.format:
                result = score(doc, fmt, Path(tmp) / doc.name / fmt, pdf=args.pdf_build)
                scores.append(result)
                if args.verbose:
                    for note in result.notes + [f"invented: {w}" for w in result.invented]:
                        print(f"  {doc.name}.{fmt}: {note}", file=sys.stderr)
    print(table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
