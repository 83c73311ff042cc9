"""The command line: `main`, the one place every command's errors end, each with its exit code.

parser.py reads the command line; each other module here runs one command (or a family) and says
what it did. Nothing below this package writes to the terminal."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import threading
import traceback
from typing import Optional

from policyc import __version__
from policyc.cli.parser import (
    COMMANDS,
    COMPLIANCE_GROUPS,
    EXIT_BUG,
    EXIT_CODES,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    STATUS_GROUPS,
    parse,
    parser,
    with_command,
)
from policyc.errors import InvalidSource, UsageError, UserError, counted, display_path

# Each command's module is imported when it runs, not here: `policyc --version` and `--help`
# then start as fast as Python with the parser's few imports (benchmarks/serve.py times it).

__all__ = ["COMMANDS", "COMPLIANCE_GROUPS", "EXIT_BUG", "EXIT_CODES", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE",
           "STATUS_GROUPS", "main", "parser"]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    """Treat `kill` like Ctrl-C, so a stopped build removes its staging folder."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def main(argv: Optional[list[str]] = None) -> int:
    """Run one command. Every command's errors end here, each with its exit code (EXIT_CODES)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _stop_on_sigterm()
    command = ""
    try:
        args = parse(with_command(argv))  # argparse itself exits 2 on a bad option
        command = args.command
        return _run(args)
    except UserError as exc:  # the user's to put right: every problem said plainly, with its exit code
        _refused(exc, command)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted; the output folder is as it was.", file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, and show where
        print(f"policyc: internal error (a bug in policyc {__version__}, not in your files). "
              f"Please report it with the command you ran and this:", file=sys.stderr)
        traceback.print_exc()
        return EXIT_BUG


def _refused(exc: UserError, command: str) -> None:
    """What the user is told for an error of theirs: each problem in the sources, located, or one line."""
    if isinstance(exc, InvalidSource):
        _problems(exc, command)
        return
    changed = "" if isinstance(exc, UsageError) or command in ("import", "init") else "\nNothing was changed."
    print(f"policyc: error: {exc}{changed}", file=sys.stderr)


def _problems(exc: InvalidSource, command: str) -> None:
    for problem in exc.errors:
        print(problem, file=sys.stderr)
    for problem in exc.warnings:
        print(problem, file=sys.stderr)
    refused = " Ratification refused." if command == "ratify" else ""
    if all(p.warning for p in exc.errors):
        counts = f"{len(exc.errors)} warning(s), which --strict treats as errors."
    else:
        counts = f"{len(exc.errors)} error(s), {len(counted(exc.warnings))} warning(s)."
    print(f"\n{counts} Nothing was written.{refused}", file=sys.stderr)


def _run(args) -> int:
    from policyc.cli.common import check_filters, recover
    from policyc.workspace import default_output, find_source, resolve_source
    if args.command == "init":
        from policyc.cli.init import init_command
        return init_command(args)
    if args.command == "completion":
        import shtab  # only here: no other command needs it
        print(shtab.complete(parser(), shell=args.shell), end="")
        return EXIT_OK
    if args.command == "import":
        from policyc.cli.importing import import_command
        return import_command(args)
    source = resolve_source(args.source) if args.source else find_source()
    recover(source)
    if args.command == "new":
        from policyc.cli.new import new_command
        return new_command(args, source)
    output = args.output or default_output(source)
    today = args.today or dt.date.today()
    if args.command == "preview":
        from policyc.progress import link
        from policyc.site.guard import check_output_folder
        from policyc.site.preview import preview
        target = args.to or output.parent / "preview"
        check_output_folder(target, source, "preview folder", replaced=False)
        for png in preview(output, target):
            print(link(png, display_path(png), sys.stdout))
        return EXIT_OK
    if args.command == "serve":
        from policyc.cli.serve import serve_command
        return serve_command(args, source, output, today)
    from policyc.pipeline import check_all
    from policyc.site.guard import check_output_folder
    if args.command in ("build", "diff", "as-of"):  # diff and as-of write into it, never replace it
        check_output_folder(output, source, replaced=args.command == "build")
    checked = check_all(source, args.strict)
    project = checked.project
    check_filters(args, project)
    for w in checked.warnings:
        print(w, file=sys.stderr)
    if args.command in ("validate", "status", "compliance"):
        from policyc.cli.validate import (
            compliance_command,
            status_command,
            validate_command,
        )
        if args.command == "validate":
            return validate_command(checked)
        if args.command == "status":
            return status_command(args, checked, today, output)
        return compliance_command(args, checked, today)
    if args.command in ("as-of", "ratify", "unratify", "versions", "diff"):
        from policyc.cli.history import as_of_command, history_command
        if args.command == "as-of":
            return as_of_command(args, checked, output, today)
        return history_command(args, checked, source, output, today)
    from policyc.cli.build import build_command
    return build_command(args, checked, source, output, today)
