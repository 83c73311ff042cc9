"""Shared fixtures: the small source folder, a CLI runner, the example built once. The texts
and steps the fixtures use are in tests/helpers.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from policyc.cli import main
from tests.helpers import EXAMPLE, POLICY, SCHOOL, TRUST, write_tree


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
    """The example trust built once for the whole session (HTML, PDF and Word)."""
    out = tmp_path_factory.mktemp("example") / "output"
    assert main(["--source", str(EXAMPLE), "--output", str(out), "--today", "2026-11-22", "-q"]) == 0
    return out


def pytest_collection_modifyitems(items):
    """A test on the session's example build is a PDF test, and slow: the build renders every PDF."""
    for item in items:
        if "example_output" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.pdf)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
