"""Number sections and clauses (1, 1.1, 1.1.1) and turn [[id]] into those numbers."""

from __future__ import annotations

from dataclasses import replace as copy

from policyc.model import Block, ResolvedPolicy


def number_policy(policy: ResolvedPolicy) -> ResolvedPolicy:
    parts, counter = [], 0
    for part in policy.parts:
        if part.numbered:
            counter += 1
            number = str(counter)
        else:
            number = ""
        parts.append(copy(part, number=number, blocks=_number(part.blocks, number)))
    return copy(policy, parts=tuple(parts))


def _number(blocks: tuple[Block, ...], prefix: str) -> tuple[Block, ...]:
    """Only numbered blocks use up a number; an unnumbered one's children continue the parent's."""
    out, counter = [], 0
    for block in blocks:
        if block.numbered and prefix:
            counter += 1
            number = f"{prefix}.{counter}"
            children = _number(block.children, number)
        else:
            number = ""
            children = _number(block.children, "")
        out.append(copy(block, number=number, children=children))
    return tuple(out)


def anchors(policy: ResolvedPolicy) -> dict[str, tuple[str, str]]:
    """id -> (number, title) for every section and clause, for cross-references."""
    table: dict[str, tuple[str, str]] = {}

    def visit(blocks):
        for block in blocks:
            table[block.id] = (block.number, block.body.title)
            visit(block.children)
    for part in policy.parts:
        table[part.id] = (part.number, part.title)
        visit(part.blocks)
    return table


def reference_text(number: str, title: str) -> str:
    """How a cross-reference reads: its number, or failing that its title in quotes."""
    if number:
        return number
    return f"‘{title}’" if title else "this paragraph"
