"""Reasons for changes: written beside the text they change, read by governors in the
redline and its summary, and kept as the summary of the table of changes at ratification."""

from __future__ import annotations

import re
import zipfile

import yaml

from tests.helpers import RATIFY, TODAY, diff, edit, history

REWORD = ('text: "You must not use social media to:"', 'text: "You must never use social media to:"\n'
          '        change: {reason: Staff asked for a rule without exceptions, by: Head of HR}')
DROP_EYFS = ("      - id: eyfs\n        phases: [nursery, primary]\n"
             "        text: Photographs in learning journals are taken on school devices only.\n", "")
WHY_DROPPED = "reasons:\n  eyfs: Learning journals are now covered by the Photography Policy\n"


def first_version(run, mini) -> None:
    result = run(*RATIFY, "--source", mini, "--date", "2026-01-10", "--by", "Ann Chair, Chair of Governors",
                 "--summary", "First", "--version", "2.0")
    assert result.code == 0, result.err


def test_reasons_reach_the_redline_its_summary_and_the_table_of_changes(mini, run, tmp_path):
    first_version(run, mini)
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, *REWORD)
    edit(policy, *DROP_EYFS)
    policy.write_text(policy.read_text() + WHY_DROPPED)

    html = diff(run, mini, tmp_path / "out", "2.0", "draft", "html").read_text(encoding="utf-8")
    summary = html.split('<section class="redline-text"')[0]
    assert "Why these changes are proposed" in summary
    assert "<strong>1.3:</strong> Staff asked for a rule without exceptions" in summary
    assert "(proposed by Head of HR)" in summary
    assert "<strong>1.4 (removed):</strong> Learning journals are now covered by the Photography Policy" in summary
    clause = html.split("Wording changed:")[1].split("</div>")[0]  # beside the change itself
    assert '<span class="reason-label">Why:</span> Staff asked for a rule without exceptions' in clause

    # The draft's table of changes says why, before anyone ratifies.
    [pending] = [e for e in history(mini).current.history if e.date is None]
    assert "Staff asked for a rule without exceptions (proposed by Head of HR)" in pending.summary
    assert pending.owner == "Head of HR"

    # Ratified with no --summary: the reasons are the summary, the proposer the owner.
    result = run(*RATIFY, "--source", mini, "--date", "2026-02-01", "--by", "Ann Chair, Chair of Governors")
    assert result.code == 0, result.err
    snap = yaml.safe_load(next((mini / "snapshots").rglob("3.0.yaml")).read_text())
    assert snap["summary"] == ("1.3: Staff asked for a rule without exceptions (proposed by Head of HR); "
                               "1.4 (removed): Learning journals are now covered by the Photography Policy")
    assert snap["owner"] == "Head of HR"
    row = next(e for e in history(mini).current.history if e.version == "3.0")
    assert row.summary == snap["summary"]

    # A reason left in place belongs to the version it explained: a later edit of the same
    # clause without a new reason does not repeat it.
    edit(policy, "You must never use social media to:", "You must never, at any time, use social media to:")
    later = diff(run, mini, tmp_path / "out2", "3.0", "draft", "html").read_text(encoding="utf-8")
    assert "Staff asked for a rule" not in later and "Why these changes" not in later


def test_ratify_without_summary_asks_for_one_when_a_change_has_no_reason(mini, run):
    first_version(run, mini)
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, *REWORD)
    edit(policy, *DROP_EYFS)  # removed, with no reason given
    result = run(*RATIFY, "--source", mini, "--date", "2026-02-01", "--by", "Ann Chair, Chair of Governors")
    assert result.code == 2
    assert "--summary" in result.err and "change: {reason" in result.err
    assert not list((mini / "snapshots").rglob("3.0.yaml"))


def test_a_misspelt_change_key_is_a_located_error(mini, run):
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, *REWORD)
    edit(policy, "change: {reason:", "change: {resaon:")
    result = run("validate", "--source", mini)
    assert result.code == 1
    assert "social-media.yaml:" in result.err and "resaon" in result.err


PLACEHOLDERS = ('text: "You must not use social media to:"', 'text: "You must never use social media to:"\n'
                '        change: {reason: "The {{ role.headteacher }} of {{ school.name }} asked for **no** '
                'exceptions", by: "{{ role.dsl }}"}')


def test_a_misspelt_name_in_a_reason_is_located_with_did_you_mean(mini, run):
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, *PLACEHOLDERS)
    edit(policy, "{{ role.headteacher }}", "{{ role.headteachr }}")
    policy.write_text(policy.read_text() + "reasons:\n  eyfs: Now in the {{ term.pupil }} photography policy\n")
    school = mini / "schools" / "oak-primary.yaml"
    edit(school, "    options: {personal_use: forbidden}\n",
         "    options: {personal_use: forbidden}\n    reasons:\n      golden: {reason: \"As the {{ role.chiar }} asked\"}\n")
    result = run("validate", "--source", mini)
    assert result.code == 1 and "Traceback" not in result.err
    lines = policy.read_text().splitlines()
    row = next(i for i, line in enumerate(lines, 1) if "role.headteachr" in line)
    col = lines[row - 1].index("{{ role.headteachr }}") + 1
    assert (f"policies/social-media.yaml:{row}:{col}: unknown placeholder {{{{ role.headteachr }}}} "
            f"(in the reason for changing 'breaches')\n    hint: did you mean '{{{{ role.headteacher }}}}'?") in result.err
    row = next(i for i, line in enumerate(lines, 1) if "term.pupil " in line)
    assert f"policies/social-media.yaml:{row}:" in result.err and "did you mean '{{ term.pupils }}'?" in result.err
    row = next(i for i, line in enumerate(school.read_text().splitlines(), 1) if "role.chiar" in line)
    assert f"schools/oak-primary.yaml:{row}:" in result.err and "did you mean '{{ role.chair }}'?" in result.err


def test_a_cross_reference_or_an_unsafe_link_in_a_reason_is_a_located_error(mini, run):
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, *REWORD)
    edit(policy, "Staff asked for a rule without exceptions", "\"As [[golden]] says, see [this](javascript:alert(1))\"")
    result = run("validate", "--source", mini)
    assert result.code == 1
    assert re.search(r"social-media\.yaml:\d+:\d+: a cross-reference \[\[golden\]\] cannot be used in a reason",
                     result.err)
    assert re.search(r"social-media\.yaml:\d+:\d+: a link to a 'javascript:' address is not allowed", result.err)


def test_a_reasons_placeholders_are_filled_and_its_markup_shown_wherever_it_is(mini, run, tmp_path):
    first_version(run, mini)
    policy = mini / "policies" / "social-media.yaml"
    edit(policy, *PLACEHOLDERS)
    words = "The Headteacher of Oak Primary School asked for <strong>no</strong> exceptions"

    out = tmp_path / "out"
    assert run("build", "--source", mini, "--output", out, "--format", "html", "--today", TODAY).code == 0
    redline = (out / "review" / "oak-primary" / "changes" / "social-media-2.0-to-draft.html").read_text()
    pack = (out / "review" / "oak-primary" / "social-media-review-pack.html").read_text()
    draft = (out / "review" / "oak-primary" / "social-media.html").read_text()
    for page in (redline, pack):
        summary, clause = page.split("Why these changes are proposed")[1].split("Wording changed:", 1)
        assert f"<strong>1.3:</strong> {words} <span class=\"proposer\">(proposed by Designated Safeguarding Lead)" \
            in summary  # the governors' summary
        assert f'<span class="reason-label">Why:</span> {words}' in clause  # beside the change
    assert f"1.3: {words} (proposed by Designated Safeguarding Lead)" in draft  # its table of changes
    for page in (redline, pack, draft):
        assert "{{" not in page and "**" not in page

    word = diff(run, mini, tmp_path / "word", "2.0", "draft", "docx")
    with zipfile.ZipFile(word) as docx:
        comments = docx.read("word/comments.xml").decode("utf-8")
        body = docx.read("word/document.xml").decode("utf-8")
    plain = "The Headteacher of Oak Primary School asked for no exceptions"
    assert f"Why: {plain} (proposed by Designated Safeguarding Lead)" in comments
    assert plain in body and "{{" not in comments + body and "**" not in comments + body

    result = run(*RATIFY, "--source", mini, "--date", "2026-02-01", "--by", "Ann Chair, Chair of Governors")
    assert result.code == 0, result.err
    snap = yaml.safe_load(next((mini / "snapshots").rglob("2.1.yaml")).read_text())
    assert snap["summary"] == ("1.3: The Headteacher of Oak Primary School asked for **no** exceptions "
                               "(proposed by Designated Safeguarding Lead)")
    assert snap["owner"] == "Designated Safeguarding Lead"
