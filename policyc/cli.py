"""The command line: `policyc` or `python build.py`."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import json
import os
import shlex
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Optional

from policyc import __version__
from policyc.engine import formats as format_table
from policyc.errors import InvalidSource, Problems, UsageError, UserError, counted, display_path
from policyc.history import ratify
from policyc.init import init_project
from policyc.pipeline import BuildOptions, build, check_all, copies_of, make_document, render_first
from policyc.progress import Progress, link, slowest
from policyc.serve import OnDemand, serve
from policyc.site.bundle import status_groups, status_table
from policyc.site.guard import check_output_folder
from policyc.site.preview import preview
from policyc.source.load import date_hint
from policyc.workspace import default_output, find_source, resolve_source

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

DESCRIPTION = """\
Build every school's tailored policies from the trust's model policies.

  policyc                              build every school's policies into output/
  policyc validate                     check the sources and report every problem; write nothing
  policyc --school oakfield-primary    rebuild one school only (others are kept)
  policyc ratify --school oakfield-primary --policy social-media \\
      --date 2026-11-20 --by "Ann Smith, Chair of Governors" --summary "Annual review"
                                       record that the approving body ratified the current text
                                       (--school repeated, or --all-schools: one decision for several;
                                       a trust-approved policy: no --school, one decision for every school)
  policyc status                       which policies are overdue, due soon, changed or never ratified
  policyc compliance                   does every school have every policy it must have, approved,
                                       reviewed and published as the Department for Education requires
  policyc as-of 2025-03-14 --school oakfield-primary --policy social-media
                                       which version was in force that day, written as a PDF
  policyc versions --school oakfield-primary --policy social-media
  policyc diff --school oakfield-primary --policy social-media --from 1.0 --to draft
                                       write a redline for governors (HTML and PDF)
  policyc preview                      render each kind of page and the first PDF pages to PNG
  policyc new school oak-primary --name "Oak Primary School"
  policyc new policy anti-bullying     a first file for a new school or model policy, to fill in

Problems are reported as FILE:LINE:COLUMN: message, with a hint, all at once.
Nothing is written unless every source file is correct; output/ is changed only
when every document has been built; a build keeps every file it did not make.

Run 'policyc COMMAND --help' for the options of each command."""

EXIT_CODES = """\
exit codes:
  0  success
  1  a problem in the source files or in a document (every problem is listed)
  2  a mistake on the command line: an unknown command, option, school, policy or version,
     a date that is not YYYY-MM-DD, a signatory without a role, an output folder refused
  3  a bug in policyc: the message says what to report"""

COMMANDS = ("build", "validate", "status", "ratify", "versions", "diff", "preview", "init", "serve", "import",
            "new", "completion", "unratify", "compliance", "as-of")
EPILOG = EXIT_CODES


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", metavar="FOLDER", type=Path, default=None,
                   help="the trust's source folder (default: policy_src/ here or in a folder above)")
    p.add_argument("--output", "-o", metavar="FOLDER", type=Path, default=None,
                   help="where to write documents (default: output/ beside the sources); "
                        "a build replaces what it made there and keeps every other file")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_date, default=None,
                   help="the date used to decide which reviews are overdue (default: today)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems and the result")
    p.add_argument("--verbose", "-v", action="store_true", help="print a line for every document as it is made")


def _one_policy(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", metavar="SLUG", required=True, help="the school (its file name without .yaml)")
    p.add_argument("--policy", metavar="ID", required=True, help="the policy, such as social-media")


def _filters(q: argparse.ArgumentParser) -> None:
    q.add_argument("--school", metavar="SLUG", action="append", default=[],
                   help="only this school (its file name without .yaml); may be repeated")
    q.add_argument("--policy", metavar="ID", action="append", default=[],
                   help="only this policy, such as social-media; may be repeated")


class _Help(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal; text laid out by hand (examples, exit codes) kept."""

    def _fill_text(self, text, width, indent):
        return text if "\n  " in text else super()._fill_text(text, width, indent)


def _sub(sub, name: str, text: str, description: str = "") -> argparse.ArgumentParser:
    return sub.add_parser(name, help=text, description=description or text, epilog=EPILOG, formatter_class=_Help)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policyc", description=DESCRIPTION, epilog=EPILOG, formatter_class=_Help)
    p.add_argument("--version", action="version", version=f"policyc {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    b = _sub(sub, "build", "build the documents (the default)")
    _common(b)
    _filters(b)
    b.add_argument("--format", type=_formats, default="all", metavar=_format_metavar(),
                   help=f"which documents to write: {_format_list()}, or several joined by commas, "
                        f"such as {','.join(format_table.names())} (default: all, which is {_all_formats()})")
    b.add_argument("--no-cache", action="store_true",
                   help="render every document again, neither reading nor writing the cache")
    b.add_argument("--executor", choices=["processes", "dask"], default="processes",
                   help="render on this machine's cores (default) or on a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", default="",
                   help="the Dask scheduler, such as tcp://10.0.0.5:8786 (default: a local cluster of --jobs workers)")
    b.add_argument("--jobs", "-j", metavar="N", type=_jobs, default=os.cpu_count() or 1,
                   help="how many documents to render at once (default: one per processor core)")
    v = _sub(sub, "validate", "check the sources; write nothing",
             "Check every source file and report every problem in one run; write nothing.")
    _common(v)
    s = _sub(sub, "status", "show which policies are overdue, due soon, changed or never ratified")
    _common(s)
    _filters(s)
    s.add_argument("--json", action="store_true", help="print the table as JSON, one object per school's policy")
    s.add_argument("--fail-on", metavar="GROUPS", type=_groups, default=(),
                   help="exit 1 when a policy is in one of these groups, joined by commas: "
                        + ", ".join(STATUS_GROUPS) + " (for a scheduled job)")
    k = _sub(sub, "compliance", "check every school against the statutory requirements and the trust's own",
             "For each school, each requirement that applies to its kind of school: the policy that meets it, the "
             "version in force, who approved it and whether that body may, the next review against the statutory "
             "cycle, and whether it is published where it must be. Problems first.")
    _common(k)
    k.add_argument("--school", metavar="SLUG", action="append", default=[],
                   help="only this school (its file name without .yaml); may be repeated")
    k.add_argument("--json", action="store_true", help="print the findings as JSON, one object per requirement")
    k.add_argument("--list", action="store_true",
                   help="print the requirements policyc checks, with the pages of guidance they come from")
    k.add_argument("--fail-on", metavar="PROBLEMS", type=_problem_groups, default=(),
                   help="exit 1 when a requirement has one of these problems, joined by commas: "
                        + ", ".join(COMPLIANCE_GROUPS) + " (for a scheduled job)")
    a = _sub(sub, "as-of", "say which version of a policy was in force on a day, and write it as a PDF",
             "Which version of a school's policy was in force on DATE, from the ratified versions: its period "
             "in force is printed, and its PDF written with that period on every page. --all: every policy "
             "the school had in force that day, in one PDF with a contents page.")
    _common(a)
    a.add_argument("day", metavar="DATE", type=_date, help="the day, written YYYY-MM-DD")
    a.add_argument("--school", metavar="SLUG", required=True, help="the school (its file name without .yaml)")
    a.add_argument("--policy", metavar="ID", default="", help="the policy, such as social-media")
    a.add_argument("--all", action="store_true", help="every policy the school had in force that day")
    a.add_argument("--no-pdf", action="store_true", help="only say which version; write nothing")
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
    r.add_argument("--date", metavar="YYYY-MM-DD", type=_date, help="the date of the meeting (required)")
    r.add_argument("--by", metavar='"NAME, ROLE"', action="append", default=[],
                   help='a signatory, such as "Ann Smith, Chair of Governors"; repeat for each (required)')
    r.add_argument("--amend", action="store_true",
                   help="correct the record of the latest ratification instead (a misspelt signatory, the "
                        "minute, the date or the body; never the text approved): give only what changes, "
                        "with --reason; the record as it was is kept in the snapshot")
    r.add_argument("--reason", metavar="TEXT", default="", help="with --amend: why the record is corrected")
    r.add_argument("--yes", action="store_true", help="with --amend: do not ask for confirmation")
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
    u = sub.add_parser("unratify", help="take back a ratification recorded today or yesterday by mistake",
                       description="Remove the latest ratified snapshot of one school's policy, if ratify "
                                   "recorded it today or yesterday, and put the school file's record back as it "
                                   "was if ratify changed it and nothing has changed it since. Asks first. An "
                                   "older ratification is a record and stays: correct it with ratify --amend.")
    _common(u)
    _one_policy(u)
    u.add_argument("--yes", action="store_true", help="do not ask for confirmation")
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
    d.add_argument("--format", type=_formats, default="all", metavar=_format_metavar(),
                   help=f"{_format_list(redline=True)}, or several joined by commas "
                        f"(default: all, which is {_all_formats()})")
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
    s.add_argument("--open", action="store_true", help="open the trust's front page in the web browser")
    s.add_argument("--port", type=_port, default=8000, help="the port (default 8000; 0 picks a free one)")
    s.add_argument("--bind", metavar="ADDRESS", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this computer only)")
    s.add_argument("--format", type=_formats, default="html", metavar=_format_metavar(),
                   help="what each rebuild writes (default: HTML only, for speed)")
    i = sub.add_parser("init", help="make a new trust project in a new or empty folder",
                       description="Make a new trust project: policy_src/ with a trust, one model policy and one "
                                   "school, the schemas editors use, a .gitignore for output/ and a short README.")
    i.add_argument("folder", metavar="DIR", type=Path, help="the new project's folder")
    i.add_argument("--example", action="store_true",
                   help="copy the example trust (five schools, ratified versions) instead of the starter")
    m = sub.add_parser("import",
                       help="add existing policy documents (.docx, .doc, .odt, .rtf, .pdf, .txt, .md) to the trust",
                       description="Read an existing policy and write it as source files in --source: the model "
                                   "policy, its school with the ratification record from the cover, and a trust "
                                   "if there is none. The files are checked at once; a report lists what could "
                                   "not be placed and the names that could become placeholders.")
    m.add_argument("document", metavar="FILE|FOLDER", type=Path,
                   help="the policy document, or a folder: every document in it and its folders, with one "
                        "report (of two files of one document, such as .docx and .pdf, the .docx is read)")
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
    n = sub.add_parser("new", help="write a first file for a new school or a new model policy, to fill in",
                       description="Write policy_src/schools/SLUG.yaml (the trust's roles and policies listed, "
                                   "for the names to be filled in) or policy_src/policies/ID.yaml (the keys a "
                                   "model policy needs and a first section). Never overwrites a file; "
                                   "'policyc validate' then says what is still missing.")
    n.add_argument("what", choices=["school", "policy"], help="school or policy")
    n.add_argument("name", metavar="SLUG|ID", help="the school's slug (its file name) or the policy's id")
    n.add_argument("--source", metavar="FOLDER", type=Path, default=None,
                   help="the trust's source folder (default: policy_src/ here or in a folder above)")
    n.add_argument("--name", dest="title", metavar="TEXT", default="",
                   help="the school's name, or the policy's title (default: from the slug or id, marked to check)")
    n.add_argument("--phase", default="", help="the school's phase, such as primary")
    c = sub.add_parser("completion", help="print a shell completion script for bash or zsh",
                       description="Print a script that completes policyc's commands and options as you type. "
                                   "bash: policyc completion bash > ~/.local/share/bash-completion/completions/"
                                   "policyc   zsh: policyc completion zsh > ~/.zfunc/_policyc (with ~/.zfunc "
                                   "in fpath, before compinit)")
    c.add_argument("shell", choices=["bash", "zsh"], help="bash or zsh")
    for command in sub.choices.values():
        command.epilog, command.formatter_class = EPILOG, _Help
        for action in command._actions:  # what shtab's completion offers for a path (its documented hook)
            if action.metavar in ("FOLDER", "DIR"):
                action.complete = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/"}
            elif action.metavar in ("FILE", "FILE|FOLDER"):
                action.complete = {"bash": "_shtab_compgen_files", "zsh": "_files"}
    return p


def _import(args) -> int:
    from policyc.importing import import_document, import_overlay
    if args.source.is_dir():
        _recover(args.source)
    if args.document.is_dir():
        return _import_folder(args)
    if args.model:
        if args.placeholders or args.policy_id:
            raise UsageError("--model writes a school's overlay on an existing policy: "
                             "--placeholders and --id are for a new model")
        imported, report = import_overlay(args.document, args.source, args.model, args.school)
    else:
        imported, report = import_document(args.document, args.source, args.placeholders, args.policy_id,
                                           args.school)
    for line in report:
        print(line)
    source = "" if _is_default_source(args.source) else f" --source {_arg(args.source)}"
    print(f"Imported {imported.policy_id} for {imported.school_slug}. Next: "
          f"policyc validate{source}, then policyc build{source} --school {imported.school_slug}")
    return EXIT_OK


def _import_folder(args) -> int:
    """`policyc import FOLDER`: every document in it, with one report; exit 1 if any was refused."""
    from policyc.importing import import_folder
    if args.model or args.policy_id:
        raise UsageError(f"{_arg(args.document)} is a folder: --model and --id name one document's policy, so "
                         "import that document by itself")
    result = import_folder(args.document, args.source, args.placeholders, args.school)
    checking = 0
    for document, imported, report in result.imported:
        print(f"{display_path(document)}: imported as {imported.policy_id} for {imported.school_slug}")
        for line in report:
            print(f"  {line}")
        checking += result.needs_checking(report)
    for document, why in result.refused:
        named = f"{display_path(document)}: "
        print(f"{named}not imported: {why[len(named):] if why.startswith(named) else why}")
        if "already exists" in why:
            print(f"  if it is a school's own copy of that policy: policyc import {_arg(document)} --model ID "
                  "--school SLUG")
    for document, why in result.skipped:
        print(f"{display_path(document)}: skipped: {why}")
    total = len(result.imported) + len(result.refused)
    words = [f"Imported {len(result.imported)} of {total} document{'s' if total != 1 else ''}"]
    if checking:
        words.append(f"{checking} with lines marked check: to read")
    if result.refused:
        words.append(f"{len(result.refused)} not imported")
    if result.skipped:
        words.append(f"{len(result.skipped)} file{'s' if len(result.skipped) != 1 else ''} skipped")
    source = "" if _is_default_source(args.source) else f" --source {_arg(args.source)}"
    print("; ".join(words) + "." + (f" Next: policyc validate{source}, then policyc build{source}"
                                   if result.imported else ""))
    return EXIT_INVALID if result.refused else EXIT_OK


def _arg(path: Path) -> str:
    """A path as the user would type it on the command line here: relative, quoted if need be."""
    return shlex.quote(display_path(Path(path)))


def _is_default_source(path: Path) -> bool:
    """True when the commands run here would find this source folder by themselves."""
    try:
        return find_source().resolve() == Path(path).resolve()
    except UserError:
        return False


def _format_metavar() -> str:
    return "|".join((*format_table.names(), "all"))


def _format_list(redline: bool = False) -> str:
    """The formats as --help lists them: "html, pdf, docx (Word)"."""
    named = []
    for fmt in format_table.FORMATS:
        if redline and not fmt.redline:
            continue
        words = fmt.redline_description if redline else fmt.description
        named.append(f"{fmt.name} ({words})" if words else fmt.name)
    return ", ".join(named)


def _all_formats() -> str:
    return " and ".join(name.upper() for name in format_table.default())


def _formats(text: str) -> tuple[str, ...]:
    """'all' (the formats table's default: HTML and PDF), one format, or several joined by commas: 'html,docx'."""
    names = format_table.names()
    if text == "all":
        return format_table.default()
    wanted = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(wanted - set(names))
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"{text!r}: choose {', '.join(names)} or all ({_all_formats()}), or several joined by commas, "
            f"such as {names[0]},{names[-1]}")
    return tuple(name for name in names if name in wanted)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        hint = date_hint(text)
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD ({hint})" if hint else
                                         f"{text!r} is not a date written YYYY-MM-DD") from None


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: give a port from 0 to 65535 (0 picks a free one)")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of documents at once, 1 or more")
    return value


STATUS_GROUPS = ("overdue", "due-soon", "changed", "never-ratified")


def _one_or_more(choices: tuple[str, ...]):
    """An argparse type for a list of `choices` joined by commas, with a did-you-mean."""
    def parse(text: str) -> tuple[str, ...]:
        wanted = tuple(dict.fromkeys(g.strip() for g in text.split(",") if g.strip()))
        unknown = [g for g in wanted if g not in choices]
        if unknown or not wanted:
            close = difflib.get_close_matches(unknown[0], choices, n=1) if unknown else []
            raise argparse.ArgumentTypeError(
                f"{text!r}: choose from {', '.join(choices)}, joined by commas"
                + (f" (did you mean {close[0]!r}?)" if close else ""))
        return wanted
    return parse


_groups = _one_or_more(STATUS_GROUPS)


COMPLIANCE_GROUPS = ("missing", "not-in-force", "overdue", "approval", "unpublished", "late-review",
                     "level-unknown")


_problem_groups = _one_or_more(COMPLIANCE_GROUPS)  # report.PROBLEMS, in its order (tests/test_reports.py)


def _with_command(argv: list[str]) -> list[str]:
    """`policyc` and `policyc --school x` mean build; a misspelt command is a usage error."""
    if not argv or argv[0] in ("-h", "--help", "--version"):
        return argv or ["build"]
    if argv[0] == "help":  # `policyc help` and `policyc help ratify`, as git and pip take them
        return [*argv[1:2], "--help"]
    if not argv[0].startswith("-"):
        if argv[0] not in COMMANDS:
            close = difflib.get_close_matches(argv[0], COMMANDS, n=1, cutoff=0.5)
            raise UsageError(f"there is no command {argv[0]!r}"
                             + (f"; did you mean 'policyc {close[0]}'?" if close else "")
                             + f" (the commands: {', '.join(COMMANDS)}; 'policyc --help' says what each does)")
        return argv
    named = next((a for a in argv if a in COMMANDS), None)
    if named:  # options written before the command: `policyc -q validate`
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
    """Run one command. Every command's errors end here, each with its exit code (EXIT_CODES)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _stop_on_sigterm()
    command = ""
    try:
        args = _parse(_with_command(argv))  # argparse itself exits 2 on a bad option
        command = args.command
        return _run(args)
    except InvalidSource as exc:
        _problems(exc, command)
        return EXIT_INVALID
    except UsageError as exc:
        print(f"policyc: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UserError as exc:
        print(f"policyc: error: {exc}" + ("" if command in ("import", "init") else "\nNothing was changed."),
              file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("Interrupted; the output folder is as it was.", file=sys.stderr)
        return 130
    except Exception:  # a bug: say so, and show where
        print(f"policyc: internal error (a bug in policyc {__version__}, not in your files). "
              f"Please report it with the command you ran and this:", file=sys.stderr)
        traceback.print_exc()
        return EXIT_BUG


BUILD_ONLY = ("--format", "--jobs", "-j", "--executor", "--scheduler", "--no-cache")


def _parse(argv: list[str]) -> argparse.Namespace:
    """The arguments; an option given to a command that does not take it is named with the reason."""
    p = parser()
    args, extra = p.parse_known_args(argv)
    if extra:
        option = extra[0].split("=", 1)[0]
        if option in BUILD_ONLY and args.command in ("validate", "status"):
            what = "writes nothing" if args.command == "validate" else "only reads the sources"
            raise UsageError(f"{args.command} {what}, so it takes no {option}: that option is for 'policyc build'")
        p.parse_args(argv)  # argparse's own message, with the usage line, and exit 2
    return args


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
    if args.command == "init":
        return _init(args)
    if args.command == "completion":
        import shtab  # only here: no other command needs it
        print(shtab.complete(parser(), shell=args.shell), end="")
        return EXIT_OK
    if args.command == "import":
        return _import(args)
    source = resolve_source(args.source) if args.source else find_source()
    _recover(source)
    if args.command == "new":
        return _new(args, source)
    output = args.output or default_output(source)
    today = args.today or dt.date.today()
    if args.command == "preview":
        target = args.to or output.parent / "preview"
        check_output_folder(target, source, "preview folder", replaced=False)
        for png in preview(output, target):
            print(link(png, display_path(png), sys.stdout))
        return EXIT_OK
    if args.command == "serve":
        return _serve(args, source, output, today)
    if args.command in ("build", "diff", "as-of"):  # diff and as-of write into it, never replace it
        check_output_folder(output, source, replaced=args.command == "build")
    checked = check_all(source, args.strict)
    project = checked.project
    _check_filters(args, project)
    for w in checked.warnings:
        print(w, file=sys.stderr)
    if args.command == "validate":
        print(f"{len(project.schools)} school(s), {len(project.policies)} policy file(s): "
              f"no errors, {len(counted(checked.warnings))} warning(s).")
        return EXIT_OK
    if args.command == "status":
        return _status(args, checked, today, output)
    if args.command == "compliance":
        return _compliance(args, checked, today)
    if args.command == "as-of":
        return _as_of(args, checked, output, today)
    if args.command in ("ratify", "unratify", "versions", "diff"):
        return _history_command(args, checked, source, output, today)
    return _build(args, checked, source, output, today)


def _recover(source: Path) -> None:
    """Finish (or take back) what a command killed while writing the sources left, before they are read."""
    from policyc.source.journal import recover
    try:
        found = recover(source)
    except OSError as exc:
        raise UserError(f"an interrupted command's writes in {display_path(source)} cannot be finished: "
                        f"{exc.strerror or exc}") from None
    if found is None:
        return
    if not found.complete:
        raise UserError(found.message)
    print(f"policyc: {found.message}.", file=sys.stderr)


def _build(args, checked, source: Path, output: Path, today: dt.date) -> int:
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
    if report.stale:
        kinds = sorted({p.rsplit(".", 1)[-1].upper() for p in report.stale})
        print(f"Left out {len(report.stale)} {' and '.join(kinds)} file(s) of an earlier build that the sources have "
              f"changed since, so no old version is published beside the new pages: build with --format "
              f"{','.join(k.lower() for k in kinds)} to make them again: " + ", ".join(report.stale[:5])
              + (" ..." if len(report.stale) > 5 else ""))
    if report.removed:
        print(f"Removed {len(report.removed)} file(s) of the last build whose sources are gone or that are no "
              f"longer made: " + ", ".join(report.removed[:10]) + (" ..." if len(report.removed) > 10 else ""))
    if report.also_rebuilt:
        print(f"{report.also_rebuilt} of them are outside --school/--policy: their sources had changed too, so they "
              f"were rebuilt to keep every page, index and the dashboard in agreement.")
    slow = slowest(report.render_seconds)
    if slow and not args.quiet:
        print(slow, file=sys.stderr)
    return EXIT_OK


def _status(args, checked, today: dt.date, output: Path) -> int:
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
        print(status_table(checked, today, output), end="")
    failing = [key for key in args.fail_on if groups.get(key)]
    if failing:
        print("policyc: " + "; ".join(f"{len(groups[k])} {k.replace('-', ' ')}" for k in failing)
              + f" (--fail-on {','.join(args.fail_on)})", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _compliance(args, checked, today: dt.date) -> int:
    from policyc import reports
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


def _as_of(args, checked, output: Path, today: dt.date) -> int:
    from policyc import commands, reports
    from policyc.compliance.period import in_force_on
    if bool(args.policy) == bool(args.all):
        raise UsageError("as-of needs --policy ID, or --all for every policy the school had in force that day")
    if args.day > today:
        raise UsageError(f"{args.day.isoformat()} is after today ({today.isoformat()}): as-of answers for a day "
                         "that has come")
    histories = [h for h in checked.histories if h.current.school_slug == args.school
                 and (args.all or h.current.policy_id == args.policy)]
    if not histories:
        commands.find(checked, args.school, args.policy)  # says why: the school does not have that policy
    day = commands.long_day(args.day)
    found = []
    for history in histories:
        title = history.current.title
        period = in_force_on(history, args.day)
        if period is None:
            first = commands.first_ratified(history)
            print(f"{title}: no version was in force on {day}: "
                  + (f"the first was ratified {first}." if first else "no version has been ratified."))
            continue
        if period.uncertain(args.day):
            print(f"{title}: {reports.version_words(period)} was ratified in {period.start_written}; the record gives "
                  f"no day, so whether it was in force on {day} cannot be told from it.")
            continue
        print(f"{title}: {reports.version_words(period)}, {reports.period_words(period)}"
              + ("" if period.frozen else " (policyc holds no snapshot of it: the text is the one the sources "
                                          "give now)"))
        found.append((history, period))
    if not found:
        return EXIT_INVALID
    if args.no_pdf:
        return EXIT_OK
    for path in commands.write_as_of(found, args.day, output, args.school, args.all):
        print(f"Wrote {link(path, display_path(path), sys.stdout)}")
    return EXIT_OK


def _serve(args, source: Path, output: Path, today: dt.date) -> int:
    check_output_folder(output, source)
    formats = args.format
    options = BuildOptions(source, output, today, formats, strict=args.strict, jobs=1)
    if args.bind not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {args.bind}: other computers on the network can read these pages.", file=sys.stderr)
    def ready(url: str) -> None:
        print(f"Serving on {url}", flush=True)
        if args.open:  # beside the server: a browser command that stays open must not hold up the rebuilds
            import threading
            import webbrowser
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    from policyc.session import Session
    session = Session()  # what every save leaves as it was is kept from one build to the next

    served = {}

    def build_once() -> None:
        """Check; show the new bytes of the open pages that changed; then build the rest."""
        checked = check_all(options.source, options.strict, session)
        state = served.get("state")
        if state is not None and session.built is not None:
            pages = render_first(options, checked, state.viewed(), session)
            if pages:
                state.show(pages)
        build(options, checked=checked, session=session)

    def demand(state):  # the formats not built, made when a page or a client asks for them
        served["state"] = state
        others = [f for f in format_table.FORMATS if f.name not in formats]
        return OnDemand(lambda rel: session.built and make_document(options, session.built, rel, session),
                        lambda page: copies_of(options, session.built, page, session) if session.built else [],
                        tuple(f.suffix for f in others), " and ".join(f.description or f.name.upper() for f in
                                                                     format_table.FORMATS if f.name in formats),
                        state, lambda m: print(m, file=sys.stderr, flush=True))
    try:
        serve(source, output, build_once, args.bind, args.port, ready=ready,
              demand=demand)
    finally:
        session.wait()  # the outputs rebuilds replaced are removed before the command ends
    return EXIT_OK


def _new(args, source: Path) -> int:
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
    where = "" if _is_default_source(source) else f" --source {_arg(source)}"
    print(f"Wrote {link(path, display_path(path), sys.stdout)}. Fill it in, then: policyc validate{where}")
    return EXIT_OK


def _init(args) -> int:
    written = init_project(args.folder, args.example)
    where = _arg(args.folder)
    print(f"Made a new trust project in {display_path(args.folder)} ({len(written)} files).\n"
          f"Next: cd {where} && policyc validate && policyc build   (then open output/index.html)")
    return EXIT_OK


def _ratify(args, checked, source: Path, output: Path, today: dt.date) -> int:
    from policyc import commands  # it loads the writers, which a quick command must not
    histories, body = commands.ratify_selection(checked, args.policy, args.school, args.all_schools)
    if args.amend:
        return _amend(args, histories, source, today)
    for given, option in ((args.date, "--date YYYY-MM-DD"), (args.by, '--by "NAME, ROLE"')):
        if not given:
            raise UsageError(f"ratify needs {option} (or --amend, to correct the latest record)")
    if args.reason or args.yes:
        raise UsageError("--reason and --yes go with --amend")
    request = ratify.Request(args.date, tuple(ratify.parse_signatory(b) for b in args.by), args.summary,
                             today, args.new_version, args.minute, args.body or body, args.owner)
    outcomes = ratify.plan_many(histories, source, request)
    edits = []
    for history, outcome in zip(histories, outcomes):
        if outcome.path and outcome.snapshot is not None:
            record = outcome.snapshot.policy.ratification
            edit = commands.school_record_edit(source, history.current.school_slug, args.policy,
                                               outcome.snapshot.version, record)
            if edit:
                edits.append(ratify.SchoolEdit(outcome.path, *edit))
    ratify.record(source, outcomes, tuple(edits))  # all or none, so each line below is true together
    several = len(outcomes) > 1
    settled = {e.snapshot: e.school_file for e in edits}
    for history, outcome in zip(histories, outcomes):
        prefix = f"{history.current.school_name}: " if several and outcome.path is None else ""
        print(prefix + outcome.message)
        if outcome.path:
            print(f"Snapshot: {link(outcome.path, display_path(outcome.path), sys.stdout)}")
    for outcome in outcomes:
        if outcome.path in settled:
            record = outcome.snapshot.policy.ratification
            print(f"Updated {display_path(settled[outcome.path])}: its record of {args.policy} now says ratified on "
                  f"{record.date.isoformat()}, version {outcome.snapshot.version}")
    changed = [h.current.school_slug for h, o in zip(histories, outcomes) if o.path]
    if changed:
        schools = " ".join(f"--school {slug}" for slug in changed)
        where = "" if _is_default_source(source) else f" --source {_arg(source)}"
        if output.resolve() != default_output(source).resolve():
            where += f" --output {_arg(output)}"
        print(f"The public pages show the new version after a build: policyc build{where} {schools}")
    return EXIT_OK


def _confirm(args, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("add --yes to go ahead without being asked (no terminal to ask on)")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _unratify(args, checked, source: Path, today: dt.date) -> int:
    from policyc import commands  # it loads the writers, which a quick command must not
    history = commands.find(checked, args.school, args.policy)
    latest = ratify.unratify_plan(history, today)
    print(f"{history.current.school_name}: version {latest.version} of the {history.current.title}, ratified "
          f"{latest.date.isoformat()} by the {latest.policy.ratification.body}, recorded {latest.recorded}.")
    if not _confirm(args, "Take this ratification back?"):
        print("Nothing was changed.")
        return EXIT_OK
    for line in ratify.unratify(latest, source / "schools"):
        print(line)
    return EXIT_OK


def _amend(args, histories, source: Path, today: dt.date) -> int:
    """`ratify --amend`: correct the latest record of each school's copy, after the user has
    seen what changes and said yes; all schools or none."""
    from policyc import commands  # it loads the writers, which a quick command must not
    if args.summary or args.new_version or args.owner:
        raise UsageError("--amend corrects the record of a meeting (--date, --by, --minute, --body), not the "
                         "summary, version or owner of the change")
    correction = ratify.Amendment(today, args.reason, args.date,
                                  tuple(ratify.parse_signatory(b) for b in args.by),
                                  args.minute or None, args.body or None)
    planned = []
    for history in histories:
        path, text, shown = ratify.amend(history, correction)
        planned.append((history, path, text))
        latest = history.snapshots[-1]
        print(f"{history.current.school_name}: version {latest.version} of the {history.current.title}, "
              f"ratified {latest.date.isoformat()}:")
        for line in shown:
            print(f"  {line}")
    if not _confirm(args, "Correct this record? The record as it was is kept in the snapshot."):
        print("Nothing was changed.")
        return EXIT_OK
    edits = []
    for history, path, text in planned:
        latest, own = history.snapshots[-1], history.current.ratification
        if own.status == "ratified" and own.version == latest.version:  # the school file repeats this record
            fixed = dataclasses.replace(latest.policy.ratification, date=args.date or latest.date,
                         signatories=correction.signatories or latest.policy.ratification.signatories,
                         minute=args.minute or latest.policy.ratification.minute,
                         body=args.body or latest.policy.ratification.body)
            edit = commands.school_record_edit(source, history.current.school_slug, args.policy,
                                               latest.version, fixed)
            if edit:
                edits.append(edit)
    ratify.record_amendments(source, [(path, text) for _, path, text in planned], edits, args.policy)
    for _, path, _ in planned:
        print(f"Corrected {link(path, display_path(path), sys.stdout)}")
    for school_file, _, _ in edits:
        print(f"Updated {display_path(school_file)} to match")
    return EXIT_OK


def _history_command(args, checked, source: Path, output: Path, today: dt.date) -> int:
    from policyc import commands
    if args.command == "ratify":
        return _ratify(args, checked, source, output, today)
    if args.command == "unratify":
        return _unratify(args, checked, source, today)
    history = commands.find(checked, args.school, args.policy)
    if args.command == "versions":
        print(f"{history.current.title} – {history.current.school_name}")
        for line in commands.versions_table(history):
            print(line)
        return EXIT_OK
    old, new = commands.pick(checked, history, args.old), commands.pick(checked, history, args.new)
    formats = args.format
    for path in commands.write_redline(checked, history, old, new, output, formats, today):
        print(f"Wrote {link(path, display_path(path), sys.stdout)}")
    return EXIT_OK


def _check_filters(args, project) -> None:
    """An unknown school or policy named on the command line is a usage error (exit 2)."""
    for wanted, known, what in ((getattr(args, "school", []), [s.slug for s in project.schools], "school"),
                                (getattr(args, "policy", []), [p.id for p in project.policies], "policy")):
        for name in ([wanted] if isinstance(wanted, str) else wanted):
            if name and name not in known:
                close = difflib.get_close_matches(name, known, n=1) or [k for k in known if k.startswith(name)][:1]
                raise UsageError(f"there is no {what} {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                                 + f" (known: {', '.join(known)})")


if __name__ == "__main__":
    sys.exit(main())
