"""`policyc init DIR`: a new trust project that validates and builds at once.

Why copy the schemas into the project: editors check a file against the schema its
first line names, and the installed package's path is neither stable nor short.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from policyc.errors import UsageError, display_path
from policyc.resources import EXAMPLE_DIR, SCHEMA_DIR, STARTER_DIR


def init_project(target: Path, example: bool = False) -> list[Path]:
    """Write a new project into `target` (new or empty); returns the files written."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{display_path(target)} already exists and is not empty; "
                        "policyc init makes a new project in a new or empty folder, and never overwrites files")
    plan: list[tuple[Path, Path]] = []
    sources = EXAMPLE_DIR if example else STARTER_DIR / "policy_src"
    plan += [(f, target / "policy_src" / f.relative_to(sources)) for f in _files(sources)]
    plan += [(f, target / "schemas" / f.name) for f in sorted(SCHEMA_DIR.glob("*.schema.json"))]
    plan += [(STARTER_DIR / "README.md", target / "README.md"), (STARTER_DIR / "gitignore", target / ".gitignore")]
    written = []
    for origin, destination in plan:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with open(origin, "rb") as src, open(destination, "xb") as dst:  # "x": never overwrite
            shutil.copyfileobj(src, dst)
        written.append(destination)
    return written


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
