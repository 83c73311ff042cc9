"""Find the trust's sources the way git and mkdocs find theirs: here, or in a folder above.

Why: policyc is installed as a tool and run from wherever the trust keeps its policies,
so nothing may be looked up next to the installed package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from policyc.errors import UsageError

SOURCE_NAME = "policy_src"


def find_source(start: Optional[Path] = None) -> Path:
    """`policy_src/` in `start` or the nearest folder above it, or a folder holding trust.yaml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SOURCE_NAME / "trust.yaml").is_file():
            return folder / SOURCE_NAME
        if (folder / "trust.yaml").is_file():
            return folder
    raise UsageError(f"no trust's sources in {here} or in any folder above it: "
                    f"looked for {SOURCE_NAME}/trust.yaml and trust.yaml. Run the command inside the trust's "
                    f"project folder, give --source FOLDER, or make a new project with 'policyc init FOLDER'")


def default_output(source: Path) -> Path:
    """`output/` beside the sources: in the project folder that holds policy_src/."""
    source = Path(source).resolve()
    return source.parent / "output"


def resolve_source(given: Path) -> Path:
    """`--source` names the sources, or the project folder that holds `policy_src/`."""
    if not (given / "trust.yaml").exists() and (given / SOURCE_NAME / "trust.yaml").is_file():
        return given / SOURCE_NAME
    return given
