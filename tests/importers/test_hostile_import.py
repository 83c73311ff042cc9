"""Hostile documents given to `policyc import`: each ends in one plain line naming the file (and the
part or line) with exit 1, in bounded time and memory, and leaves every folder byte-identical.

Each document is built here: a Word file made with python-docx, then its zip rewritten
with the hostile part (a zip bomb, a bad checksum, entities, tables in tables, a style
based on itself, a list level with no ilvl); text files written as bytes. Each import is
the real command in its own process, under a memory limit (tests/hostile.py).
"""

from __future__ import annotations

import difflib
import io
import os
import re
import struct
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import nsdecls

from policyc.cli import main
from policyc.importers.read import read_document
from tests.helpers import POLICY, SCHOOL, TRUST, write_tree
from tests.hostile import run_policyc, tree_digest
from tests.importers.word import add_list, put_on_list

pytestmark = pytest.mark.slow  # documents built to exhaust the reader, and child processes stopped at their limits

MEMORY_MB = 1200  # far less than any bomb here would inflate to
LETTERS = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="70">
  <w:lvl w:ilvl="0"><w:start w:val="START"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl>
</w:abstractNum>"""


def _word(start: str = "1") -> bytes:
    """A small real policy as Word writes it: title, headings, a lettered list, a table."""
    document = docx.Document()
    add_list(document, LETTERS.replace("START", start), 70)
    document.add_paragraph("Oakfield Primary School", style="Title")
    document.add_paragraph("Staff Code of Conduct Policy")
    document.add_heading("1. Introduction", 1)
    document.add_paragraph("Staff keep pupils safe at all times, in school and out of it.")
    for words in ("Staff report a worry on the same day.", "Staff keep records of what they saw."):
        put_on_list(document.add_paragraph(words), 0, 70)
    document.add_heading("2. Monitoring", 1)
    document.add_paragraph("The headteacher reviews this policy every year with the governors.")
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


BASE = _word()


def _rezip(changes: dict, extra: dict = None, base: bytes = BASE) -> bytes:
    """`base` with some parts changed (a function of their bytes) and some added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, changes[info.filename](data) if info.filename in changes else data)
        for name, data in (extra or {}).items():
            with dst.open(name, "w") as part:
                for piece in data:
                    part.write(piece)
    return out.getvalue()


def _zeros(megabytes: int):
    return (b"\0" * 1_000_000 for _ in range(megabytes))


def _declared(package: bytes, name: str, **fields: int) -> bytes:
    """The zip with what `name`'s two headers declare (crc=, file_size=) rewritten: a part that lies."""
    data = bytearray(package)
    for signature, crc_at, name_at, length_at in ((b"PK\x03\x04", 14, 30, 26), (b"PK\x01\x02", 16, 46, 28)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if bytes(data[at + name_at:at + name_at + length]) == name.encode():
                if "crc" in fields:
                    struct.pack_into("<I", data, at + crc_at, fields["crc"])
                if "file_size" in fields:
                    struct.pack_into("<I", data, at + crc_at + 8, fields["file_size"])
            at = data.find(signature, at + 4)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    assert (info.CRC, info.file_size) == (fields.get("crc", info.CRC), fields.get("file_size", info.file_size))
    return bytes(data)


def _xml_with(part: bytes, prolog: str, replace: tuple[bytes, bytes]) -> bytes:
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", part)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + prolog.encode() + b"\n" + body.replace(*replace, 1)


LAUGHS = ('<!DOCTYPE w:document [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10))
          + "]>")
PASSWD = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _nested_tables(count: int):
    def change(part: bytes) -> bytes:
        inner = "<w:tbl><w:tr><w:tc>" * count + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * count
        return part.replace(b"<w:body>", b"<w:body>" + inner.encode() + b"<w:p/>", 1)
    return change


def _based_on(pairs: dict[str, str]):
    """styles.xml with each style id in `pairs` based on the other one named."""
    def change(part: bytes) -> bytes:
        text = part.decode()
        for style, base in pairs.items():
            text, n = re.subn(rf'(<w:style [^>]*w:styleId="{style}"[^>]*>)(.*?)(</w:style>)',
                              lambda m: m.group(1) + re.sub(r"<w:basedOn [^>]*/>", "", m.group(2))
                              + f'<w:basedOn w:val="{base}"/>' + m.group(3), text, count=1, flags=re.S)
            assert n == 1, style
        return text.encode()
    return change


def _no_ilvl(part: bytes) -> bytes:
    return re.sub(rb'(<w:abstractNum [^>]*w:abstractNumId="70"[^>]*>\s*<w:lvl) w:ilvl="0"', rb"\1", part, count=1)


WORD = {  # name: (the document's bytes, what the message must say)
    "bomb in document.xml": (lambda: _rezip({"word/document.xml": lambda d: d.replace(
        b"<w:body>", b"<w:body>" + b" " * 15_000_000, 1)}), r"word/document\.xml: inflates \d+ times over"),
    "bomb in the media": (lambda: _rezip({}, {"word/media/image1.png": _zeros(60)}),
                          r"word/media/image1\.png: inflates to 60 MB, more than the 50 MB"),
    "bomb whose size lies": (lambda: _declared(_rezip({}, {"word/media/image1.png": _zeros(40)}),
                                               "word/media/image1.png", file_size=1000),
                             r"word/media/image1\.png: the file is damaged \(Bad CRC-32"),
    "bad CRC": (lambda: _declared(BASE, "word/document.xml", crc=0x12345678),
                r"word/document\.xml: the file is damaged \(Bad CRC-32"),
    "damaged deflate data": (lambda: _damaged(BASE, "word/document.xml"), r"word/document\.xml: the file is damaged"),
    "billion laughs in document.xml": (lambda: _rezip({"word/document.xml": lambda d: _xml_with(
        d, LAUGHS, (b"Staff keep pupils", b"&lol9; pupils"))}), r"word/document\.xml: declares a DTD"),
    "external entity in document.xml": (lambda: _rezip({"word/document.xml": lambda d: _xml_with(
        d, PASSWD, (b"Staff keep pupils", b"&x; pupils"))}), r"word/document\.xml: declares a DTD"),
    "external entity in numbering.xml": (lambda: _rezip({"word/numbering.xml": lambda d: _xml_with(
        d, PASSWD.replace("w:document", "w:numbering"), (b'w:val="(%1)"', b'w:val="&x;"'))}),
        r"word/numbering\.xml: declares a DTD"),
    "external entity in styles.xml": (lambda: _rezip({"word/styles.xml": lambda d: _xml_with(
        d, PASSWD.replace("w:document", "w:styles"), (b'w:val="Normal"', b'w:val="&x;"'))}),
        r"word/styles\.xml: declares a DTD"),
    "300 tables inside tables": (lambda: _rezip({"word/document.xml": _nested_tables(300)}),
                                 r"word/document\.xml:\d+: elements are nested more than 150 deep"),
    "60 tables inside tables": (lambda: _rezip({"word/document.xml": _nested_tables(60)}),
                                r"word/document\.xml:\d+: elements are nested more than 150 deep"),
    "a style based on itself": (lambda: _rezip({"word/styles.xml": _based_on({"Heading1": "Heading1"})}),
                                r"word/styles\.xml:\d+: the style 'Heading 1' is based on itself"),
    "two styles based on each other": (lambda: _rezip({"word/styles.xml": _based_on(
        {"Heading1": "Heading2", "Heading2": "Heading1"})}),
        r"word/styles\.xml:\d+: the style 'Heading \d' is based on itself \(Heading \d → Heading \d → Heading \d\)"),
    "a list level with no ilvl": (lambda: _rezip({"word/numbering.xml": _no_ilvl}),
                                  r"word/numbering\.xml:\d+: a list level \(w:lvl\) with no w:ilvl"),
    "a list letter past the last code point": (lambda: _word(start="1114111"),
                                               r"word/numbering\.xml:\d+: w:start w:val='1114111': Word writes a number"),
    "not a zip": (lambda: b"PK\x03\x04 not really", r"not a Word document that can be read"),
}


# Where memory or time is the point, the import runs in a process of its own, under MEMORY_MB.
IN_A_PROCESS = {"bomb in document.xml", "bomb in the media", "bomb whose size lies", "billion laughs in document.xml",
                "300 tables inside tables"}


def _damaged(package: bytes, name: str) -> bytes:
    data = bytearray(package)
    info = zipfile.ZipFile(io.BytesIO(package)).getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 4, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    return bytes(data)


def _refused(tmp_path: Path, document: Path, *args: str, source: Path = None, timeout: float = 30,
             run=None, names: str = "") -> str:
    """Run the import, in a process of its own under MEMORY_MB and `timeout` (or in this one, with
    `run`, where neither is the point); assert exit 1, one plain message naming the file (or
    `names`), and every folder as it was."""
    source = source or tmp_path / "src"
    existed = source.exists()
    before = tree_digest(tmp_path)
    argv = ["import", str(document), "--source", str(source), *args]
    if run is None:
        outcome = run_policyc(argv, tmp_path, timeout=timeout, memory_mb=MEMORY_MB)
        assert not outcome.seconds_limit_hit, f"did not finish in {timeout} s"
        code, err = outcome.code, outcome.err
    else:
        result = run(*argv)
        code, err = result.code, result.err
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == 1, f"exit {code}: {err}"
    assert err.startswith("policyc: error: ") and (names or len(err.strip().splitlines()) == 1), err
    assert (names or document.name) in err, err
    assert tree_digest(tmp_path) == before, "the import changed files"
    assert source.exists() == existed, "the import left the source folder it made"
    return err


@pytest.mark.parametrize("case", WORD)
def test_a_hostile_word_document_is_refused_in_one_plain_line(tmp_path, run, case):
    make, said = WORD[case]
    document = tmp_path / "policy.docx"
    document.write_bytes(make())
    err = _refused(tmp_path, document, run=None if case in IN_A_PROCESS else run)
    assert re.search(r"policy\.docx: " + said, err), err


def test_the_word_document_the_hostile_ones_are_made_from_imports(tmp_path):
    """The base is a real policy that imports: each refusal above is the hostile part's doing."""
    document = tmp_path / "policy.docx"
    document.write_bytes(BASE)
    outcome = run_policyc(["import", str(document), "--source", str(tmp_path / "src")], tmp_path,
                          timeout=30, memory_mb=MEMORY_MB)
    assert outcome.code == 0, outcome.err
    assert (tmp_path / "src" / "policies" / "staff-code-conduct.yaml").is_file()


def test_forty_tables_inside_tables_import_with_their_words(tmp_path, run):
    """Under the depth limit the words of a table in a table are read (cell.text leaves them out),
    and rows with no words are not rows: the import was once refused as 'a bug in the importer'."""
    document = tmp_path / "policy.docx"
    document.write_bytes(_rezip({"word/document.xml": _nested_tables(40)}))
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 0, result.err
    assert "deep" in (tmp_path / "src" / "policies" / "staff-code-conduct.yaml").read_text(encoding="utf-8")


def test_list_letters_past_z_go_on_as_words_do(tmp_path, run):
    """A lettered list that starts at 27 is (aa), (bb): Word's way, not the characters after z ({, |)."""
    document = tmp_path / "policy.docx"
    document.write_bytes(_word(start="27"))
    items = [b for b in read_document(document) if b.marker == "letter"]
    assert [(b.number, b.text) for b in items] == [("aa", "Staff report a worry on the same day."),
                                                   ("bb", "Staff keep records of what they saw.")]
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 0, result.err


# --- text files --------------------------------------------------------------------------------

TEXT = b"Staff Code of Conduct Policy\n\n1. Introduction\n\nStaff keep pupils safe.\n\n2. Monitoring\n\nThe head reviews it.\n"


def test_a_text_file_in_windows_1252_is_read_as_that_and_said(tmp_path, run):
    document = tmp_path / "policy.txt"
    document.write_bytes(TEXT.replace(b"pupils safe.", b"pupils safe at the caf\xe9 \x93trips\x94."))
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 0, result.err
    assert "note: the file is not UTF-8 (the first byte that is not is at line 5, column 34); " \
           "it was read as Windows-1252" in result.out
    assert "café “trips”" in (tmp_path / "src" / "policies" / "staff-code-conduct.yaml").read_text(encoding="utf-8")


def test_a_text_file_in_utf_16_is_read_as_that(tmp_path, run):
    """Notepad's "Unicode": read by its byte order mark, not as Windows-1252 with a NUL after each letter."""
    document = tmp_path / "policy.txt"
    document.write_bytes(TEXT.decode().replace("pupils safe.", "pupils safe at the café.").encode("utf-16"))
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 0, result.err
    assert "note:" not in result.out
    assert "café" in (tmp_path / "src" / "policies" / "staff-code-conduct.yaml").read_text(encoding="utf-8")


def test_a_text_file_in_no_encoding_is_refused_at_its_line_and_column(tmp_path, run):
    document = tmp_path / "policy.txt"
    document.write_bytes(TEXT.replace(b"pupils safe.", b"pupils \x81safe."))
    err = _refused(tmp_path, document, run=run)
    assert "policy.txt:5:19: the byte 0x81 is not UTF-8 (nor Windows-1252)" in err, err


def test_control_characters_are_taken_out_and_reported(tmp_path, run):
    document = tmp_path / "policy.txt"
    document.write_bytes(TEXT.replace(b"pupils safe.", b"pupils\x00 \x1b[31msafe\x1b[0m.\x07\xe2\x80\xae"))
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 0, result.err
    assert "note: took out 5 control character(s), not words of a policy (ESC [ sequence × 2, U+0000 × 1, " \
           "U+0007 × 1, U+202E × 1), first at line(s) 5" in result.out
    written = (tmp_path / "src" / "policies" / "staff-code-conduct.yaml").read_text(encoding="utf-8")
    assert "Staff keep pupils safe." in written and "[31m" not in written


@pytest.mark.parametrize("lines, said", [
    (b"A line of the policy that goes on.\n" * 1_000_000, r"the file is larger than 2 MB"),
    (b"Title\n" + b"\n" * 1_000_000, r"1000002 lines, more than the 10000 a policy needs"),
], ids=["35 MB", "1 MB of blank lines"])
def test_a_text_file_of_a_million_lines_is_refused_at_once(tmp_path, lines, said):
    document = tmp_path / "policy.txt"
    document.write_bytes(lines)
    err = _refused(tmp_path, document, timeout=15)
    assert re.search(r"policy\.txt: " + said, err), err


def test_a_file_name_with_a_newline_imports_and_its_yaml_reads(tmp_path, run):
    document = tmp_path / "staff\nconduct.txt"
    document.write_bytes(TEXT)
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 0, result.err
    written = (tmp_path / "src" / "policies" / "staff-code-conduct.yaml").read_text(encoding="utf-8")
    assert "from staff\\nconduct.txt by" in written
    assert yaml.safe_load(written)["title"] == "Staff Code of Conduct Policy"


# --- paths made from the document's words -----------------------------------------------------

def test_a_title_of_dots_and_slashes_writes_only_inside_the_source_folder(tmp_path, run):
    document = tmp_path / "policy.txt"
    document.write_bytes(b"../../..\n\n1. ../../etc\n\nStaff keep pupils safe.\n")
    result = run("import", document, "--source", tmp_path / "a" / "src")
    assert result.code == 0, result.err
    made = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert made - {"policy.txt"} and all(m.startswith("a/src/") for m in made - {"policy.txt"}), made


def test_a_school_slug_that_climbs_out_is_refused_before_anything_is_written(tmp_path):
    """The school the document names is found by its name; the file's slug: is not a path to follow."""
    source = write_tree(tmp_path / "src", {"trust.yaml": TRUST, "policies/social-media.yaml": POLICY,
                                           "schools/oakfield.yaml": "name: Oakfield Primary School\n"
                                                                    "slug: ../../outside\nphase: primary\n"})
    document = tmp_path / "policy.docx"
    document.write_bytes(BASE)
    before = tree_digest(tmp_path)
    outcome = run_policyc(["import", str(document), "--source", str(source)], tmp_path, timeout=30,
                          memory_mb=MEMORY_MB)
    assert outcome.code == 1 and "Traceback" not in outcome.err, outcome.err
    assert "refused to write 'schools/../../outside.yaml': it would be outside" in outcome.err, outcome.err
    assert tree_digest(tmp_path) == before
    assert not (tmp_path / "outside.yaml").exists()


def test_an_id_given_as_a_path_is_a_command_line_mistake(tmp_path, run):
    document = tmp_path / "policy.txt"
    document.write_bytes(TEXT)
    result = run("import", document, "--source", tmp_path / "src", "--id", "../../evil")
    assert result.code == 2 and "--id '../../evil': a policy's id is" in result.err
    assert not (tmp_path / "src").exists()


# --- an existing school's file ------------------------------------------------------------------

def _crlf_trust(tmp_path: Path, files: dict = None) -> Path:
    tree = {"trust.yaml": TRUST, "policies/social-media.yaml": POLICY, "schools/oak-primary.yaml": SCHOOL,
            **(files or {})}
    source = tmp_path / "src"
    for rel, text in tree.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_bytes(text.replace("\n", "\r\n").encode())
    return source


def test_importing_into_a_crlf_school_keeps_crlf_in_every_line_and_only_adds(tmp_path, run):
    source = _crlf_trust(tmp_path)
    school = source / "schools" / "oak-primary.yaml"
    old = school.read_bytes()
    document = tmp_path / "policy.docx"
    document.write_bytes(BASE)
    result = run("import", document, "--source", source, "--school", "oak-primary")
    assert result.code == 0, result.err
    new = school.read_bytes()
    assert new.count(b"\n") == new.count(b"\r\n") and new != old
    lines, kept = new.decode().splitlines(keepends=True), old.decode().splitlines(keepends=True)
    changes = difflib.SequenceMatcher(None, kept, lines, autojunk=False).get_opcodes()
    assert {op for op, *_ in changes} == {"equal", "insert"}, changes  # lines added, none changed
    assert "  staff-code-conduct:\r\n" in lines


def test_a_refused_model_import_leaves_a_crlf_school_byte_identical(tmp_path):
    """The sources have a problem elsewhere, so the school's copy cannot be compared: exit 1, no change."""
    source = _crlf_trust(tmp_path, {"schools/oak-primary.yaml": SCHOOL.split("policies:")[0] + "policies: {}\n",
                                    "policies/broken.yaml": "id: broken\ntitle: [\n"})
    document = tmp_path / "copy.docx"
    document.write_bytes(BASE)
    _refused(tmp_path, document, "--model", "social-media", "--school", "oak-primary", source=source,
             names="src/policies/broken.yaml:3:1: ")


def test_a_model_import_refused_on_the_command_line_leaves_the_school_as_it_was(tmp_path):
    """The school already tailors the model (exit 2): its CRLF file was once rewritten in LF on the way out."""
    source = _crlf_trust(tmp_path)
    document = tmp_path / "copy.docx"
    document.write_bytes(BASE)
    before = tree_digest(tmp_path)
    outcome = run_policyc(["import", str(document), "--source", str(source), "--model", "social-media",
                           "--school", "oak-primary"], tmp_path, timeout=30, memory_mb=MEMORY_MB)
    assert outcome.code == 2 and "already tailors social-media" in outcome.err, outcome.err
    assert tree_digest(tmp_path) == before


# --- pdftotext ----------------------------------------------------------------------------------

@pytest.mark.parametrize("tool, said", [
    ("sleep 30", r"policy\.pdf: pdftotext took more than 1 s to read it, so it was stopped"),
    ("yes 'a line of text'", r"policy\.pdf: its text is more than 20 MB"),
], ids=["hangs", "writes without end"])
def test_pdftotext_is_stopped_at_its_limits(tmp_path, run, monkeypatch, tool, said):
    """A pdftotext that hangs, or that writes without end (as one could on a hostile PDF)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "pdftotext"
    fake.write_text(f"#!/bin/sh\nexec {tool}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("policyc.importers.pdf.MAX_TOOL_SECONDS", 1)
    document = tmp_path / "policy.pdf"
    document.write_bytes(b"%PDF-1.4\n")
    before = tree_digest(tmp_path)
    result = run("import", document, "--source", tmp_path / "src")
    assert result.code == 1 and re.search(said, result.err), result.err
    assert tree_digest(tmp_path) == before and not (tmp_path / "src").exists()


def test_the_error_boundary_is_the_command_lines(tmp_path, capsys):
    """Refused is a UserError: main prints it as one line and returns 1 (no try/except elsewhere)."""
    document = tmp_path / "policy.docx"
    document.write_bytes(b"not a zip")
    assert main(["import", str(document), "--source", str(tmp_path / "src")]) == 1
    assert capsys.readouterr().err.startswith("policyc: error: ")
