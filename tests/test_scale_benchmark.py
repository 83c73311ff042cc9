"""The scale benchmark runs, and what it reports adds up (its timings are not checked here)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow


def test_the_scale_benchmark_reports_true_counts(tmp_path):
    figures = tmp_path / "scale.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/scale.py"), "--schools", "2", "--policies", "2",
                           "--sample", "1", "--json", str(figures)], capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr
    r = json.loads(figures.read_text())
    cold = r["cold"]
    assert cold["rendered"] == cold["documents"] > 0 and cold["reused"] == 0
    assert r["unchanged"]["rendered"] == 0 == r["unchanged"]["changed"]
    assert r["unchanged"]["reused"] == cold["documents"]
    for step in ("clause_edit", "school_edit"):  # exactly the documents whose bytes changed are rendered
        assert 0 < r[step]["rendered"] == r[step]["changed"] < cold["documents"], step
        assert r[step]["rendered"] + r[step]["reused"] == cold["documents"]
    assert r["dask"]["identical"] and r["dask"]["rendered"] == cold["rendered"]
    assert r["one_process"]["rendered"] == r["processes"]["rendered"]
    assert all(size > 10 for size in cold["peaks_mb"])
    assert "× the baseline" in done.stdout and "of cold" in done.stdout
    # every rendered document was timed on its worker, and a rebuild's share of the cold
    # build's rendering time is a true fraction of it
    assert len(cold["render_seconds"]) == cold["rendered"] and all(t > 0 for t in cold["render_seconds"].values())
    edit = r["clause_edit"]
    assert len(edit["render_seconds"]) == edit["rendered"]
    share = re.search(r"model clause edited: .*?([0-9.]+)% of the cold build's rendering time", done.stdout)
    assert share and 0 < float(share.group(1)) < 100
    assert re.search(r"^targets: .*nothing changed ≤ 1% of cold [✓✗]", done.stdout, re.M)


def test_the_one_document_profile_reports_its_stages_and_layout_passes():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/profile_one.py"), "--repeat", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "WeasyPrint layout (all passes)" in done.stdout and "policyc finishing pass" in done.stdout
    passes = int(re.search(r"layout passes: (\d+)", done.stdout).group(1))
    assert passes >= 2  # the contents' page numbers and "Page X of Y" need a second layout
