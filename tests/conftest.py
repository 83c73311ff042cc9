"""Shared fixtures: small source folders written inline, and a CLI runner."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from policyc.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "policy_src"
SEEDS = Path(__file__).resolve().parent / "seeds"

TRUST = """\
name: Test Trust
approving_body: Local Governing Body
roles: {headteacher: Headteacher, dsl: Designated Safeguarding Lead, chair: Chair of Governors}
terms: {staff: staff, pupils: pupils}
"""

POLICY = """\
id: social-media
title: Staff Social Media Policy
numbering: "1.1 (a)"
options:
  personal_use:
    label: Personal use at work
    default: occasional
    choices: {forbidden: Not allowed, occasional: Occasionally}
sections:
  - id: about
    kind: scope
    title: About this policy
    clauses:
      - id: purpose
        text: This policy protects {{ school.name }} and its {{ term.pupils }}. See paragraph [[personal-use]].
      - id: personal-use
        option: personal_use
        choices:
          forbidden: {text: "Personal use of social media at work is not allowed."}
          occasional: {text: "Occasional personal use is allowed in breaks."}
      - id: breaches
        text: "You must not use social media to:"
        items: [breach our ICT policies;, breach our Staff Code of Conduct.]
      - id: eyfs
        phases: [nursery, primary]
        text: Photographs in learning journals are taken on school devices only.
  - id: principles
    kind: principles
    title: Key principles
    clauses:
      - id: golden
        title: The golden principles
        duties:
          must: {lead: "An individual is under a duty to:", items: [Maintain proper professional boundaries]}
          must_not: {lead: "An individual is under a duty not to:", items: [Bring the school into disrepute]}
  - id: reporting
    kind: incidents
    title: Reporting concerns
    clauses:
      - id: tell-dsl
        text: Tell the {{ role.dsl }} at once.
        clauses:
          - id: tell-dsl-how
            text: In person or by email.
  - id: changes
    kind: changes
    title: Appendix 1 – Table of changes
    numbered: false
history:
  - {date: 2020-09-16, paragraphs: All, summary: Social networking renamed social media.}
"""

SCHOOL = """\
name: Oak Primary School
phase: primary
roles: {dsl: {name: Jo Bloggs}}
policies:
  social-media:
    options: {personal_use: forbidden}
    ratification:
      status: ratified
      date: 2026-10-01
      version: 1.10
      signatories: [{name: Ann Chair, role: Chair of Governors}]
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small but complete source folder: one trust, one policy, one school."""
    return write_tree(tmp_path / "src", {
        "trust.yaml": TRUST, "policies/social-media.yaml": POLICY, "schools/oak-primary.yaml": SCHOOL,
    })


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys):
    def _run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)
    return _run


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example trust built once for the whole session (HTML and PDF)."""
    out = tmp_path_factory.mktemp("example") / "output"
    assert main(["--source", str(EXAMPLE), "--output", str(out), "--today", "2026-11-22", "-q"]) == 0
    return out


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
