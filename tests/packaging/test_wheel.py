"""Installed as a trust installs it: the wheel in a fresh virtual environment, run from an unrelated folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("pyproject.toml", "README.md", "policyc", "templates", "schemas", "policy_src")


def _run(*args, cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the repository (nothing is written into the checkout)."""
    copy = tmp_path_factory.mktemp("checkout")
    for name in SHIPPED:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(origin, copy / name)
    dist = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, copy, cwd=copy)
    [built] = dist.glob("policyc-*.whl")
    return built


def test_the_wheel_carries_every_module_template_schema_font_and_the_example(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "policyc").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    for folder, pattern in (("templates", "*"), ("schemas", "*.json"), ("policy_src", "*")):
        shipped = {p for p in (ROOT / folder).rglob(pattern) if p.is_file()}
        inside = "policyc/example" if folder == "policy_src" else f"policyc/{folder}"
        wanted = {f"{inside}/{p.relative_to(ROOT / folder)}" for p in shipped}
        assert wanted <= names, sorted(wanted - names)
    assert "policyc/starter/policy_src/trust.yaml" in names


@pytest.mark.pdf
def test_installed_in_a_fresh_venv_it_starts_validates_and_builds_a_trust_from_any_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python, policyc = venv / "bin" / "python", venv / "bin" / "policyc"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=tmp_path, env=env,
         timeout=900)
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    where = _run(python, "-c", "import policyc; print(policyc.__file__)", cwd=elsewhere, env=env).stdout
    assert where.startswith(str(venv)), where  # the venv's own copy, not the checkout's
    assert "policyc" in _run(python, "-m", "policyc", "--version", cwd=elsewhere, env=env).stdout

    _run(policyc, "init", "trust", cwd=elsewhere, env=env)
    project = elsewhere / "trust"
    assert (project / "policy_src" / "trust.yaml").is_file() and (project / "schemas" / "school.schema.json").is_file()
    assert "output/" in (project / ".gitignore").read_text()
    schools = project / "policy_src" / "schools"
    assert "no errors" in _run(policyc, "validate", cwd=schools, env=env).stdout  # found from a folder inside
    _run(policyc, "build", "-q", cwd=project, env=env)
    school = project / "output" / "review" / "our-primary-school"  # a draft: never ratified, so not public
    assert (school / "acceptable-use.pdf").read_bytes().startswith(b"%PDF")
    assert "Our Primary School" in (school / "acceptable-use.html").read_text()

    _serve_shows(policyc, project, env, "Our Primary School")

    _run(policyc, "init", "example", "--example", cwd=elsewhere, env=env)
    _run(policyc, "validate", cwd=elsewhere / "example", env=env)
    _run(policyc, "build", "--format", "html", "-q", cwd=elsewhere / "example", env=env)
    assert (elsewhere / "example" / "output" / "dashboard.html").is_file()


def _serve_shows(policyc: Path, project: Path, env: dict, wanted: str) -> None:
    """`policyc serve` from the venv (watchfiles installed as a dependency) answers over HTTP."""
    process = subprocess.Popen([str(policyc), "serve", "--port", "0"], cwd=project, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", line)
        if not match:
            process.terminate()
            raise AssertionError(line + process.communicate(timeout=30)[1])
        with urllib.request.urlopen(match.group(1) + "review/our-primary-school/acceptable-use.html", timeout=30) as page:
            assert wanted in page.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)
