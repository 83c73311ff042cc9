"""Word 97–2003 (.doc), OpenDocument (.odt) and Rich Text (.rtf) files, read through LibreOffice.

LibreOffice, run headless, saves the document as .docx in a private temporary folder, and
the .docx reader reads that: the same headings, numbering and tables as a file saved as .docx
in Word. Nothing is written beside the document; LibreOffice gets its own profile folder, so
an office suite the user has open is neither used nor disturbed, and a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from policyc.errors import UserError

CONVERTED = (".doc", ".odt", ".rtf")
TIME_LIMIT = 120  # seconds; a long policy converts in two or three


def soffice() -> str:
    """The LibreOffice program, or a plain error saying how to get it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise UserError("reading .doc, .odt and .rtf files needs LibreOffice: install it (on Debian or Ubuntu, "
                        "apt-get install libreoffice-writer-nogui), or save the document as .docx and import that")
    return found


def as_docx(document: Path, work: Path) -> Path:
    """`document` saved as a .docx in the folder `work`, by LibreOffice."""
    program = soffice()
    source = work / f"document{document.suffix.lower()}"  # a plain name: LibreOffice reads nothing else into it
    shutil.copyfile(document, source)
    profile = work / "profile"
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise UserError(f"{document}: LibreOffice took more than {TIME_LIMIT} seconds to read it, so it was "
                        "not imported; open it and save it as .docx, then import that") from None
    made = work / "out" / "document.docx"
    if done.returncode != 0 or not made.is_file():
        raise UserError(f"{document}: LibreOffice could not read it as a {document.suffix.lower()} file "
                        "(damaged, protected by a password, or not what its name says); open it and save it "
                        "as .docx, then import that")
    return made


def read_converted(document: Path):
    """The blocks of a .doc, .odt or .rtf file, as the .docx reader finds them."""
    from policyc.importers.docx import read_docx
    with tempfile.TemporaryDirectory(prefix="policyc-import-") as work:
        return read_docx(as_docx(document, Path(work)))
