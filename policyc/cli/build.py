"""`policyc build`: the build, its progress and its one-paragraph report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from policyc.cli.parser import EXIT_OK
from policyc.errors import counted, display_path
from policyc.pipeline import BuildOptions, build
from policyc.progress import Progress, link, slowest
from policyc.reports import carried_over


def build_command(args, checked, source: Path, output: Path, today: dt.date) -> int:
    project = checked.project
    options = BuildOptions(source, output, today, args.format,
                           frozenset(args.school), frozenset(args.policy), args.strict, args.jobs,
                           cache=not args.no_cache, executor=args.executor, scheduler=args.scheduler)
    shown = Progress(sys.stderr, quiet=args.quiet, verbose=args.verbose)
    shown.say(f"Building {len(checked.policies)} school policies for {len(project.schools)} school(s) "
              f"into {display_path(output)}")
    try:
        report = build(options, lambda _: None, checked, on_document=shown.document)
    finally:
        shown.close()
    index = output / "index.html"
    print(f"Wrote {len(report.written)} document(s) ({report.rendered} rendered, {report.reused} reused) "
          f"in {report.seconds:.1f} s; {len(counted(report.warnings))} warning(s). "
          f"Open {link(index, display_path(index), sys.stdout)}")
    for line in carried_over(report.stale, report.removed):
        print(line)
    if report.also_rebuilt:
        print(f"{report.also_rebuilt} of them are outside --school/--policy: their sources had changed too, so they "
              f"were rebuilt to keep every page, index and the dashboard in agreement.")
    slow = slowest(report.render_seconds)
    if slow and not args.quiet:
        print(slow, file=sys.stderr)
    return EXIT_OK
