"""Which reader a file needs, by its extension: text, Markdown or PDF (through poppler's pdftotext);
the documents a folder holds; and a document read into the files it becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import yaml

from policyc.errors import UsageError, UserError, display_path
from policyc.importers.assemble import Imported, assemble
from policyc.importers.blocks import TextBlock
from policyc.importers.convert import CONVERTED, read_converted
from policyc.importers.decode import Note, text_of
from policyc.importers.ids import slug
from policyc.importers.pdf import pdf_text, pdf_title
from policyc.importers.refusal import boundary
from policyc.importers.text import read_text
from policyc.importers.writing import check_school_option, existing_school
from policyc.names import ID_RULE, is_id, leftover
from policyc.text.glyphs import drawable_text



def _read_docx(path: Path, notes: list[Note]) -> list[TextBlock]:
    from policyc.importers.docx import read_docx  # python-docx is loaded when a Word file is read
    return read_docx(path)


def _read_converted(path: Path, notes: list[Note]) -> list[TextBlock]:
    return read_converted(path)


def _read_markdown(path: Path, notes: list[Note]) -> list[TextBlock]:
    facts, text = front_matter(text_of(path, notes))
    return facts + _top_level(read_text(text, markdown=True))


def _read_plain(path: Path, notes: list[Note]) -> list[TextBlock]:
    return _numbered_title(read_text(text_of(path, notes)))


def _read_pdf(path: Path, notes: list[Note]) -> list[TextBlock]:
    return _mark_title(read_text(pdf_text(path), name="paragraph"), pdf_title(path))


# The readers, by the file's extension, most faithful first: of two files of one document
# in a folder (Behaviour Policy.docx and Behaviour Policy.pdf), the first kind here is read.
# Word's own file keeps headings, numbering and tables as styles; a PDF keeps only how it
# looked. Each takes the file and a list for notes on what was done to its text on the way
# in (another encoding, control characters), and gives its blocks. A new importer is one row.
READERS: dict[str, Callable[[Path, list[Note]], list[TextBlock]]] = {
    ".docx": _read_docx,
    **{suffix: _read_converted for suffix in (".odt", ".doc", ".rtf") if suffix in CONVERTED},
    ".md": _read_markdown,
    ".txt": _read_plain,
    ".pdf": _read_pdf,
}


def suffixes() -> tuple[str, ...]:
    """The kinds of file policyc imports, most faithful first."""
    return tuple(READERS)


def read_document(path: Path, notes: Optional[list[Note]] = None) -> list[TextBlock]:
    """The document's blocks, every character one the house fonts can draw: what is imported builds.

    Whatever goes wrong reading it is a `Refused` naming the file (refusal.boundary); what
    was done to its text on the way (another encoding, control characters) is added to `notes`."""
    notes = [] if notes is None else notes
    with boundary(path):
        return [_drawable(b) for b in _read(path, notes)]


def _drawable(block: TextBlock) -> TextBlock:
    block.text, lost = drawable_text(block.text)
    for i, cell in enumerate(block.cells):
        block.cells[i], more = drawable_text(cell)
        lost += more
    block.dropped = sorted(set(lost))
    return block


def _read(path: Path, notes: list[Note]) -> list[TextBlock]:
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UserError(f"{display_path(path)}: policyc can import {', '.join(suffixes())} files, "
                        f"not {display_path(Path(suffix)) if suffix else 'this file'}")
    return reader(path, notes)


def _numbered_title(blocks: list[TextBlock]) -> list[TextBlock]:
    """A text file whose only number is on a short line at its top ("1.6 Mobile Phone & Camera Use"
    under "Hanney Pre-School"): that line is the title, numbered as in the setting's handbook."""
    numbered = [i for i, b in enumerate(blocks) if b.number]
    if len(numbered) != 1 or numbered[0] > 2:
        return blocks
    i = numbered[0]
    block = blocks[i]
    if (block.kind in ("numbered", "heading") and "." in block.number and len(block.text.split()) <= 12
            and not re.search(r"[.;:,]$", block.text) and not any(b.title for b in blocks)):
        blocks[i] = TextBlock("para", f"{block.number} {block.text}", block.where, title=True)
    return blocks


def _top_level(blocks: list[TextBlock]) -> list[TextBlock]:
    """Markdown whose sections are `##` (the page's `#` being its title, or front matter's): its
    highest heading is a section, not a sub-section of a section the document does not have."""
    levels = [b.level for b in blocks if b.kind == "heading"]
    shift = min(levels) - 1 if levels else 0
    for block in blocks:
        if block.kind == "heading" and shift:
            block.level -= shift
    return blocks


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _mark_title(blocks: list[TextBlock], title: Optional[str]) -> list[TextBlock]:
    """The block (or the two lines a wrapped title became) that is the largest text on page 1."""
    if not title:
        return blocks
    want = _key(title)
    for i, block in enumerate(blocks[:12]):
        whole = _key(f"{block.number or ''} {block.text}")
        if whole == want or _key(block.text) == want:
            blocks[i] = TextBlock("para", f"{block.number} {block.text}" if block.number and whole == want
                              else block.text, block.where, title=True)
            return blocks
        if i + 1 < len(blocks) and want == whole + _key(f"{blocks[i + 1].number or ''} {blocks[i + 1].text}"):
            blocks[i:i + 2] = [TextBlock("para", title, block.where, title=True)]
            return blocks
    return blocks


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Front matter keys (as static-site generators write them) and the cover line each one is.
_FACTS = {"date": "Date", "adopted": "Adopted", "approved": "Approved", "ratified": "Ratified",
          "updated": "Updated", "last_updated": "Updated", "lastmod": "Updated", "last_modified": "Updated",
          "last_reviewed": "Date of last review", "last_review": "Date of last review",
          "review": "Next review", "review_date": "Next review", "next_review": "Next review",
          "review_due": "Next review", "version": "Version"}


def front_matter(text: str) -> tuple[list[TextBlock], str]:
    """YAML front matter (`---` ... `---` at the top of a Markdown file): its title is the title,
    its dates cover lines as written; the rest is the document, its lines where they were."""
    m = _FRONT.match(text)
    if not m:
        return [], text
    try:
        data = yaml.load(m.group(1), Loader=yaml.BaseLoader)  # every value a string, as written
    except yaml.YAMLError:
        return [], text
    if not isinstance(data, dict):
        return [], text
    blocks = []
    lines = m.group(1).splitlines()
    for key, value in data.items():
        if not isinstance(value, str) or not value.strip():
            continue
        at = next((n + 2 for n, line in enumerate(lines) if line.lstrip().startswith(f"{key}:")), 1)
        name = str(key).lower().replace("-", "_")
        if name == "title":
            blocks.insert(0, TextBlock("para", value.strip(), f"line {at}", title=True))
        elif name in _FACTS:
            blocks.append(TextBlock("para", f"{_FACTS[name]}: {value.strip()}", f"line {at}"))
    rest = "\n" * m.group(0).count("\n") + text[m.end():]  # the body's lines keep their numbers
    return blocks, rest


def read_import(document: Path, placeholders: bool = False, policy_id: str | None = None) -> Imported:
    """The files `document` becomes, not yet written."""
    if policy_id is not None and not is_id(policy_id):
        raise UsageError(f"--id {policy_id!r}: a policy's id is {ID_RULE}")
    if not document.is_file():
        raise UsageError(f"{display_path(document)}: no such file")
    notes: list[Note] = []
    imported = assemble(read_document(document, notes), document.name, placeholders, policy_id)
    imported.notes = notes  # what was done to its text on the way (another encoding, control characters)
    return imported


def read_copy(document: Path, source: Path, model_id: str,
              school_slug: Optional[str] = None) -> tuple[Imported, list[Note], str]:
    """A school's own copy of the trust's model policy `model_id`, read: the document, what
    reading did to its text, and the school's slug (`school_slug`, else the trust's school of
    the name the document gives, else one made from that name)."""
    check_school_option(school_slug)
    if not is_id(model_id):
        raise UsageError(f"--model {model_id!r}: a policy's id is {ID_RULE}")
    if not document.is_file():
        raise UsageError(f"{display_path(document)}: no such file")
    model_path = source / "policies" / f"{model_id}.yaml"
    if not model_path.is_file():
        raise UsageError(f"{display_path(model_path)}: no such model policy (--model names a policy in "
                        f"{display_path(source / 'policies')}, without .yaml)")
    notes: list[Note] = []
    imported = assemble(read_document(document, notes), document.name, policy_id=model_id)
    slug_ = (school_slug or existing_school(source, imported.school_name)
             or (slug(imported.school_name, 6) if imported.school_name else None))
    if not slug_:
        raise UsageError(f"{display_path(document)}: the document does not name its school; give --school SLUG")
    return imported, notes, slug_


def _set_aside(part: str) -> bool:
    """A hidden file or folder, or an editor's or sync tool's leftover (Word's ~$policy.docx,
    a backup policy.docx~): never a document."""
    return part.startswith(".") or bool(leftover(part))


@dataclass(frozen=True)
class SetAside:
    """A file of a folder to import that is not read: not a kind of file policyc imports (READERS),
    or another file of a document read from `instead`."""

    path: Path
    instead: Optional[Path] = None  # None: not a kind of file policyc imports


def documents_in(folder: Path) -> tuple[list[Path], list[SetAside]]:
    """The documents to import from `folder` and its sub-folders, in order, and the files set aside.

    Of two or more files of one document (Behaviour Policy.docx and Behaviour Policy.pdf in one
    folder), the one of the most faithful kind is read (the first in READERS)."""
    chosen: dict[tuple[Path, str], Path] = {}
    skipped: list[SetAside] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(_set_aside(part) for part in rel.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in READERS:
            skipped.append(SetAside(path))
            continue
        same = (path.parent, path.stem.casefold())
        held = chosen.get(same)
        if held is None:
            chosen[same] = path
            continue
        order = suffixes()
        keep, drop = sorted((held, path), key=lambda p: order.index(p.suffix.lower()))
        chosen[same] = keep
        skipped.append(SetAside(drop, keep))
    return sorted(chosen.values()), sorted(skipped, key=lambda s: s.path)
