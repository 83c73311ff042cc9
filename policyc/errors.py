"""Problems found in source files, and the errors that carry them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from policyc.limits import MAX_FILE_BYTES


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file; line and column count from 1, as editors show them."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str
    hint: str = ""
    warning: bool = False
    note: bool = False  # something passed over, said once: not a warning, even to --strict

    def __str__(self) -> str:
        kind = "note: " if self.note else "warning: " if self.warning else ""
        text = f"{self.position}: {kind}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple:
        return (self.position.file, self.position.line, self.position.column, self.message)


class Problems:
    """Collects every problem a stage finds, so the user sees them all in one run."""

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._muted: set[Position] = set()

    def error(self, position: Position, message: str, hint: str = "", follow_on: bool = False) -> None:
        """`follow_on`: a problem that a value refused at this place could cause by itself
        (a clause left with no words once its refused `text:` is taken out)."""
        if not (follow_on and position in self._muted):
            self._items.append(Problem(position, message, hint))

    def warn(self, position: Position, message: str, hint: str = "", follow_on: bool = False) -> None:
        if not (follow_on and position in self._muted):
            self._items.append(Problem(position, message, hint, warning=True))

    def note(self, position: Position, message: str) -> None:
        """Reported with the warnings, counted with none of them."""
        self._items.append(Problem(position, message, warning=True, note=True))

    def mute(self, positions: set[Position]) -> None:
        """From now on, report no follow-on problem at these places: their own errors are reported."""
        self._muted |= positions

    def extend(self, other: "Problems") -> None:
        self._items.extend(other._items)

    def replay(self, other: "Problems") -> None:
        """What `other` was told, as if this had been told it: its problems and its mutes."""
        self._items.extend(other._items)
        self._muted |= other._muted

    @property
    def errors(self) -> list[Problem]:
        return self._sorted(warning=False)

    @property
    def warnings(self) -> list[Problem]:
        return self._sorted(warning=True)

    def _sorted(self, warning: bool) -> list[Problem]:
        # A mistake in the model policy is found once per school; report it once.
        unique = dict.fromkeys(p for p in self._items if p.warning == warning)
        return sorted(unique, key=Problem.sort_key)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InvalidSource(self.errors, self.warnings)


class UserError(Exception):
    """Something the user can fix, reported without a traceback. The command line exits with
    `exit_code` (its EXIT_CODES: 1 a problem in the user's files, 2 a mistake on the command line)."""

    exit_code = 1


class UsageError(UserError):
    """A mistake on the command line (an unknown school or version, a refused folder): exit 2."""

    exit_code = 2


class InvalidSource(UserError):
    """One or more problems in the source files; nothing was written."""

    def __init__(self, errors: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.errors = errors
        self.warnings = warnings or []
        super().__init__(f"{len(errors)} problem(s) in the sources")


def _lines(file: str) -> tuple[str, ...]:
    try:
        path = Path(file).resolve()
        stat = path.stat()
    except OSError:
        return ()
    if not S_ISREG(stat.st_mode) or stat.st_size > MAX_FILE_BYTES:  # only a source file already read
        return ()
    return _read_lines(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_lines(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Keyed on where the file is and when it last changed, so an edited file is read again."""
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def locate(start: Position, needle: str) -> Position:
    """The exact place of `needle` (a placeholder as written, say) at or after `start`.

    Values are parsed text, so a problem inside a long paragraph is found again in the file
    to give its own line and column; if it cannot be found, the value's own position serves.
    """
    lines = _lines(start.file)
    first = max(start.line, 1)
    for number in range(first, min(len(lines), first + 400) + 1):
        column = lines[number - 1].find(needle, start.column - 1 if number == start.line else 0)
        if column >= 0:
            return Position(start.file, number, column + 1)
    return start


def counted(problems: list[Problem]) -> list[Problem]:
    """The warnings that count (for --strict and in totals): all but the notes."""
    return [p for p in problems if not p.note]


def display_path(path: Path, follow_link: bool = True) -> str:
    """A path as the user would type it: relative to the working directory when possible.
    `follow_link`: False names a link itself, not what it points at."""
    target = path.resolve() if follow_link else path.parent.resolve() / path.name
    try:
        shown = str(target.relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    # A control character in a file name (a newline, say) would break the message's line.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)
