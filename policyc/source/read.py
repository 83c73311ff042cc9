"""Read YAML into plain data while remembering where every value was written.

Why a loader of our own: PyYAML's constructors silently accept duplicate keys, turn
`1.10` into 1.1, `NO` into False and ISO dates into date objects. We compose the node
tree with the safe loader (no Python tags can construct anything) and build values
ourselves: every scalar stays text exactly as written, except `true`, `false` and
`null`, and a repeated key is an error.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policyc.errors import Position, Problems
from policyc.limits import MAX_FILE_BYTES, MAX_NESTING
from policyc.source.yaml_errors import explain

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
    cut: frozenset = field(default=frozenset(), repr=False, compare=False)  # paths the schema refused (salvage)

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
            items: list = []
            for item in node.value:
                for part in self._items_in(item):
                    items.append(self.build(part, path + (len(items),)))
            return items
        return self._scalar(node)

    def _items_in(self, node: yaml.Node) -> list[yaml.Node]:
        """A list item, or several when a mapping item repeats its first key with no '- ' before
        it: the author meant a new item and forgot the dash. Each part is read as its own item,
        so what it holds is checked, and the slip is reported once, with the dash it needs."""
        if not isinstance(node, yaml.MappingNode) or node.tag != "tag:yaml.org,2002:map" or not node.value:
            return [node]
        first = node.value[0][0]
        if not isinstance(first, yaml.ScalarNode):
            return [node]
        groups = [[node.value[0]]]
        for pair in node.value[1:]:
            key = pair[0]
            if isinstance(key, yaml.ScalarNode) and key.value == first.value and \
                    key.start_mark.column == first.start_mark.column:
                value = pair[1].value if isinstance(pair[1], yaml.ScalarNode) else "..."
                self.problems.error(
                    _pos(self.name, key.start_mark),
                    f"{key.value!r} again in the same list item: this looks like a new item without its '- '",
                    f"write '- ' in place of the two spaces before it ('- {key.value}: {value}'), so that its "
                    f"dash lines up with the one on line {first.start_mark.line + 1}")
                groups.append([])
            groups[-1].append(pair)
        if len(groups) == 1:
            return [node]
        return [yaml.MappingNode(node.tag, group, group[0][0].start_mark if i else node.start_mark,
                                 group[-1][1].end_mark, node.flow_style) for i, group in enumerate(groups)]

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


def load_yaml(path: Path, name: str, problems: Problems, within: Path | None = None) -> SourceFile | None:
    """Load one file; report problems and return None if it cannot be read at all.

    Only a regular file (inside `within`, when given) is read, and never more than
    MAX_FILE_BYTES of it: a FIFO, a device or a link out of the source folder is an error.
    """
    data = read_source_bytes(path, name, problems, within)
    if data is None:
        return None
    return yaml_from_bytes(data, path, name, problems)


def yaml_from_bytes(data: bytes, path: Path, name: str, problems: Problems) -> SourceFile | None:
    """The file's bytes, already read (see load_yaml), as a SourceFile."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.error(_byte_position(name, data, exc.start),
                       f"not UTF-8 text: the byte 0x{data[exc.start]:02x} here is not a character",
                       "save the file as UTF-8 (in Word or Notepad: Save As, Encoding UTF-8)")
        return None
    return parse_yaml(text, path, name, problems)


def read_source_bytes(path: Path, name: str, problems: Problems, within: Path | None = None) -> bytes | None:
    try:
        if within is not None:
            real, root = path.resolve(), within.resolve()
            if real != root and root not in real.parents:
                problems.error(Position(name, 1, 1), "this file is a link to a file outside the source folder",
                               "copy the file into the source folder instead of linking to it")
                return None
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            problems.error(Position(name, 1, 1), "not a regular file (a device, pipe or folder)",
                           "source files must be ordinary YAML files")
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.error(Position(name, 1, 1),
                           f"the file is {info.st_size:,} bytes; a source file may be at most {MAX_FILE_BYTES:,}",
                           "split it, or check that it is the file you meant")
            return None
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped for a pipe or device meanwhile
                problems.error(Position(name, 1, 1), "not a regular file (a device, pipe or folder)",
                               "source files must be ordinary YAML files")
                return None
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.error(Position(name, 1, 1), f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.error(Position(name, 1, 1), f"the file is larger than {MAX_FILE_BYTES:,} bytes")
        return None
    return data


def _byte_position(name: str, data: bytes, offset: int) -> Position:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Position(name, line, column)


def _char_position(name: str, text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return Position(name, line, index - (text.rfind("\n", 0, index) + 1) + 1)


class _Refused(yaml.MarkedYAMLError):
    """A construct we refuse while composing, with a message already in plain words."""


class _Bounded:
    """Composing that refuses aliases and nesting deeper than MAX_NESTING.

    Why: PyYAML would expand an alias every time it is used (a few lines can grow to
    gigabytes) and composes nested values recursively (deep nesting ends in a
    RecursionError); refusing both while composing bounds memory and stack.
    """

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(problem=f"the alias *{event.anchor} is not supported", problem_mark=event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _Refused(problem=f"nested too deeply: more than {MAX_NESTING} levels",
                               problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Loader(_Bounded, yaml.SafeLoader):
    """PyYAML's own safe loader, in Python: the one whose error messages we explain."""


try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml: every file takes the Python path
    _CParser = None

if _CParser is not None:
    class _FastLoader(_Bounded, yaml.composer.Composer, _CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser under the same Python composer and resolver.

        Why: the Python scanner is most of the time spent reading a large trust's sources
        (benchmarks/scale.py times validation); libyaml gives the same events and the same line
        and column for every node. Only a file it reads without complaint is taken this way. Anything it
        refuses is read again by `_Loader`, whose messages `explain` knows.
        """

        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose(text: str, fast: bool) -> yaml.Node | None:
    loader = _FastLoader(text) if fast else _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml(text: str, path: Path, name: str, problems: Problems) -> SourceFile | None:
    # libyaml accepts a tab where PyYAML refuses one ("key:<tab>value"): such files, and
    # characters PyYAML does not allow, are read in Python only.
    if _CParser is not None and "\t" not in text and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _built(_compose(text, fast=True), path, name, problems)
        except yaml.YAMLError:
            pass  # read again below, for the message
    try:
        node = _compose(text, fast=False)
    except _Refused as exc:
        hint = ("write the value out in full where it is needed: anchors (&) and aliases (*) are not used in "
                "policy files" if "alias" in exc.problem else "policy files never need this much nesting")
        problems.error(_pos(name, exc.problem_mark), exc.problem, hint)
        return None
    except yaml.MarkedYAMLError as exc:
        where, message, hint = explain(exc, text, name)
        problems.error(where, message, hint)
        return None
    except yaml.reader.ReaderError as exc:
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        problems.error(_char_position(name, text, exc.position),
                       f"the special character U+{ord(char):04X} is not allowed in a source file",
                       "delete it (it is often pasted in from another program and cannot be seen)")
        return None
    except yaml.YAMLError as exc:
        problems.error(Position(name, 1, 1), f"not valid YAML: {exc}")
        return None
    return _built(node, path, name, problems)


def _built(node: yaml.Node | None, path: Path, name: str, problems: Problems) -> SourceFile:
    builder = _Builder(name, problems)
    data = builder.build(node, ()) if node is not None else None
    return SourceFile(path, name, data, builder.positions, builder.key_positions, frozenset(builder.refused))
