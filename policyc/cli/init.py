"""`policyc init FOLDER`: a new trust project."""

from __future__ import annotations

from policyc.cli.common import arg
from policyc.cli.parser import EXIT_OK
from policyc.errors import display_path
from policyc.init import init_project


def init_command(args) -> int:
    written = init_project(args.folder, args.example)
    where = arg(args.folder)
    print(f"Made a new trust project in {display_path(args.folder)} ({len(written)} files).\n"
          f"Next: cd {where} && policyc validate && policyc build   (then open output/index.html)")
    return EXIT_OK
