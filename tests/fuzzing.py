"""Source trees generated from the JSON Schemas and mutated as hostile or careless users would.

Used by tests/test_fuzz.py (a short, reproducible run) and scripts/fuzz.py (as long as
asked). A case starts from a real tree (the small test trust or the example trust), puts
schema-generated values at random places, then mutates it: wrong kinds of value, odd
Unicode, hostile Markdown, huge values, deep nesting, aliases, tabs and stray bytes in the
YAML text; and the newer keys (a clause's change:, reasons: maps, a meeting's date, applies_to,
meets:, [[other-policy#clause]] references) with valid and invalid values. Every run of `validate` and of a build on it must keep the rule in `check_case`.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

from policyc.errors import Problems
from policyc.resources import SCHEMA_DIR
from policyc.source.read import parse_yaml
from tests.helpers import EXAMPLE, POLICY, SCHOOL, TRUST

HOSTILE_TEXT = [
    "{{" * 20_000, "<a:" * 20_000, "[[" * 20_000, "](" * 20_000, "*_" * 20_000, "x" * 120_000,
    "[x][r]\n\n[r]: javascript:alert(1)", "[a](javascript:alert(1)) and [b](data:text/html,x)\n\n[c](vbscript:x)",
    "<script>alert(1)</script>", "<https://www.gov.uk>", "<javascript:alert(1)>", "[x](#nowhere)",
    "[x](#purpose)", "{{ school.name }}", "{{ nope.x }}", "{{ school.name | shout }}", "{{", "}}",
    "[[purpose]]", "[[missing]]", "[[ Purpose ]]", "[[", "".join("  " * i + "- level\n" for i in range(14)),
    "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 1_200, "> " * 40 + "quote", "\u202eevil\u202c \u200b\ufeff",
    "a\x00b", "\x1b[31mred", "\ud7ff\ue000\U0010fffd", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽ 👩‍👩‍👧", "line\r\nbreak\rcr", "../../etc/passwd",
    "CON", " ", "", "1.10", "yes", "~", "null", "2026-02-30", "30/09/2026", "9999-12-31", "0001-01-01",
    "#", "mailto:", "https://", "[[see-note]]", "<!-- c -->", "&amp; &#0; &#x110000;", "\\", "%", "@", "`",
]
WRONG_KINDS = [None, True, False, [], {}, ["a", {"b": None}], {"x": ["y"]}, "", 7]
YAML_DAMAGE = ["tab", "alias_bomb", "self_alias", "drop_char", "colon", "control", "bad_utf8", "truncate",
               "dedent", "deep"]


@dataclass
class Case:
    """One generated source tree, as the YAML files to write."""

    files: dict[str, bytes]
    build_pdf: bool = False
    steps: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return "; ".join(self.steps) or "unchanged"


def _load(text: str) -> object:
    return parse_yaml(text, Path("x.yaml"), "x.yaml", Problems()).data


def _bases() -> list[dict[str, object]]:
    mini = {"trust.yaml": _load(TRUST), "policies/social-media.yaml": _load(POLICY),
            "schools/oak-primary.yaml": _load(SCHOOL)}
    example = {str(p.relative_to(EXAMPLE)): _load(p.read_text(encoding="utf-8"))
               for p in sorted(EXAMPLE.rglob("*.yaml")) if "snapshots" not in p.parts}
    return [mini, example]


BASES = _bases()
_SCHEMAS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
_KIND = {"trust.yaml": "trust.schema.json", "policies": "policy.schema.json", "schools": "school.schema.json"}


def _deref(schema: dict, doc: str) -> tuple[dict, str]:
    while "$ref" in schema:
        file, _, pointer = schema["$ref"].partition("#")
        doc = file or doc
        schema = _SCHEMAS[doc]
        for part in pointer.strip("/").split("/"):
            if part:
                schema = schema[part]
    return schema, doc


def _schema_at(file: str, path: tuple) -> tuple[dict, str] | None:
    """The schema that applies at `path` in `file`, following properties, items and refs."""
    doc = _KIND.get(file) or _KIND[file.split("/")[0]]
    schema, doc = _deref(_SCHEMAS[doc], doc)
    for part in path:
        for branch in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
            branch, bdoc = _deref(branch, doc)
            if branch.get("type") in ("object", "array"):
                schema, doc = branch, bdoc
                break
        if isinstance(part, int):
            schema = schema.get("items", {})
        else:
            schema = schema.get("properties", {}).get(part) or schema.get("additionalProperties") or {}
        if not isinstance(schema, dict):
            return None
        schema, doc = _deref(schema, doc)
    return schema, doc


def generate(schema: dict, doc: str, rng: random.Random, ids: list[str], depth: int = 0) -> object:
    """A value shaped by `schema`, with ids taken from the tree so references can hit."""
    schema, doc = _deref(schema, doc)
    choices = schema.get("anyOf") or schema.get("oneOf")
    if choices:
        return generate(rng.choice(choices), doc, rng, ids, depth)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type", "string")
    kind = rng.choice(kind) if isinstance(kind, list) else kind
    if kind == "object" and depth < 6:
        properties = schema.get("properties", {})
        wanted = set(schema.get("required", [])) | {k for k in properties if rng.random() < 0.3}
        value = {k: generate(properties[k], doc, rng, ids, depth + 1) for k in sorted(wanted) if k in properties}
        if "id" in wanted or "id" in properties:
            value.setdefault("id", f"gen-{rng.randrange(10_000)}")
        return value
    if kind == "array" and depth < 6:
        return [generate(schema.get("items", {}), doc, rng, ids, depth + 1) for _ in range(rng.randrange(1, 4))]
    if kind == "boolean":
        return rng.random() < 0.5
    pattern = schema.get("pattern", "")
    if "[0-9]{4}" in pattern:
        return rng.choice(["2026-09-01", "2024-02-29", "2025-02-29", "2026-09-31", "1899-12-31", "2999-01-01"])
    if "[a-z]" in pattern:
        return rng.choice(ids + ["gen-id", "x"])
    return rng.choice(["Words.", "See [[" + rng.choice(ids or ["x"]) + "]].", "{{ school.name }}",
                       "[link](#" + rng.choice(ids or ["x"]) + ")", rng.choice(HOSTILE_TEXT)[:300]])


def _paths(data: object) -> list[tuple]:
    found, stack = [], [((), data)]
    while stack:
        path, value = stack.pop()
        found.append(path)
        if isinstance(value, dict):
            stack += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(path + (i,), v) for i, v in enumerate(value)]
    return sorted(found, key=repr)


def _ids(tree: dict) -> list[str]:
    return sorted({v for data in tree.values() for _, v in _id_values(data)})


def _id_values(data: object):
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                yield path, value["id"]
            stack += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(path + (i,), v) for i, v in enumerate(value)]


def _set(data: object, path: tuple, value: object) -> None:
    for part in path[:-1]:
        data = data[part]  # type: ignore[index]
    data[path[-1]] = value  # type: ignore[index]


def _mutate(tree: dict, rng: random.Random, steps: list[str]) -> None:
    file = rng.choice(sorted(tree))
    data = tree[file]
    paths = [p for p in _paths(data) if p]
    if not paths:
        return
    path = rng.choice(paths)
    what = rng.choice(["schema", "schema", "hostile", "hostile", "wrong", "delete", "unknown", "duplicate",
                       "nest", "rename"])
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if what == "schema":
        found = _schema_at(file, path)
        if found:
            _set(data, path, generate(*found, rng, _ids(tree)))
    elif what == "hostile":
        _set(data, path, rng.choice(HOSTILE_TEXT))
    elif what == "wrong":
        _set(data, path, copy.deepcopy(rng.choice(WRONG_KINDS)))
    elif what == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif what == "unknown" and isinstance(parent, dict):
        key = str(path[-1])
        parent[key[:-1] + "e" if key else "x"] = parent[path[-1]]
    elif what == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))
    elif what == "nest":
        value: object = "deep"
        for _ in range(rng.choice([10, 45, 200])):
            value = [value] if rng.random() < 0.5 else {"clauses": [{"id": "n", "text": "x", "k": value}]}
        _set(data, path, value)
    elif what == "rename" and file.startswith(("policies/", "schools/")):
        new = file.split("/")[0] + "/" + rng.choice(["Bad Name", "x" * 80, "ok-name", "con", "a.b"]) + ".yaml"
        tree[new] = tree.pop(file)
    steps.append(f"{what} at {file}:{'/'.join(map(str, path))}")


# --- the newer source keys: change:, reasons:, a meeting's date, applies_to, meets:, [[other-policy]] ---

STATUTORY_IDS = ["behaviour-policy", "admission-arrangements", "charging-remissions", "careers-guidance"]
BAD_IDS = ["Bad Id", "", "x" * 200, "-lead", "a--b", "über", "1.2", "../up", "#frag"]
BAD_DATES = ["2026-02-30", "30/09/2026", "2026-9-1", "tomorrow", 20260901, "", "9999-12-31", "0001-01-01"]


def _change(rng: random.Random) -> object:
    """A reason for a change, valid or not: a sentence, {reason, by}, or what a careless hand writes."""
    return copy.deepcopy(rng.choice([
        "Brought in line with KCSIE 2025.", {"reason": "New statutory guidance.", "by": "DSL"},
        {"reason": "Asked for by governors."}, {"reason": ""}, {"by": "Head"}, {"reason": "x", "extra": 1},
        {"reason": ["a list"]}, {"reason": "Fine.", "by": ""}, " ", rng.choice(HOSTILE_TEXT)[:200],
        rng.choice(WRONG_KINDS)]))


def _reasons(rng: random.Random, ids: list[str]) -> object:
    if rng.random() < 0.15:
        return copy.deepcopy(rng.choice(WRONG_KINDS))
    keys = rng.sample(ids, min(len(ids), rng.randrange(1, 4))) + rng.sample(BAD_IDS, rng.randrange(0, 2))
    return {k: _change(rng) for k in keys}


def _policy_ids(tree: dict) -> list[str]:
    return sorted(name.split("/", 1)[1].rsplit(".", 1)[0] for name in tree if name.startswith("policies/"))


def _cross_reference(rng: random.Random, tree: dict, ids: list[str]) -> str:
    policies = _policy_ids(tree) or ["x"]
    return rng.choice([
        f"[[{rng.choice(policies)}]]", f"[[{rng.choice(policies)}#{rng.choice(ids or ['x'])}]]",
        "[[no-such-policy]]", f"[[{rng.choice(policies)}#no-such-clause]]", f"[[{rng.choice(policies)}#]]",
        "[[#purpose]]", "[[Social-Media]]", f"[[{rng.choice(policies)}#{rng.choice(ids or ['x'])}|words]]",
        f"[[ {rng.choice(policies)} ]]", "[[" + rng.choice(policies) + "#" * 30 + "]]"])


def _dicts_with_id(data: object) -> list[dict]:
    found, stack = [], [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                found.append(value)
            stack += list(value.values())
        elif isinstance(value, list):
            stack += value
    return found


def _newer(tree: dict, rng: random.Random, steps: list[str]) -> None:
    """One of the newer keys put somewhere it may go (or nearly), with a valid or an invalid value."""
    ids = _ids(tree)
    policies = sorted(n for n in tree if n.startswith("policies/") and isinstance(tree[n], dict))
    schools = sorted(n for n in tree if n.startswith("schools/") and isinstance(tree[n], dict))
    what = rng.choice(["change", "change", "reasons", "meeting", "applies_to", "meets", "cross", "cross",
                       "school reasons", "school meeting", "school change"])
    if what in ("change", "reasons", "meeting", "applies_to", "meets", "cross") and policies:
        file = rng.choice(policies)
        data = tree[file]
        blocks = [b for b in _dicts_with_id(data) if b is not data]
        if what == "change" and blocks:
            block = rng.choice(blocks)
            block["change"] = _change(rng)
            where = block["id"]
        elif what == "cross" and blocks:
            block = rng.choice(blocks)
            block["text"] = (block.get("text") if isinstance(block.get("text"), str) else "See") + " " + \
                _cross_reference(rng, tree, ids)
            where = block["id"]
        elif what == "reasons":
            data["reasons"], where = _reasons(rng, ids), "reasons"
        elif what == "meeting":
            data["meeting"] = rng.choice(["2026-12-01", "2027-01-15", *BAD_DATES])
            where = "meeting"
        elif what == "applies_to":
            schema = _SCHEMAS["policy.schema.json"]["properties"]["applies_to"]
            data["applies_to"] = rng.choice([generate(schema, "policy.schema.json", rng, ids),
                                             {"phases": ["primary", "university"]}, {"phases": []}, "primary",
                                             {"phases": ["secondary"], "extra": True}, {}])
            where = "applies_to"
        elif what == "meets":
            data["meets"] = rng.choice([rng.sample(STATUTORY_IDS, rng.randrange(1, 3)), ["no-such-requirement"],
                                        [STATUTORY_IDS[0], STATUTORY_IDS[0]], rng.choice(BAD_IDS), [None], []])
            where = "meets"
        else:
            return
    elif schools:
        file = rng.choice(schools)
        data = tree[file]
        own = data.get("policies") if isinstance(data.get("policies"), dict) else None
        if not own:
            return
        policy = rng.choice(sorted(own))
        overlay = own[policy] if isinstance(own[policy], dict) else None
        if overlay is None:
            return
        if what == "school reasons":
            overlay["reasons"], where = _reasons(rng, ids), f"policies/{policy}/reasons"
        elif what == "school meeting" and isinstance(overlay.get("ratification"), dict):
            overlay["ratification"]["meeting"] = rng.choice(["2026-12-01", *BAD_DATES])
            where = f"policies/{policy}/ratification/meeting"
        else:
            blocks = _dicts_with_id(overlay)
            if not blocks:
                return
            block = rng.choice(blocks)
            block["change"] = _change(rng)
            where = f"policies/{policy}/…/{block['id']}"
    else:
        return
    steps.append(f"newer {what} at {file}:{where}")


def _damage(text: str, rng: random.Random, steps: list[str]) -> bytes:
    lines = text.splitlines(keepends=True) or [""]
    i = rng.randrange(len(lines))
    how = rng.choice(YAML_DAMAGE)
    steps.append(f"yaml {how} at line {i + 1}")
    if how == "tab":
        lines[i] = "\t" + lines[i]
    elif how == "alias_bomb":
        lines.append("zz0: &a0 [lol]\n" + "".join(f"zz{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 9) + "]\n"
                                                  for k in range(1, 10)))
    elif how == "self_alias":
        lines.append("zz: &loop [1, *loop]\n")
    elif how == "drop_char" and lines[i]:
        j = rng.randrange(len(lines[i]))
        lines[i] = lines[i][:j] + lines[i][j + 1:]
    elif how == "colon":
        lines[i] = lines[i].rstrip("\n") + ": oops: here\n"
    elif how == "control":
        lines[i] = "\x07" + lines[i]
    elif how == "bad_utf8":
        return "".join(lines).encode("utf-8") + b"\nname: \xff\xfe\n"
    elif how == "truncate":
        lines = lines[: i + 1]
        lines[-1] = lines[-1][: len(lines[-1]) // 2]
    elif how == "dedent":
        lines[i] = lines[i][1:]
    elif how == "deep":
        lines.append("zz: " + "[" * 1_100 + "]" * 1_100 + "\n")
    return "".join(lines).encode("utf-8")


@st.composite
def cases(draw, pdf_share: float = 0.025) -> Case:
    """A source tree: a real one, with schema-generated values and mutations put in."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    base = draw(st.integers(0, len(BASES) - 1))
    tree = copy.deepcopy(BASES[base])
    steps: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        _mutate(tree, rng, steps)
    for _ in range(draw(st.integers(0, 3))):
        _newer(tree, rng, steps)
    files = {name: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200).encode("utf-8")
             for name, data in tree.items()}
    if draw(st.integers(0, 3)) == 0:
        name = rng.choice(sorted(files))
        files[name] = _damage(files[name].decode("utf-8"), rng, steps)
    text = draw(st.text(max_size=40))
    if text and draw(st.booleans()):
        name = rng.choice(sorted(n for n in files if n.startswith("policies/")) or sorted(files))
        files[name] += f"\nnote: {json.dumps(text)}\n".encode("utf-8")
        steps.append(f"free text {text!r} in {name}")
    # PDFs of the small trust only: the example trust's five schools take minutes as PDF.
    return Case(files, build_pdf=base == 0 and draw(st.integers(0, 999)) < pdf_share * 1000, steps=steps)
