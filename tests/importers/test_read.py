"""importers/read.py: the table of readers. A new kind of document is one row, as
ARCHITECTURE.md says; a toy one is added here that way and imported end to end."""

from __future__ import annotations

from pathlib import Path

from policyc.cli import main
from policyc.importers import read
from policyc.importers.blocks import TextBlock
from policyc.pipeline import check

TOY = """\
T Brook Lane Primary School Attendance Policy
H Our aims
P Brook Lane Primary School believes that good attendance matters.
H Reporting an absence
P Parents should telephone the school office before 9am on each day of absence.
"""


def _read_toy(path: Path, notes: list) -> list[TextBlock]:
    """A toy format: one block a line, its kind the first letter (T title, H heading, P paragraph)."""
    kinds = {"T": ("para", {"title": True}), "H": ("heading", {"level": 1}), "P": ("para", {})}
    blocks = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        kind, extra = kinds[line[0]]
        blocks.append(TextBlock(kind, line[2:], f"line {n}", **extra))
    return blocks


def test_a_toy_importer_is_one_row_of_the_table(tmp_path, monkeypatch):
    monkeypatch.setitem(read.READERS, ".toy", _read_toy)
    (tmp_path / "attendance.toy").write_text(TOY, encoding="utf-8")
    assert ".toy" in read.suffixes()
    assert main(["import", str(tmp_path / "attendance.toy"), "--source", str(tmp_path / "src")]) == 0
    _, [policy], _ = check(tmp_path / "src")
    assert policy.title == "Brook Lane Primary School Attendance Policy"
    assert [p.title for p in policy.parts] == ["Our aims", "Reporting an absence"]
    assert main(["--source", str(tmp_path / "src"), "--output", str(tmp_path / "out"), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [page] = [p.read_text() for p in (tmp_path / "out").rglob("*.html") if "attendance" in p.name]
    assert "telephone the school office before 9am" in page


def test_a_kind_not_in_the_table_is_refused_and_of_two_files_of_a_document_the_more_faithful_is_read(tmp_path):
    (tmp_path / "notes.xyz").write_text("x", encoding="utf-8")
    for suffix in (".pdf", ".docx", ".txt"):
        (tmp_path / f"Behaviour Policy{suffix}").write_bytes(b"")
    chosen, skipped = read.documents_in(tmp_path)
    assert [p.name for p in chosen] == ["Behaviour Policy.docx"]
    assert {s.path.name: (s.instead.name if s.instead else None) for s in skipped} == {
        "Behaviour Policy.pdf": "Behaviour Policy.docx", "Behaviour Policy.txt": "Behaviour Policy.docx",
        "notes.xyz": None}
    assert read.suffixes()[0] == ".docx" and read.suffixes()[-1] == ".pdf"
