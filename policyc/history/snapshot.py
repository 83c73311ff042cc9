"""Ratified snapshots: the exact resolved text a body approved, frozen and content-hashed.

Why YAML with block text: a snapshot is the record of what governors approved, and a
clerk reads it in a git diff. Why a hash: the record must not drift, so the build refuses
a snapshot whose content no longer matches the hash written when it was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from policyc.errors import Position, Problems, display_path
from policyc.model import (
    Block,
    ClauseBody,
    Contents,
    Duties,
    Part,
    Ratification,
    ResolvedPolicy,
    Signatory,
)
from policyc.names import inside, version_problem
from policyc.source.check import note_leftover
from policyc.source.load import list_items
from policyc.source.read import load_yaml

FORMAT = "policyc-snapshot/1"
HEADER = ("# Ratified snapshot made by policyc: the exact text that was approved.\n"
          "# Do not edit it: the build checks it against its sha256 and refuses a changed one.\n")


@dataclass(frozen=True)
class Snapshot:
    """One ratified version of one school's policy."""

    version: str
    summary: str
    change: str  # "first", "values", "wording" or "structure"
    policy: ResolvedPolicy  # numbered, with its ratification record
    path: Optional[Path] = None
    digest: str = ""
    owner: str = ""  # who made the change, for a change table with an owner column
    recorded: str = ""  # the day `ratify` wrote it (ISO), for `unratify`; older snapshots have none

    @property
    def date(self) -> dt.date:
        return self.policy.ratification.date


# --- to data and back -----------------------------------------------------------

def _body(body: ClauseBody) -> dict:
    data: dict[str, Any] = {}
    if body.title:
        data["title"] = body.title
    if body.text:
        data["text"] = body.text
    if body.items:
        data["items"] = [_item(i) for i in body.items]
    if body.after:
        data["after"] = body.after
    if body.duties:
        d = body.duties
        data["duties"] = {"must_lead": d.must_lead, "must": list(d.must),
                          "must_not_lead": d.must_not_lead, "must_not": list(d.must_not)}
    return data


def _item(item) -> Any:
    """A plain item stays a string, so snapshots of policies without nested lists are unchanged."""
    if isinstance(item, str):
        return item
    data: dict[str, Any] = {"text": item.text, "items": [_item(i) for i in item.items]}
    if item.list_style:
        data["list"] = item.list_style
    return data


def _block(block: Block) -> dict:
    data = {"id": block.id, "number": block.number, "numbered": block.numbered,
            "list": block.list_style, "origin": block.origin, **_body(block.body)}
    if block.children:
        data["clauses"] = [_block(c) for c in block.children]
    return data


def content(policy: ResolvedPolicy) -> dict:
    """The part of a policy that was approved: its words, numbers and placeholder values."""
    data = {
        "title": policy.title, "subtitle": policy.subtitle, "numbering": policy.numbering,
        "contents": {"show": policy.contents.show, "title": policy.contents.title, "note": policy.contents.note},
        "preamble": policy.preamble,
        "values": dict(policy.placeholders),
        "options": [{"label": l, "choice": c, "meaning": m} for l, c, m in policy.options],
        "sections": [{"id": p.id, "kind": p.kind, "title": p.title, "number": p.number,
                      "numbered": p.numbered, "origin": p.origin, "contents_title": p.contents_title,
                      "clauses": [_block(b) for b in p.blocks]} for p in policy.parts],
    }
    if policy.opening:  # only when there is one, so earlier snapshots keep their hashes
        data["opening"] = policy.opening
    return data


def digest(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def same_text(a: ResolvedPolicy, b: ResolvedPolicy) -> bool:
    return digest(content(a)) == digest(content(b))


def to_data(snap: Snapshot) -> dict:
    r = snap.policy.ratification
    record = {
        "format": FORMAT, "school": snap.policy.school_slug, "policy": snap.policy.policy_id,
        "version": snap.version, "change": snap.change, "summary": snap.summary, "owner": snap.owner,
        "status": "ratified", "body": r.body, "date": r.date.isoformat(), "minute": r.minute,
        "signatories": [{"name": s.name, "role": s.role} for s in r.signatories],
        "review_cycle": r.review_cycle, "next_review": r.next_review.isoformat() if r.next_review else "",
    }
    if snap.recorded:  # only when known, so that earlier snapshots keep their hashes
        record["recorded"] = snap.recorded
    if snap.policy.reasons:  # only when given, so that earlier snapshots keep their hashes
        record["reasons"] = [{"id": i, "reason": why, **({"by": by} if by else {})}
                             for i, why, by in snap.policy.reasons]
    body = content(snap.policy)
    return {**record, "content": body, "sha256": digest({**record, "content": body})}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.splitlines()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(snap: Snapshot) -> str:
    return dump_data(to_data(snap))


def dump_data(data: dict) -> str:
    """A snapshot's text from its data, block text kept readable in a diff."""
    return HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                              width=100, default_flow_style=False)


def path_for(root: Path, school: str, policy: str, version: str) -> Path:
    return inside(root, "snapshots", school, policy, f"{version}.yaml")


# --- reading ------------------------------------------------------------------------

def _from_body(d: dict) -> ClauseBody:
    duties = None
    if "duties" in d:
        x = d["duties"]
        duties = Duties(x["must_lead"], tuple(x["must"]), x["must_not_lead"], tuple(x["must_not"]))
    return ClauseBody(d.get("title", ""), d.get("text", ""), list_items(d.get("items", ())),
                      d.get("list", ""), d.get("after", ""), duties)


def _from_block(d: dict, where: Position) -> Block:
    children = tuple(_from_block(c, where) for c in d.get("clauses", ()))
    return Block(d["id"], _from_body(d), children, where, d["numbered"], d["list"], d["origin"], d["number"])


# What a snapshot's policy takes from the policy it is loaded beside (see from_data): a
# snapshot loaded again beside a policy whose fields these are equal is the same snapshot.
LENT = ("school_slug", "policy_id", "school_name", "trust_name", "change_columns", "ratification_block", "sources",
        "approver", "layout", "policy_links", "word_download", "brand", "owner", "uncontrolled_note",
        "published_at")


def from_data(data: dict, where: Position, base: ResolvedPolicy) -> Snapshot:
    """Rebuild the approved policy; `base` lends what is not part of the approved text
    (the school's name for page furniture, the trust's table columns, its logo and colour)."""
    c = data["content"]
    values = tuple(sorted(c["values"].items()))
    parts = tuple(Part(s["id"], s["kind"], s["title"],
                       tuple(_from_block(b, where) for b in s["clauses"]), where,
                       s["numbered"], s["origin"], s["number"], s.get("contents_title", ""))
                  for s in c["sections"])
    ratification = Ratification(
        "ratified", data["body"], dt.date.fromisoformat(data["date"]), data.get("minute", ""),
        tuple(Signatory(s["name"], s["role"]) for s in data["signatories"]), str(data["version"]),
        "", data.get("review_cycle", ""),
        dt.date.fromisoformat(data["next_review"]) if data.get("next_review") else None)
    contents = Contents(c["contents"]["show"], c["contents"]["title"], c["contents"]["note"])
    policy = ResolvedPolicy(
        policy_id=data["policy"], school_slug=data["school"], school_name=base.school_name,
        trust_name=base.trust_name, title=c["title"], subtitle=c["subtitle"], numbering=c["numbering"],
        contents=contents, preamble=c["preamble"], parts=parts, placeholders=values,
        ratification=ratification, body=data["body"], history=(), change_columns=base.change_columns,
        ratification_block=base.ratification_block,
        options=tuple((o["label"], o["choice"], o["meaning"]) for o in c["options"]), sources=base.sources,
        approver=base.approver, layout=base.layout, opening=c.get("opening", ""),
        policy_links=base.policy_links, word_download=base.word_download, brand=base.brand,
        owner=base.owner,
        uncontrolled_note=base.uncontrolled_note, published_at=base.published_at,
        reasons=tuple((r["id"], r["reason"], r.get("by", "")) for r in data.get("reasons") or ()))
    return Snapshot(str(data["version"]), data.get("summary", ""), data.get("change", ""), policy,
                    None, data.get("sha256", ""), data.get("owner", "") or "", str(data.get("recorded", "")))


def load_snapshots(root: Path, base: ResolvedPolicy, problems: Problems) -> list[Snapshot]:
    """Every snapshot of one school's policy, oldest first; a tampered one is reported, never used."""
    folder = root / "snapshots" / base.school_slug / base.policy_id
    found = []
    for path in sorted(folder.glob("*.yaml")):
        if note_leftover(path, problems):
            continue
        name = display_path(path)
        source = load_yaml(path, name, problems, within=root)
        if source is None:
            continue
        data = source.data
        if not isinstance(data, dict) or data.get("format") != FORMAT or "content" not in data:
            problems.error(Position(name, 1, 1), "not a policyc snapshot", "snapshots are made by 'ratify'")
            continue
        written = data.get("sha256", "")
        actual = digest({k: v for k, v in data.items() if k != "sha256"})
        if written != actual:
            problems.error(source.at(("sha256",)),
                           "this snapshot has been changed since it was made: its content no longer matches its sha256",
                           "a ratified snapshot is the record of what was approved; restore it from version control")
            continue
        problem = version_problem(str(data.get("version", "")))
        if problem:
            problems.error(source.at(("version",)), problem,
                           "a snapshot's version is part of file names; snapshots are made by 'ratify'")
            continue
        if path.stem != str(data["version"]):
            problems.error(source.at(("version",)),
                           f"this snapshot says version {data['version']} but its file is named {path.name}",
                           "snapshots are made by 'ratify'; restore this one from version control")
            continue
        try:
            snap = from_data(data, source.at(), base)
        except (KeyError, TypeError, ValueError) as exc:
            problems.error(source.at(), f"this snapshot cannot be read ({exc})")
            continue
        found.append(Snapshot(snap.version, snap.summary, snap.change, snap.policy, path, written, snap.owner,
                              snap.recorded))
    return sorted(found, key=lambda s: (s.date, version_key(s.version)))


def version_key(version: str) -> tuple:
    parts = []
    for piece in version.replace("-", ".").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append((int(digits) if digits else -1, piece))
    return tuple(parts)


