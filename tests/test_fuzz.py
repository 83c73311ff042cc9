"""A short, reproducible fuzzing run: generated and mutated source trees keep the rule.

The same cases on every run (derandomized, no example database), so a failure in CI can
be reproduced; scripts/fuzz.py --minutes N runs new cases for as long as asked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_generated_and_mutated_trees_end_in_exit_0_or_a_located_error(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--examples", "12", "--derandomize",
         "--pdf-share", "0.2", "--keep", str(tmp_path / "failures")],
        cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fuzz: 12 case(s)" in result.stdout and "0 failure(s)" in result.stdout
    newer = re.search(r"(\d+) newer keys", result.stdout)
    assert newer and int(newer.group(1)) > 0, result.stdout  # change:, reasons:, meets:, [[other-policy]] ...
