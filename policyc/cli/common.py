"""What several commands share: a path as the user would type it, finishing an interrupted command's writes, and checking the --school and --policy named."""

from __future__ import annotations

import difflib
import shlex
import sys
from pathlib import Path

from policyc.errors import UsageError, UserError, display_path
from policyc.workspace import find_source


def arg(path: Path) -> str:
    """A path as the user would type it on the command line here: relative, quoted if need be."""
    return shlex.quote(display_path(Path(path)))


def is_default_source(path: Path) -> bool:
    """True when the commands run here would find this source folder by themselves."""
    try:
        return find_source().resolve() == Path(path).resolve()
    except UserError:
        return False


def recover(source: Path) -> None:
    """Finish (or take back) what a command killed while writing the sources left, before they are read."""
    from policyc.source import journal
    try:
        found = journal.recover(source)
    except OSError as exc:
        raise UserError(f"an interrupted command's writes in {display_path(source)} cannot be finished: "
                        f"{exc.strerror or exc}") from None
    if found is None:
        return
    if not found.complete:
        raise UserError(recovery_words(found))
    print(f"policyc: {recovery_words(found)}.", file=sys.stderr)


def recovery_words(found) -> str:
    """What source/journal.recover did with an interrupted command's writes, in a sentence (no full stop)."""
    what, journal = found.what, display_path(found.journal)
    if found.outcome == "unreadable":
        return (f"{journal} cannot be read ({found.error}): a command that wrote the sources was "
                "stopped part-way and what it left cannot be told; check the sources against version "
                "control or a backup, then remove that file")
    if found.outcome == "finished":
        placed = f", and the {found.ready} not yet in place are now" if found.ready else " and put them in place"
        return f"finished an interrupted {what}: it had written all its files{placed}, so it is recorded in full"
    if found.outcome == "taken back":
        return (f"took back an interrupted {what}: it was stopped before its files were all "
                "written, so none of it was recorded and the sources are as they were before it")
    return (f"an interrupted {what} was left part-way and cannot be finished: "
            + ", ".join(display_path(p) for p in found.broken) + " changed or missing since; it put in place "
            + ", ".join(display_path(p) for p in found.done) + ". The trust is part-recorded: restore those from "
            f"version control or a backup, or make the rest again by hand, then remove {journal}")


def check_filters(args, project) -> None:
    """An unknown school or policy named on the command line is a usage error (exit 2)."""
    for wanted, known, what in ((getattr(args, "school", []), [s.slug for s in project.schools], "school"),
                                (getattr(args, "policy", []), [p.id for p in project.policies], "policy")):
        for name in ([wanted] if isinstance(wanted, str) else wanted):
            if name and name not in known:
                close = difflib.get_close_matches(name, known, n=1) or [k for k in known if k.startswith(name)][:1]
                raise UsageError(f"there is no {what} {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                                 + f" (known: {', '.join(known)})")
