"""Word's house style: every style, the fonts and the theme of a policy .docx, as the PDF's stylesheet.

Why build styles.xml here rather than ship a reference .docx: python-docx's template is
Office 2007's (Cambria and Calibri, headings in a blue of 3.9:1 on white, 150 table styles
nobody asked for). Written from these few lines, each style is what templates/assets/policy.css
says (Open Sans, its sizes, the ink, accent and link colours), every colour is one the tests
can read back and measure, and the clause styles are linked to the policy's multi-level list,
so HR restyling "Clause 1.1" in Word restyles every clause of that level.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# From templates/assets/policy.css (--ink, --accent, --link, --rule, --shade, the footer's grey).
INK = "1B1B1B"
ACCENT = "14506E"
LINK = "1D4F91"
MUTED = "505A5F"
RULE = "B1B4B6"
SHADE = "F3F2F1"
FONT = "Open Sans"
FALLBACK = "Arial"  # named in the font table: Word's stand-in where Open Sans is not installed
CODE_FONT = "Courier New"
TEXT_WIDTH = 9412  # twips: A4 (11,906) less two margins of 22 mm (1,247 each)
CLAUSE_STYLES = ("Clause 1.1", "Clause 1.1.1", "Clause 1.1.1.1")  # the list's levels 1, 2, 3


# Word keeps these built-in names in lower case in styles.xml (python-docx maps the first ones).
_INTERNAL = {**{f"Heading {n}": f"heading {n}" for n in range(1, 10)}, "Header": "header", "Footer": "footer",
             "TOC 1": "toc 1"}


def style_id(name: str) -> str:
    """Word's id for a style name: its letters and digits ("Heading 1" -> Heading1)."""
    return re.sub(r"[^A-Za-z0-9]", "", name)


def _el(tag: str, **attrs) -> object:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _props(tag: str, children: list) -> object:
    props = _el(tag)
    for child_tag, attrs in children:
        child = _el(child_tag, **{k: v for k, v in attrs.items() if k != "_children"})
        for grand_tag, grand_attrs in attrs.get("_children", ()):
            child.append(_el(grand_tag, **grand_attrs))
        props.append(child)
    return props


def _run(size: int = 0, colour: str = "", bold: bool = False, italic: bool = False,
         font: str = "", underline: bool = False) -> list:
    """rPr children in the schema's order."""
    out: list = []
    if font:
        out.append(("w:rFonts", {"ascii": font, "hAnsi": font, "cs": font, "eastAsia": font}))
    if bold:
        out += [("w:b", {}), ("w:bCs", {})]
    if italic:
        out += [("w:i", {}), ("w:iCs", {})]
    if colour:
        out.append(("w:color", {"val": colour}))
    if size:
        out += [("w:sz", {"val": size}), ("w:szCs", {"val": size})]
    if underline:
        out.append(("w:u", {"val": "single"}))
    return out


def _style(kind: str, name: str, based: str = "", following: str = "", ppr: list = (), rpr: list = (),
           extra: list = (), default: bool = False, priority: int = 0, quick: bool = False) -> object:
    style = _el("w:style", type=kind, styleId=style_id(name))
    if default:
        style.set(qn("w:default"), "1")
    style.append(_el("w:name", val=_INTERNAL.get(name, name)))
    if based:
        style.append(_el("w:basedOn", val=style_id(based)))
    if following:
        style.append(_el("w:next", val=style_id(following)))
    if priority:
        style.append(_el("w:uiPriority", val=priority))
    if quick:
        style.append(_el("w:qFormat"))
    if ppr:
        style.append(_props("w:pPr", list(ppr)))
    if rpr:
        style.append(_props("w:rPr", list(rpr)))
    for element in extra:
        style.append(element)
    return style


def _numbered(num_id: int, level: int) -> tuple:
    return ("w:numPr", {"_children": [("w:ilvl", {"val": level}), ("w:numId", {"val": num_id})]})


def _table_props(borders: bool) -> object:
    """A table style's tblPr: cell padding as the page's (0.45em 0.6em), borders in the rule grey."""
    tbl = _el("w:tblPr")
    tbl.append(_el("w:tblInd", w=0, type="dxa"))
    if borders:
        edges = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edges.append(_el(f"w:{side}", val="single", sz=4, space=0, color=RULE))
        tbl.append(edges)
    margins = _el("w:tblCellMar")
    for side, width in (("top", 57), ("left", 113), ("bottom", 57), ("right", 113)):
        margins.append(_el(f"w:{side}", w=width, type="dxa"))
    tbl.append(margins)
    return tbl


def house_styles(document, accent: str, numbers: dict[str, int]) -> None:
    """Replace the template's styles with the house style. `numbers`: the w:num each
    linked list style numbers with ("policy", "bullet", "decimal"). Heading 1 is not linked
    to the policy's list: unnumbered sections and a redline's headings are Heading 1 too, so a
    section heading carries its number itself."""
    root = document.styles.element
    latent = root.find(qn("w:latentStyles"))
    for child in list(root):
        root.remove(child)
    defaults = _el("w:docDefaults")
    rpr_default = _el("w:rPrDefault")
    rpr_default.append(_props("w:rPr", _run(22, INK, font=FONT) + [("w:lang", {"val": "en-GB", "eastAsia": "en-GB",
                                                                                 "bidi": "ar-SA"})]))
    ppr_default = _el("w:pPrDefault")
    ppr_default.append(_props("w:pPr", [("w:spacing", {"after": 140, "line": 300, "lineRule": "auto"})]))
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    root.append(defaults)
    if latent is not None:
        root.append(latent)
    accent = accent.lstrip("#").upper()
    heading = [("w:keepNext", {}), ("w:keepLines", {})]
    styles = [
        _style("paragraph", "Normal", default=True, quick=True),
        _style("paragraph", "Title", "Normal", "Normal", [*heading, ("w:spacing", {"before": 0, "after": 200, "line": 264, "lineRule": "auto"})],
               _run(40, accent, bold=True), priority=10, quick=True),
        _style("paragraph", "Subtitle", "Normal", "Normal", [("w:spacing", {"after": 60})],
               _run(24, accent, bold=True), priority=11, quick=True),
        _style("paragraph", "Heading 1", "Normal", "Normal",
               [*heading, ("w:spacing", {"before": 440, "after": 140, "line": 264, "lineRule": "auto"}),
                ("w:outlineLvl", {"val": 0})], _run(28, accent, bold=True), priority=9, quick=True),
        _style("paragraph", "Heading 2", "Normal", "Normal",
               [*heading, ("w:spacing", {"before": 300, "after": 100, "line": 264, "lineRule": "auto"}),
                ("w:outlineLvl", {"val": 1})], _run(25, accent, bold=True), priority=9, quick=True),
        _style("paragraph", "Heading 3", "Normal", "Normal",
               [*heading, ("w:spacing", {"before": 240, "after": 80}), ("w:outlineLvl", {"val": 2})],
               _run(23, accent, bold=True), priority=9, quick=True),
    ]
    for level in (4, 5, 6):
        styles.append(_style("paragraph", f"Heading {level}", "Normal", "Normal",
                             [*heading, ("w:spacing", {"before": 200, "after": 80}), ("w:outlineLvl", {"val": level - 1})],
                             _run(22, accent, bold=True), priority=9, quick=True))
    styles += [
        # Not based on Heading 1: the contents' own heading is neither numbered nor listed in them.
        _style("paragraph", "TOC Heading", "Normal", "Normal",
               [*heading, ("w:spacing", {"before": 360, "after": 140})], _run(28, accent, bold=True),
               priority=39, quick=True),
        _style("paragraph", "TOC 1", "Normal", "Normal",
               [("w:tabs", {"_children": [("w:tab", {"val": "right", "leader": "dot", "pos": TEXT_WIDTH})]}),
                ("w:spacing", {"after": 60})], priority=39),
        _style("paragraph", "List Paragraph", "Normal", "", [("w:spacing", {"after": 80}), ("w:ind", {"left": 567})],
               priority=34, quick=True),
        _style("paragraph", "List Bullet", "List Paragraph", "",
               [_numbered(numbers["bullet"], 0), ("w:ind", {"left": 567, "hanging": 567})]),
        _style("paragraph", "List Number", "List Paragraph", "",
               [_numbered(numbers["decimal"], 0), ("w:ind", {"left": 567, "hanging": 567})]),
    ]
    for level, name in enumerate(CLAUSE_STYLES, start=1):
        step = 851
        styles.append(_style("paragraph", name, "Normal", name,
                             [_numbered(numbers["policy"], level), ("w:ind", {"left": step * (level + 1), "hanging": step})],
                             quick=True))
    styles += [
        _style("paragraph", "Header", "Normal", "",
               [("w:tabs", {"_children": [("w:tab", {"val": "center", "pos": TEXT_WIDTH // 2}),
                                          ("w:tab", {"val": "right", "pos": TEXT_WIDTH})]}),
                ("w:spacing", {"after": 0})], _run(18, MUTED)),
        _style("paragraph", "Footer", "Normal", "", [("w:spacing", {"after": 0, "line": 240, "lineRule": "auto"})],
               _run(18, MUTED)),
        _style("character", "Default Paragraph Font", default=True, priority=1),
        _style("character", "Hyperlink", rpr=_run(colour=LINK, underline=True), priority=99),
        _style("character", "Strong", rpr=_run(bold=True), priority=22, quick=True),
        _style("character", "Code", rpr=_run(font=CODE_FONT)),
        _style("table", "Normal Table", default=True, extra=[_table_props(False)], priority=99),
        _style("table", "Table Grid", "Normal Table", ppr=[("w:spacing", {"before": 0, "after": 0})],
               extra=[_table_props(True)], priority=59),
        _style("numbering", "No List", default=True, priority=99),
    ]
    for style in styles:
        if style.get(qn("w:styleId")) == "NormalTable":
            style.set(qn("w:styleId"), "TableNormal")  # the id python-docx and Word know it by
        if style.find(qn("w:basedOn")) is not None and style.find(qn("w:basedOn")).get(qn("w:val")) == "NormalTable":
            style.find(qn("w:basedOn")).set(qn("w:val"), "TableNormal")
        root.append(style)
    _drop_styles_with_effects(document)
    _font_table(document)
    _theme(document, accent)


def _drop_styles_with_effects(document) -> None:
    """Word 2010's copy of the template's styles (its blues): Word reads styles.xml without it."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.rels.pop(rid)


def _font_table(document) -> None:
    """Open Sans in the font table, as a sans-serif (swiss) font with Arial as its stand-in,
    so Word and LibreOffice substitute a sans, never a serif, where it is not installed."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            entry = (f'<w:font w:name="{FONT}"><w:altName w:val="{FALLBACK}"/>'
                     '<w:panose1 w:val="020B0606030504020204"/><w:charset w:val="00"/>'
                     '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>')
            blob = part.blob.decode("utf-8")
            if f'w:name="{FONT}"' not in blob:
                blob = blob.replace("</w:fonts>", entry + "</w:fonts>")
                part._blob = blob.encode("utf-8")


def _theme(document, accent: str) -> None:
    """The theme's fonts and first colours are the house style's too: what Word offers in its
    font and colour menus (Calibri and Cambria, Office blue, until now)."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/theme"):
            part = rel.target_part
            blob = part.blob.decode("utf-8")
            blob = re.sub(r'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*"', rf'\g<1>{FONT}"', blob)
            for slot, colour in (("dk2", INK), ("accent1", accent), ("hlink", LINK)):
                blob = re.sub(rf"(<a:{slot}>\s*<a:srgbClr val=\")[0-9A-Fa-f]{{6}}", rf"\g<1>{colour}", blob)
            part._blob = blob.encode("utf-8")


def update_fields_on_open(document) -> None:
    """w:updateFields: Word fills in the contents (with page numbers) and every cross-reference
    on opening, asking first. In the schema's place, before the header shape defaults."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    later = {qn(t) for t in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                             "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                             "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                             "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                             "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")}
    element = _el("w:updateFields", val="true")
    for child in settings:
        if child.tag in later:
            child.addprevious(element)
            return
    settings.append(element)


CHAR = 115  # twips: the width of an average character of 11 pt Open Sans
PADDING = 2 * 113 + 30  # a cell's left and right padding, and a little air


def column_widths(columns: list[list[str]], available: int) -> list[int]:
    """Widths in twips for a table's columns from the words in them, summing to `available`,
    much as a browser lays out a table: a column of short entries (dates, numbers, labels)
    as wide as its longest entry, so none wraps; the others as wide as their longest word,
    and the room left shared by how much more each one's longest cell would take."""
    least = [max((max((len(w) for w in text.split()), default=1) for text in cells), default=1) * CHAR + PADDING
             for cells in columns]
    most = [max(max((len(text) for text in cells), default=1) * CHAR + PADDING, n) for cells, n in zip(columns, least)]
    if sum(least) >= available:  # words too long to fit whole: share the width by those words
        widths = [available * n // sum(least) for n in least]
    elif sum(most) <= available:  # everything fits on one line: spread the room as the text is
        widths = [available * m // sum(most) for m in most]
    else:
        short = [m <= available // 4 for m in most]
        if sum(m for m, s in zip(most, short) if s) + sum(n for n, s in zip(least, short) if not s) > available:
            short = [False] * len(most)  # the short ones would leave too little: all share by their words
        spare = available - sum(m if s else n for m, n, s in zip(most, least, short))
        wants = [0 if s else m - n for m, n, s in zip(most, least, short)]
        widths = [m if s else n + spare * w // max(sum(wants), 1) for m, n, s, w in zip(most, least, short, wants)]
    widths[-1] += available - sum(widths)
    return widths
