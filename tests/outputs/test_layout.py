"""Where outputs go (outputs/layout.py): every link it makes between planned files lands on one."""

from __future__ import annotations

import posixpath

from policyc.outputs import layout
from policyc.outputs.plan import plan_outputs
from policyc.pipeline import check_all
from tests.helpers import EXAMPLE


def _lands(source: str, link: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), link))


def test_every_page_of_the_plan_finds_its_assets_and_its_school_index():
    histories = check_all(EXAMPLE).histories
    plan = plan_outputs(histories, ("html", "pdf", "docx"))
    planned = {o.path for o in plan}
    assets = {o.path for o in plan if o.format == "assets"}
    pages = [o for o in plan if o.path.endswith(".html")]
    assert len(pages) > 20 and any(layout.in_review(o.path) for o in pages)
    assert any(o.path.startswith(f"{layout.REVIEW}/{layout.BOARD}/") for o in pages)  # the board's review pack
    for out in pages:
        assert _lands(out.path, layout.assets_for(out.path)) in assets, out.path
    for history in histories:
        policy = history.current
        index = layout.school_file(policy.school_slug, layout.SCHOOL_INDEX)
        assert index in planned
        for snap in history.snapshots:  # the register's links are relative to the school's index
            archived = layout.archive_path(policy, snap.version, "html")
            assert archived in planned and _lands(index, layout.relative(archived, index)) == archived


def test_the_diff_command_and_the_build_put_a_redline_in_the_same_place():
    histories = [h for h in check_all(EXAMPLE).histories if h.changed_since]
    assert histories
    for history in histories:
        current = history.current
        assert layout.redline_path(history, "pdf") == layout.changes_path(
            current, history.changed_since.version, "draft", "pdf")
        assert layout.assets_for(layout.redline_path(history, "html")) == "../../../" + layout.school_assets(
            current.school_slug) + "/"
