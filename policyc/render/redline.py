"""The redline for governors, as HTML (and so PDF): a plain-English summary, then the policy
with its changes marked, written from the change model (render/changes.py).

Never by colour alone: inserted words are underlined and deleted ones struck through, and
a screen reader announces each. A list is a real list with its own markers (a roman
sub-list (i)-(iv) too), a table a real table, emphasis and links stay inside marked words.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from policyc.history.compare import FRONT, Comparison
from policyc.text.dates import long_date
from policyc.model import ResolvedPolicy
from policyc.render.changes import ClauseEntry, Piece, Redline, Runs, SectionEntry, build_redline
from policyc.text import prose


def _text(text: str) -> str:
    """Words as HTML; a bare email or web address is a link, as on the policy page (so the
    PDF has a link annotation over it, not an address a reader cannot follow)."""
    finder = prose.link_finder()
    found = finder.match(text) if finder.test(text) else None
    if not found:
        return str(escape(text))
    out, at = [], 0
    for link in found:
        if not prose.is_safe_link(link.url):
            continue
        out += [str(escape(text[at:link.index])),
                f'<a href="{escape(link.url)}">{escape(text[link.index:link.last_index])}</a>']
        at = link.last_index
    return "".join(out) + str(escape(text[at:]))


def _look(run) -> str:
    html = str(escape(run.text)) if run.link or run.code else _text(run.text)
    if run.code:
        html = f"<code>{html}</code>"
    if run.em:
        html = f"<em>{html}</em>"
    if run.strong:
        html = f"<strong>{html}</strong>"
    if run.link and prose.is_safe_link(run.link):
        html = f'<a href="{escape(run.link)}">{html}</a>'
    return html


_MARK = {"inserted": ("ins", "inserted"), "deleted": ("del", "deleted")}


def runs_html(runs: Runs) -> Markup:
    """Runs as HTML: each change one <ins> or <del>, however many looks its words have."""
    out: list[str] = []
    k = 0
    while k < len(runs):
        kind = runs[k].kind
        group = []
        while k < len(runs) and runs[k].kind == kind:
            group.append(_look(runs[k]))
            k += 1
        inner = "".join(group)
        if kind in _MARK:
            tag, said = _MARK[kind]
            inner = (f'<{tag}><span class="visually-hidden">[{said}: </span>{inner}'
                     f'<span class="visually-hidden">]</span></{tag}>')
        out.append(inner)
    return Markup("".join(out))


_LISTS = {"bullet": ("ul", "bulleted"), "letter": ("ol", "lettered"), "roman": ("ol", "roman"),
          "number": ("ol", "numbered")}


def _marker(piece: Piece) -> str:
    if not piece.marker:
        return ""
    hidden = ' aria-hidden="true"' if piece.marker == "•" else ""
    return f'<span class="marker"{hidden}>{escape(piece.marker)}&nbsp;</span>'


def _state(piece_or_row) -> str:
    return f' class="{piece_or_row.state}"' if piece_or_row.state in ("inserted", "deleted") else ""


def _table(piece: Piece) -> str:
    rows = []
    for row in piece.rows:
        cell = "th" if row.header else "td"
        scope = ' scope="col"' if row.header else ""
        rows.append(f"<tr{_state(row)}>" + "".join(f"<{cell}{scope}>{runs_html(c)}</{cell}>" for c in row.cells)
                    + "</tr>")
    head = [r for r, row in zip(rows, piece.rows) if row.header]
    body = [r for r, row in zip(rows, piece.rows) if not row.header]
    state = f" {piece.state}" if piece.state in ("inserted", "deleted") else ""
    said = {"inserted": "Table (inserted)", "deleted": "Table (deleted)"}.get(piece.state, "Table")
    # a wide table scrolls in its own labelled region on a narrow screen, as on the policy page
    return (f'<section class="table-scroll" aria-label="{said}" tabindex="0"><table class="redline-table{state}">'
            + (f"<thead>{''.join(head)}</thead>" if head else "") + f"<tbody>{''.join(body)}</tbody></table></section>")


def pieces_html(pieces: tuple[Piece, ...], lead: str = "") -> Markup:
    """A clause's pieces as they read: paragraphs, nested real lists, tables; `lead` (its
    number and note) starts the first paragraph, or stands before a clause that opens with a list."""
    out: list[str] = []
    open_lists: list[tuple[int, str]] = []  # (level, style) of each open list, its <li> open

    def close_to(level: int) -> None:
        while open_lists and open_lists[-1][0] > level:
            out[-1] += f"</li></{_LISTS[open_lists.pop()[1]][0]}>"
    if lead and (not pieces or pieces[0].kind not in ("paragraph", "title", "heading")):
        out.append(f"<p>{lead}</p>")
        lead = ""
    for piece in pieces:
        if piece.kind != "item":
            close_to(-1)
            words = runs_html(piece.runs)
            if piece.kind == "table":
                out.append(_table(piece))
            elif piece.kind in ("title", "heading"):
                out.append(f"<p{_state(piece)}>{lead}<strong>{words}</strong></p>")
            else:
                out.append(f"<p{_state(piece)}>{lead}{words}</p>")
            lead = ""
            continue
        if not piece.marker and open_lists:  # a later paragraph of the item above
            out[-1] += f"<p>{runs_html(piece.runs)}</p>"
            continue
        close_to(piece.level)
        if open_lists and open_lists[-1][0] == piece.level and open_lists[-1][1] != piece.style:
            close_to(piece.level - 1)
        item = f"<li{_state(piece)}>{_marker(piece)}{runs_html(piece.runs)}"
        if open_lists and open_lists[-1][0] == piece.level:
            out[-1] += "</li>" + item
        else:
            tag, css = _LISTS.get(piece.style, _LISTS["bullet"])
            opening = f'<{tag} class="{css}">' + item
            if open_lists:  # a list inside the item above
                out[-1] += opening
            else:
                out.append(opening)
            open_lists.append((piece.level, piece.style if piece.style in _LISTS else "bullet"))
    close_to(-1)
    return Markup("\n".join(out))


@dataclass(frozen=True)
class RedlineClause:
    """One clause as the page shows it: the change model's entry, written as HTML."""

    entry: ClauseEntry
    body: Markup

    change = property(lambda self: self.entry.change)
    number = property(lambda self: self.entry.number)
    note = property(lambda self: self.entry.note)
    depth = property(lambda self: self.entry.depth)
    why = property(lambda self: self.entry.why)
    place = property(lambda self: self.entry.place)


@dataclass(frozen=True)
class RedlineSection:
    entry: SectionEntry
    title: Markup
    clauses: tuple[RedlineClause, ...]

    id = property(lambda self: self.entry.id)
    number = property(lambda self: self.entry.number)
    note = property(lambda self: self.entry.note)
    changed = property(lambda self: self.entry.changed)
    why = property(lambda self: self.entry.why)
    place = property(lambda self: self.entry.place)


def clause_view(entry: ClauseEntry) -> RedlineClause:
    if entry.place == "moved-from":  # its words are shown where it now stands
        return RedlineClause(entry, Markup(f'<p><strong class="change-note">{escape(entry.note)}</strong></p>'))
    lead = f'<span class="num">{escape(entry.number)}</span> ' if entry.number else ""
    if entry.note:
        lead += f'<strong class="change-note">{escape(entry.note)}:</strong> '
    return RedlineClause(entry, pieces_html(entry.pieces, lead))


def html_sections(redline: Redline) -> list[RedlineSection]:
    """The model's sections as the page shows them; a clause carried along with the clause it
    belongs to needs no note of its own at the place it left."""
    return [RedlineSection(s, runs_html(s.title),
                           tuple(clause_view(c) for c in s.clauses if not (c.place == "moved-from" and c.carried)))
            for s in redline.sections]


def build_sections(comparison: Comparison) -> list[RedlineSection]:
    return html_sections(build_redline(comparison))


def summary(comparison: Comparison, old_label: str, new_label: str, values_marked: bool = False) -> list[str]:
    """The plain-English account of what changed, with paragraph numbers in both versions.
    `values_marked`: the text marks a changed value as a change (the Word redline)."""
    out = []
    changed = comparison.of_kind("changed")
    added = comparison.of_kind("added")
    removed = comparison.of_kind("removed")
    moved = comparison.moved

    def num(change, side):
        return comparison.label(change, side)

    def both(change):
        a, b = num(change, "old"), num(change, "new")
        return b if a == b else f"{b} (was {a})"

    for change in comparison.front:
        out.append(f"{FRONT[change.id][:1].upper()}{FRONT[change.id][1:]}: "
                   + {"changed": "wording changed", "added": "added", "removed": "removed"}[change.kind])
    out.append(f"{_count(len(changed), 'paragraph')} with changed wording"
               + (f": {', '.join(both(c) for c in changed)}" if changed else ""))
    out.append(f"{_count(len(added), 'paragraph')} added" + (f": {', '.join(num(c, 'new') for c in added)}" if added else ""))
    out.append(f"{_count(len(removed), 'paragraph')} removed"
               + (f": {', '.join(num(c, 'old') for c in removed)} in {old_label}" if removed else ""))
    moves = [f"{num(c, 'old')} is now {num(c, 'new')}" for c in moved]
    out.append(f"{_count(len(moved), 'paragraph')} moved" + (f": {', '.join(moves)}" if moves else ""))
    for s in comparison.sections.values():
        if s.kind == "added":
            out.append(f"Section added: {s.new.number + ' ' if s.new.number else ''}{s.new.title}")
        elif s.kind == "removed":
            out.append(f"Section removed: {s.old.number + ' ' if s.old.number else ''}{s.old.title}")
        elif s.kind == "changed":
            out.append(f"Section heading changed: {s.new.number + ' ' if s.new.number else ''}{s.new.title} (was {s.old.title})")
        if s.moved:
            out.append(f"Section moved: {s.new.number + ' ' if s.new.number else ''}{s.new.title}"
                       + (f" (was section {s.old.number})" if s.old.number else ""))
    renumbered = comparison.renumbered_only
    if renumbered:
        out.append(f"{_count(len(renumbered), 'paragraph')} renumbered only, with no change to the words "
                   f"(for example {renumbered[0].old_number} is now {renumbered[0].new_number})")
    for name, before, after in comparison.values:
        detail = _detail(name, comparison)
        out.append(f"{detail[:1].upper()}{detail[1:]} changed from ‘{before or '(none)'}’ to "
                   f"‘{after or '(none)'}’ " + ("(marked as a change in the text)" if values_marked
                                                 else "(the text shows the new value, unmarked)"))
    return out


def _detail(name: str, comparison: Comparison) -> str:
    """A placeholder's name in words: 'holder.headteacher' is 'the name of the Headteacher'."""
    group, _, key = name.partition(".")
    role = comparison.new.placeholder_map().get(f"role.{key}", key.replace("_", " "))
    return {
        "holder": f"the name of the {role}",
        "role": "the title of a role",
        "term": f"the word used for {key.replace('_', ' ')}",
        "school": f"the school's {key.replace('_', ' ')}",
        "trust": f"the trust's {key.replace('_', ' ')}",
        "body": "the approving body's name",
        "policy": "the policy's title",
    }.get(group, f"the value {key.replace('_', ' ')}")


def _count(n: int, word: str) -> str:
    return f"{'No' if n == 0 else n} {word}{'' if n == 1 else 's'}"




def redline_context(comparison: Comparison, current: ResolvedPolicy, old_label: str, new_label: str,
                    draft: bool, redline: Redline | None = None) -> dict:
    """What redline.html.j2 (and the review pack) need, for the diff command and the build alike."""
    redline = redline or build_redline(comparison)
    return dict(
        title=current.title, school_name=current.school_name, body=current.body,
        old_label=old_label, new_label=new_label, draft=draft,
        summary=summary(comparison, old_label, new_label), summary_values=comparison.values,
        reasons=comparison.reasons(),
        has_changes=comparison.has_changes, sections=html_sections(redline),
        furniture=[" · ".join(p for p in (f"Changes to the {current.title}", current.school_name,
                                          f"From {old_label} to {new_label}", "DRAFT" if draft else "") if p)])


def version_label(version: str, ratified) -> str:
    return f"version {version} (ratified {long_date(ratified)})"
