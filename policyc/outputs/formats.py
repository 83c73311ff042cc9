"""The formats a build can write, one row each: everything else asks this table.

A row names its writers as text ("module:function") and nothing here imports them: the
PDF and Word libraries take seconds to load, so `policyc --version`, `--help`, `validate`
and `status` never do. The build's writer table (pipeline.WRITERS) and the redline
(render/writers.redline_files) import a writer when its format is first written; the
engine itself only reads the row's facts (its suffix, whether its bytes hold the build date,
what a document costs to render).

Each format gives up to three kinds of output, each a key of pipeline.WRITERS: the policy
itself (the format's name: "pdf"), the redline of what changed ("redline-pdf") and the
review pack ("pack-pdf"). Adding a format is one row here (`register` for one made
elsewhere, as the tests do) and the module holding its writers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Optional

POLICY, REDLINE, PACK = "policy", "redline", "pack"


@dataclass(frozen=True, kw_only=True)
class Format:
    name: str  # as --format takes it
    suffix: str  # the files' ending, without the dot
    description: str = ""  # what --help adds to its name: "Word"
    redline_description: str = ""  # and, for `policyc diff`, to the name of its redline
    policy: str  # the writer of a policy document: (Output, Context) -> None, as "module:function"
    redline: str = ""  # the redline's bytes: (writers.RedlineJob) -> bytes; "" when the format has none
    pack: str = ""  # the writer of a review pack: (Output, Context) -> None; "" for none
    in_all: bool = False  # part of --format all, the default build
    dated: bool = False  # a policy's and a redline's bytes hold the build date (a review pack's always do)
    reads_history: bool = False  # a policy document reads its history (the versions a page links to)
    cost: tuple[int, int] = (1, 0)  # rendering price per part and block of the policy, and fixed: see executors.cost
    download: str = ""  # the words of a policy page's link to this format's copy of it; "" for no link
    download_when: str = ""  # a ResolvedPolicy flag a public page needs to link it (the review area always does)
    libraries: tuple[str, ...] = ()  # distributions whose version can change this format's bytes
    uses_assets: bool = False  # its files link the stylesheet and fonts beside them


FORMATS: list[Format] = [
    Format(name="html", suffix="html", in_all=True, reads_history=True, uses_assets=True,
           policy="policyc.render.writers:write_html", redline="policyc.render.writers:redline_html",
           pack="policyc.render.pack:write_pack_html"),
    Format(name="pdf", suffix="pdf", in_all=True, cost=(12, 240),
           policy="policyc.render.writers:write_pdf", redline="policyc.render.writers:redline_pdf",
           pack="policyc.render.pack:write_pack_pdf", download="Download or print this policy (PDF)",
           libraries=("weasyprint", "pydyf", "pikepdf", "fonttools", "tinycss2", "cssselect2")),
    Format(name="docx", suffix="docx", description="Word", redline_description="Word, with tracked changes",
           dated=True,
           policy="policyc.render.writers:write_docx", redline="policyc.render.writers:redline_docx",
           download="Download this policy to edit in Word (DOCX)", download_when="word_download",
           libraries=("python-docx", "lxml", "cairosvg")),
]


# The formats the site's indexes and registers describe: each policy's page, and the copy to
# print beside it, with its size (the register's fields "html", "pdf" and "pdf_bytes").
PAGE, PRINTED = "html", "pdf"


def register(row: Format) -> None:
    """Add a format made outside this module (a plug-in's, a test's)."""
    if any(f.name == row.name for f in FORMATS):
        raise ValueError(f"there is a format called {row.name} already")
    FORMATS.append(row)


def unregister(name: str) -> None:
    FORMATS[:] = [f for f in FORMATS if f.name != name]


def names() -> tuple[str, ...]:
    return tuple(f.name for f in FORMATS)


def default() -> tuple[str, ...]:
    """What --format all, and a build given no formats, writes."""
    return tuple(f.name for f in FORMATS if f.in_all)


def get(name: str) -> Format:
    return next(f for f in FORMATS if f.name == name)


def of_suffix(suffix: str) -> Optional[str]:
    """The format whose files end so (".pdf" -> "pdf"), or None."""
    return next((f.name for f in FORMATS if f".{f.suffix}" == suffix), None)


def kinds(fmt: Format) -> dict[str, str]:
    """The output kinds (keys of pipeline.WRITERS) of one format, each with its writer's name."""
    found = {fmt.name: fmt.policy}
    if fmt.pack:
        found[f"pack-{fmt.name}"] = fmt.pack
    return found


def of_output(kind: str) -> Optional[tuple[Format, str]]:
    """The format and kind (POLICY, REDLINE or PACK) of an output kind: "redline-pdf" -> pdf,
    REDLINE; None for the assets and the site's files, which belong to no format."""
    for fmt in FORMATS:
        if kind == fmt.name:
            return fmt, POLICY
        if kind == f"redline-{fmt.name}" and fmt.redline:
            return fmt, REDLINE
        if kind == f"pack-{fmt.name}" and fmt.pack:
            return fmt, PACK
    return None


def dated(kind: str) -> bool:
    """Whether an output's bytes hold the build date itself, so its key holds it too: a Word
    file's properties and tracked changes, and the date a review pack was prepared."""
    found = of_output(kind)
    return found is not None and (found[1] == PACK or found[0].dated)


def load(dotted: str) -> Any:
    """The writer a row names, imported now: called by the writers' tables, never at start-up."""
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)
