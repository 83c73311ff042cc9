"""The word comparison's clean-up: each side still reads exactly, and what is left is
changes a person can read (no kept one-word island between two changes)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policyc.text.worddiff import compare_words

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
WORDS = ["the", "staff", "must", "report", "concerns", "to", "lead", "at", "once", "of", "is", ",", "."]


def weight(token: str) -> int:
    return 1 if re.search(r"\w", token) else 0


def tokens(words: list[str]) -> list[str]:
    return TOKEN.findall(" ".join(words))


def sides(segments, a, b):
    old = "".join("".join(a[s.i1:s.i2]) for s in segments)
    new = "".join("".join(b[s.j1:s.j2]) for s in segments)
    return old, new


@settings(max_examples=100, deadline=None)
@given(old=st.lists(st.sampled_from(WORDS), max_size=25), new=st.lists(st.sampled_from(WORDS), max_size=25))
def test_each_side_reads_exactly_and_no_one_word_island_is_left_between_changes(old, new):
    a, b = tokens(old), tokens(new)
    segments = compare_words(a, b, weight, str.isspace)
    assert sides(segments, a, b) == ("".join(a), "".join(b))
    assert all(s.kind in ("equal", "change") for s in segments)
    for before, kept, after in zip(segments, segments[1:], segments[2:]):
        if before.kind == after.kind == "change" and kept.kind == "equal":
            assert sum(map(weight, a[kept.i1:kept.i2])) >= 2, (a[kept.i1:kept.i2])
    for first, second in zip(segments, segments[1:]):
        assert not (first.kind == second.kind == "change")  # one change: one deletion, then one insertion
    for s in segments:
        if s.kind == "equal":
            assert a[s.i1:s.i2] == b[s.j1:s.j2]


def test_a_deletion_and_its_replacement_are_read_apart():
    a, b = tokens("should be passed on".split()), tokens("should be go on".split())
    segments = compare_words(a, b, weight, str.isspace)
    [change] = [s for s in segments if s.kind == "change"]
    assert "".join(a[change.i1:change.i2]) == " passed" and "".join(b[change.j1:change.j2]) == " go"


def test_same_input_same_result():
    a, b = tokens("the staff must report concerns".split()), tokens("staff should report the concerns at once".split())
    assert compare_words(a, b, weight, str.isspace) == compare_words(list(a), list(b), weight, str.isspace)
