"""Word lists for import tests: python-docx has no API for automatic numbering, so the
numbering part's XML is written directly."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls


def add_list(document, abstract_xml: str, num_id: int) -> None:
    """Add the numbering definition `abstract_xml` to `document` as list `num_id`.
    Word wants every abstractNum before the first num, so it goes there."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(parse_xml(f'<w:num {nsdecls("w")} w:numId="1"/>').tag)
    abstract = parse_xml(abstract_xml)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def put_on_list(paragraph, level: int, num_id: int) -> None:
    """Put a paragraph on list `num_id` at `level`: Word's automatic numbering, no number in the text."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
