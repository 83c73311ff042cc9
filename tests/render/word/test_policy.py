"""Word output: the example trust built as HTML and DOCX, each DOCX opened with python-docx
and converted by LibreOffice, and the governors' redline as tracked changes.

The LibreOffice checks skip when soffice is missing, except with CI=true, where a missing
soffice is a failure (as the browser checks do with Chromium).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from lxml import etree

from policyc.cli import main
from tests.helpers import EXAMPLE, NS, W, decide

pytestmark = pytest.mark.slow


TODAY = "2026-11-22"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def need_soffice() -> None:
    if not SOFFICE:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing; .ci/run installs it (bash scripts/setup.sh --test)")
        pytest.skip("LibreOffice is not installed; run: bash scripts/setup.sh --test")


def _edit_model(src: Path) -> None:
    """A new draft of the social media policy: a clause added (renumbering the rest of its
    section), one removed, one moved and one reworded."""
    policy = src / "policies" / "social-media.yaml"
    text = policy.read_text()
    new_clause = ("      - id: intro-ai\n        text: This policy also covers generative AI tools that post "
                  "on someone's behalf.\n        change: {reason: AI tools now post for staff., by: Trust HR}\n")
    assert "      - id: intro-opportunities" in text
    text = text.replace("      - id: intro-opportunities", new_clause + "      - id: intro-opportunities", 1)
    # remove scope-former-staff (up to the next clause)
    start = text.index("      - id: scope-former-staff")
    end = text.index("      - id: scope-equality")
    text = text[:start] + text[end:]
    # move scope-not-contract before scope-who
    start = text.index("      - id: scope-not-contract")
    end = text.index("\n\n", start) + 1
    moved = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("      - id: scope-who", moved + "      - id: scope-who", 1)
    assert "is never truly private" in text
    text = text.replace("is never truly private", "is never private", 1)
    policy.write_text(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example trust with a changed draft of a ratified policy, built as HTML and DOCX."""
    root = tmp_path_factory.mktemp("docx")
    src = root / "src"
    shutil.copytree(EXAMPLE, src)
    _edit_model(src)
    out = root / "output"
    assert main(["--source", str(src), "--output", str(out), "--today", TODAY, "-q", "--format", "html,docx"]) == 0
    return out


@pytest.fixture(scope="module")
def converted(built: Path, tmp_path_factory) -> dict[Path, str]:
    """Every policy DOCX converted to text by LibreOffice, in one run."""
    if not SOFFICE:
        return {}
    files = sorted(p for p in built.rglob("*.docx") if "/changes/" not in p.as_posix())
    return convert(files, tmp_path_factory.mktemp("txt"), "txt:Text")


def convert(files: list[Path], folder: Path, target: str) -> dict[Path, str]:
    """Convert files with soffice; the same names in different folders go to different runs."""
    out: dict[Path, str] = {}
    profile = folder / "profile"
    batches: list[list[Path]] = []
    for f in files:
        for batch in batches:
            if f.stem not in {g.stem for g in batch}:
                batch.append(f)
                break
        else:
            batches.append([f])
    for n, batch in enumerate(batches):
        dest = folder / str(n)
        dest.mkdir(parents=True)
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(dest), *map(str, batch)],
                       check=True, capture_output=True, timeout=600)
        ext = target.split(":")[0]
        for f in batch:
            result = dest / f"{f.stem}.{ext}"
            assert result.is_file(), f"LibreOffice did not convert {f}"
            out[f] = result.read_text(encoding="utf-8-sig") if ext == "txt" else str(result)
    return out


def xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def normal(text: str) -> str:
    text = html.unescape(text).replace("\u00a0", " ").replace("\u200b", "")
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("•", " ")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


class MainText(HTMLParser):
    """The text of an HTML page's <main> as blocks (paragraphs, items, headings, cells),
    leaving out what only a screen reader hears."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "caption", "div", "tr", "section"}

    def __init__(self, tables: bool = True) -> None:
        super().__init__()
        self.tables = tables  # False: leave tables out
        self.depth = 0  # inside <main>
        self.hidden: list[str] = []
        self.blocks: list[str] = [""]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.depth += 1
        if self.hidden or "visually-hidden" in (a.get("class") or "") or (tag == "table" and not self.tables):
            self.hidden.append(tag)
        if tag in self.BLOCKS:
            self.blocks.append("")

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
        if tag == "main":
            self.depth -= 1
        if tag in self.BLOCKS:
            self.blocks.append("")

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.blocks[-1] += data


def main_sentences(page: Path) -> list[str]:
    parser = MainText()
    parser.feed(page.read_text(encoding="utf-8"))
    sentences = []
    for block in parser.blocks:
        for sentence in re.split(r"(?<=[^\d\s][.!?])\s+", normal(block)):  # "1. Introduction" stays whole
            if sentence:
                sentences.append(sentence)
    return sentences


def policy_docx(built: Path) -> list[Path]:
    return sorted(p for p in built.rglob("*.docx") if "/changes/" not in p.as_posix())


# --- the document's structure, read with python-docx -----------------------------------

def test_every_policy_page_has_a_word_file(built):
    pages = [p for p in built.rglob("*.html") if p.parent.name != "changes" and p.name not in
             ("index.html", "dashboard.html", "policies-fragment.html", "compliance.html", "accessibility.html")
             and not p.name.endswith("-review-pack.html")]
    assert pages
    for page in pages:
        assert page.with_suffix(".docx").is_file(), page
    assert (built / "review/hollin-bank-primary/changes/social-media-3.2-to-draft.docx").is_file()
    assert (built / "review/hollin-bank-primary/changes/social-media-3.2-to-draft.html").is_file()


def test_headings_numbering_and_tables(built):
    path = built / "review/hollin-bank-primary/social-media.docx"
    document = docx.Document(str(path))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Staff Social Media Policy") in styles
    headings = [text for style, text in styles if style == "Heading 1"]
    assert headings[:3] == ["Introduction", "Scope", "Definitions"]  # the number is Word's, not typed
    assert "The golden principles" in [text for style, text in styles if style == "Heading 2"]
    body = xml(path)
    numbering = xml(path, "word/numbering.xml")
    # The policy's own list: one w:num whose levels read 1., 1.1, 1.1.1
    level_text = {
        (a.get(f"{{{W}}}abstractNumId"), l.get(f"{{{W}}}ilvl")): l.find("w:lvlText", NS).get(f"{{{W}}}val")
        for a in numbering.findall("w:abstractNum", NS) for l in a.findall("w:lvl", NS)}
    heading_num = None
    for p in body.iter(f"{{{W}}}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(f"{{{W}}}val") == "Heading1":
            heading_num = p.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val")
            break
    assert heading_num
    num = next(n for n in numbering.findall("w:num", NS) if n.get(f"{{{W}}}numId") == heading_num)
    abstract = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
    assert [level_text[(abstract, str(k))] for k in range(3)] == ["%1.", "%1.%2", "%1.%2.%3"]
    # Every numbered clause paragraph is in that list, at the level its number says.
    levels = [p.find("w:pPr/w:numPr/w:ilvl", NS).get(f"{{{W}}}val") for p in body.iter(f"{{{W}}}p")
              if p.find("w:pPr/w:numPr/w:numId", NS) is not None
              and p.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val") == heading_num]
    assert levels.count("0") == 12 and levels.count("1") > 40 and "2" in levels
    # Lettered items: a list of their own, (a), restarting for each list
    lettered = [a for a in numbering.findall("w:abstractNum", NS)
                if a.find("w:lvl/w:numFmt", NS).get(f"{{{W}}}val") == "lowerLetter"]
    assert lettered and lettered[0].find("w:lvl/w:lvlText", NS).get(f"{{{W}}}val") == "(%1)"
    # No number is typed into the text: Word numbers every paragraph
    assert not [p.text for p in document.paragraphs if re.match(r"\d+\.\d+ ", p.text)]
    # The contents are Word's own TOC field (Heading 1), showing the page's list until updated
    instructions = [t.text.strip() for t in body.iter(f"{{{W}}}instrText")]
    assert instructions[0] == 'TOC \\o "1-1" \\h \\z \\u'
    assert instructions[1:] and all(i.startswith("REF p_") for i in instructions[1:])  # the cross-references
    # The ratification block and the table of changes are Word tables
    tables = document.tables
    # page 1 opens with the facts; the full record, with the lines to sign, closes the document
    assert [tables[0].cell(r, 0).text for r in range(3)] == ["School", "Version", "Status"]
    assert any(t.cell(0, 0).text.startswith("This policy was ratified by") for t in tables[1:])
    changes = next(t for t in tables if t.cell(0, 0).text == "Date of change")
    assert [c.text for c in changes.rows[0].cells] == ["Date of change", "Paragraphs affected", "Summary of update"]
    assert len(changes.rows) > 3
    assert changes.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None  # header repeats on each page


def test_links_are_real_hyperlinks(built):
    path = built / "hollin-bank-primary/social-media.docx"
    body = xml(path)
    anchors = {h.get(f"{{{W}}}anchor") for h in body.iter(f"{{{W}}}hyperlink") if h.get(f"{{{W}}}anchor")}
    bookmarks = {b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")}
    assert anchors and anchors <= bookmarks  # cross-references and contents go to bookmarks
    rels = xml(path, "word/_rels/document.xml.rels")
    external = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    assert any(t.startswith("https://") for t in external)


def test_footer_core_properties_and_language(built):
    path = built / "hollin-bank-primary/social-media.docx"
    document = docx.Document(str(path))
    footer = etree.tostring(document.sections[0].footer._element, encoding="unicode")
    instructions = [t.strip() for t in re.findall(r"<w:instrText[^>]*>([^<]*)<", footer)]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Staff Social Media Policy · Hollin Bank Primary School · Version 3.2 · In force" in footer
    # The draft in the review area says so at the foot of every page, as its PDF does.
    draft = docx.Document(str(built / "review/hollin-bank-primary/social-media.docx")).sections[0].footer
    assert "DRAFT" in " ".join(p.text for p in draft.paragraphs)
    core = document.core_properties
    assert core.title == "Staff Social Media Policy"
    assert core.author == "Hollin Bank Primary School"
    assert core.language == "en-GB"
    assert core.created.date().isoformat() == TODAY and core.modified.date().isoformat() == TODAY
    styles = xml(path, "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(f"{{{W}}}val") == "en-GB"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    with zipfile.ZipFile(path) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 22, 0, 0, 0)}


def test_draft_is_marked_and_ratified_is_not(built):
    draft = docx.Document(str(built / "review/hollin-bank-primary/social-media.docx"))
    assert "DRAFT" in draft.sections[0].header.paragraphs[0].text
    assert any("has changed since version 3.2 was ratified" in p.text for p in draft.paragraphs)
    ratified = docx.Document(str(built / "hollin-bank-primary/social-media.docx"))
    assert "DRAFT" not in "".join(p.text for p in ratified.sections[0].header.paragraphs)


def test_same_bytes_every_build_and_cached(built, tmp_path):
    again = tmp_path / "again"
    src = built.parent / "src"
    assert main(["--source", str(src), "--output", str(again), "--today", TODAY, "-q",
                 "--format", "html,docx", "--no-cache", "--jobs", "1"]) == 0
    files = sorted(p.relative_to(built) for p in built.rglob("*.docx"))
    assert files and files == sorted(p.relative_to(again) for p in again.rglob("*.docx"))
    for name in files:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_a_new_build_date_renders_word_files_again(built, tmp_path, capsys):
    """The build date is in every Word file (its properties, a tracked change's date), so
    it is in their cache keys: the next day renders them again, with the new date."""
    out = tmp_path / "out"
    src = built.parent / "src"
    args = ["--source", str(src), "--output", str(out), "--format", "docx", "--policy", "photography"]
    assert main([*args, "--today", TODAY]) == 0
    capsys.readouterr()
    assert main([*args, "--today", TODAY]) == 0
    assert " 0 rendered" in capsys.readouterr().out.replace("(", " ")
    assert main([*args, "--today", "2026-11-23"]) == 0
    assert " 0 rendered" not in capsys.readouterr().out.replace("(", " ")
    document = docx.Document(str(out / "hollin-bank-primary/photography.docx"))
    assert document.core_properties.modified.date().isoformat() == "2026-11-23"


def test_format_option(run, mini, tmp_path, capsys):
    assert run("--source", mini, "--output", tmp_path / "o", "--format", "docx", "-q").code == 0
    assert (tmp_path / "o/oak-primary/social-media.docx").is_file()
    assert not (tmp_path / "o/oak-primary/social-media.html").exists()
    with pytest.raises(SystemExit) as stopped:
        main(["--source", str(mini), "--output", str(tmp_path / "p"), "--format", "html,odt"])
    assert stopped.value.code == 2 and "html, pdf, docx" in capsys.readouterr().err


# --- what LibreOffice reads -------------------------------------------------------------

@pytest.mark.libreoffice
def test_every_sentence_of_the_page_is_in_the_word_file(built, converted):
    need_soffice()
    files = policy_docx(built)
    assert set(converted) == set(files)
    for path in files:
        text = normal(converted[path])
        page = path.with_suffix(".html")
        sentences = main_sentences(page)
        assert len(sentences) > 10
        missing = [s for s in sentences if s not in text]
        assert not missing, f"{path.relative_to(built)}: {missing[:5]}"


@pytest.mark.libreoffice
def test_word_numbers_the_clauses_as_the_page_does(built, converted):
    need_soffice()
    text = converted[built / "review/hollin-bank-primary/social-media.docx"]
    lines = [normal(line) for line in text.splitlines()]
    assert "1. Introduction" in lines
    assert any(line.startswith("1.1 This policy also covers generative AI tools") for line in lines)
    assert any(line.startswith("1.2 Social media gives us new ways") for line in lines)
    assert "4.2 The golden principles" in lines
    assert any(re.match(r"\d+\.\d+\.\d+ ", line) for line in lines)  # a third level
    assert any(line.startswith("(a) Pupils and staff are safeguarded") for line in lines)


@pytest.mark.pdf
@pytest.mark.libreoffice
def test_libreoffice_makes_a_pdf_with_page_numbers(built, tmp_path):
    need_soffice()
    pdftotext = shutil.which("pdftotext")
    path = built / "hollin-bank-primary/social-media.docx"
    pdf = Path(convert([path], tmp_path, "pdf")[path])
    assert pdf.read_bytes().startswith(b"%PDF")
    if not pdftotext:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is missing")
        pytest.skip("pdftotext is not installed")
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 3
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


# --- the redline as tracked changes -----------------------------------------------------

REDLINE = "review/hollin-bank-primary/changes/social-media-3.2-to-draft.docx"


def test_redline_is_tracked_changes(built):
    body = xml(built / REDLINE)
    ins, dels = body.findall(".//w:ins", NS), body.findall(".//w:del", NS)
    assert ins and dels
    for change in ins + dels + body.findall(".//w:moveFrom", NS) + body.findall(".//w:moveTo", NS):
        assert change.get(f"{{{W}}}date") == f"{TODAY}T00:00:00Z"
        assert change.get(f"{{{W}}}author")
    # deleted words are w:delText inside w:del; inserted ones w:t inside w:ins
    deleted = "".join(t.text or "" for d in dels for t in d.iter(f"{{{W}}}delText"))
    inserted = "".join(t.text or "" for i in ins for t in i.iter(f"{{{W}}}t"))
    assert "truly" in deleted
    assert "generative AI tools" in inserted
    assert not [t for d in dels for t in d.iter(f"{{{W}}}t")]
    # the moved clause: a move from and a move to, their ranges named alike
    starts = {kind: {e.get(f"{{{W}}}name") for e in body.iter(f"{{{W}}}move{kind}RangeStart")}
              for kind in ("From", "To")}
    assert starts["From"] and starts["From"] == starts["To"]
    moved_from = "".join(t.text or "" for m in body.iter(f"{{{W}}}moveFrom") for t in m.iter(f"{{{W}}}t"))
    assert "does not form part of any contract of employment" in moved_from
    # notes are comments, not text
    comments = xml(built / REDLINE, "word/comments.xml")
    notes = ["".join(c.itertext()) for c in comments.findall("w:comment", NS)]
    assert "Wording changed" in notes
    assert any(n.startswith("Moved from") for n in notes) and any(n.startswith("Removed (was") for n in notes)
    # a change whose reason names its proposer is theirs; the others are the owner of the
    # pending row of the table of changes (the proposers the sources name), else the approving body's
    authors = {"".join(t.text for t in c.iter(f"{{{W}}}t")): c.get(f"{{{W}}}author") for c in ins}
    assert authors["This policy also covers generative AI tools that post on someone's behalf."] == "Trust HR"
    assert {c.get(f"{{{W}}}author") for c in dels} == {"Trust HR"}
    assert "New paragraph. Why: AI tools now post for staff (proposed by Trust HR)" in notes
    summary = "".join(body.itertext())
    assert "Why these changes are proposed" in summary and "AI tools now post for staff." in summary


def _with_document(path: Path, target: Path, accept: bool) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = decide(data, accept)
            out.writestr(info, data)
    return target


def _clause_lines(page: Path) -> list[str]:
    """The numbered headings and paragraphs of a policy page, in order."""
    parser = MainText(tables=False)
    parser.feed(page.read_text(encoding="utf-8"))
    return [b for b in (normal(x) for x in parser.blocks) if re.match(r"\d+(\.\d+)*\.? \S", b)]


def _accept_and_reject(redline: Path, new_page: Path, old_page: Path, folder: Path) -> tuple[str, str]:
    """Accept and reject every change; each result, read by LibreOffice, must hold the
    numbered headings and paragraphs of its HTML page, in the same order."""
    (folder / "a").mkdir(parents=True), (folder / "r").mkdir()
    accepted = _with_document(redline, folder / "a" / "accepted.docx", accept=True)
    rejected = _with_document(redline, folder / "r" / "rejected.docx", accept=False)
    texts = convert([accepted, rejected], folder / "txt", "txt:Text")
    for path, page in ((accepted, new_page), (rejected, old_page)):
        text = texts[path].split("The policy with changes marked", 1)[1]
        lines = [normal(line) for line in text.splitlines() if normal(line)]
        numbered = [line for line in lines if re.match(r"\d+(\.\d+)*\.? \S", line)]
        expected = _clause_lines(page)
        assert len(expected) > 30
        assert numbered == expected, (path.name, [(a, b) for a, b in zip(numbered, expected) if a != b][:3])
    return normal(texts[accepted]), normal(texts[rejected])


@pytest.mark.libreoffice
def test_accepting_gives_the_draft_and_rejecting_the_ratified_text(built, tmp_path):
    need_soffice()
    accepted_text, rejected_text = _accept_and_reject(
        built / REDLINE, built / "review/hollin-bank-primary/social-media.html",
        built / "hollin-bank-primary/social-media.html", tmp_path)
    assert "generative AI tools" in accepted_text and "generative AI tools" not in rejected_text
    assert "is never private" in accepted_text and "is never truly private" in rejected_text
    assert "former staff after they have left" in rejected_text
    assert "former staff after they have left" not in accepted_text


@pytest.mark.libreoffice
def test_a_moved_section_is_a_tracked_move(tmp_path):
    """Definitions moved before Scope, with a clause of it removed and one reworded."""
    root = tmp_path
    src = root / "src"
    shutil.copytree(EXAMPLE, src)
    policy = src / "policies" / "social-media.yaml"
    text = policy.read_text()
    rule = "  # ---------------------------------------------------------------- "
    start, end = text.index(rule + "3\n"), text.index(rule + "4\n")
    section = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace(rule + "2\n", section + rule + "2\n", 1)
    start = text.index("      - id: def-accounts")
    text = text[:start] + text[text.index("      - id: def-private-spaces"):]
    assert "is never truly private" in text
    policy.write_text(text.replace("is never truly private", "is never private", 1))
    out = root / "output"
    assert main(["--source", str(src), "--output", str(out), "--today", TODAY, "-q", "--format", "html,docx",
                 "--school", "hollin-bank-primary", "--policy", "social-media"]) == 0
    redline = out / REDLINE
    body = xml(redline)
    names = {kind: {e.get(f"{{{W}}}name") for e in body.iter(f"{{{W}}}move{kind}RangeStart")} for kind in ("From", "To")}
    assert "move_section_definitions" in names["From"] and names["From"] == names["To"]
    # no reason names a proposer: every change is the approving body's
    assert {c.get(f"{{{W}}}author") for c in body.iter(f"{{{W}}}ins", f"{{{W}}}del", f"{{{W}}}moveTo")} == {
        "Local Governing Body"}
    need_soffice()
    accepted_text, rejected_text = _accept_and_reject(
        redline, out / "review/hollin-bank-primary/social-media.html", out / "hollin-bank-primary/social-media.html",
        tmp_path / "check")
    assert "2. Definitions" in accepted_text and "3. Definitions" in rejected_text
    assert "An official account is" in rejected_text and "An official account is" not in accepted_text
    # a cross-reference renumbered by the move is a tracked change too: each side has its own number
    assert "(see paragraph 2.1)" in accepted_text and "(see paragraph 3.1)" in rejected_text
    deleted = [t.text for t in body.iter(f"{{{W}}}delText")]
    assert "3.1" in deleted


def test_diff_command_writes_a_tracked_changes_docx(built, run, tmp_path):
    src = built.parent / "src"
    result = run("diff", "--source", src, "--output", tmp_path / "out", "--school", "hollin-bank-primary",
                 "--policy", "social-media", "--from", "3.1", "--format", "docx", "--today", TODAY)
    assert result.code == 0, result.err
    path = tmp_path / "out/review/hollin-bank-primary/changes/social-media-3.1-to-draft.docx"
    assert "Wrote" in result.out and path.is_file()
    assert not path.with_suffix(".html").exists()
    body = xml(path)
    assert body.findall(".//w:ins", NS) and body.findall(".//w:del", NS)
    run("diff", "--source", src, "--output", tmp_path / "out2", "--school", "hollin-bank-primary",
        "--policy", "social-media", "--from", "3.1", "--format", "docx", "--today", TODAY)
    assert (tmp_path / "out2" / path.relative_to(tmp_path / "out")).read_bytes() == path.read_bytes()


@pytest.mark.libreoffice
def test_libreoffice_reads_the_redline_as_tracked_changes(built, tmp_path):
    """An office suite sees revisions, not coloured text: LibreOffice's own file of the
    redline records each insertion and deletion as a tracked change, and the notes as comments."""
    need_soffice()
    redline = built / REDLINE
    odt = Path(convert([redline], tmp_path, "odt")[redline])
    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml").decode("utf-8")
    changes = content.split("<text:tracked-changes", 1)[1].split("</text:tracked-changes>", 1)[0]
    assert changes.count("<text:insertion") >= 3 and changes.count("<text:deletion") >= 3
    assert "truly" in changes  # a deleted word is kept in the change record
    comments = xml(redline, "word/comments.xml").findall("w:comment", NS)
    assert content.count("<office:annotation ") == len(comments)


WORD_LINK = ".docx\">Download this policy to edit in Word (DOCX)</a>"


def test_the_review_page_links_its_word_file_and_a_public_page_only_when_the_trust_says_so(built, tmp_path):
    review = built / "review/hollin-bank-primary/social-media.html"
    public = [built / "hollin-bank-primary/social-media.html", built / "hollin-bank-primary/archive/social-media-3.1.html"]
    text = review.read_text(encoding="utf-8")
    assert WORD_LINK in text
    assert (review.parent / re.search(r'<a href="([^"]+\.docx)"', text).group(1)).is_file()
    assert not any(WORD_LINK in page.read_text(encoding="utf-8") for page in public)  # publish: word_download is off

    src = tmp_path / "src"
    shutil.copytree(EXAMPLE, src)
    trust = src / "trust.yaml"
    trust.write_text(trust.read_text(encoding="utf-8") + "publish:\n  word_download: true\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--source", str(src), "--output", str(out), "--today", TODAY, "-q", "--format", "html,docx",
                 "--school", "hollin-bank-primary"]) == 0
    for page in [out / p.relative_to(built) for p in public]:
        text = page.read_text(encoding="utf-8")
        assert WORD_LINK in text
        assert (page.parent / re.search(r'<a href="([^"]+\.docx)"', text).group(1)).is_file()


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["flourish", "king-edward-vi", "link-school"])
def test_the_seed_policies_in_word_say_what_their_pages_say(name, tmp_path):
    """Three real policies of other shapes (numbering 1.1 (a) and 1, adoption blocks, lists within lists)."""
    need_soffice()
    from tests.helpers import SEEDS
    out = tmp_path / "out"
    assert main(["--source", str(SEEDS / name), "--output", str(out), "-q", "--today", TODAY,
                 "--format", "html,docx"]) == 0
    files = policy_docx(out)
    assert files
    texts = convert(files, tmp_path / "txt", "txt:Text")
    for path in files:
        text = normal(texts[path])
        missing = [s for s in main_sentences(path.with_suffix(".html")) if s not in text]
        assert not missing, f"{path.relative_to(out)}: {missing[:5]}"


@pytest.mark.libreoffice
def test_the_small_policy_in_word_says_what_its_page_says(mini, tmp_path):
    """Duties, an option's choice, a sub-clause (3.1.1) and a one-row table of changes."""
    need_soffice()
    out = tmp_path / "out"
    assert main(["--source", str(mini), "--output", str(out), "-q", "--today", TODAY, "--format", "html,docx"]) == 0
    path = out / "oak-primary/social-media.docx"
    text = convert([path], tmp_path / "txt", "txt:Text")[path]
    lines = [normal(line) for line in text.splitlines()]
    assert "3.1.1 In person or by email." in lines
    assert "1.2 Personal use of social media at work is not allowed." in lines
    missing = [s for s in main_sentences(path.with_suffix(".html")) if s not in normal(text)]
    assert not missing, missing[:5]


def test_lines_to_sign_are_ruled_cells_tall_enough_for_ink(built):
    """A blank row to sign is a cell whose paragraph has a bottom border, in a row at least
    12 mm high, with the role beneath the line: never typed underscores."""
    document = docx.Document(str(built / "review/calderbeck-academy/photography.docx"))
    [table] = [t for t in document.tables if any(c.text == "Signed" for row in t.rows for c in row.cells)]
    assert "__" not in "".join(c.text for row in table.rows for c in row.cells)
    signing = [row for row in table.rows if row.cells[0].text.strip() in ("Signed", "Date")]
    assert len(signing) == 3
    for row in signing:
        assert row.height is not None and row.height.mm >= 12
        line = row.cells[1].paragraphs[0]._p
        assert line.find(f"{{{W}}}pPr/{{{W}}}pBdr/{{{W}}}bottom") is not None
    assert [row.cells[1].paragraphs[-1].text for row in signing[:2]] == ["Principal", "Chair of the Academy Council"]
