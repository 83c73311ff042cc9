"""The command line: `policyc` or `python build.py`."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import shlex
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Optional

from policyc import __version__, commands
from policyc.errors import InvalidSource, UserError, display_path
from policyc.history import ratify
from policyc.init import init_project
from policyc.names import inside
from policyc.pipeline import BuildOptions, build, check_all
from policyc.serve import serve
from policyc.site.bundle import status_table
from policyc.site.guard import check_output_folder
from policyc.site.preview import preview
from policyc.workspace import default_output, find_source, resolve_source

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

DESCRIPTION = """\
Build every school's tailored policies from the trust's model policies.

  python build.py                      build every school's policies into output/
  python build.py validate             check the sources and report every problem; write nothing
  python build.py --school oakfield-primary
                                       rebuild one school only (others are kept)
  python build.py ratify --school oakfield-primary --policy social-media \\
      --date 2026-11-20 --by "Ann Smith, Chair of Governors" --summary "Annual review"
                                       record that the approving body ratified the current text
                                       (--school repeated, or --all-schools: one decision for several;
                                       a trust-approved policy: no --school, one decision for every school)
  python build.py status               which policies are overdue, due soon, changed or never ratified
  python build.py versions --school oakfield-primary --policy social-media
  python build.py diff --school oakfield-primary --policy social-media --from 1.0 --to draft
                                       write a redline for governors (HTML and PDF)
  python build.py preview              render each kind of page and the first PDF pages to PNG

Problems are reported as FILE:LINE:COLUMN: message, with a hint, all at once.
Nothing is written unless every source file is correct; output/ is replaced only
when every document has been built.

Run 'python build.py COMMAND --help' for the options of ratify, versions and diff."""

COMMANDS = ("build", "validate", "status", "ratify", "versions", "diff", "preview", "init", "serve", "import")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", metavar="FOLDER", type=Path, default=None,
                   help="the trust's source folder (default: policy_src/ here or in a folder above)")
    p.add_argument("--output", "-o", metavar="FOLDER", type=Path, default=None,
                   help="where to write documents (default: output/ beside the sources); "
                        "it is replaced as a whole, so it must be a folder of its own")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_date, default=None,
                   help="the date used to decide which reviews are overdue (default: today)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")


def _one_policy(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", metavar="SLUG", required=True, help="the school (its file name without .yaml)")
    p.add_argument("--policy", metavar="ID", required=True, help="the policy, such as social-media")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policyc", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"policyc {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in (("build", "build the documents (the default)"), ("validate", "check the sources; write nothing"),
                       ("status", "show which policies are overdue, due soon, changed or never ratified")):
        q = sub.add_parser(name, help=text, description=text)
        _common(q)
        q.add_argument("--school", metavar="SLUG", action="append", default=[],
                       help="only this school (its file name without .yaml); may be repeated")
        q.add_argument("--policy", metavar="ID", action="append", default=[],
                       help="only this policy, such as social-media; may be repeated")
        q.add_argument("--format", type=_formats, default="all", metavar="html|pdf|docx|all",
                       help="which documents to write: html, pdf, docx (Word), or several joined by commas, "
                            "such as html,pdf,docx (default: all, which is HTML and PDF)")
        q.add_argument("--no-cache", action="store_true",
                       help="render every document again, neither reading nor writing the cache")
        q.add_argument("--executor", choices=["processes", "dask"], default="processes",
                       help="render on this machine's cores (default) or on a Dask cluster")
        q.add_argument("--scheduler", metavar="ADDRESS", default="",
                       help="the Dask scheduler, such as tcp://10.0.0.5:8786 (default: a local cluster of --jobs workers)")
        q.add_argument("--jobs", "-j", metavar="N", type=int, default=os.cpu_count() or 1,
                       help="how many documents to render at once (default: one per processor core)")
    r = sub.add_parser("ratify", help="record that the approving body ratified the current text",
                       description="Freeze the current text of a policy as a ratified version for one school, "
                                   "several, or all of them: a content-hashed snapshot per school in "
                                   "SOURCE/snapshots/, written for every school or for none. A policy the trust "
                                   "board approves (approver: trust) is ratified once for every school that has it: "
                                   "give no --school. Refused if the sources have errors; a no-op for a school "
                                   "whose text is already the latest ratified version.")
    _common(r)
    r.add_argument("--school", metavar="SLUG", action="append", default=[],
                   help="the school (its file name without .yaml); repeat for several schools whose governing "
                        "bodies made the same decision")
    r.add_argument("--all-schools", action="store_true",
                   help="every school that has the policy (for a trust-approved policy, the default)")
    r.add_argument("--policy", metavar="ID", required=True, help="the policy, such as social-media")
    r.add_argument("--date", metavar="YYYY-MM-DD", type=_date, required=True, help="the date of the meeting")
    r.add_argument("--by", metavar='"NAME, ROLE"', action="append", default=[], required=True,
                   help='a signatory, such as "Ann Smith, Chair of Governors"; repeat for each')
    r.add_argument("--summary", metavar="TEXT", default="",
                   help="one line saying what changed and why (default: the reasons written in the sources "
                        "beside the changes, when every change has one)")
    r.add_argument("--version", dest="new_version", metavar="VERSION", default="",
                   help="the version number (default: proposed from the kind of change)")
    r.add_argument("--minute", metavar="REF", default="", help="the minute reference of the meeting")
    r.add_argument("--body", metavar="NAME", default="", help="the approving body, if not the usual one")
    r.add_argument("--owner", metavar="NAME", default="",
                   help="who made the change, for a table of changes with an owner column "
                        "(default: who proposed the changes, as the sources say, else the first signatory)")
    v = sub.add_parser("versions", help="list the ratified versions of one school's policy")
    _common(v)
    _one_policy(v)
    d = sub.add_parser("diff", help="write a redline between two versions for governors",
                       description="Write an HTML page and a PDF showing what changed between two versions: "
                                   "a version number, 'draft' (the sources now) or 'model' (the trust's model, untailored).")
    _common(d)
    _one_policy(d)
    d.add_argument("--from", dest="old", metavar="VERSION", required=True, help="the earlier version")
    d.add_argument("--to", dest="new", metavar="VERSION", default="draft", help="the later version (default: draft)")
    d.add_argument("--format", type=_formats, default="all", metavar="html|pdf|docx|all",
                   help="html, pdf, docx (Word, with tracked changes), or several joined by commas "
                        "(default: all, which is HTML and PDF)")
    w = sub.add_parser("preview", help="render each kind of page and the first PDF pages to PNG, to look at",
                       description="Screenshots of each kind of built page (headless Chromium) and the first pages "
                                   "of every PDF (pdftoppm), written as PNG files for visual review.")
    _common(w)
    w.add_argument("--to", metavar="FOLDER", type=Path, default=None,
                   help="where to write the PNG files (default: preview/ beside output/)")
    s = sub.add_parser("serve", help="build, serve on this computer only, and rebuild on every save",
                       description="Build the trust, serve output/ on http://127.0.0.1:PORT/ and rebuild when a "
                                   "source file is saved. While the sources have errors, every page shows them.")
    _common(s)
    s.add_argument("--port", type=int, default=8000, help="the port (default 8000; 0 picks a free one)")
    s.add_argument("--bind", metavar="ADDRESS", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this computer only)")
    s.add_argument("--format", type=_formats, default="html", metavar="html|pdf|docx|all",
                   help="what each rebuild writes (default: HTML only, for speed)")
    i = sub.add_parser("init", help="make a new trust project in a new or empty folder",
                       description="Make a new trust project: policy_src/ with a trust, one model policy and one "
                                   "school, the schemas editors use, a .gitignore for output/ and a short README.")
    i.add_argument("folder", metavar="DIR", type=Path, help="the new project's folder")
    i.add_argument("--example", action="store_true",
                   help="copy the example trust (five schools, ratified versions) instead of the starter")
    m = sub.add_parser("import", help="add an existing policy document (.docx, .pdf, .txt, .md) to the trust",
                       description="Read an existing policy and write it as source files in --source: the model "
                                   "policy, its school with the ratification record from the cover, and a trust "
                                   "if there is none. The files are checked at once; a report lists what could "
                                   "not be placed and the names that could become placeholders.")
    m.add_argument("document", metavar="FILE", type=Path, help="the policy document")
    m.add_argument("--source", metavar="FOLDER", type=Path, default=Path("policy_src"),
                   help="the trust's source folder (default: policy_src/; made if missing)")
    m.add_argument("--placeholders", action="store_true",
                   help="write the school's name, approving body and role titles as placeholders")
    m.add_argument("--id", dest="policy_id", metavar="ID", default=None, help="the policy's id (default: from its title)")
    m.add_argument("--model", metavar="ID", default=None,
                   help="the document is a school's own copy of the model policy ID: write the school's overlay "
                        "(replace, add, remove) instead of a new model")
    m.add_argument("--school", metavar="SLUG", default=None,
                   help="with --model: the school whose copy it is (default: from the name in the document; "
                        "the school file is made if there is none)")
    return p


def _import(args) -> int:
    from policyc.importing import import_document, import_overlay
    try:
        if args.model:
            if args.placeholders or args.policy_id:
                raise UserError("--model writes a school's overlay on an existing policy: "
                                "--placeholders and --id are for a new model")
            imported, report = import_overlay(args.document, args.source, args.model, args.school)
        elif args.school:
            raise UserError("--school goes with --model (the school whose copy of that model policy it is)")
        else:
            imported, report = import_document(args.document, args.source, args.placeholders, args.policy_id)
    except UserError as exc:
        print(f"policyc: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    for line in report:
        print(line)
    print(f"imported {imported.policy_id} for {imported.school_slug}: "
          f"python build.py --source {display_path(args.source)} --school {imported.school_slug}")
    return EXIT_OK


FORMATS = ("html", "pdf", "docx")


def _formats(text: str) -> tuple[str, ...]:
    """'all' (HTML and PDF), one format, or several joined by commas: 'html,docx'."""
    if text == "all":
        return ("html", "pdf")
    wanted = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"{text!r}: choose html, pdf, docx or all (HTML and PDF), or several joined by commas, such as html,docx")
    return tuple(name for name in FORMATS if name in wanted)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _with_command(argv: list[str]) -> list[str]:
    """`python build.py` and `python build.py --school x` mean build."""
    if not argv or argv[0] in ("-h", "--help", "--version") or not argv[0].startswith("-"):
        return argv or ["build"]  # a command, or a mistyped one that argparse lists the commands for
    named = next((a for a in argv if a in COMMANDS), None)
    if named:  # options written before the command: `python build.py -q validate`
        rest = list(argv)
        rest.remove(named)
        return [named, *rest]
    return ["build", *argv]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    """Treat `kill` like Ctrl-C, so a stopped build removes its staging folder."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _stop_on_sigterm()
    args = parser().parse_args(_with_command(argv))
    if args.command == "init":
        return _init(args)
    if args.command == "import":
        return _import(args)
    try:
        source = resolve_source(args.source) if args.source else find_source()
    except UserError as exc:
        print(f"policyc: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    output = args.output or default_output(source)
    today = args.today or dt.date.today()
    say = (lambda _: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        if args.command == "preview":
            target = args.to or output.parent / "preview"
            check_output_folder(target, source, "preview folder", replaced=False)
            for png in preview(output, target):
                print(display_path(png))
            return EXIT_OK
        if args.command == "serve":
            return _serve(args, source, output, today)
        if args.command in ("build", "diff"):  # diff writes into the output folder, never replaces it
            check_output_folder(output, source, replaced=args.command == "build")
        checked = check_all(source, args.strict)
        project = checked.project
        usage = _check_filters(args, project)
        if usage:
            print(f"policyc: error: {usage}", file=sys.stderr)
            return EXIT_USAGE
        for w in checked.warnings:
            print(w, file=sys.stderr)
        if args.command == "validate":
            print(f"{len(project.schools)} school(s), {len(project.policies)} policy file(s): "
                  f"no errors, {len(checked.warnings)} warning(s).", file=sys.stderr)
            return EXIT_OK
        if args.command == "status":
            print(status_table(checked, today, output), end="")
            return EXIT_OK
        if args.command in ("ratify", "versions", "diff"):
            return _history_command(args, checked, source, output, today)
        formats = args.format
        options = BuildOptions(source, output, today, formats,
                               frozenset(args.school), frozenset(args.policy), args.strict, max(1, args.jobs),
                               cache=not args.no_cache, executor=args.executor, scheduler=args.scheduler)
        say(f"Building {len(checked.policies)} policy document(s) for {len(project.schools)} school(s) into {output}")
        report = build(options, say, checked)
    except InvalidSource as exc:
        for problem in exc.errors:
            print(problem, file=sys.stderr)
        for problem in exc.warnings:
            print(problem, file=sys.stderr)
        refused = " Ratification refused." if args.command == "ratify" else ""
        if all(p.warning for p in exc.errors):
            counts = f"{len(exc.errors)} warning(s), which --strict treats as errors."
        else:
            counts = f"{len(exc.errors)} error(s), {len(exc.warnings)} warning(s)."
        print(f"\n{counts} Nothing was written.{refused}", file=sys.stderr)
        return EXIT_INVALID
    except UserError as exc:
        print(f"policyc: error: {exc}\nNothing was changed.", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("Interrupted; the output folder is as it was.", file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, and show where
        print("policyc: internal error (a bug in policyc, not in your files). Please report it with this:",
              file=sys.stderr)
        traceback.print_exc()
        return EXIT_BUG
    print(f"Wrote {len(report.written)} document(s) ({report.rendered} rendered, {report.reused} reused) "
          f"in {report.seconds:.1f} s; "
          f"{len(report.warnings)} warning(s). Open {output / 'index.html'}", file=sys.stderr)
    if report.also_rebuilt:
        print(f"{report.also_rebuilt} of them are outside --school/--policy: their sources had changed too, so they "
              f"were rebuilt to keep every page, index and the dashboard in agreement.", file=sys.stderr)
    return EXIT_OK


def _serve(args, source: Path, output: Path, today: dt.date) -> int:
    check_output_folder(output, source)
    formats = args.format
    options = BuildOptions(source, output, today, formats, strict=args.strict, jobs=1)
    if args.bind not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {args.bind}: other computers on the network can read these pages.", file=sys.stderr)
    serve(source, output, lambda: build(options), args.bind, args.port)
    return EXIT_OK


def _init(args) -> int:
    try:
        written = init_project(args.folder, args.example)
    except UserError as exc:
        print(f"policyc: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    where = display_path(args.folder)
    print(f"Made a new trust project in {where} ({len(written)} files).\n"
          f"Next: cd {where} && policyc validate && policyc build   (then open output/index.html)")
    return EXIT_OK


def _ratify(args, checked, source: Path, output: Path, today: dt.date) -> int:
    histories, body = commands.ratify_selection(checked, args.policy, args.school, args.all_schools)
    request = ratify.Request(args.date, tuple(ratify.parse_signatory(b) for b in args.by), args.summary,
                             today, args.new_version, args.minute, args.body or body, args.owner)
    outcomes = ratify.ratify_many(histories, source, request)
    several = len(outcomes) > 1
    for history, outcome in zip(histories, outcomes):
        prefix = f"{history.current.school_name}: " if several and outcome.path is None else ""
        print(prefix + outcome.message)
        if outcome.path:
            print(f"Snapshot: {display_path(outcome.path)}")
    changed = [h.current.school_slug for h, o in zip(histories, outcomes) if o.path]
    if changed:
        schools = " ".join(f"--school {slug}" for slug in changed)
        print(f"The public pages show the new version after a build: "
              f"policyc build --source {shlex.quote(str(source))} --output {shlex.quote(str(output))} {schools}")
    return EXIT_OK


def _history_command(args, checked, source: Path, output: Path, today: dt.date) -> int:
    if args.command == "ratify":
        return _ratify(args, checked, source, output, today)
    history = commands.find(checked, args.school, args.policy)
    if args.command == "versions":
        print(f"{history.current.title} – {history.current.school_name}")
        for line in commands.versions_table(history):
            print(line)
        return EXIT_OK
    old, new = commands.pick(checked, history, args.old), commands.pick(checked, history, args.new)
    formats = args.format
    folder = inside(output, "review", history.current.school_slug, "changes")
    for path in commands.write_redline(checked, history, old, new, folder, formats, today):
        print(f"Wrote {display_path(path)}")
    return EXIT_OK


def _check_filters(args, project) -> str:
    for wanted, known, what in ((args.school, [s.slug for s in project.schools], "school"),
                                (args.policy, [p.id for p in project.policies], "policy")):
        for name in ([wanted] if isinstance(wanted, str) else wanted):
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                return (f"there is no {what} {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                        + f" (known: {', '.join(known)})")
    return ""


if __name__ == "__main__":
    sys.exit(main())
