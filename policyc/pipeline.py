"""The build, stage by stage: read and check, resolve, number, plan, write, publish."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

from .check import load_project
from .errors import InvalidSource, Problem, Problems
from .history import PolicyHistory, attach_history
from .model import Project, ResolvedPolicy
from .number import number_policy
from .plan import Output, plan_outputs
from .publish import staged
from .resolve import resolve_all
from .site import SITE_WRITERS
from .writers import DOCUMENT_WRITERS, Context

WRITERS = {**DOCUMENT_WRITERS, **SITE_WRITERS}


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    output: Path
    today: dt.date
    formats: tuple[str, ...] = ("html", "pdf")
    schools: frozenset = frozenset()
    policies: frozenset = frozenset()
    strict: bool = False
    jobs: int = 1


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    policies: list[ResolvedPolicy] = field(default_factory=list)


@dataclass(frozen=True)
class Checked:
    project: Project
    histories: list[PolicyHistory]
    warnings: list[Problem]

    @property
    def policies(self) -> list[ResolvedPolicy]:
        return [h.current for h in self.histories]


def check_all(source: Path, strict: bool = False) -> Checked:
    """Read, check, resolve, number and attach history; raise with every problem found."""
    problems = Problems()
    project = load_project(source, problems)
    resolved = resolve_all(project, problems) if project else []
    histories = [attach_history(number_policy(p), source, problems) for p in resolved]
    problems.raise_if_errors()
    if strict and problems.warnings:
        raise InvalidSource(problems.warnings)
    return Checked(project, histories, problems.warnings)


def check(source: Path, strict: bool = False) -> tuple[Project, list[ResolvedPolicy], list[Problem]]:
    checked = check_all(source, strict)
    return checked.project, checked.policies, checked.warnings


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None,
          checked: Optional[Checked] = None) -> BuildReport:
    started = time.perf_counter()
    checked = checked or check_all(options.source, options.strict)
    project, policies, warnings = checked.project, checked.policies, checked.warnings
    plan = plan_outputs(checked.histories, options.formats, set(options.schools), set(options.policies))
    report = BuildReport(warnings=warnings, policies=policies)
    partial = bool(options.schools or options.policies)
    with staged(options.output, keep_existing=partial) as root:
        context = Context(root, project, checked.histories, options.formats, options.today)
        documents = [o for o in plan if o.policy is not None]
        for out in plan:  # assets first: documents do not need them, pages link to them
            if out.format == "assets":
                WRITERS[out.format](out, context)
        for path in render_all(documents, context, options.jobs):
            report.written.append(path)
            progress(f"[{len(report.written)}/{len(documents)}] {path}")
        for out in plan:  # the site last: indexes give the size of each PDF
            if out.policy is None and out.format != "assets":
                WRITERS[out.format](out, context)
    report.seconds = time.perf_counter() - started
    return report


def render_all(documents: list[Output], context: Context, jobs: int) -> Iterator[str]:
    """Render every document, on `jobs` processes; yields each path as it is written.

    Each document is a pure function of its plan entry and the context, so the order
    does not matter and the bytes are the same however many processes render them.
    """
    if jobs <= 1 or len(documents) <= 1:
        for out in documents:
            WRITERS[out.format](out, context)
            yield out.path
        return
    pool = multiprocessing.get_context("fork").Pool(min(jobs, len(documents)), _worker_init, (context,))
    try:
        yield from pool.imap_unordered(_render_one, documents)
        pool.close()
    except BaseException:
        pool.terminate()  # stop at once: no worker may write into a staging folder being removed
        raise
    finally:
        pool.join()


_CONTEXT: Optional[Context] = None


def _worker_init(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent stops the pool; workers just end
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_one(out: Output) -> str:
    WRITERS[out.format](out, _CONTEXT)
    return out.path
