"""The build, stage by stage: read and check, resolve, number, plan, write, publish."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .check import load_project
from .errors import InvalidSource, Problem, Problems
from .history import PolicyHistory, attach_history
from .model import Project, ResolvedPolicy
from .number import number_policy
from .plan import plan_outputs
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
        for out in plan:
            if out.policy is not None:
                progress(f"[{len(report.written) + 1}/{len(documents)}] {out.path}")
            WRITERS[out.format](out, context)
            if out.policy is not None:
                report.written.append(out.path)
    report.seconds = time.perf_counter() - started
    return report


