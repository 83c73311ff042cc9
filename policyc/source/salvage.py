"""Keep checking a file that has schema errors, so every problem is reported in one run.

Why: a schema error in one clause used to hide the placeholder, date, link and reference
checks of every other clause until it was fixed. Here the values the schema refused are
taken out of a copy of the data (an unknown key, a value of the wrong kind) until what is
left is valid; the meaning checks then run on that. Problems the removal itself could
cause (a clause left with no words) are muted at the places that were cut.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Optional

from policyc.errors import Position
from policyc.source.read import SourceFile
from policyc.source.schema import allowed_keys, leaf_errors

_ROUNDS = 8


def salvage(source: SourceFile, kind: str) -> Optional[tuple[SourceFile, set[Position]]]:
    """A schema-valid copy of `source` and the places cut from it; None if it cannot be made."""
    data = copy.deepcopy(source.data)
    cut: set[Position] = set()
    for _ in range(_ROUNDS):
        errors = leaf_errors(data, kind)
        if not errors:
            return dataclasses.replace(source, data=data), cut
        progress = False
        for error in errors:
            path = tuple(error.absolute_path)
            if error.validator in ("additionalProperties", "unevaluatedProperties"):
                parent, known = _at(data, path), allowed_keys(error)
                extra = [k for k in parent if k not in known] if isinstance(parent, dict) else []
                for key in extra:
                    del parent[key]
                progress |= bool(extra)
                cut.add(source.at(path))
                continue
            if not path or not isinstance(path[-1], str):
                return None  # a list item or the whole file: taking it out would shift the rest
            parent = _at(data, path[:-1])
            if isinstance(parent, dict) and path[-1] in parent:
                del parent[path[-1]]
                progress = True
                cut.add(source.at(path[:-1]))
        if not progress:
            return None
    return None


def _at(data: object, path: tuple) -> object:
    for part in path:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data
