"""`policyc new school SLUG` and `policyc new policy ID`: a first source file to fill in.

Why from the trust's own files: a new school's file lists the roles the trust's policies
name and the policies it will get, so the author fills in names rather than guessing
keys. Nothing is made up: what only the author knows (who holds a role, the words of a
clause) is left for them, and `policyc validate` then points at each gap.
"""

from __future__ import annotations

import json
from pathlib import Path

from policyc.errors import UsageError, display_path
from policyc.names import ID_RULE, is_id, is_slug
from policyc.resources import SCHEMA_DIR
from policyc.source.check import YAML_SUFFIXES


def _phases() -> list[str]:
    common = json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))
    return list(common["$defs"]["phase"].get("enum", []))


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def _refuse_existing(folder: Path, name: str, what: str) -> Path:
    for suffix in YAML_SUFFIXES:
        if (folder / f"{name}{suffix}").exists():
            raise UsageError(f"{display_path(folder / (name + suffix))} already exists; policyc new never "
                             f"overwrites a file (choose another {what}, or edit that file)")
    return folder / f"{name}.yaml"


def new_school(source: Path, project, slug: str, name: str = "", phase: str = "") -> Path:
    """Write schools/SLUG.yaml for a school of `project` (the trust as checked)."""
    if not is_slug(slug):
        raise UsageError(f"{slug!r} cannot be a school's slug: use lower-case letters, digits and single hyphens, "
                         "such as oak-primary (it is the school's folder in output/)")
    phases = _phases()
    if phase and phase not in phases:
        raise UsageError(f"--phase {phase!r}: choose one of {', '.join(phases)}")
    path = _refuse_existing(source / "schools", slug, "slug")
    trust = project.trust
    lines = ["# yaml-language-server: $schema=../../schemas/school.schema.json", "#",
             f"# A school of {trust.name or 'the trust'}. The file name is the school's folder in output/.",
             "# Under roles:, the people who hold the trust's roles here; under policies:, how this school",
             "# tailors each model policy (options, values, clauses added, replaced or removed) and its",
             "# ratification record. `policyc validate` says what is still missing.", ""]
    if name:
        lines.append(f"name: {_quoted(name)}")
    else:
        lines += ["# Check: the school's name as it should appear in its policies.",
                  f"name: {_quoted(slug.replace('-', ' ').title())}"]
    lines.append(f"phase: {phase}" if phase else f"# phase: primary          # one of: {', '.join(phases)}")
    lines += ["# short_name: ...         # a shorter name for running text",
              "# website: https://...",
              f"# approving_body: ...     # if not the trust's usual one ({trust.approving_body})", ""]
    lines += ["# Who holds each of the trust's roles here, with title: if the school calls the role",
              "# otherwise: remove the # before roles: and before each role whose holder's name the",
              "# policies print (validate names them), and write the name.", "# roles:"]
    width = max((len(key) for key, _ in trust.roles), default=0)
    for key, title in trust.roles:
        lines.append(f"#   {key}: {{name: ...}}{' ' * (width - len(key))}   # {title}")
    lines += ["", "policies:"]
    width = max((len(p.id) for p in project.policies), default=0)
    for policy in project.policies:
        lines += [f"  {policy.id}:{' ' * (width - len(policy.id))}   # {policy.title}",
                  "    ratification:", "      status: draft"]
    if not project.policies:
        lines[-1] = "policies: {}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite
        f.write("\n".join(lines) + "\n")
    return path


def new_policy(source: Path, policy_id: str, title: str = "", review_cycle: str = "annually") -> Path:
    """Write policies/ID.yaml: the keys a model policy needs, and one section for its first clause."""
    if not is_id(policy_id):
        raise UsageError(f"{policy_id!r} cannot be a policy's id: use {ID_RULE} (it names the policy's files)")
    path = _refuse_existing(source / "policies", policy_id, "id")
    lines = ["# yaml-language-server: $schema=../../schemas/policy.schema.json", "#",
             "# A model policy of the trust: every school gets it, tailored in its own file in schools/.",
             "# Each section and clause has an id that never changes, so versions can be compared clause",
             "# by clause. {{ school.name }}, {{ term.staff }} and {{ role.KEY }} are filled in for each",
             "# school; [[clause-id]] becomes that clause's paragraph number.", "",
             f"id: {policy_id}"]
    if title:
        lines.append(f"title: {_quoted(title)}")
    else:
        lines += ["# Check: the policy's title, as it is printed on its first page.",
                  f"title: {_quoted(policy_id.replace('-', ' ').replace('_', ' ').capitalize() + ' Policy')}"]
    lines += ['numbering: "1.1"          # none, 1, 1.1 or 1.1 (a)',
              f"review_cycle: {review_cycle}    # annually, biennially, triennially, every N years or every N months",
              "# approver: trust          # if the trust board approves it once for every school", "",
              "sections:",
              "  - id: purpose",
              "    kind: scope            # general, preamble, scope, definitions, principles, prohibited, practice,",
              "                           # consent, monitoring, roles, incidents, related, appendix or changes",
              "    title: Purpose and scope",
              "    clauses:",
              "      - id: purpose-why",
              "        text: \"\"             # the first paragraph, in the policy's own words"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path
