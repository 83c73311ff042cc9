"""`policyc ratify`, `unratify`, `versions`, `diff` and `as-of`: the history commands and their terminal text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

from policyc.cli.common import arg, is_default_source
from policyc.cli.parser import EXIT_INVALID, EXIT_OK
from policyc.errors import UsageError, display_path
from policyc.history import ratify
from policyc.history.attach import find
from policyc.text.dates import long_date
from policyc.progress import link
from policyc.workspace import default_output


def as_of_command(args, checked, output: Path, today: dt.date) -> int:
    from policyc import reports
    from policyc.compliance.period import in_force_on, version_words
    from policyc.site.review import (
        write_as_of,  # it loads the writers, which a quick command must not
    )
    if bool(args.policy) == bool(args.all):
        raise UsageError("as-of needs --policy ID, or --all for every policy the school had in force that day")
    if args.day > today:
        raise UsageError(f"{args.day.isoformat()} is after today ({today.isoformat()}): as-of answers for a day "
                         "that has come")
    histories = [h for h in checked.histories if h.current.school_slug == args.school
                 and (args.all or h.current.policy_id == args.policy)]
    if not histories:
        find(checked.histories, args.school, args.policy)  # says why: the school does not have that policy
    day = long_date(args.day)
    found = []
    for history in histories:
        title = history.current.title
        period = in_force_on(history, args.day)
        if period is None:
            first = reports.first_ratified(history)
            print(f"{title}: no version was in force on {day}: "
                  + (f"the first was ratified {first}." if first else "no version has been ratified."))
            continue
        if period.uncertain(args.day):
            print(f"{title}: {version_words(period)} was ratified in {period.start_written}; the record gives "
                  f"no day, so whether it was in force on {day} cannot be told from it.")
            continue
        print(f"{title}: {version_words(period)}, {reports.period_words(period)}"
              + ("" if period.frozen else " (policyc holds no snapshot of it: the text is the one the sources "
                                          "give now)"))
        found.append((history, period))
    if not found:
        return EXIT_INVALID
    if args.no_pdf:
        return EXIT_OK
    for path in write_as_of(found, args.day, output, args.school, args.all):
        print(f"Wrote {link(path, display_path(path), sys.stdout)}")
    return EXIT_OK


def _ratify(args, checked, source: Path, output: Path, today: dt.date) -> int:
    histories, body = ratify.ratify_selection(checked.project, checked.histories, args.policy, args.school,
                                              args.all_schools)
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
            edit = ratify.school_record_edit(source, history.current.school_slug, args.policy,
                                             outcome.snapshot.version, record)
            if edit:
                edits.append(ratify.SchoolEdit(outcome.path, *edit))
    said = [_outcome_words(o) for o in outcomes]  # before anything is written, as every word is known
    ratify.record(source, outcomes, tuple(edits))  # all or none, so each line below is true together
    several = len(outcomes) > 1
    settled = {e.snapshot: e.school_file for e in edits}
    for history, outcome, words in zip(histories, outcomes, said):
        prefix = f"{history.current.school_name}: " if several and outcome.path is None else ""
        print(prefix + words)
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
        where = "" if is_default_source(source) else f" --source {arg(source)}"
        if output.resolve() != default_output(source).resolve():
            where += f" --output {arg(output)}"
        print(f"The public pages show the new version after a build: policyc build{where} {schools}")
    return EXIT_OK


KIND_WORDS = {"first": "first recorded version", "structure": "clauses added or removed",
              "wording": "wording changed", "values": "school details changed only"}  # a snapshot's kind of change


def _outcome_words(outcome: ratify.Outcome) -> str:
    """One school's part of a ratification, in a sentence: the version recorded, or why none was."""
    if outcome.snapshot is None:
        latest = outcome.already
        return (f"Version {latest.version} (ratified {latest.date.isoformat()}) already records "
                f"exactly this text; nothing to do.")
    snap = outcome.snapshot
    policy, record = snap.policy, snap.policy.ratification
    detail = f" ({outcome.affected})" if outcome.affected else ""
    return (f"Recorded version {snap.version} of {policy.title} for {policy.school_name}, ratified by "
            f"the {record.body} on {record.date.isoformat()}: {KIND_WORDS[snap.change]}{detail}.")


def _unratified_words(done: ratify.Unratified) -> list[str]:
    """What `unratify` did, a line for each file."""
    lines = [f"Removed {display_path(done.snapshot)}"]
    if done.school_file is not None and done.put_back:
        lines.append(f"Put back {display_path(done.school_file)} as it was before the ratification")
    elif done.school_file is not None:
        lines.append(f"{display_path(done.school_file)} has changed since the ratification, so it is left as it "
                     "is: check its ratification: record")
    return lines


def _shown(value) -> str:
    """A field of a ratification record as the user reads it: signatories "Name, Role; ...", nothing "none"."""
    if isinstance(value, list):
        return "; ".join(f"{s['name']}, {s['role']}" for s in value) or "none"
    return str(value) if value else "none"


def _confirm(args, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("add --yes to go ahead without being asked (no terminal to ask on)")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _unratify(args, checked, source: Path, today: dt.date) -> int:
    history = find(checked.histories, args.school, args.policy)
    latest = ratify.unratify_plan(history, today)
    print(f"{history.current.school_name}: version {latest.version} of the {history.current.title}, ratified "
          f"{latest.date.isoformat()} by the {latest.policy.ratification.body}, recorded {latest.recorded}.")
    if not _confirm(args, "Take this ratification back?"):
        print("Nothing was changed.")
        return EXIT_OK
    for line in _unratified_words(ratify.unratify(latest, source / "schools")):
        print(line)
    return EXIT_OK


def _amend(args, histories, source: Path, today: dt.date) -> int:
    """`ratify --amend`: correct the latest record of each school's copy, after the user has
    seen what changes and said yes; all schools or none."""
    if args.summary or args.new_version or args.owner:
        raise UsageError("--amend corrects the record of a meeting (--date, --by, --minute, --body), not the "
                         "summary, version or owner of the change")
    correction = ratify.Amendment(today, args.reason, args.date,
                                  tuple(ratify.parse_signatory(b) for b in args.by),
                                  args.minute or None, args.body or None)
    planned = []
    for history in histories:
        path, text, changes = ratify.amend(history, correction)
        planned.append((history, path, text))
        latest = history.snapshots[-1]
        print(f"{history.current.school_name}: version {latest.version} of the {history.current.title}, "
              f"ratified {latest.date.isoformat()}:")
        for key, (was, now) in changes.items():
            print(f"  {key}: {_shown(was)} → {_shown(now)}")
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
            edit = ratify.school_record_edit(source, history.current.school_slug, args.policy,
                                             latest.version, fixed)
            if edit:
                edits.append(edit)
    ratify.record_amendments(source, [(path, text) for _, path, text in planned], edits, args.policy)
    for _, path, _ in planned:
        print(f"Corrected {link(path, display_path(path), sys.stdout)}")
    for school_file, _, _ in edits:
        print(f"Updated {display_path(school_file)} to match")
    return EXIT_OK


def history_command(args, checked, source: Path, output: Path, today: dt.date) -> int:
    if args.command == "ratify":
        return _ratify(args, checked, source, output, today)
    if args.command == "unratify":
        return _unratify(args, checked, source, today)
    history = find(checked.histories, args.school, args.policy)
    if args.command == "versions":
        from policyc.reports import versions_table
        print(f"{history.current.title} – {history.current.school_name}")
        for line in versions_table(history):
            print(line)
        return EXIT_OK
    from policyc.site.review import (  # it loads the writers, which a quick command must not
        pick,
        write_redline,
    )
    old, new = pick(checked.project, history, args.old), pick(checked.project, history, args.new)
    formats = args.format
    for path in write_redline(history, old, new, output, formats, today):
        print(f"Wrote {link(path, display_path(path), sys.stdout)}")
    return EXIT_OK
