"""`policyc validate`, `status` and `compliance`: what the checked sources say, as a table or JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

from policyc import reports
from policyc.cli.parser import EXIT_INVALID, EXIT_OK
from policyc.errors import counted
from policyc.site.bundle import status_groups


def validate_command(checked) -> int:
    project = checked.project
    print(f"{len(project.schools)} school(s), {len(project.policies)} policy file(s): "
          f"no errors, {len(counted(checked.warnings))} warning(s).")
    return EXIT_OK


def status_command(args, checked, today: dt.date, output: Path) -> int:
    if args.school or args.policy:
        schools, policies = set(args.school), set(args.policy)
        checked = dataclasses.replace(checked, histories=[
            h for h in checked.histories if (not schools or h.current.school_slug in schools)
            and (not policies or h.current.policy_id in policies)])
    groups = status_groups(checked, today, output)
    if args.json:
        rows = [{"school": e.school_slug, "school_name": e.school_name, "policy": e.policy_id, "title": e.title,
                 "group": key, "status": e.standing.label, "version": e.version or None,
                 "ratified": e.ratified.isoformat() if e.ratified else None,
                 "next_review": e.next_review.isoformat() if e.next_review else None,
                 "awaiting": e.pending or None}
                for key, found in groups.items() for e in found]
        print(json.dumps({"as_at": today.isoformat(), "policies": rows}, indent=2, ensure_ascii=False))
    else:
        print(reports.status_table(checked.project.display_name, groups, today), end="")
    failing = [key for key in args.fail_on if groups.get(key)]
    if failing:
        print("policyc: " + "; ".join(f"{len(groups[k])} {k.replace('-', ' ')}" for k in failing)
              + f" (--fail-on {','.join(args.fail_on)})", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def compliance_command(args, checked, today: dt.date) -> int:
    from policyc.compliance.report import findings
    from policyc.compliance.requirements import statutory
    listed = statutory()
    if args.list:
        print(reports.requirements_text(listed, list(checked.project.trust.compliance.requirements)), end="")
        return EXIT_OK
    found = findings(checked.project, checked.histories, today, set(args.school) or None)
    if args.json:
        print(json.dumps(reports.compliance_json(found, today, listed), indent=2, ensure_ascii=False))
    else:
        print(reports.compliance_text(checked.project.display_name, found, today, listed), end="")
    failing = {key: sum(key in f.problems for f in found) for key in args.fail_on}
    failing = {k: n for k, n in failing.items() if n}
    if failing:
        print("policyc: " + "; ".join(f"{n} {k.replace('-', ' ')}" for k, n in failing.items())
              + f" (--fail-on {','.join(args.fail_on)})", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK
