"""Structure on import: headings by position and typography, numbers kept whatever their style,
lists with their depth, and Word's symbol-font bullets read as list marks, never as text."""

from __future__ import annotations

import re

from policyc.cli import main
from policyc.importers.blocks import TextBlock
from policyc.importers.layout import split_document
from policyc.importers.structure import arrange
from policyc.importers.text import read_text
from policyc.pipeline import check


def _items(text: str, name: str = "paragraph") -> list[tuple[str, str, int]]:
    return [(b.kind, b.text, b.depth) for b in read_text(text, name=name)]


def test_word_symbol_bullets_are_list_marks_not_cells_or_words():
    # As pdftotext gives a PDF saved from Word: Symbol's bullet U+F0B7, then a tab or spaces.
    text = "The Trust is characterised by:\n\n\uf0b7\tHigh expectations\n\n\uf0b7   Combining creativity\n"
    assert _items(text) == [("para", "The Trust is characterised by:", 0), ("item", "High expectations", 0),
                            ("item", "Combining creativity", 0)]
    # A list a PDF's text ran into one paragraph comes apart again, one item a mark.
    assert _items("whistleblowers: \uf0b7 Do not gossip. \uf0b7 Declare any interest.") == [
        ("para", "whistleblowers:", 0), ("item", "Do not gossip.", 0), ("item", "Declare any interest.", 0)]
    # Wingdings' arrowhead and square, as text taken out without their font: Ø and §.
    assert _items("Ø Bullying or humiliation\nØ Misusing public funds") == [
        ("item", "Bullying or humiliation", 0), ("item", "Misusing public funds", 0)]
    assert _items("§ Personal phones are stored") == [("item", "Personal phones are stored", 0)]
    # A bullet alone on its line, the words on the next; a stray middle dot is not kept.
    assert _items("·\nOne item\n· Another item") == [("item", "One item", 0), ("item", "Another item", 0)]


def test_o_sub_bullets_keep_their_depth_in_text_from_a_pdf_and_from_a_file():
    pdf = "I know that if I break the rules:\n\n-   I may lose access\n\no   for a day\n\no   or a week\n\n-   I will tell an adult"
    assert [(t, d) for k, t, d in _items(pdf) if k == "item"] == [
        ("I may lose access", 0), ("for a day", 1), ("or a week", 1), ("I will tell an adult", 0)]
    typed = "• Staff will:\n    o report concerns;\n    ▪ in writing;\n• Pupils will ask."
    assert [(t, d) for k, t, d in _items(typed, "line") if k == "item"] == [
        ("Staff will:", 0), ("report concerns;", 1), ("in writing;", 2), ("Pupils will ask.", 0)]


def _arranged(text: str):
    layout = split_document(read_text(text))
    return arrange(layout.body, layout.contents, [])


def test_a_numbered_list_of_rules_stays_numbered_with_its_own_numbers():
    _, sections, _ = _arranged("Rules\n\nPupils must:\n1. Ask before using the internet.\n"
                               "2. Keep passwords secret.\n4. Tell a teacher about anything upsetting.\n")
    texts = [c.get("text") for s in sections for c in s["clauses"]]
    assert ("Pupils must:\n\n1. Ask before using the internet.\n2. Keep passwords secret." in texts
            and "4. Tell a teacher about anything upsetting." in texts), texts  # 3 is missing: a list from 4


def test_headings_by_position_questions_parents_and_labels():
    text = ("Online Safety Policy\n\nReviewed: 18/09/2022\n\nWhat is this policy?\n\n"
            "Online safety is part of safeguarding and needs a whole school approach from every member of staff.\n\n"
            "Procedures\n\nPersonal mobile phones\n\n"
            "Staff phones are kept in the office during the working day and used only on breaks.\n\n"
            "Cameras\n\nPhotographs are taken only on the setting's own equipment, never on a personal phone.\n\n"
            "Read it with these policies:\n\nChild Protection Policy\n\nAnti-Bullying Policy\n\nE-safety Policy\n")
    _, sections, _ = _arranged(text)
    outline = [(s["title"], [c["title"] for c in s["clauses"] if "title" in c]) for s in sections]
    assert outline == [("What is this policy?", []), ("Procedures", ["Personal mobile phones", "Cameras"])]


def test_paragraphs_numbered_1_then_2_1_without_headings_keep_every_number(tmp_path, capsys):
    (tmp_path / "charging.txt").write_text(
        "Charging Policy\n\n1 This policy sets out how the school charges for activities and when it waives them.\n\n"
        "2 The governing body has agreed the following arrangements for charges:\n\n"
        "2.1 No charge is made for education provided during school hours.\n\n"
        "2.2 Voluntary contributions may be asked for, and no pupil is left out when a parent cannot pay.\n\n"
        "3 Music tuition\n\n3.1 Charges may be made for tuition in playing a musical instrument.\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "charging.txt"), "--source", str(tmp_path / "src")]) == 0
    report = capsys.readouterr().out
    assert not re.search(r"^numbered ", report, re.M), report
    _, [policy], _ = check(tmp_path / "src")
    shown = [p.title for p in policy.parts] + [b.body.text for p in policy.parts for b in p.blocks]
    for number in ("1. This policy", "2. The governing body", "2.1 No charge", "2.2 Voluntary", "3 Music tuition",
                   "3.1 Charges"):
        assert any(number in (t or "") for t in shown), (number, shown)


def test_a_glyph_no_font_draws_never_reaches_the_sources():
    blocks = [TextBlock("para", "Staff \uf0fc must \x07 report →", "paragraph 1")]
    from policyc.importers.read import _drawable
    assert _drawable(blocks[0]).text == "Staff • must  report ->"
