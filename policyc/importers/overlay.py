"""A school's copy of a model policy read back as the school's overlay on that model.

The model is resolved for the school first (placeholders filled, the school's options
chosen), so "{{ school.name }}" in the model and the school's name in its document read
alike. Sections are matched by title, clauses by how alike their words are (difflib);
what differs becomes `replace:`, what the school added `add:`, what it left out `remove:`.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from typing import Optional

import yaml

from policyc.model import ResolvedPolicy, item_texts
from policyc.source.check import RESERVED_IDS
from policyc.text.placeholders import references

SAME_SECTION = 0.75  # titles at least this alike are the same section
SAME_CLAUSE = 0.6  # clauses at least this alike are one clause, reworded
WORDING = ("title", "text", "items", "list", "after", "duties", "option", "choices", "table")


@dataclass
class Unit:
    """One clause (or section title) on either side: its words, its id and where it sits."""

    words: str
    node: dict  # the imported clause or section dict; for the model, its resolved block or part
    id: str = ""
    children: list["Unit"] = field(default_factory=list)
    match: Optional["Unit"] = None
    ratio: float = 0.0
    title: str = ""  # a titled clause's title, as words
    lead: list["Unit"] = field(default_factory=list)  # the document's paragraphs that are a titled clause's own words
    changed: bool = False


@dataclass(frozen=True)
class Finding:
    """One thing `compare` did or was unsure of, for the import's report (cli/importing.py words it).

    kind, and the fields it fills:
      "contents-heading"  title: a heading with nothing under it, whose title heads a later section (left out)
      "page-part"         title, part ("contents" or "ratification"): the page's own part, which the build makes
      "retitled"          id, title: the model's section, titled so in the document (the model's title kept)
      "kept-for-children" id: a clause not in the document, kept as some of its sub-clauses are
      "weak-match"        id, ratio: a clause matched to a paragraph only this alike, written as a replacement
      "refers-to-gone"    id, refers_to: a clause that cross-refers to clauses the document leaves out
      "added"             id, placed (("after", id) and the like): a clause or section the model does not have
      "removed"           id: one the document does not have
      "replaced"          id: one the document words differently
    """

    kind: str
    id: str = ""
    title: str = ""
    part: str = ""
    ratio: float = 0.0
    refers_to: tuple[str, ...] = ()
    placed: tuple[tuple[str, str], ...] = ()


@dataclass
class Result:
    overlay: dict
    findings: list[Finding]


def key(text: str) -> str:
    """Words only: lower case, no Markdown, numbering or punctuation."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _imported_words(clause: dict) -> str:
    parts = [clause.get("title", ""), clause.get("text", "")]
    parts += _item_words(clause.get("items", []))
    parts.append(clause.get("after", ""))
    return key(" ".join(p for p in parts if p))


def _item_words(items) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(item.get("text", ""))
            out += _item_words(item.get("items", []))
        else:
            out.append(item)
    return out


def _model_words(block, words) -> str:
    b = block.body
    parts = [b.title, b.text, *item_texts(b.items)]
    if b.duties:
        parts += [b.duties.must_lead, *b.duties.must, b.duties.must_not_lead, *b.duties.must_not]
    parts.append(b.after)
    return key(" ".join(words.plain(p) for p in parts if p))


def _imported_units(clauses: list[dict]) -> list[Unit]:
    return [Unit(_imported_words(c), c, children=_imported_units(c.get("clauses", [])),
                 title=key(c.get("title", ""))) for c in clauses]


def _model_units(blocks, words) -> list[Unit]:
    return [Unit(_model_words(b, words), b, b.id, _model_units(b.children, words),
                 title=key(words.plain(b.body.title))) for b in blocks]


def _pair_clauses(model: list[Unit], doc: list[Unit]) -> None:
    """Titled clauses by their titles first, then every other paragraph by its words.

    A document gives a titled clause's own words ("The golden principles", then its text
    and list) as paragraphs under the title: those leading paragraphs are its body.
    """
    model_flat, doc_flat = _flat(model), _flat(doc)
    titled_m = [u for u in model_flat if u.title]
    titled_d = [u for u in doc_flat if u.title and u.words == u.title]
    by_title = [Unit(u.title, u) for u in titled_m], [Unit(u.title, u) for u in titled_d]
    _pair(*by_title, SAME_SECTION)
    for proxy in by_title[0]:
        if proxy.match:
            m, d = proxy.node, proxy.match.node
            m.match, d.match, m.ratio, d.ratio = d, m, proxy.ratio, proxy.ratio
    _pair([u for u in model_flat if u.match is None and not u.title],
          [u for u in doc_flat if u.match is None and not (u.title and u.words == u.title)], SAME_CLAUSE)
    for m in titled_m:
        if m.match is None:
            continue
        d = m.match
        for child in d.children:
            if child.match is not None:
                break
            d.lead.append(child)
        body = " ".join(u.words for u in d.lead)
        own = m.words[len(m.title):].strip() if m.words.startswith(m.title) else m.words
        if own or body:
            for u in d.lead:
                u.match = m
        m.changed = d.title != m.title or body != own


def _covered(unit: Unit) -> bool:
    """A paragraph of the document read as part of a titled clause's own words."""
    return unit.match is not None and unit.match.match is not unit


def _flat(units: list[Unit]) -> list[Unit]:
    out = []
    for u in units:
        out.append(u)
        out += _flat(u.children)
    return out


def _pair(left: list[Unit], right: list[Unit], least: float) -> None:
    """Best pairs first, each unit used once; ties go to the pair nearer in order."""
    scored = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            r = ratio(a.words, b.words)
            if r >= least:
                scored.append((-r, abs(i / max(len(left), 1) - j / max(len(right), 1)), i, j, r))
    for _, _, i, j, r in sorted(scored):
        a, b = left[i], right[j]
        if a.match is None and b.match is None:
            a.match, b.match, a.ratio, b.ratio = b, a, r, r


def _raw_clauses(sections: list[dict]) -> dict[str, dict]:
    """Every clause of the model's own file by id, as written (placeholders and all)."""
    found: dict[str, dict] = {}

    def visit(clauses):
        for c in clauses or []:
            if isinstance(c, dict) and "id" in c:
                found[str(c["id"])] = c
                visit(c.get("clauses"))
                for choice in (c.get("choices") or {}).values():
                    if isinstance(choice, dict):
                        visit(choice.get("clauses"))
    for s in sections or []:
        visit(s.get("clauses"))
    return found


def compare(imported: dict, resolved: ResolvedPolicy, raw_model: dict, words) -> Result:
    """The overlay that turns the resolved model into the imported document, and what it did or was unsure of.

    `words` reads the model's text as the published page does (placeholders and
    cross-references filled: render.present.Words); it is passed in, as importers sit
    below the renderer in the pipeline."""
    report: list[Finding] = []
    overlay: dict = {}
    title = imported.get("title", "")
    if title and key(title) != key(resolved.title):
        overlay["title"] = title
        words.values["policy.title"] = title  # as the clauses will read with the school's title
    model_sections = [Unit(key(words.plain(p.title)), p, p.id, _model_units(p.blocks, words)) for p in resolved.parts]
    doc_sections = [Unit(key(s["title"]), s, children=_imported_units(s.get("clauses", [])))
                    for s in imported.get("sections", [])]
    titled = [d.words for d in doc_sections if d.children]
    for d in [d for d in doc_sections if not d.children and d.words in titled]:  # a contents line read as a heading
        doc_sections.remove(d)
        report.append(Finding("contents-heading", title=d.node["title"]))
    page = {key(t): what for t, what in ((resolved.contents.title, "contents"),
                                         (resolved.layout.heading, "ratification")) if t}
    for d in [d for d in doc_sections if d.words in page and not any(m.words == d.words for m in model_sections)]:
        doc_sections.remove(d)  # the page's own parts, which every build makes
        report.append(Finding("page-part", title=d.node["title"], part=page[d.words]))
    _pair(model_sections, doc_sections, SAME_SECTION)
    for m in model_sections:
        if m.match:
            _pair_clauses(m.children, m.match.children)
    raw = _raw_clauses(raw_model.get("sections", []))
    taken = set(raw) | {str(s.get("id")) for s in raw_model.get("sections", [])} | RESERVED_IDS
    for d in doc_sections:
        _rename(d, taken)
    replace, remove, add = [], [], []
    for m in model_sections:
        if m.match is None:
            remove.append(m.id)
            continue
        if m.match.words != m.words:
            report.append(Finding("retitled", m.id, title=m.match.node["title"]))
        for unit in _flat(m.children):
            if unit.match is None:
                if not any(c.match for c in _flat(unit.children)):
                    remove.append(unit.id)
                elif unit.words:
                    report.append(Finding("kept-for-children", unit.id))
            elif unit.changed if unit.title else unit.match.words != unit.words:
                replace.append(_replacement(unit, raw.get(unit.id, {"id": unit.id})))
                if unit.ratio < 0.85:
                    report.append(Finding("weak-match", unit.id, ratio=unit.ratio))
        add += _additions(m.match.children, m.id)
    replace += _unreferenced(model_sections, raw, remove, {r["id"] for r in replace}, report)
    add += _section_additions(doc_sections)
    add = [a for a in add if a]
    for a in add:
        what = a.get("clause") or a.get("section")
        report.append(Finding("added", what["id"],
                              placed=tuple((k, v) for k, v in a.items() if k in ("after", "before", "into"))))
    if remove:
        overlay["remove"] = remove
    if replace:
        overlay["replace"] = replace
    if add:
        overlay["add"] = add
    report += [Finding("removed", i) for i in remove]
    report += [Finding("replaced", r["id"]) for r in replace]
    return Result(overlay, report)


def _unreferenced(model_sections: list[Unit], raw: dict[str, dict], removed: list[str], replaced: set[str],
                  report: list[Finding]) -> list[dict]:
    """A clause the document kept that cross-refers ([[id]]) to one it left out: its words taken from the
    document, which give the reference as it was printed, so that nothing refers to what is gone."""
    gone = set(removed)
    for m in model_sections:
        if m.id in gone:
            gone |= {u.id for u in _flat(m.children)}
        for u in _flat(m.children):
            if u.id in gone:
                gone |= {c.id for c in _flat(u.children)}
    out = []
    for m in model_sections:
        for unit in _flat(m.children):
            if unit.id in gone or unit.id in replaced or unit.match is None or unit.id not in raw:
                continue
            own = {k: v for k, v in raw[unit.id].items() if k != "clauses"}
            refs = {r.split("#")[0] for r in references(yaml.safe_dump(own))}
            if refs & gone:
                out.append(_replacement(unit, raw[unit.id]))
                report.append(Finding("refers-to-gone", unit.id, refers_to=tuple(sorted(refs & gone))))
    return out


def _rename(unit: Unit, taken: set[str]) -> None:
    """An added clause or section keeps its imported id unless the model (or the page) uses it already."""
    if unit.match is None:
        base, n = unit.node["id"], 2
        while unit.node["id"] in taken:
            unit.node["id"], n = f"{base}-{n}", n + 1
        taken.add(unit.node["id"])
    for child in unit.children:
        _rename(child, taken)


def _replacement(unit: Unit, raw: dict) -> dict:
    """The model's clause with the document's words: its id, numbering, phases and sub-clauses kept."""
    doc = unit.match.node if not unit.title else _lead_fields(unit.match)
    out = {k: copy.deepcopy(v) for k, v in raw.items() if k not in WORDING and k not in ("clauses", "note", "change")}
    for k in ("title", "text", "items"):
        if k in doc:
            out[k] = doc[k]
    if "items" in doc and (style := doc.get("list") or raw.get("list")):
        out["list"] = style  # the marks the document shows; else the model's
    if "after" in doc:
        out["after"] = doc["after"]
    if "clauses" in raw:
        out["clauses"] = copy.deepcopy(raw["clauses"])
    out["id"] = unit.id
    return {"id": out.pop("id"), **out}


def _lead_fields(titled: Unit) -> dict:
    """A titled clause's words from the document: its title and the paragraphs that lead it."""
    out = {"title": titled.node["title"]}
    texts = [u.node.get("text", "") for u in titled.lead]
    if any(texts):
        out["text"] = "\n\n".join(t for t in texts if t)
    if titled.lead and "items" in titled.lead[-1].node:
        last = titled.lead[-1].node
        out.update({k: last[k] for k in ("items", "list", "after") if k in last})
    for u in titled.lead[:-1]:
        if "items" in u.node or "after" in u.node:  # a list before the last paragraph: kept as Markdown
            out["text"] = "\n\n".join(_as_markdown(v.node) for v in titled.lead)
            out.pop("items", None), out.pop("after", None), out.pop("list", None)
            break
    return out


def _as_markdown(node: dict) -> str:
    lines = [node.get("text", "")] + [f"- {i if isinstance(i, str) else i.get('text', '')}" for i in node.get("items", [])]
    return "\n".join(line for line in lines if line) + ("\n\n" + node["after"] if node.get("after") else "")


def _additions(units: list[Unit], parent: str) -> list[dict]:
    """Clauses of the document with no counterpart, anchored beside the nearest matched clause."""
    out: list[dict] = []
    anchor: Optional[str] = None
    pending: list[Unit] = []

    def flush(before: Optional[str]) -> None:
        for u in pending:
            where = {"after": anchor} if anchor else {"before": before} if before else {"into": parent}
            out.append({**where, "clause": u.node})
        pending.clear()

    for u in units:
        if u.match is None:
            pending.append(u)
            continue
        if _covered(u):
            continue
        flush(u.match.id)
        anchor = u.match.id
        out += _additions(u.children, u.match.id)
    flush(None)
    return out


def _section_additions(doc_sections: list[Unit]) -> list[dict]:
    """Sections the model lacks, each put before the next matched section (or at the end), so they keep their order."""
    out = []
    for at, s in enumerate(doc_sections):
        if s.match is None:
            following = next((d.match.id for d in doc_sections[at:] if d.match), None)
            out.append({**({"before": following} if following else {}), "section": s.node})
    return out
