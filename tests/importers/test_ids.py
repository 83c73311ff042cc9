"""Ids made on import: a few telling words of the title or text, unique within the policy."""

from __future__ import annotations

from policyc.importers.ids import Ids, slug


def test_a_slug_keeps_the_telling_words_and_drops_placeholders_and_brackets():
    assert slug("Monitoring") == "monitoring"
    assert slug("The use of social media by {{ term.staff }} (see annex) at work") == "use-social-media-work"
    assert slug("Staff must not accept friend requests from pupils or parents") == "staff-accept-friend-requests"


def test_a_slug_of_stop_words_only_keeps_them_and_one_that_starts_with_a_digit_is_prefixed():
    assert slug("It is not") == "it-is-not"
    assert slug("2020 changes") == "p-2020-changes"
    assert slug("!!!") == "paragraph"


def test_repeated_words_are_made_unique_by_a_number():
    ids = Ids()
    assert [ids.section("Monitoring"), ids.section("Monitoring"), ids.clause("Monitoring")] == \
        ["monitoring", "monitoring-2", "monitoring-3"]
    assert ids.clause("Breaches of this policy may lead to disciplinary action") == "breaches-policy-lead-disciplinary"
    assert ids.section("Breaches of this policy may lead to disciplinary action") == \
        "breaches-policy-lead-disciplinary-action"
