"""A strict reader of a tagged PDF's structure: what PDF/UA asks of it, checked with pikepdf.

`findings(path)` walks the structure tree and every page's content stream and lists, in
plain words, each place where the file would not read as one document: content neither
tagged nor an artifact, headings out of order, links without a matching description,
lists or tables cut in pieces, empty table cells, missing title or language, fonts a
screen reader could not turn back into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

ARTIFACT_TYPES = {"/Pagination", "/Layout", "/Watermark", "/Page", "/Background"}
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
HEADING = re.compile(r"^/H([1-6])$")


@dataclass
class Element:
    tag: str
    node: pikepdf.Dictionary
    children: list["Element"] = field(default_factory=list)
    content: list[tuple[tuple[int, int], int]] = field(default_factory=list)  # (page, MCID) in order
    annotations: list[pikepdf.Dictionary] = field(default_factory=list)
    parent: "Element | None" = None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def text(self, texts: dict) -> str:
        return _ordered_text(self, texts)


def _ordered_text(element: Element, texts: dict) -> str:
    # Content and child elements interleave in /K order.
    out = []
    for item in element._order:  # type: ignore[attr-defined]
        out.append(item.text(texts) if isinstance(item, Element) else texts.get(item, ""))
    return "".join(out)


def _cmap(font: pikepdf.Dictionary) -> tuple[int, dict[bytes, str]]:
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    table: dict[bytes, str] = {}
    if "/ToUnicode" not in font:
        return width, table
    data = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[bytes.fromhex(code)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(uni, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code.to_bytes(len(low) // 2, "big")] = chr(start + offset)
    return width, table


def _decode(raw: bytes, cmap: tuple[int, dict]) -> str:
    width, table = cmap
    return "".join(table.get(raw[i:i + width], "\ufffd") for i in range(0, len(raw), width))


@dataclass
class PageContent:
    texts: dict[int, str]  # MCID -> text
    artifact_text: list[tuple[str, str]]  # (artifact type, text)
    problems: list[str]


def read_page(page: pikepdf.Page, number: int) -> PageContent:
    fonts = {name: _cmap(font) for name, font in page.Resources.get("/Font", {}).items()}
    texts: dict[int, str] = {}
    artifacts: list[tuple[str, str]] = []
    problems: list[str] = []
    stack: list[tuple[str, object]] = []  # ("mcid", n) / ("artifact", type) / ("other", None)
    font = (1, {})
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            if tag == "/Artifact":
                kind = str(props.get("/Type", "")) if isinstance(props, pikepdf.Dictionary) else ""
                stack.append(("artifact", kind))
            elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                mcid = int(props.MCID)
                if mcid in texts:
                    problems.append(f"page {number}: marked content {mcid} appears twice")
                texts[mcid] = ""
                stack.append(("mcid", mcid))
            else:
                stack.append(("other", None))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            font = fonts.get(str(operands[0]), (1, {}))
        elif op in TEXT_OPERATORS:
            strings = operands[0] if op == "TJ" else operands[-1:]
            words = "".join(_decode(bytes(s), font) for s in strings if isinstance(s, pikepdf.String))
            owner = next((entry for entry in reversed(stack) if entry[0] != "other"), None)
            if owner is None:
                problems.append(f"page {number}: text {words[:30]!r} is neither tagged nor an artifact")
            elif owner[0] == "artifact":
                artifacts.append((owner[1], words))
            else:
                texts[owner[1]] += words
    return PageContent(texts, artifacts, problems)


def _build(node, page_of: dict, parent: "Element | None", problems: list[str], depth: int = 0) -> Element:
    element = Element(str(node.get("/S")), node, parent=parent)
    order = []
    page = node.get("/Pg")
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
    for kid in kids:
        if isinstance(kid, int):
            where = (page_of[page.objgen], int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            where = (page_of[kid.Pg.objgen], int(kid.MCID))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            element.annotations.append(kid.Obj)
            continue
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid and depth < 100:
            child = _build(kid, page_of, element, problems, depth + 1)
            element.children.append(child)
            order.append(child)
            continue
        else:
            problems.append(f"{element.tag}: a kid that is not content, an annotation or an element")
            continue
        element.content.append(where)
        order.append(where)
    element._order = order  # type: ignore[attr-defined]
    return element


def findings(path: Path) -> list[str]:
    """Every problem found in the PDF at `path`; an empty list means none."""
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        problems += _document(pdf)
        page_of = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        pages = {number: read_page(page, number) for number, page in enumerate(pdf.pages, start=1)}
        for content in pages.values():
            problems += content.problems
        texts = {(number, mcid): text for number, content in pages.items() for mcid, text in content.texts.items()}
        roots = pdf.Root.StructTreeRoot.K
        roots = list(roots) if isinstance(roots, pikepdf.Array) else [roots]
        tree = [_build(root, page_of, None, problems) for root in roots]
        everything = [e for root in tree for e in root.walk()]
        problems += _content(everything, texts, pdf)
        problems += _artifacts(pages)
        problems += _headings(everything)
        problems += _links(everything, texts, pdf)
        problems += _wholeness(everything, texts)
        problems += _fonts(pdf)
    return problems


def _document(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    if not str(pdf.docinfo.get("/Title", "")).strip():
        problems.append("the document has no title")
    if not str(pdf.Root.get("/Lang", "")).strip():
        problems.append("the document has no language")
    if pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        problems.append("the viewer is not told to show the title (DisplayDocTitle)")
    if pdf.Root.get("/MarkInfo", {}).get("/Marked") is not True:
        problems.append("the document is not marked as tagged")
    return problems


def _content(everything: list[Element], texts: dict, pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    owner = {}
    for element in everything:
        for where in element.content:
            if where in owner:
                problems.append(f"page {where[0]} content {where[1]}: in the tree twice")
            owner[where] = element
            if where not in texts:
                problems.append(f"{element.tag}: refers to content {where[1]} that page {where[0]} does not have")
    for where in texts:
        if where not in owner:
            problems.append(f"page {where[0]} content {where[1]} ({texts[where][:30]!r}): tagged but in no element of the tree")
    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", [])
    parents = dict(zip([int(n) for n in nums[::2]], list(nums[1::2])))
    for number, page in enumerate(pdf.pages, start=1):
        array = parents.get(int(page.get("/StructParents", -1)))
        for (p, mcid), element in owner.items():
            if p == number and (array is None or mcid >= len(array) or array[mcid].objgen != element.node.objgen):
                problems.append(f"page {number} content {mcid}: the ParentTree names a different element")
    return problems


def _artifacts(pages: dict[int, PageContent]) -> list[str]:
    problems = []
    for number, content in pages.items():
        for kind, text in content.artifact_text:
            if kind not in ARTIFACT_TYPES:
                problems.append(f"page {number}: artifact text {text[:30]!r} has no artifact type")
    return problems


def _headings(everything: list[Element]) -> list[str]:
    levels = [int(m.group(1)) for e in everything if (m := HEADING.match(e.tag))]
    problems = []
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not H1 (levels {levels[:5]})")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            problems.append(f"heading H{after} follows H{before}: a level is skipped")
    for element in everything:
        if element.tag == "/Sect":
            first = element.children[0].tag if element.children else None
            if not (first and HEADING.match(first)):
                problems.append(f"a section starts with {first}, not its heading")
    return problems


def _links(everything: list[Element], texts: dict, pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    claimed = {}
    page_of = {a.objgen: n for n, page in enumerate(pdf.pages) for a in page.get("/Annots", [])}
    for element in everything:
        if element.tag != "/Link":
            continue
        words = " ".join(element.text(texts).split())
        if element.parent is not None and any(a.tag == "/Link" for a in _ancestors(element)):
            problems.append(f"link {words!r} is inside another link")
        on_pages = [page_of.get(a.objgen) for a in element.annotations]
        if not element.annotations or None in on_pages or len(set(on_pages)) != len(on_pages):
            problems.append(f"link {words!r} has {len(element.annotations)} annotations, not one (on each page it is on)")
        for annotation in element.annotations:
            claimed[annotation.objgen] = words
            description = " ".join(str(annotation.get("/Contents", "")).split())
            # A line break inside a link paints no space, so spaces are not compared.
            if _squeeze(description) != _squeeze(_expected_description(words, annotation)):
                problems.append(f"link {words!r} is described as {description!r}")
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link" and annotation.objgen not in claimed:
                problems.append(f"a link annotation ({annotation.get('/Contents')}) belongs to no Link element")
    return problems


def _expected_description(words: str, annotation) -> str:
    uri = str(annotation.get("/A", {}).get("/URI", ""))
    if uri.startswith("mailto:") and words in (uri[7:], uri):
        return f"email {uri[7:]}"
    return words


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _ancestors(element: Element):
    node = element.parent
    while node is not None:
        yield node
        node = node.parent


def _wholeness(everything: list[Element], texts: dict) -> list[str]:
    problems = []
    parts = [e for e in everything if e.tag == "/Part"]
    if len(parts) > 1:
        problems.append(f"{len(parts)} Part elements: the document is cut into pages")
    for element in everything:
        tags = [c.tag for c in element.children]
        for before, after in zip(tags, tags[1:]):
            if before == after and before in ("/L", "/Table", "/TBody", "/THead", "/Part"):
                problems.append(f"two {before} elements side by side in {element.tag}: one cut in two?")
        if element.tag in ("/THead", "/TFoot") and tags.count(element.tag) > 1:
            problems.append(f"{element.tag} repeated")
        if element.tag == "/Table" and (tags.count("/THead") > 1 or tags.count("/TBody") > 1):
            problems.append("a table with its header or body in pieces")
        if element.tag == "/L" and any(t not in ("/LI", "/L", "/Caption") for t in tags):
            problems.append(f"a list holds {sorted(set(tags))}")
        if element.tag == "/LI" and tags not in (["/LBody"], ["/Lbl", "/LBody"]):
            problems.append(f"a list item holds {tags}, not an optional Lbl then its LBody")
        if element.tag in ("/TH", "/TD") and not element.text(texts).strip() and not str(element.node.get("/Alt", "")).strip():
            problems.append(f"an empty {element.tag[1:]} cell")
        if element.tag in ("/NonStruct", "/Span", "/Div") and not element.content and not element.children:
            problems.append(f"an empty {element.tag[1:]} element")
    return problems


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in page.Resources.get("/Font", {}).items():
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"page {number}: font {font.get('/BaseFont')} is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"page {number}: font {font.get('/BaseFont')} has no ToUnicode map")
    return problems
