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
        raise UserError(found.message)
    print(f"policyc: {found.message}.", file=sys.stderr)


def check_filters(args, project) -> None:
    """An unknown school or policy named on the command line is a usage error (exit 2)."""
    for wanted, known, what in ((getattr(args, "school", []), [s.slug for s in project.schools], "school"),
                                (getattr(args, "policy", []), [p.id for p in project.policies], "policy")):
        for name in ([wanted] if isinstance(wanted, str) else wanted):
            if name and name not in known:
                close = difflib.get_close_matches(name, known, n=1) or [k for k in known if k.startswith(name)][:1]
                raise UsageError(f"there is no {what} {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                                 + f" (known: {', '.join(known)})")
