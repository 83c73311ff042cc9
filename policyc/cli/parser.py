"""The command line's parser: every command, option and help text, and the types that check an option's value.

Shell completion (`policyc completion`, through shtab) reads this parser too."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
from pathlib import Path

from policyc import __version__
from policyc.errors import UsageError
from policyc.outputs import formats as format_table

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
                       description="Write what changed between two versions: an HTML page and a PDF, and with "
                                   "--format docx a Word file with tracked changes. A version is a version number, "
                                   "'draft' (the sources now) or 'model' (the trust's model, untailored).")
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
        from policyc.source.load import date_hint  # only for a date that is wrong
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


def with_command(argv: list[str]) -> list[str]:
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


BUILD_ONLY = ("--format", "--jobs", "-j", "--executor", "--scheduler", "--no-cache")


def parse(argv: list[str]) -> argparse.Namespace:
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
