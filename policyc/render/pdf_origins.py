"""Which HTML element each structure element of a WeasyPrint PDF was made from.

WeasyPrint builds the structure tree page by page and forgets the HTML behind it, so a
section, list or table that crosses a page break comes out as one element per page, and
nothing says which elements are the watermark or a contents entry's leaders. While a PDF
is written, this module watches WeasyPrint's tree builder and records, for each structure
element's object number, the HTML element (and pseudo-element) it stands for. The
finishing pass (pdf_tree) reads that record to mend the tree. It relies on a private
function of WeasyPrint's: importing this module fails with a message naming the WeasyPrint
to install if that function is missing or has changed its parameters, and render_pdf
fails loudly if it is no longer called.
"""

from __future__ import annotations

import inspect
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

import weasyprint
from weasyprint.layout.absolute import AbsolutePlaceholder

# The private function watched, and the parameters it had in the WeasyPrint that
# pyproject.toml pins (the major version the tests ran on).
WATCHED = "weasyprint.pdf.tags._build_box_tree"
_PARAMETERS = ("box", "parent", "pdf", "page_number", "nums", "annotations", "tags")


def watched_function(tags_module):
    """WeasyPrint's tree builder, or an ImportError that says which version policyc needs."""
    build = getattr(tags_module, "_build_box_tree", None)
    found = tuple(inspect.signature(build).parameters) if callable(build) else None
    if found != _PARAMETERS:
        what = "lacks it" if not callable(build) else f"has it with other parameters {found}"
        raise ImportError(
            f"policyc's PDF structure repair watches WeasyPrint's private {WATCHED}{_PARAMETERS}, and "
            f"the installed WeasyPrint {weasyprint.__version__} {what}; install the WeasyPrint "
            "that pyproject.toml pins (pip install 'weasyprint>=70,<71')")
    return build


try:
    from weasyprint.pdf import tags as _tags
except ImportError as exc:  # a WeasyPrint without its tagged-PDF module
    raise ImportError(f"policyc needs WeasyPrint 70 (pyproject.toml pins 'weasyprint>=70,<71'), "
                      f"not {weasyprint.__version__}: {exc}") from None

_BUILD = watched_function(_tags)
_STATE = threading.local()


@dataclass(frozen=True)
class Origin:
    """The HTML behind one structure element."""

    key: int  # the same for every piece of one HTML element (or pseudo-element)
    tag: str  # "section", "a", "a::after", ...
    classes: frozenset
    href: str
    text: str  # the element's visible words, spaces collapsed
    title: str  # the title attribute, if any
    box: str  # WeasyPrint's box type: "LeaderBox" for leader() content


def _watch(box, parent, pdf, page_number, nums, annotations, tags):
    origins: Optional[dict] = getattr(_STATE, "origins", None)
    source = box._box if isinstance(box, AbsolutePlaceholder) else box
    for element in _BUILD(box, parent, pdf, page_number, nums, annotations, tags):
        if origins is not None and source.element is not None:
            if element.number not in origins:  # the innermost call knows the element's own box
                origins[element.number] = _origin(source, origins)
        yield element


def _origin(box, origins: dict) -> Origin:
    keys = origins.setdefault("keys", {})
    tag = box.element_tag or ""
    html = box.element
    key = keys.setdefault((html, tag), len(keys))
    text = re.sub(r"\s+", " ", "".join(html.itertext())).strip() if "::" not in tag else ""
    return Origin(key, tag, frozenset((html.get("class") or "").split()), html.get("href") or "",
                  text, html.get("title") or "", type(box).__name__)


_tags._build_box_tree = _watch


@contextmanager
def recording() -> Iterator[dict[int, Origin]]:
    """Collects {object number: Origin} for the PDF written inside the block."""
    found: dict = {}
    _STATE.origins = found
    try:
        yield found
    finally:
        _STATE.origins = None
        found.pop("keys", None)
