"""Lists within lists on import: Word's deeper list levels and styles, and "(i)" or indented bullets in text."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import yaml
from docx.oxml.ns import nsdecls

from policyc.cli import main
from policyc.importers.text import read_text
from policyc.model import ListItem
from policyc.pipeline import check
from tests.importers.word import add_list, put_on_list
from tests.pdftext import key

LETTERS = f"""<w:abstractNum {nsdecls('w')} w:abstractNumId="91">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%2)"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
</w:abstractNum>"""

ROLES_TEXT = """\
Behaviour Policy

1. Responsibilities
1.1 Responsibilities are shared as follows:
(a) The governing board will:
   (i) monitor the policy's effectiveness;
   (ii) hold the headteacher to account for its implementation.
(b) The headteacher will:
   - make sure that staff understand the behaviour expected of pupils;
   - report to governors each term.
(c) Parents and carers are expected to support the school's approach.
1.2 The policy is reviewed every year.
"""


def _letters(document) -> None:
    add_list(document, LETTERS, 91)


def _on_list(paragraph, level: int) -> None:
    put_on_list(paragraph, level, 91)


def _import_and_build(document: Path, work: Path) -> tuple[dict, str]:
    assert main(["import", str(document), "--source", str(work / "src")]) == 0
    assert main(["--source", str(work / "src"), "--output", str(work / "out"), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [policy_file] = (work / "src" / "policies").glob("*.yaml")
    [page] = [p for p in (work / "out").rglob(f"{policy_file.stem}.html") if "changes" not in p.parts]
    return yaml.safe_load(policy_file.read_text()), page.read_text()


def _clause(policy: dict, starts: str) -> dict:
    def visit(clauses):
        for c in clauses:
            if str(c.get("text", "")).startswith(starts):
                return c
            if found := visit(c.get("clauses", [])):
                return found
        return None
    return next(c for s in policy["sections"] if (c := visit(s["clauses"])))


def _nested_lists(page: str) -> int:
    """How many lists the built page has inside a list item."""
    return len(re.findall(r"<li>(?:(?!</li>).)*?<(?:ul|ol)\b", page, flags=re.S))


def test_word_list_levels_and_list_styles_become_lists_within_lists(tmp_path):
    document = docx.Document()
    _letters(document)
    document.add_paragraph("Oakfield Primary School", style="Title")
    document.add_paragraph("Behaviour Policy")
    document.add_paragraph("Responsibilities", style="Heading 1")
    document.add_paragraph("Responsibilities are shared as follows:")
    for words, level in (("The governing board will:", 0), ("monitor the policy's effectiveness;", 1),
                         ("hold the headteacher to account for its implementation.", 1),
                         ("The headteacher will:", 0), ("make sure that staff:", 1),
                         ("understand the behaviour expected of pupils;", 2),
                         ("apply rewards and sanctions consistently.", 2),
                         ("Parents and carers are expected to support the school's approach.", 0)):
        _on_list(document.add_paragraph(words), level)
    document.add_paragraph("Rewards", style="Heading 1")
    document.add_paragraph("Pupils are rewarded for:")
    document.add_paragraph("good work, in:", style="List Bullet")
    document.add_paragraph("English;", style="List Bullet 2")
    document.add_paragraph("mathematics;", style="List Number 2")
    document.add_paragraph("kindness to others.", style="List Bullet")
    document.save(tmp_path / "behaviour.docx")

    policy, page = _import_and_build(tmp_path / "behaviour.docx", tmp_path)
    roles = _clause(policy, "Responsibilities are shared")
    assert roles["list"] == "letter"
    assert roles["items"] == [
        {"text": "The governing board will:",
         "items": ["monitor the policy's effectiveness;", "hold the headteacher to account for its implementation."]},
        {"text": "The headteacher will:",
         "items": [{"text": "make sure that staff:", "list": "bullet",
                    "items": ["understand the behaviour expected of pupils;",
                              "apply rewards and sanctions consistently."]}]},
        "Parents and carers are expected to support the school's approach."]
    rewards = _clause(policy, "Pupils are rewarded for")
    assert rewards["items"] == [{"text": "good work, in:", "items": ["English;", "mathematics;"]},
                                "kindness to others."]

    _, [built], _ = check(tmp_path / "src")
    block = next(b for p in built.parts for b in p.blocks if b.body.text.startswith("Responsibilities are shared"))
    assert isinstance(block.body.items[1], ListItem) and isinstance(block.body.items[1].items[0], ListItem)
    assert _nested_lists(page) == 4  # two under the board and head, one under "staff", one under "good work"
    text = key(re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'").replace("&#x27;", "'"))
    assert all(key(line) in text for line in ("hold the headteacher to account for its implementation.",
                                               "apply rewards and sanctions consistently.", "mathematics;"))


def test_roman_and_indented_bullets_under_lettered_items_in_text(tmp_path):
    (tmp_path / "behaviour.txt").write_text(ROLES_TEXT, encoding="utf-8")
    policy, page = _import_and_build(tmp_path / "behaviour.txt", tmp_path)
    clause = _clause(policy, "Responsibilities are shared")
    assert clause["items"] == [
        {"text": "The governing board will:",
         "items": ["monitor the policy's effectiveness;", "hold the headteacher to account for its implementation."]},
        {"text": "The headteacher will:", "list": "bullet",
         "items": ["make sure that staff understand the behaviour expected of pupils;", "report to governors each term."]},
        "Parents and carers are expected to support the school's approach."]
    assert _nested_lists(page) == 2
    text = key(re.sub(r"<[^>]+>", " ", page).replace("&#39;", "'").replace("&#x27;", "'"))
    for line in ROLES_TEXT.splitlines()[2:]:
        assert key(re.sub(r"^\s*(\(\w+\)|-|\d+(\.\d+)?\.?)\s", "", line)) in text, line


def test_i_after_h_is_a_letter_and_a_lone_i_is_roman():
    letters = "\n".join(f"({c}) item {c};" for c in "abcdefghij")
    blocks = read_text(letters)
    assert [b.marker for b in blocks] == ["letter"] * 10 and [b.depth for b in blocks] == [0] * 10
    blocks = read_text("(a) first:\n(i) one;\n(ii) two;\n(b) second.")
    assert [(b.marker, b.depth) for b in blocks] == [("letter", 0), ("roman", 1), ("roman", 1), ("letter", 0)]
