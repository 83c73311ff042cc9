"""Read YAML into plain data while remembering where every value was written.

Why a loader of our own: PyYAML's constructors silently accept duplicate keys, turn
`1.10` into 1.1, `NO` into False and ISO dates into date objects. We compose the node
tree with the safe loader (no Python tags can construct anything) and build values
ourselves: every scalar stays text exactly as written, except `true`, `false` and
`null`, and a repeated key is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policyc.errors import Position, Problems

Path_ = tuple  # a path into the data: mapping keys and list indexes

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge",
}


@dataclass(frozen=True)
class SourceFile:
    """One YAML file as data, with the position of every value and mapping key."""

    path: Path
    name: str  # as shown in messages
    data: Any
    positions: dict = field(default_factory=dict, repr=False, compare=False)
    key_positions: dict = field(default_factory=dict, repr=False, compare=False)
    refused: frozenset = field(default=frozenset(), repr=False, compare=False)  # paths already reported

    def at(self, path: Path_ = ()) -> Position:
        """The position of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(self.name, 1, 1))

    def key_at(self, path: Path_) -> Position:
        """The position of the key that names the value at `path`."""
        return self.key_positions.get(tuple(path)) or self.at(path)


def _pos(name: str, mark: yaml.Mark) -> Position:
    return Position(name, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, name: str, problems: Problems) -> None:
        self.name = name
        self.problems = problems
        self.positions: dict = {}
        self.key_positions: dict = {}
        self.refused: set = set()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.positions[path] = _pos(self.name, node.start_mark)
        if node.tag not in _STANDARD_TAGS:
            self.problems.error(
                _pos(self.name, node.start_mark),
                f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed",
                "policy files hold plain text, lists and mappings; remove the tag",
            )
            self.refused.add(path)  # so the schema does not complain about the None left behind
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.error(_pos(self.name, key_node.start_mark),
                                    "YAML merge keys (<<) are not supported",
                                    "write the keys out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.error(_pos(self.name, key_node.start_mark),
                                    "a mapping key must be plain text")
                continue
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].line
                self.problems.error(
                    _pos(self.name, key_node.start_mark),
                    f"duplicate key {key!r}: it is already set on line {line}",
                    "YAML keeps only one of them; delete or rename one",
                )
                continue
            first_seen[key] = _pos(self.name, key_node.start_mark)
            self.key_positions[path + (key,)] = first_seen[key]
            result[key] = self.build(value_node, path + (key,))
        return result

    @staticmethod
    def _scalar(node: yaml.ScalarNode) -> Any:
        if node.style is None or node.style == "":  # plain, unquoted
            if node.value in ("true", "false"):
                return node.value == "true"
            if node.value in ("null", "~", ""):
                return None
        return node.value


def load_yaml(path: Path, name: str, problems: Problems) -> SourceFile | None:
    """Load one file; report problems and return None if it cannot be read at all."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(Position(name), f"not UTF-8 text (byte {exc.start})",
                       "save the file as UTF-8")
        return None
    except OSError as exc:
        problems.error(Position(name), f"cannot read the file: {exc.strerror}")
        return None
    return parse_yaml(text, path, name, problems)


def parse_yaml(text: str, path: Path, name: str, problems: Problems) -> SourceFile | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _pos(name, mark) if mark else Position(name)
        problems.error(where, f"not valid YAML: {exc.problem or exc.context}",
                       "check the indentation and quote text that contains ': ' or starts with a special character")
        return None
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        problems.error(Position(name), f"not valid YAML: {exc}")
        return None
    builder = _Builder(name, problems)
    data = builder.build(node, ()) if node is not None else None
    return SourceFile(path, name, data, builder.positions, builder.key_positions, frozenset(builder.refused))
