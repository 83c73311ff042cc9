"""The quick commands load no PDF or Word library (#21.5): `--version` answers at once, and
WeasyPrint, pikepdf and python-docx are imported only when a format needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("weasyprint", "pikepdf", "docx")
PROBE = """
import json, sys
from policyc.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps([m for m in {heavy!r} if m in sys.modules]), file=sys.stderr)
"""


def _loaded(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("validate", "--source", "policy_src"),
                                  ("status", "--source", "policy_src", "--today", "2026-11-22")])
def test_quick_commands_load_no_pdf_or_word_library(args):
    assert _loaded(*args) == []


def test_the_libraries_are_loaded_when_a_format_needs_them(mini, tmp_path):
    # the probe is not blind: a PDF and Word build (of one small policy: any will do) does load them
    assert _loaded("build", "--source", str(mini), "--output", str(tmp_path / "out"), "--today", "2026-11-22",
                   "--format", "pdf,docx", "-q", "--jobs", "1") == list(HEAVY)
    assert (tmp_path / "out" / "oak-primary" / "social-media.pdf").is_file()


def test_python_m_policyc_version_imports_none_of_them():
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "policyc", "--version"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0 and done.stdout.startswith("policyc ")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "policyc.cli" in imported and not imported & set(HEAVY)


def test_version_and_help_import_no_stage_of_the_build():
    """`--version` and `--help` build the parser and nothing more: no command's module, no
    schema checker, no Markdown parser, no templates (benchmarks/serve.py times the start)."""
    for args in (("--version",), ("--help",)):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "policyc", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr[-2000:]
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "policyc.cli.parser" in imported
        assert not imported & {"policyc.pipeline", "policyc.model", "jsonschema", "markdown_it", "jinja2",
                               "policyc.cli.build", "policyc.source.load"}, args
