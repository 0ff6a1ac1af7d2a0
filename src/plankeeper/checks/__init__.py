"""The checks, in SPEC order; each is a function from a context to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from plankeeper.checks import handoff_matches, plan_structure, plan_updated, todos_tracked
from plankeeper.context import Context
from plankeeper.findings import Finding

Check = Callable[[Context], Iterable[Finding]]

# Adding a check: its module here, one line below, its codes in findings.CODES, a test file.
CHECKS: dict[str, Check] = {
    "plan-updated": plan_updated.check,
    "todos-tracked": todos_tracked.check,
    "handoff-matches": handoff_matches.check,
    "plan-structure": plan_structure.check,
}

# Checks that look at a state, not at a change: what `hook` runs when nothing is staged.
STATE_CHECKS = ("todos-tracked", "plan-structure")
