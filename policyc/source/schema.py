"""Validate source files against the JSON Schemas in schemas/, in the user's words."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from policyc.errors import Problems
from policyc.resources import SCHEMA_DIR
from policyc.source.load import date_hint
from policyc.source.read import SourceFile

KINDS = ("trust", "policy", "school")

_TYPE_WORDS = {
    "string": "text", "object": "a mapping of keys to values", "array": "a list",
    "boolean": "true or false", "null": "nothing", "number": "a number",
}


@lru_cache(maxsize=None)
def _validators() -> dict[str, Draft202012Validator]:
    docs = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(doc)) for name, doc in docs.items())
    return {kind: Draft202012Validator(docs[f"{kind}.schema.json"], registry=registry)
            for kind in KINDS}


def validate(source: SourceFile, kind: str, problems: Problems) -> bool:
    """Report every schema error in `source`; True when there were none."""
    errors = list(_validators()[kind].iter_errors(source.data))
    for error in errors:
        for leaf in _leaves(error):
            if not _already_reported(source, tuple(leaf.absolute_path)) and not _misspelt_for(leaf):
                _report(source, leaf, problems)
    return not errors


def leaf_errors(data: object, kind: str) -> list[ValidationError]:
    """The schema errors in `data` as they would be reported, without reporting them."""
    return [leaf for error in _validators()[kind].iter_errors(data) for leaf in _leaves(error)]


def allowed_keys(error: ValidationError) -> set[str]:
    """The keys a mapping may hold, for an unknown-key error."""
    return _allowed_keys(error.schema)


def property_schema(schema: dict, key: str) -> dict:
    """The schema of `key` in a mapping described by `schema` (following $ref and allOf)."""
    schema = _deref(schema)
    if key in schema.get("properties", {}):
        return _deref(schema["properties"][key])
    for sub in schema.get("allOf", []):
        found = property_schema(sub, key)
        if found:
            return found
    return {}


def stand_in(schema: dict, new_id, file_id: str = ""):
    """A value that `schema` accepts and no meaning check remarks on: it stands in for a
    required value that is missing or was refused, so the rest of the file is still checked.
    `new_id()` gives an id used nowhere else; a policy's own id stands in as its file name."""
    schema = _deref(schema)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            branches = [_deref(b) for b in schema[key]]
            usable = [b for b in branches if b.get("type") != "null"] or branches
            return stand_in(usable[0], new_id, file_id)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if kind == "object":
        return {}
    if kind == "array":
        return []
    if kind == "boolean":
        return False
    if kind in ("number", "integer"):
        return schema.get("minimum", 0)
    if kind == "string" or kind is None:
        pattern = schema.get("pattern")
        if pattern == _common("id").get("pattern"):
            return file_id or new_id()
        if pattern == _common("date").get("pattern"):
            return "2000-01-01"
        return "…"
    return None


def _misspelt_for(error: ValidationError) -> bool:
    """A missing key written with a slip (`titel:` for `title:`): its unknown-key error says so."""
    if error.validator != "required" or not isinstance(error.instance, dict):
        return False
    missing = error.message.split("'")[1] if "'" in error.message else ""
    allowed = _allowed_keys(error.schema)
    extra = [k for k in error.instance if k not in allowed]
    return bool(difflib.get_close_matches(missing, extra, n=1))


def _already_reported(source: SourceFile, path: tuple) -> bool:
    """A value the reader refused (a tag) is None now; saying so again would only confuse."""
    return any(path[:i] in source.refused for i in range(len(path) + 1))


def _leaves(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf, the errors of the branch that got furthest, not the whole tree."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    if error.validator == "oneOf" and not _oneof_failed_every_branch(error):
        return [error]
    deepest = max(len(e.absolute_path) for e in error.context)
    best = [e for e in error.context if len(e.absolute_path) == deepest]
    by_branch: dict = {}
    for e in best:
        by_branch.setdefault(e.relative_schema_path[0] if e.relative_schema_path else 0, []).append(e)
    # A branch of the wrong kind (wanting true/false where a mapping was written) is not the
    # one the author meant; among the rest, the branch with the fewest complaints is.
    fitting = [b for b in by_branch.values() if not _wrong_kind(b, error.instance)]
    if not fitting and deepest == len(error.absolute_path):
        return [error]  # of none of the kinds allowed: reported as "expected A or B"
    branch = min(fitting or list(by_branch.values()), key=len)
    return [leaf for e in branch for leaf in _leaves(e)]


def _wrong_kind(branch: list[ValidationError], instance: object) -> bool:
    """True when the branch failed only because the value is of another type altogether."""
    return all(e.validator == "type" and e.instance is instance for e in branch)


def _oneof_failed_every_branch(error: ValidationError) -> bool:
    return "is not valid under any" in error.message


def _report(source: SourceFile, error: ValidationError, problems: Problems) -> None:
    path = tuple(error.absolute_path)
    where = source.at(path)
    hint = ""
    validator, value, schema = error.validator, error.instance, error.schema
    if validator in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(_allowed_keys(schema))
        known = set(allowed)
        for key in (k for k in value if k not in known):
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else (
                f"allowed keys here: {', '.join(allowed)}" if allowed else "")
            problems.error(source.key_at(path + (key,)), f"unknown key {key!r}", hint)
        return
    if validator == "required":
        missing = error.message.split("'")[1]
        message = f"missing required key {missing!r}"
    elif validator == "type":
        wanted = schema.get("type")
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in (wanted if isinstance(wanted, list) else [wanted]))
        message = f"expected {words}, found {_describe(value)}"
        if wanted == "boolean" and isinstance(value, str):
            hint = "write true or false (yes/no and on/off are read as text)"
        elif value is None and path and wanted in ("object", "array"):
            hint = (f"if the lines below belong to {path[-1]!r}, indent them further than {path[-1]!r}"
                    if isinstance(path[-1], str) else "")
    elif validator == "enum":
        options = [str(o) for o in error.validator_value]
        message = f"{value!r} is not allowed here; use one of: {', '.join(options)}"
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"did you mean {close[0]!r}?" if close else ""
    elif validator == "pattern":
        message, hint = _pattern_problem(path, value, schema)
    elif validator in ("minLength", "minItems", "minProperties"):
        message = "this must not be empty"
    elif validator == "uniqueItems":
        message = "this list repeats an entry"
    elif validator == "dependentRequired":
        message = error.message.replace("is a dependency of", "is needed alongside")
    elif validator in ("anyOf", "oneOf") and error.context and all(e.validator == "type" for e in error.context):
        wanted = [t for e in error.context for t in (e.validator_value if isinstance(e.validator_value, list)
                                                    else [e.validator_value])]
        message = f"expected {' or '.join(_TYPE_WORDS.get(t, t) for t in dict.fromkeys(wanted))}, found {_describe(value)}"
        if "boolean" in wanted and isinstance(value, str):
            hint = "write true or false (yes/no and on/off are read as text)"
        elif "null" in wanted and "object" in wanted:
            hint = "give the words as a mapping, such as {text: ...}, or null to leave it out"
    elif validator == "oneOf":
        message = "give exactly one of these (only one position: after, before or into; and either clause or section)"
    else:
        message = error.message
    problems.error(where, message, hint)


def _pattern_problem(path: tuple, value: str, schema: dict) -> tuple[str, str]:
    """Say what a date, an id or a slug should look like, rather than quote the pattern."""
    pattern = schema.get("pattern")
    if pattern == _common("date").get("pattern"):
        return f"{value!r} is not a real date", date_hint(value)
    if path == ("slug",):
        return (f"the school slug {value!r} is not safe for a folder name",
                "use lower-case letters, digits and single hyphens, such as 'oakfield-primary'")
    if pattern == _common("id").get("pattern"):
        return (f"{value!r} is not a valid id",
                "use lower-case letters and digits, with single hyphens or underscores between them, "
                "starting with a letter")
    if pattern and "https://" in pattern and not str(value).startswith("https://"):
        return (f"{value!r} is not a web address policyc can link to",
                f"write the whole address, beginning https://, such as 'https://{str(value).removeprefix('http://')}'")
    return f"{value!r} is not valid here", schema.get("description", "")


@lru_cache(maxsize=None)
def _common(name: str) -> dict:
    return _deref({"$ref": f"common.schema.json#/$defs/{name}"})


def _allowed_keys(schema: dict) -> set[str]:
    keys = set(schema.get("properties", {}))
    for sub in schema.get("allOf", []):
        keys |= _allowed_keys(_deref(sub))
    return keys


def _deref(schema: dict) -> dict:
    """Follow a $ref; one without a file name is looked up in each schema that could hold it."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    file, _, pointer = ref.partition("#")
    files = [file] if file else sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json"))
    for name in files:
        doc = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        for part in pointer.strip("/").split("/"):
            if not isinstance(doc, dict) or part not in doc:
                doc = None
                break
            doc = doc[part] if part else doc
        if isinstance(doc, dict):
            return doc
    return {}


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text {value!r}"
