"""`policyc new school|policy`: a first file to fill in."""

from __future__ import annotations

import sys
from pathlib import Path

from policyc.cli.common import arg, is_default_source
from policyc.cli.parser import EXIT_OK
from policyc.errors import Problems, UsageError, UserError, display_path
from policyc.progress import link


def new_command(args, source: Path) -> int:
    from policyc.scaffold import new_policy, new_school
    from policyc.source.check import load_project
    if args.what == "school":
        project = load_project(source, Problems())
        if project is None:
            raise UserError("the trust's files cannot be read yet, so a school cannot be listed against them: "
                            "run 'policyc validate' and put those problems right first")
        path = new_school(source, project, args.name, args.title, args.phase)
    else:
        if args.phase:
            raise UsageError("--phase is for a school")
        path = new_policy(source, args.name, args.title)
    where = "" if is_default_source(source) else f" --source {arg(source)}"
    print(f"Wrote {link(path, display_path(path), sys.stdout)}. Fill it in, then: policyc validate{where}")
    return EXIT_OK
