"""site/review.py: the documents `policyc diff` and `policyc as-of` write into the review area.

The commands themselves are run end to end in tests/history/test_history.py (diff),
tests/compliance/test_period.py (as-of) and tests/render/test_redline.py (the redline's words)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from policyc.errors import UsageError
from policyc.pipeline import check_all
from policyc.site.guard import MARKER
from policyc.site.review import bundle_html, pick, write_redline
from tests.helpers import ratify


def _checked(mini, run):
    assert ratify(run, mini, "2026-01-10", "First", "--version", "2.0").code == 0
    checked = check_all(mini)
    [history] = checked.histories
    return checked, history


def test_pick_names_a_version_the_draft_or_the_model_and_lists_the_versions_when_it_is_none(mini, run):
    checked, history = _checked(mini, run)
    latest = pick(checked.project, history, "latest")
    assert (latest.name, latest.draft, latest.label) == ("2.0", False, "version 2.0 (ratified 10 January 2026)")
    assert pick(checked.project, history, "2.0") == latest
    draft = pick(checked.project, history, "draft")
    assert (draft.name, draft.label, draft.draft) == ("draft", "the current text", False)  # nothing changed since
    model = pick(checked.project, history, "model")
    assert model.name == "model" and model.draft and model.label.endswith("model policy")
    with pytest.raises(UsageError, match=r"no version '9\.9' of this policy; the versions are: 2\.0, draft, model"):
        pick(checked.project, history, "9.9")


def test_write_redline_goes_into_the_review_area_with_the_schools_assets_and_claims_a_new_output(mini, run, tmp_path):
    checked, history = _checked(mini, run)
    out = tmp_path / "out"
    old, new = pick(checked.project, history, "2.0"), pick(checked.project, history, "model")
    [path] = write_redline(history, old, new, out, ("html",), dt.date(2026, 11, 22))
    assert path == out / "review" / "oak-primary" / "changes" / "social-media-2.0-to-model.html"
    assert "<html" in path.read_text(encoding="utf-8")
    assert (out / "oak-primary" / "assets" / "policy.css").is_file()
    assert (out / MARKER).is_file()  # a later build may still replace the folder
    assert not list(path.parent.glob(".*.tmp"))


def test_bundle_html_puts_a_contents_page_first_and_keeps_each_policys_anchors_apart():
    page = ('<html><head><title>One</title></head><body class="policy"><a class="skip-link" href="#main">Skip</a>'
            '<main id="main"><h1 id="policy-title">{t}</h1><a href="#s1">see</a>'
            '<label for="s1">x</label><p id="s1">{t}</p></main></body></html>')
    policies = [SimpleNamespace(title="Alpha Policy", period="Version 1 in force from 1 May 2025 to now · as in "
                                "force on 1 June 2025", school_name="Oak School"),
                SimpleNamespace(title="Beta Policy", period="Version 2 in force from 2 May 2025 to now",
                                school_name="Oak School")]
    html = bundle_html([page.format(t="A"), page.format(t="B")], policies, dt.date(2025, 6, 1))
    assert "<title>Policies in force on 1 June 2025 – Oak School</title>" in html
    assert '<a href="#p1-policy-title">Alpha Policy</a> <span class="version">Version 1 in force from 1 May 2025 ' \
           'to now</span>' in html
    assert 'id="p1-s1"' in html and 'id="p2-s1"' in html and 'href="#p2-s1"' in html and 'for="p2-s1"' in html
    assert "skip-link" not in html and html.count('<main id="main">') == 1
