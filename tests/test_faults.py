"""A command killed outright at any write leaves the previous state or the new one whole: the fault-injection suite.

Build, ratify of several schools, and import of a real document, each killed (SIGKILL) just
before its Nth write to the file system, N drawn from a fixed seed (tests/faults.py says how).
scripts/faults.py runs hundreds of such moments with any seed.
"""

from __future__ import annotations

import random

import pytest

from tests.faults import COMMANDS, baseline, moments, try_point

pytestmark = pytest.mark.slow
SEED = 26
PER_COMMAND = 12


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_killed_at_any_write_the_state_is_before_or_after_and_the_next_run_succeeds(command, tmp_path):
    work = tmp_path / "work"
    base = baseline(command, work, tmp_path / "templates")
    points = [try_point(base, work, at) for at in moments(base, PER_COMMAND, random.Random(SEED))]
    failed = [f"killed at write {p.at} of {base.writes}: " + "; ".join(p.problems) for p in points if p.problems]
    assert not failed, "\n".join(failed)
    outcomes = {p.outcome for p in points}
    assert "before" in outcomes  # the first write is always among them: nothing of the command is left
    if command.writes_sources:
        assert "after" in outcomes, outcomes  # the last is too: the command finished by the next one
