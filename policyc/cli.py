"""The command line: `policyc` or `python build.py`."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib

import sys
import traceback
from pathlib import Path
from typing import Optional

from . import __version__
from .errors import InvalidSource, UserError
from .pipeline import BuildOptions, build, check

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DESCRIPTION = """\
Build every school's tailored policies from the trust's model policies.

  python build.py                      build every school's policies into output/
  python build.py validate             check the sources and report every problem; write nothing
  python build.py --school oakfield-primary
                                       rebuild one school only (others are kept)

Problems are reported as FILE:LINE:COLUMN: message, with a hint, all at once.
Nothing is written unless every source file is correct; output/ is replaced only
when every document has been built."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policyc", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", default="build", choices=["build", "validate"],
                   help="build (the default) or validate")
    p.add_argument("--source", metavar="FOLDER", type=Path, default=None,
                   help="the trust's source folder (default: policy_src/)")
    p.add_argument("--output", "-o", metavar="FOLDER", type=Path, default=None,
                   help="where to write the documents (default: output/)")
    p.add_argument("--school", metavar="SLUG", action="append", default=[],
                   help="build only this school (its file name without .yaml); may be repeated")
    p.add_argument("--policy", metavar="ID", action="append", default=[],
                   help="build only this policy, such as social-media; may be repeated")
    p.add_argument("--format", choices=["html", "pdf", "all"], default="all",
                   help="which documents to write (default: both HTML and PDF)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_date, default=None,
                   help="the date used to decide which reviews are overdue (default: today)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")
    p.add_argument("--version", action="version", version=f"policyc {__version__}")
    return p


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def main(argv: Optional[list[str]] = None) -> int:
    args = parser().parse_args(argv)
    source = args.source or PROJECT_ROOT / "policy_src"
    output = args.output or PROJECT_ROOT / "output"
    say = (lambda _: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        project, policies, warnings = check(source, args.strict)
        usage = _check_filters(args, project)
        if usage:
            print(f"policyc: error: {usage}", file=sys.stderr)
            return EXIT_USAGE
        for w in warnings:
            print(w, file=sys.stderr)
        if args.command == "validate":
            print(f"{len(project.schools)} school(s), {len(project.policies)} policy file(s): "
                  f"no errors, {len(warnings)} warning(s).", file=sys.stderr)
            return EXIT_OK
        formats = ("html", "pdf") if args.format == "all" else (args.format,)
        options = BuildOptions(source, output, args.today or dt.date.today(), formats,
                               frozenset(args.school), frozenset(args.policy), args.strict)
        say(f"Building {len(policies)} policy document(s) for {len(project.schools)} school(s) into {output}")
        report = build(options, say)
    except InvalidSource as exc:
        for problem in exc.errors:
            print(problem, file=sys.stderr)
        for problem in exc.warnings:
            print(problem, file=sys.stderr)
        print(f"\n{len(exc.errors)} error(s), {len(exc.warnings)} warning(s). Nothing was written.",
              file=sys.stderr)
        return EXIT_INVALID
    except UserError as exc:
        print(f"policyc: error: {exc}\nNothing was changed in the output folder.", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("Interrupted; the output folder is as it was.", file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, and show where
        print("policyc: internal error (a bug in policyc, not in your files). Please report it with this:",
              file=sys.stderr)
        traceback.print_exc()
        return EXIT_BUG
    print(f"Wrote {len(report.written)} document(s) in {report.seconds:.1f} s; "
          f"{len(report.warnings)} warning(s). Open {output / 'index.html'}", file=sys.stderr)
    return EXIT_OK


def _check_filters(args, project) -> str:
    for wanted, known, what in ((args.school, [s.slug for s in project.schools], "school"),
                                (args.policy, [p.id for p in project.policies], "policy")):
        for name in wanted:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                return (f"there is no {what} {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                        + f" (known: {', '.join(known)})")
    return ""


if __name__ == "__main__":
    sys.exit(main())
