"""Word-level comparison, cleaned up for people to read (as diff-match-patch's semantic clean-up).

Why a clean-up: the shortest edit script between two wordings keeps every word the two
share, however small ("the", "of", a comma), so a rewritten sentence comes out as old and
new words interleaved and nobody can read either. Here a kept stretch between two changes
is folded into them when it is no longer than the change on either side of it (measured in
words), and always when it is a single word or only spaces and punctuation. What is left
reads as one deletion then one insertion between stretches of kept text. difflib does the
comparison itself: deterministic, and no time limit to make two runs differ.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence


@dataclass(frozen=True)
class Segment:
    """a[i1:i2] against b[j1:j2]: the same words ("equal") or a change ("change"), where
    either side of a change may be empty (a pure insertion or deletion)."""

    kind: str
    i1: int
    i2: int
    j1: int
    j2: int


def compare_words(a: Sequence[Hashable], b: Sequence[Hashable], weight: Callable[[Hashable], int],
                  is_space: Callable[[Hashable], bool] = lambda t: False) -> list[Segment]:
    """Segments of `a` against `b` after the clean-up. `weight(token)` is 1 for a word and 0
    for a space or punctuation; `is_space` marks the token that may be moved into a change
    so that a deletion and the insertion replacing it are read apart ("passed go" rather
    than "passedgo")."""
    segments = _merged(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    segments = _fold_islands(segments, a, b, weight)
    return _spaced(segments, a, b, is_space)


def kept_words(segments: list[Segment], a: Sequence[Hashable], weight: Callable[[Hashable], int]) -> int:
    return sum(weight(t) for s in segments if s.kind == "equal" for t in a[s.i1:s.i2])


def _merged(opcodes) -> list[Segment]:
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in opcodes:
        kind = "equal" if op == "equal" else "change"
        if out and out[-1].kind == kind == "change":
            last = out.pop()
            out.append(Segment("change", last.i1, i2, last.j1, j2))
        else:
            out.append(Segment(kind, i1, i2, j1, j2))
    return out


def _fold_islands(segments: list[Segment], a, b, weight) -> list[Segment]:
    """Fold kept stretches into the changes around them until none is left to fold."""
    def size(change: Segment) -> int:  # a change's size is its larger side, in words
        return max(sum(weight(t) for t in a[change.i1:change.i2]), sum(weight(t) for t in b[change.j1:change.j2]))
    k = 1
    while k < len(segments) - 1:
        eq, before, after = segments[k], segments[k - 1], segments[k + 1]
        if eq.kind == "equal" and before.kind == after.kind == "change":
            kept = sum(weight(t) for t in a[eq.i1:eq.i2])
            if kept <= 1 or (kept <= size(before) and kept <= size(after)):
                segments[k - 1:k + 2] = [Segment("change", before.i1, after.i2, before.j1, after.j2)]
                k = max(1, k - 2)  # the longer change may now swallow the stretch before it
                continue
        k += 1
    return segments


def _spaced(segments: list[Segment], a, b, is_space) -> list[Segment]:
    """Move one kept space into each change that both deletes and inserts, so that on the
    page the struck words and the new ones are apart, and each side still reads exactly."""
    out = list(segments)
    for k, s in enumerate(out):
        if s.kind != "change" or s.i1 == s.i2 or s.j1 == s.j2:
            continue
        starts_apart = is_space(a[s.i1]) or is_space(b[s.j1])
        ends_apart = is_space(a[s.i2 - 1]) or is_space(b[s.j2 - 1])
        if starts_apart or ends_apart:
            continue
        before = out[k - 1] if k else None
        after = out[k + 1] if k + 1 < len(out) else None
        if before is not None and before.kind == "equal" and before.i2 > before.i1 and is_space(a[before.i2 - 1]):
            out[k - 1] = Segment("equal", before.i1, before.i2 - 1, before.j1, before.j2 - 1)
            out[k] = Segment("change", s.i1 - 1, s.i2, s.j1 - 1, s.j2)
        elif after is not None and after.kind == "equal" and after.i2 > after.i1 and is_space(a[after.i1]):
            out[k + 1] = Segment("equal", after.i1 + 1, after.i2, after.j1 + 1, after.j2)
            out[k] = Segment("change", s.i1, s.i2 + 1, s.j1, s.j2 + 1)
    return [s for s in out if s.kind == "change" or s.i2 > s.i1]
