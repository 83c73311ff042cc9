"""A Word file's zip checked before python-docx reads it: sizes, ratios, checksums, and XML with no DTD.

Why before: python-docx reads every part of the package into memory and parses its XML
as it opens the file, so a zip bomb (a part that inflates a thousandfold) or a billion
laughs (entities that expand each other) would be met inside it, with no limit. Here the
zip's directory is checked first (sizes as declared), every part is then inflated in
pieces and counted (a size that lies stops the read, and a bad checksum is found), and
every XML part is parsed by lxml with entities, DTDs and the network off. A DTD is
refused outright: the Office Open XML packaging rules forbid one, so Word never writes
it, and it is the only way to an entity. lxml is already a dependency (python-docx's);
defusedxml would add a package to do the same refusal.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from policyc.importers.refusal import Refused, boundary
from policyc.limits import (MAX_COMPRESSION_RATIO, MAX_IMPORT_BYTES, MAX_WORD_PART_BYTES, MAX_WORD_PARTS,
                            MAX_WORD_TOTAL_BYTES, MAX_WORD_XML_BYTES, MAX_XML_DEPTH)

_PIECE = 1 << 20
_MB = 1_000_000


def checked_package(path: Path) -> bytes:
    """The file's bytes, once every part has been found within the limits and readable."""
    data = bounded_read(path, MAX_IMPORT_BYTES)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused("not a Word document that can be read (a .docx file is a zip; this is not one)")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
        _check_directory(infos)
        for info in infos:
            with boundary(path, info.filename):
                content = _inflate(package, info)
                if _is_xml(info.filename):
                    check_xml(content)
    return data


def bounded_read(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of `path`; a longer file is refused without reading the rest."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"the file is larger than {limit // _MB} MB, more than any policy needs")
    return data


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """The sizes the zip declares, before anything is inflated."""
    if len(infos) > MAX_WORD_PARTS:
        raise Refused(f"the document holds {len(infos)} files, more than the {MAX_WORD_PARTS} a Word file needs")
    total = 0
    for info in infos:
        limit = MAX_WORD_XML_BYTES if _is_xml(info.filename) else MAX_WORD_PART_BYTES
        if info.file_size > limit:
            raise Refused(f"inflates to {info.file_size // _MB} MB, more than the {limit // _MB} MB "
                          "a part of a Word file is allowed", info.filename)
        if info.file_size > _MB and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise Refused(f"inflates {info.file_size // max(info.compress_size, 1)} times over (a zip bomb?); "
                          f"a Word file's parts inflate at most {MAX_COMPRESSION_RATIO} times", info.filename)
        total += info.file_size
    if total > MAX_WORD_TOTAL_BYTES:
        raise Refused(f"its parts inflate to {total // _MB} MB in all, more than the "
                      f"{MAX_WORD_TOTAL_BYTES // _MB} MB allowed")


def _inflate(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The part, inflated a piece at a time: never more than the size it declares (zipfile stops
    there, and checks the CRC at the end), and never more than its limit whatever it declares."""
    limit = MAX_WORD_XML_BYTES if _is_xml(info.filename) else MAX_WORD_PART_BYTES
    keep = _is_xml(info.filename)  # media are only counted and checked, not kept
    pieces, size = [], 0
    with package.open(info) as part:
        while piece := part.read(_PIECE):
            size += len(piece)
            if size > limit:
                raise Refused(f"inflates to more than the {limit // _MB} MB a part is allowed")
            if keep:
                pieces.append(piece)
    return b"".join(pieces)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


_TOO_DEEP = (f"elements are nested more than {MAX_XML_DEPTH} deep (tables inside tables?), "
             "deeper than any document needs")
_PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False)


def check_xml(content: bytes) -> None:
    """Refuse a DTD (the way to entities) and elements nested past MAX_XML_DEPTH."""
    if not content.strip():
        return
    if _declares_dtd(content):
        raise Refused("declares a DTD (<!DOCTYPE ...>), which Word never writes: its entities could "
                      "expand without end or read other files, so the document is not read")
    try:
        root = etree.fromstring(content, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc.msg).lower():  # libxml2's own limit, 256, met before ours could count
            raise Refused(_TOO_DEEP, line=exc.lineno or 0) from None
        raise
    if root.getroottree().docinfo.internalDTD is not None:
        raise Refused("declares a DTD (<!DOCTYPE ...>), which Word never writes")
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_XML_DEPTH:
            raise Refused(_TOO_DEEP, line=element.sourceline or 0)


def _declares_dtd(content: bytes) -> bool:
    """Whether `<!DOCTYPE` comes before the root element, in UTF-8 or in UTF-16 (both allowed in a package)."""
    head = content[:4096]
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding, errors="ignore")
        except LookupError:  # pragma: no cover - both are built in
            continue
        if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
            return True
    return False
