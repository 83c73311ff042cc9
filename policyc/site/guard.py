"""Refuse an output folder that would put the user's own files at risk, before anything is touched.

Why: a build replaces its output folder as a whole. Pointed at the sources, at a folder
holding them, or at a folder of someone's documents, that swap would delete them. The
output folder is therefore checked against every folder the compiler reads, and an
existing folder is replaced only if a previous build made it (it carries MARKER).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from policyc.errors import UsageError, display_path
from policyc.outputs.layout import ASSETS, TRUST_INDEX
from policyc.resources import SCHEMA_DIR, TEMPLATE_DIR

MARKER = ".policyc-output"
MARKER_TEXT = ("This folder is made by policyc. Each build replaces the files it made (listed in\n"
               ".policyc-manifest.json) and keeps every other file as it was.\n")


def _overlap(a: Path, b: Path) -> str:
    if a == b:
        return "is"
    if b in a.parents:
        return "is inside"
    if a in b.parents:
        return "holds"
    return ""


def check_output_folder(output: Path, source: Path, purpose: str = "output folder", replaced: bool = True) -> None:
    """Raise UserError unless `output` is safe to write into (and, if `replaced`, to replace as a whole)."""
    out = Path(output).resolve()
    protected: Iterable[tuple[Path, str]] = (
        (Path(source).resolve(), "the source folder"),
        (TEMPLATE_DIR.resolve(), "policyc's templates"),
        (SCHEMA_DIR.resolve(), "policyc's schemas"),
        (Path(__file__).resolve().parent.parent, "policyc itself"),
    )
    for folder, name in protected:
        how = _overlap(out, folder)
        if how:
            raise UsageError(f"the {purpose} {display_path(out)} {how} {name} ({display_path(folder)}); "
                            f"policyc writes its {purpose} itself, so it must be a folder of its own, such as {display_path(Path(source).resolve().parent / 'output')}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"the {purpose} {display_path(out)} is a file, not a folder")
    if replaced and out.is_dir() and not made_by_policyc(out):
        raise UsageError(f"the {purpose} {display_path(out)} already holds files that policyc did not make; "
                        f"a build replaces its {purpose} as a whole, so choose a new or empty folder")


def made_by_policyc(folder: Path) -> bool:
    """Empty, marked by an earlier build, or an output of the versions before the marker."""
    if (folder / MARKER).is_file() or not any(folder.iterdir()):
        return True
    return (folder / TRUST_INDEX).is_file() and (folder / ASSETS / "policy.css").is_file()


def claim(output: Path) -> None:
    """Mark a new or empty output folder as policyc's before a command other than build writes
    into it (diff, as-of), so that a later build may still replace what it makes there."""
    out = Path(output)
    if not out.is_dir() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
