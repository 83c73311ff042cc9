"""The Word redline (policyc/render/word/redline.py) over the change model: what Word's
Review pane gives when every tracked change is accepted or rejected, a removed table as
tracked deleted rows, and how a changed value beside a change joins it. Where each change
goes and what it is called is tested once, for the HTML and Word writers alike, in
tests/render/test_changes.py; whole example builds' redlines in tests/render/word/test_policy.py."""

from __future__ import annotations

import pytest
from lxml import etree

from policyc.render.changes import Run
from policyc.render.word.redline import changes
from tests.helpers import (
    TABLE,
    WORDS,
    W,
    conduct_policy,
    decide,
    remove,
    reword,
    word_paragraphs,
    word_redline,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return conduct_policy(tmp_path_factory.mktemp("redline") / "src")


def test_in_word_a_changed_value_beside_a_change_joins_it():
    runs = (Run("same", "See"), Run("deleted", " part"), Run("inserted", " paragraph"), Run("same", " "),
            Run("same", "3.1", was="2.1"), Run("same", " for more."))
    assert [(k, t) for k, t, _ in changes(runs)] == [
        ("equal", "See"), ("delete", " part"), ("delete", " "), ("delete", "2.1"),
        ("insert", " paragraph"), ("insert", " "), ("insert", "3.1"), ("equal", " for more.")]


@pytest.mark.parametrize("case", list(WORDS))
def test_in_word_accepting_gives_the_new_words_and_rejecting_the_old(base, case):
    old_text, new_text, _ = WORDS[case]
    document = word_redline(reword("a2", old_text)(base), reword("a2", new_text)(base))
    assert f"1.2 {new_text}" in word_paragraphs(decide(document, accept=True))
    assert f"1.2 {old_text}" in word_paragraphs(decide(document, accept=False))


def test_in_word_a_removed_table_is_a_table_of_tracked_deleted_rows(base):
    document = word_redline(reword("a2", TABLE)(base), remove("a2")(base))
    [table] = etree.fromstring(document).iter(f"{{{W}}}tbl")
    rows = list(table.iter(f"{{{W}}}tr"))
    assert len(rows) == 3 and all(r.find(f"{{{W}}}trPr/{{{W}}}del") is not None for r in rows)
    assert not list(table.iter(f"{{{W}}}t"))  # every word in it is deleted text
    assert "".join(t.text for t in table.iter(f"{{{W}}}delText")).startswith("UseWho sees it")
