"""The document model: frozen values, and the one walk over a clause body every reader follows."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from policyc.model import BodyPart, ClauseBody, Duties, ListItem, Ratification, body_parts, item_texts
from policyc.pipeline import check_all
from tests.helpers import SCHOOL, write_tree


def test_nested_list_texts_come_in_reading_order():
    items = ("Tell the DSL;", ListItem("The headteacher will:", ("inform the chair;", ListItem("then", ("log it",)))),
             "Keep a record.")
    assert item_texts(items) == ["Tell the DSL;", "The headteacher will:", "inform the chair;", "then", "log it",
                                 "Keep a record."]


def test_a_body_reads_title_text_items_each_duty_list_with_its_lead_then_the_after_text():
    body = ClauseBody(title="Golden", text="Read this.", items=("one", "two"), list_style="letter",
                      after="Breaches are serious.",
                      duties=Duties(must_lead="You must:", must=("be kind",), must_not_lead="You must not:",
                                    must_not=("be late",)))
    assert body_parts(body) == [
        BodyPart("title", "Golden"), BodyPart("text", "Read this."),
        BodyPart("items", items=("one", "two"), list_style="letter"),
        BodyPart("lead", "You must:"), BodyPart("items", items=("be kind",), list_style="bullet"),
        BodyPart("lead", "You must not:"), BodyPart("items", items=("be late",), list_style="bullet"),
        BodyPart("after", "Breaches are serious."),
    ]


def test_empty_pieces_are_left_out_and_the_policys_list_style_applies_when_the_clause_has_none():
    assert body_parts(ClauseBody(text="Only words.")) == [BodyPart("text", "Only words.")]
    assert body_parts(ClauseBody(items=("a",)), list_style="roman") == [BodyPart("items", items=("a",),
                                                                                 list_style="roman")]


def test_model_values_are_frozen():
    body = ClauseBody(text="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        body.text = "y"


def test_a_date_written_to_the_month_is_shown_as_written_and_a_full_date_is_not():
    record = Ratification(date=dt.date(2023, 9, 1), next_review=dt.date(2024, 9, 30),
                          written=(("next_review", "Sept 2024"),))
    assert record.shown("next_review") == "Sept 2024" and record.shown("date") == ""


def test_a_project_is_named_by_its_trust_or_else_its_one_school(mini):
    assert check_all(mini).project.display_name == "Test Trust"
    trust = mini / "trust.yaml"
    trust.write_text(trust.read_text().replace("name: Test Trust\n", ""))
    assert check_all(mini).project.display_name == "Oak Primary School"
    write_tree(mini, {"schools/elm-primary.yaml": SCHOOL.replace("Oak Primary", "Elm Primary")})
    assert check_all(mini).project.display_name == "All schools"
