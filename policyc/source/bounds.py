"""How deep clauses nest and how many a file holds, measured before the schema runs.

Why before: schema validation recurses once per level and every later stage walks the
clause tree, so the size of the tree is checked first, without recursion, and a file
past the limits is reported at the clause that passes them (never cut short silently).
"""

from __future__ import annotations

from policyc.errors import Problems
from policyc.limits import MAX_CLAUSE_DEPTH, MAX_CLAUSES
from policyc.source.read import SourceFile


def within_bounds(source: SourceFile, problems: Problems) -> bool:
    """False (with the problem reported) when clauses nest or number past the limits."""
    count, deepest_reported = 0, False
    stack: list[tuple[tuple, object, int]] = [((), source.data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if key == "clauses" and isinstance(child, list):
                    for i, clause in enumerate(child):
                        stack.append((path + (key, i), clause, depth + 1))
                        count += 1
                else:
                    stack.append((path + (key,), child, depth))
        elif isinstance(value, list):
            stack += [(path + (i,), item, depth) for i, item in enumerate(value)]
        if depth > MAX_CLAUSE_DEPTH and not deepest_reported and path[-2:-1] == ("clauses",):
            problems.error(source.at(path), f"clauses nested too deeply: this is level {depth} of sub-clauses",
                           f"the limit is {MAX_CLAUSE_DEPTH} levels; "
                           "make deeper levels a list (items:) or a section of their own")
            deepest_reported = True
    if count > MAX_CLAUSES:
        problems.error(source.at(), f"this file holds {count:,} clauses; the limit is {MAX_CLAUSES:,}",
                       "split the policy into several policies")
        return False
    return not deepest_reported
