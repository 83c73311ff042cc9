"""The importer's one error boundary: a document refused, with its file, the part and the line.

Why one: a hostile or damaged document fails inside zipfile, zlib, lxml, python-docx or
pdftotext, each with its own exception. `boundary` turns every one of them into `Refused`,
which the command line prints as one plain line with exit 1; the readers raise `Refused`
themselves where they know better (the part, the line, the limit passed), and nothing is
written because the document is read whole before any file is planned.
"""

from __future__ import annotations

import subprocess
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from lxml import etree

from policyc.errors import Position, UserError, display_path


class Refused(UserError):
    """The document cannot be imported as it is: `message`, at `part` (inside a Word file) and `line`."""

    def __init__(self, message: str, part: Optional[str] = None, line: int = 0, column: int = 0,
                 file: Optional[Path] = None) -> None:
        super().__init__(message)
        self.message, self.part, self.line, self.column, self.file = message, part, line, column, file

    def __str__(self) -> str:
        shown = display_path(self.file) if self.file is not None else "the document"
        if self.part:  # inside a Word file: the part, as a zip lists it, and the line in it
            return f"{shown}: {self.part}{f':{self.line}' if self.line else ''}: {self.message}"
        return f"{Position(shown, self.line, self.column or 1 if self.line else 0)}: {self.message}"


@contextmanager
def boundary(path: Path, part: Optional[str] = None) -> Iterator[None]:
    """Whatever reading `path` raises, a `Refused` naming it (and `part`, when one is being read)."""
    try:
        yield
    except Refused as exc:
        exc.file = exc.file or path
        exc.part = exc.part or part
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise Refused(f"the file is damaged ({exc}); save it again from Word", part, file=path) from None
    except etree.XMLSyntaxError as exc:
        raise Refused(f"not well-formed XML ({exc.msg})", part, exc.lineno or 0, file=path) from None
    except RecursionError:
        raise Refused("nested too deeply to read", part, file=path) from None
    except MemoryError:
        raise Refused("too large to read in the memory this machine has", part, file=path) from None
    except subprocess.TimeoutExpired as exc:
        raise Refused(f"{Path(str(exc.cmd[0])).name} took more than {exc.timeout:g} s to read it, "
                      "so it was stopped", part, file=path) from None
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror or exc})", part, file=path) from None
