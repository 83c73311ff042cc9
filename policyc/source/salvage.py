"""Keep checking a file that has schema errors, so every problem is reported in one run.

Why: a schema error in one clause used to hide the placeholder, date, link and reference
checks of every other clause (and of the clause itself) until it was fixed. Here a copy of
the data is mended until it is valid, and the meaning checks run on that:

- a misspelt key close to a key that is missing (`titel:` for `title:`) is read as that key,
  so the words under it are still checked;
- a required key that is missing, or whose value was refused, gets a stand-in value that no
  check complains about;
- any other refused value is taken out (a list item too: the positions of the items after
  it move up with it, so every later message still points at its own line).

The paths taken out are kept on the copy (`SourceFile.cut`), so a check that looks for a key
("a ratified record needs its date") knows it was written, only wrongly. Problems that the
mending itself could cause (a clause left with no words) are muted at the places that were
cut; independent ones there (a duplicate id) are not.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import itertools
from typing import Optional

from policyc.errors import Position
from policyc.source.read import SourceFile
from policyc.source.schema import allowed_keys, leaf_errors, property_schema, stand_in

_ROUNDS = 12


def salvage(source: SourceFile, kind: str) -> Optional[tuple[SourceFile, set[Position]]]:
    """A schema-valid copy of `source` and the places cut from it; None if it cannot be made."""
    mend = _Mending(source)
    for _ in range(_ROUNDS):
        errors = leaf_errors(mend.data, kind)
        if not errors:
            return mend.result(), mend.cut_positions
        # Deepest first, and list items from the last: mending one never moves another's path.
        errors.sort(key=lambda e: [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path],
                    reverse=True)
        progress = False
        for error in errors:
            progress |= mend.fix(error)
        if not progress:
            return None
    return None


class _Mending:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.data = copy.deepcopy(source.data)
        self.positions = dict(source.positions)
        self.key_positions = dict(source.key_positions)
        self.cut: set[tuple] = set()
        self.cut_positions: set[Position] = set()
        self.done: set[tuple] = set()
        self.names = (f"salvaged-{i}" for i in itertools.count(1))

    def at(self, path: tuple) -> Position:
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(self.source.name, 1, 1))

    def result(self) -> SourceFile:
        return dataclasses.replace(self.source, data=self.data, positions=self.positions,
                                   key_positions=self.key_positions, cut=frozenset(self.cut))

    def fix(self, error) -> bool:
        path = tuple(error.absolute_path)
        node = _at(self.data, path)
        if error.validator in ("additionalProperties", "unevaluatedProperties"):
            return self._unknown_keys(path, node, error)
        if error.validator == "required":
            if not isinstance(node, dict):
                return False
            missing = [k for k in error.validator_value if k not in node]
            for key in missing:
                node[key] = self._stand_in(property_schema(error.schema, key), path + (key,))
            return bool(missing)
        if not path:
            return False  # the whole file is of the wrong kind: nothing to check in it
        parent, last = _at(self.data, path[:-1]), path[-1]
        if path in self.done:
            return False  # a stand-in that is itself refused
        self.cut.add(path)
        self.cut_positions.add(self.at(path[:-1]))
        if isinstance(parent, dict) and last in parent:
            del parent[last]  # a key the mapping needs gets a stand-in in the next round
            return True
        if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
            self._shift(path[:-1], last)
            return True
        return False

    def _unknown_keys(self, path: tuple, node, error) -> bool:
        if not isinstance(node, dict):
            return False
        allowed = allowed_keys(error)
        extra = [k for k in node if k not in allowed]
        for key in extra:
            free = [k for k in allowed if k not in node]
            close = difflib.get_close_matches(key, free, n=1)
            value = node.pop(key)
            if close:  # `titel:` read as `title:`, so what it holds is checked too
                node[close[0]] = value
                self._rename(path + (key,), path + (close[0],))
            else:
                self.cut_positions.add(self.at(path))
        return bool(extra)

    def _stand_in(self, schema: dict, path: tuple):
        self.done.add(path)
        return stand_in(schema, lambda: next(self.names), self.source.path.stem if path == ("id",) else "")

    def _rename(self, old: tuple, new: tuple) -> None:
        for table in (self.positions, self.key_positions):
            for p in [p for p in table if p[:len(old)] == old]:
                table[new + p[len(old):]] = table.pop(p)

    def _shift(self, list_path: tuple, index: int) -> None:
        """After item `index` of the list at `list_path` is taken out, the later items move up."""
        n = len(list_path)
        for table in (self.positions, self.key_positions):
            moved = {}
            for p in list(table):
                if p[:n] == list_path and len(p) > n and isinstance(p[n], int) and p[n] >= index:
                    position = table.pop(p)
                    if p[n] > index:
                        moved[p[:n] + (p[n] - 1,) + p[n + 1:]] = position
            table.update(moved)


def _at(data: object, path: tuple) -> object:
    for part in path:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data
