"""The change model: where each change goes and what it is called (tested here once, for the
HTML and Word writers alike), and how a clause's words are compared for people to read. The
Word writer's own redline tests are in tests/render/word/test_redline.py; the policy and its
in-memory edits both modules use are in tests/helpers.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from policyc.history.compare import change_kind, compare
from policyc.model import Block, ClauseBody, ListItem
from policyc.render.changes import Run, build_redline, side_text
from policyc.render.redline import html_sections, pieces_html, summary
from tests.helpers import (
    TABLE,
    WORDS,
    conduct_policy,
    decide,
    find_block,
    policy_tree,
    rebuilt,
    remove,
    reword,
    word_paragraphs,
    word_redline,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return conduct_policy(tmp_path_factory.mktemp("changes") / "src")


# --- edits on a resolved policy ------------------------------------------------------------

def add_after(block_id, new_id):
    def edit(policy):
        tree = policy_tree(policy)
        blocks, i = find_block(tree, block_id)
        blocks.insert(i + 1, Block(new_id, ClauseBody(text="A new paragraph."), (), blocks[i].position, True, "letter"))
        return rebuilt(policy, tree)
    return edit


def move(block_id, section, index):
    def edit(policy):
        tree = policy_tree(policy)
        blocks, i = find_block(tree, block_id)
        block = blocks.pop(i)
        dict((p.id, b) for p, b in tree)[section].insert(index, block)
        return rebuilt(policy, tree)
    return edit


def move_section(section, index):
    def edit(policy):
        tree = policy_tree(policy)
        [entry] = [t for t in tree if t[0].id == section]
        tree.remove(entry)
        tree.insert(index, entry)
        return rebuilt(policy, tree)
    return edit


def drop_section(section):
    def edit(policy):
        return rebuilt(policy, [t for t in policy_tree(policy) if t[0].id != section])
    return edit


def retitle(section, title):
    def edit(policy):
        return rebuilt(policy, [(replace(p, title=title) if p.id == section else p, b) for p, b in policy_tree(policy)])
    return edit


def both(*edits):
    def edit(policy):
        for e in edits:
            policy = e(policy)
        return policy
    return edit


def layout(redline):
    """Each section as (id, place, note), then each clause as (id, place, note)."""
    return [((s.id, s.place, s.note), [(c.id, c.place, c.note) for c in s.clauses]) for s in redline.sections]


ABOUT = [("a1", "here", ""), ("a2", "here", ""), ("a3", "here", ""), ("a3-x", "here", "")]
RULES = [("r1", "here", ""), ("r2", "here", "")]
CONTACT = [("c1", "here", "")]

PLACES = {
    "a reworded clause stays where it is": (
        reword("a2", "Staff must report concerns to the lead today."),
        [(("about", "here", ""), [ABOUT[0], ("a2", "here", "Wording changed"), *ABOUT[2:]]),
         (("rules", "here", ""), RULES), (("contact", "here", ""), CONTACT)]),
    "a removed clause is shown where it stood": (
        remove("a2"),
        [(("about", "here", ""), [ABOUT[0], ("a2", "removed", "Removed (was 1.2)"), *ABOUT[2:]]),
         (("rules", "here", ""), RULES), (("contact", "here", ""), CONTACT)]),
    "a new clause is shown where it now stands": (
        add_after("a1", "n1"),
        [(("about", "here", ""), [ABOUT[0], ("n1", "here", "New paragraph"), *ABOUT[1:]]),
         (("rules", "here", ""), RULES), (("contact", "here", ""), CONTACT)]),
    "a clause moved to another section is shown at both places": (
        move("r1", "about", 0),
        [(("about", "here", ""), [("r1", "moved-to", "Moved from 2.1"), *ABOUT]),
         (("rules", "here", ""), [("r1", "moved-from", "Moved to 1.1 (was 2.1)"), RULES[1]]),
         (("contact", "here", ""), CONTACT)]),
    "a clause moves with its sub-clauses": (
        move("a3", "rules", 2),
        [(("about", "here", ""), [*ABOUT[:2], ("a3", "moved-from", "Moved to 2.3 (was 1.3)"),
                                  ("a3-x", "moved-from", "Moved to 2.3.1 (was 1.3.1)")]),
         (("rules", "here", ""), [*RULES, ("a3", "moved-to", "Moved from 1.3"), ("a3-x", "moved-to", "Moved from 1.3.1")]),
         (("contact", "here", ""), CONTACT)]),
    "a moved and reworded clause says both": (
        both(reword("a2", "Staff must report every concern to the lead at once."), move("a2", "rules", 2)),
        [(("about", "here", ""), [ABOUT[0], ("a2", "moved-from", "Moved to 2.3 (was 1.2)"), *ABOUT[2:]]),
         (("rules", "here", ""), [*RULES, ("a2", "moved-to", "Moved from 1.2; wording changed")]),
         (("contact", "here", ""), CONTACT)]),
    "a moved section is shown at its new place and its old one": (
        move_section("contact", 0),
        [(("contact", "moved-to", "Moved from section 3"), CONTACT),
         (("about", "here", ""), ABOUT), (("rules", "here", ""), RULES),
         (("contact", "moved-from", "Section moved to 1"), [("c1", "moved-from", "Moved to 1.1 (was 3.1)")])]),
    "a removed section comes last, with its clauses": (
        drop_section("rules"),
        [(("about", "here", ""), ABOUT), (("contact", "here", ""), CONTACT),
         (("rules", "removed", "Section 2 removed"), [("r1", "removed", "Removed (was 2.1)"),
                                                      ("r2", "removed", "Removed (was 2.2)")])]),
    "a new heading is a changed heading": (
        retitle("about", "About this policy and its scope"),
        [(("about", "here", "Heading changed"), ABOUT), (("rules", "here", ""), RULES), (("contact", "here", ""), CONTACT)]),
}


@pytest.mark.parametrize("case", list(PLACES))
def test_where_each_change_goes_and_what_it_is_called(base, case):
    edit, expected = PLACES[case]
    redline = build_redline(compare(base, edit(base)))
    assert layout(redline) == expected


def test_a_clause_carried_by_its_parent_has_no_note_of_its_own_at_the_place_it_left(base):
    sections = html_sections(build_redline(compare(base, move("a3", "rules", 2)(base))))
    about = [c.entry.id for c in sections[0].clauses]
    assert about == ["a1", "a2", "a3"]


# --- a clause's words ------------------------------------------------------------------------

def pieces(base, old_text, new_text):
    old = reword("a2", old_text)(base)
    new = reword("a2", new_text)(base)
    [entry] = [c for s in build_redline(compare(old, new)).sections for c in s.clauses if c.id == "a2"]
    return entry.pieces


def marks(piece):
    return [(r.kind, r.text) for r in piece.runs]


@pytest.mark.parametrize("case", list(WORDS))
def test_words_are_compared_for_people_to_read(base, case):
    old, new, expected = WORDS[case]
    got = pieces(base, old, new)
    assert [marks(p) for p in got] == expected
    assert "".join(side_text(p.runs, "old") for p in got) == old
    assert "".join(side_text(p.runs, "new") for p in got) == new


def test_a_rewritten_paragraph_is_a_deleted_then_an_inserted_piece(base):
    got = pieces(base, "Working in a school requires all of us to keep proper boundaries.",
                 "Everyone employed here holds a position of trust.")
    assert [(p.kind, p.state) for p in got] == [("paragraph", "deleted"), ("paragraph", "inserted")]


def test_emphasis_and_links_stay_inside_marked_words(base):
    got = pieces(base, "**Incitement.** Inciting hatred may lead to prosecution, as [the guidance](https://www.gov.uk/x) says.",
                 "**Incitement.** Inciting hatred will lead to prosecution, as [the guidance](https://www.gov.uk/x) says.")
    [piece] = got
    assert piece.runs[0] == Run("same", "Incitement.", strong=True)
    assert any(r.link == "https://www.gov.uk/x" and r.text == "the guidance" for r in piece.runs)
    added = pieces(base, "Tell the lead.", "Tell the lead. **Always** read [the guidance](https://www.gov.uk/x).")
    html = str(pieces_html(added))
    assert "<ins>" in html and "<strong>Always</strong>" in html and '<a href="https://www.gov.uk/x">the guidance</a>' in html
    inserted = html[html.index("<ins>"):html.index("</ins>")]
    assert "<strong>Always</strong>" in inserted and "the guidance</a>" in inserted  # one <ins> for the whole insertion


def test_a_removed_table_is_a_table_struck_through_as_a_whole(base):
    got = pieces(base, TABLE, "We ask about each use separately.")
    table = next(p for p in got if p.kind == "table")
    assert table.state == "deleted" and all(r.state == "deleted" for r in table.rows)
    assert [[side_text(c, "old") for c in r.cells] for r in table.rows] == [
        ["Use", "Who sees it"], ["Displays in school", "People in the school"], ["The school website", "Anyone"]]
    html = str(pieces_html(got))
    assert '<table class="redline-table deleted">' in html and "<th scope=\"col\"><del>" in html
    assert html.count("<tr class=\"deleted\">") == 3


def test_a_changed_table_marks_only_the_changed_cells(base):
    [_, table] = pieces(base, TABLE, TABLE.replace("| Anyone |", "| Anyone at all |"))
    assert [r.state for r in table.rows] == ["same", "same", "changed"]
    assert [(r.kind, r.text) for r in table.rows[2].cells[1]] == [("same", "Anyone"), ("inserted", " at all")]


def test_a_roman_sub_list_is_one_list_inside_its_item(base):
    items = (ListItem("Report it:", ("to the lead;", "to the head;", "in writing;", "the same day."), "roman"),
             "Keep a note.")
    old = reword("a2", "When you see a concern:")(base)
    tree = policy_tree(old)
    blocks, i = find_block(tree, "a2")
    blocks[i] = replace(blocks[i], body=replace(blocks[i].body, items=items), list_style="letter")
    new = rebuilt(old, tree)
    [entry] = [c for s in build_redline(compare(old, new)).sections for c in s.clauses if c.id == "a2"]
    got = [(p.kind, p.style, p.level, p.marker) for p in entry.pieces]
    assert got == [("paragraph", "", 0, ""), ("item", "letter", 0, "(a)"), ("item", "roman", 1, "(i)"),
                   ("item", "roman", 1, "(ii)"), ("item", "roman", 1, "(iii)"), ("item", "roman", 1, "(iv)"),
                   ("item", "letter", 0, "(b)")]
    html = str(pieces_html(entry.pieces))
    assert html.count('<ol class="roman">') == 1 and html.count("<li") == 6
    assert '<span class="marker">(iv)&nbsp;</span>' in html
    assert html.index('<ol class="roman">') < html.index("(b)&nbsp;")  # nested inside item (a)


# --- the words outside any section ---------------------------------------------------------

def test_a_change_to_the_words_under_the_title_is_shown_before_section_1(base):
    """The preamble is part of what governors ratify: a change to it is a change of wording,
    marked like a paragraph's in the model, the page and the Word file."""
    old = replace(base, preamble="The adults who work with our pupils model the behaviour we teach.")
    new = replace(base, preamble="Every adult who works with our pupils models the behaviour we teach.")
    comparison = compare(old, new)
    assert comparison.has_changes and [c.kind for c in comparison.front] == ["changed"]
    assert change_kind(comparison) == "wording"
    [front, *rest] = build_redline(comparison).sections
    assert front.id == "_front" and front.changed and not any(s.changed for s in rest)
    [entry] = front.clauses
    assert entry.note == "Wording changed"
    assert "".join(side_text(p.runs, "old") for p in entry.pieces) == old.preamble
    assert "".join(side_text(p.runs, "new") for p in entry.pieces) == new.preamble
    assert "The words under the title: wording changed" in summary(comparison, "version 1.0", "the draft")
    html = str(html_sections(build_redline(comparison))[0].clauses[0].body)
    assert "<del>" in html and "<ins>" in html
    document = word_redline(old, new)
    assert new.preamble in word_paragraphs(decide(document, accept=True))
    assert old.preamble in word_paragraphs(decide(document, accept=False))
    assert not compare(new, new).front and not compare(new, new).has_changes


def test_opening_words_added_and_removed(base):
    added = compare(base, replace(base, opening="Read this first."))
    assert [(c.id, c.kind) for c in added.front] == [("opening", "added")]
    assert added.affected_paragraphs() == "the opening words before section 1"
    removed = compare(replace(base, opening="Read this first."), base)
    assert [(c.id, c.kind) for c in removed.front] == [("opening", "removed")]
    assert build_redline(removed).sections[0].clauses[0].note == "Removed"


def test_a_new_title_is_a_change_of_wording(base):
    comparison = compare(base, replace(base, title="Staff Conduct on Social Media"))
    assert [(c.id, c.kind) for c in comparison.front] == [("title", "changed")]
    [front, *_] = build_redline(comparison).sections
    assert "".join(r.on("new") for r in front.title) == "Before section 1: the title"
    assert change_kind(comparison) == "wording"
