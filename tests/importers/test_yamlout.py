"""Source YAML written for people: it reads back as exactly the data, quoted only where it must be."""

from __future__ import annotations

import yaml

from policyc.importers.yamlout import WIDTH, add_school_policy, dump


def test_plain_words_stay_plain_and_what_yaml_would_misread_is_quoted():
    text = dump({"id": "social-media", "version": "1.10", "answer": "yes", "note": "a: b", "numbered": False})
    assert text.splitlines() == ["id: social-media", 'version: "1.10"', 'answer: "yes"', 'note: "a: b"',
                                 "numbered: false"]


def test_header_comments_and_comment_keys_are_kept_in_place():
    text = dump({"id": "p", "#1": "the sections follow", "sections": [{"id": "s", "clauses": []}]},
                header=["Imported from policy.docx", ""])
    assert text.splitlines() == ["# Imported from policy.docx", "#", "id: p", "# the sections follow",
                                 "sections:", "  - id: s", "    clauses: []"]


def test_long_text_is_folded_and_several_lines_are_a_block_both_reading_back_the_same():
    long = " ".join(["Staff must keep proper professional boundaries with pupils online."] * 4)
    data = {"clauses": [{"id": "c", "text": long}, {"id": "d", "text": "First line.\nSecond line."}]}
    text = dump(data)
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert "    text: >-" in text and "    text: |-" in text
    assert yaml.safe_load(text) == data


def test_a_policy_entry_goes_under_the_schools_policies_and_nothing_else_changes():
    school = "name: Oak Primary School  # as on the sign\nphase: primary\npolicies:\n  photography: {}\n"
    text = add_school_policy(school, {"social-media": {"options": {"personal_use": "forbidden"}}})
    assert text == ("name: Oak Primary School  # as on the sign\nphase: primary\npolicies:\n"
                    "  social-media:\n    options:\n      personal_use: forbidden\n  photography: {}\n")
    bare = add_school_policy("name: Elm\n", {"social-media": {}})
    assert bare == "name: Elm\npolicies:\n  social-media: {}\n"
