"""Word 97–2003, OpenDocument and Rich Text files imported through LibreOffice: the same source
files as the .docx they were saved from, and a plain refusal for a file that is not what its
name says."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from policyc.cli import main
from tests.helpers import digest_tree
from tests.import_corpus.corpus import documents, write

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"),
                                 reason="needs LibreOffice (CI installs it, and there the test runs)")]


def _saved_as(docx: Path, kind: str, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", kind, "--outdir", str(folder), str(docx)], check=True, capture_output=True,
                   timeout=180)
    return folder / f"{docx.stem}.{kind}"


@pytest.mark.parametrize("kind", ["doc", "odt"])
def test_a_doc_or_odt_file_imports_as_the_docx_it_was_saved_from(tmp_path, kind):
    [doc] = documents(["noel-baker-whistleblowing"])
    docx = write(doc, "docx", tmp_path)
    other = _saved_as(docx, kind, tmp_path / kind)
    assert main(["import", str(docx), "--source", str(tmp_path / "a")]) == 0
    assert main(["import", str(other), "--source", str(tmp_path / "b")]) == 0
    first, second = digest_tree(tmp_path / "a"), digest_tree(tmp_path / "b")
    assert first.keys() == second.keys()
    # The files differ only in the comment naming the file they came from.
    for rel in first:
        a = (tmp_path / "a" / rel).read_text().replace(docx.name, "FILE")
        b = (tmp_path / "b" / rel).read_text().replace(other.name, "FILE")
        assert a == b, rel
    assert not list(other.parent.glob("*.docx")), "nothing is written beside the document"


def test_a_file_that_is_not_what_its_name_says_is_refused_plainly(tmp_path, capsys):
    fake = tmp_path / "Behaviour Policy.doc"
    fake.write_bytes(b"\x00\x01 this is not a Word file at all " * 40)
    assert main(["import", str(fake), "--source", str(tmp_path / "src")]) == 1
    err = capsys.readouterr().err
    assert "Behaviour Policy.doc" in err and "Traceback" not in err
    assert not (tmp_path / "src").exists() or digest_tree(tmp_path / "src") == {}
