"""Mends WeasyPrint's page-by-page structure tree into one tree for the whole document.

What it does, knowing from pdf_origins which HTML element each structure element is:
pieces of one element cut by page breaks become one element again; page furniture
(running footer, DRAFT watermark, repeated table headers, contents leaders and page
numbers) leaves the tree and is listed as an Artifact of its kind; a contents entry keeps
one Link and one annotation; every link annotation is described by its words; a
section without a heading of its own is a plain division; and a redline's insertions and
deletions are read as "[inserted: …]" and "[deleted: …]" (their ActualText), words the
page does not print.
"""

from __future__ import annotations

from typing import Iterator, Optional

import pikepdf
from pikepdf import Array, Dictionary, Name

from policyc.render.pdf_origins import Origin

Artifacts = dict[tuple[tuple[int, int], int], str]  # (page objgen, MCID) -> artifact type
HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


def is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def kids(node) -> list:
    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def marked_content(node) -> Iterator[tuple[tuple[int, int], int]]:
    """(page objgen, MCID) of every piece of content in a subtree."""
    page = node.get("/Pg")
    for kid in kids(node):
        if isinstance(kid, int):
            yield page.objgen, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield kid.Pg.objgen, int(kid.MCID)
        elif is_element(kid):
            yield from marked_content(kid)


def annotations(node) -> Iterator[pikepdf.Dictionary]:
    for kid in kids(node):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            yield kid.Obj
        elif is_element(kid):
            yield from annotations(kid)


class Mender:
    def __init__(self, pdf: pikepdf.Pdf, origins: dict[int, Origin]) -> None:
        self.pdf = pdf
        self.origins = origins
        self.artifacts: Artifacts = {}
        self.dropped_annotations: set[tuple[int, int]] = set()

    def origin(self, node) -> Optional[Origin]:
        return self.origins.get(node.objgen[0]) if is_element(node) else None

    def mend(self) -> Artifacts:
        root = self.pdf.Root.StructTreeRoot
        self._margins(root)
        document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        self._furniture(document)
        self._join(document)
        self._describe_links(document)
        self._retag(document)
        for page in self.pdf.pages:
            if "/Annots" in page:
                page.Annots = Array([a for a in page.Annots if a.objgen not in self.dropped_annotations])
        return self.artifacts

    def _margins(self, root) -> None:
        """Page-margin boxes (running header and footer): WeasyPrint maps their content to
        elements that hang from no parent in the tree."""
        reachable = set()
        stack = [root]
        while stack:
            node = stack.pop()
            for kid in kids(node):
                if is_element(kid) and kid.objgen not in reachable:
                    reachable.add(kid.objgen)
                    stack.append(kid)
        nums = list(root.ParentTree.get("/Nums", []))
        pages = [p.objgen for p in self.pdf.pages]
        for index, value in zip(nums[::2], nums[1::2]):
            if int(index) < len(pages) and isinstance(value, pikepdf.Array):
                for mcid, owner in enumerate(value):
                    if is_element(owner) and owner.objgen not in reachable:
                        self.artifacts[(pages[int(index)], mcid)] = "Pagination"

    def _join(self, node) -> None:
        """Consecutive pieces of one HTML element become one element; a table's header
        rows repeated on a new page are furniture."""
        out: list = []
        for kid in kids(node):
            here = self.origin(kid)
            previous = out[-1] if out else None
            if here and kid.S in ("/THead", "/TFoot") and any(
                    (o := self.origin(x)) and o.key == here.key for x in out):
                self._to_artifact(kid, "Pagination")
                continue
            if here and is_element(previous) and kid.S == previous.S and (o := self.origin(previous)) and o.key == here.key:
                self._absorb(previous, kid)
                continue
            out.append(kid)
        node.K = Array(out)
        for kid in out:
            if is_element(kid):
                self._join(kid)

    @staticmethod
    def _absorb(first, piece) -> None:
        page, first_page = piece.get("/Pg"), first.get("/Pg")
        for kid in kids(piece):
            if isinstance(kid, int) and page is not None and (first_page is None or page.objgen != first_page.objgen):
                kid = Dictionary(Type=Name.MCR, Pg=page, MCID=kid)
            elif is_element(kid):
                kid.P = first
            first.K.append(kid)

    def _to_artifact(self, node, kind: str) -> None:
        for where in marked_content(node):
            self.artifacts[where] = kind
        for annotation in annotations(node):
            self.dropped_annotations.add(annotation.objgen)

    def _furniture(self, node) -> None:
        out = []
        signing = False
        for kid in kids(node):
            here = self.origin(kid)
            if here and "watermark" in here.classes:
                self._to_artifact(kid, "Watermark")
                continue
            if here and here.classes & {"sign-line", "write-here", "tick-box"}:  # lines and boxes to fill in by hand: layout, not words
                self._to_artifact(kid, "Layout")
                signing = True
                continue
            if here and here.tag.endswith("::after") and kid.S == "/Link":
                self._leaders(kid)
                continue
            if is_element(kid):
                self._furniture(kid)
            out.append(kid)
        node.K = Array(out)
        if signing and not out:  # a cell that is only a line to fill in: say so, as the HTML does
            node.Alt = pikepdf.String("blank line, to fill in by hand")

    def _leaders(self, after) -> None:
        """A contents entry's generated leader(". ") and target-counter: the leaders are
        Layout, the page number Pagination; neither gets a link of its own."""
        self._to_artifact(after, "Layout")
        page = after.get("/Pg")
        for kid in kids(after):
            if isinstance(kid, int):
                self.artifacts[(page.objgen, int(kid))] = "Pagination"

    def _describe_links(self, node) -> None:
        for kid in kids(node):
            if not is_element(kid):
                continue
            here = self.origin(kid)
            if kid.S == "/Link" and here:
                words = describe(here)
                for annotation in self._one_per_page(kid):
                    annotation.Contents = pikepdf.String(words)
            self._describe_links(kid)

    def _one_per_page(self, link) -> list[pikepdf.Dictionary]:
        """A link wrapped over two lines is one annotation on its page: the first, spread
        over both lines (QuadPoints, and a Rect around them all)."""
        kept: dict[tuple[int, int], pikepdf.Dictionary] = {}
        out = []
        for kid in kids(link):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                annotation = kid.Obj
                page = kid.Pg.objgen
                if page in kept:
                    _spread(kept[page], annotation)
                    self.dropped_annotations.add(annotation.objgen)
                    continue
                kept[page] = annotation
            out.append(kid)
        link.K = Array(out)
        return list(kept.values())

    def _retag(self, node) -> None:
        for kid in kids(node):
            if not is_element(kid):
                continue
            if kid.S == "/LI":
                self._label(kid)
            here = self.origin(kid)
            if here and here.tag in ("ins", "del"):  # its "[inserted: …]" is not printed: it is read
                kid.ActualText = pikepdf.String(here.text)
            if kid.S == "/Sect":
                first = next((k for k in kids(kid) if is_element(k)), None)
                if first is None or first.S not in HEADINGS:
                    kid.S = Name.Div
            self._retag(kid)


    def _label(self, item) -> None:
        """An item's marker (<span class="marker">) leaves the item's body to be its Lbl."""
        body = next((k for k in kids(item) if is_element(k) and k.S == "/LBody"), None)
        first = next((k for k in kids(body) if is_element(k)), None) if body is not None else None
        here = self.origin(first)
        if first is None or not here or "marker" not in here.classes or kids(body)[0].objgen != first.objgen:
            return
        first.S = Name.Lbl
        first.P = item
        body.K = Array(kids(body)[1:])
        out = []
        for kid in kids(item):
            if is_element(kid) and kid.objgen == body.objgen:
                out.append(first)
            out.append(kid)
        item.K = Array(out)


def _quad(rect) -> list[float]:
    x1, y1, x2, y2 = (float(v) for v in rect)
    x1, x2, y1, y2 = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return [x1, y2, x2, y2, x1, y1, x2, y1]


def _spread(annotation, extra) -> None:
    quads = [float(v) for v in annotation.get("/QuadPoints", _quad(annotation.Rect))] + _quad(extra.Rect)
    xs, ys = quads[0::2], quads[1::2]
    annotation.QuadPoints = Array(quads)
    annotation.Rect = Array([min(xs), min(ys), max(xs), max(ys)])


def describe(link: Origin) -> str:
    """A link's description: its words, or what lies behind a bare address."""
    href, text = link.href, link.text
    if href.startswith("mailto:"):
        address = href[len("mailto:"):]
        return f"email {address}" if text in ("", address, href) else text
    if link.title and (not text or text == href or text.startswith(("http://", "https://", "www."))):
        return link.title
    return text or link.title or href
