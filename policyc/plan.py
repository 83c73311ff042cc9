"""The list of outputs, computed before anything is rendered.

Why a plan: a build writes nothing until every source is checked, and later an
incremental build or a pool of workers needs the same list to decide what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .model import ResolvedPolicy


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder, always with forward slashes
    format: str  # a key of writers.WRITERS
    policy: Optional[ResolvedPolicy] = None
    school: str = ""


def plan_outputs(policies: list[ResolvedPolicy], formats: tuple[str, ...],
                 schools: Optional[set] = None, policy_ids: Optional[set] = None) -> list[Output]:
    """Every file the build writes; `schools`/`policy_ids` narrow which policies are rendered."""
    outputs = [Output("assets", "assets")]
    for policy in policies:
        if schools and policy.school_slug not in schools:
            continue
        if policy_ids and policy.policy_id not in policy_ids:
            continue
        for fmt in formats:
            outputs.append(Output(f"{policy.school_slug}/{policy.policy_id}.{fmt}", fmt, policy))
    for slug in dict.fromkeys(p.school_slug for p in policies):
        outputs.append(Output(f"{slug}/index.html", "school-index", school=slug))
    outputs.append(Output("index.html", "trust-index"))
    return outputs
