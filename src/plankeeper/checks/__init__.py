"""The registry of checks, in SPEC order; each is a function from a context to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from plankeeper.registry import LazyRegistry

if TYPE_CHECKING:
    from plankeeper.context import Context
    from plankeeper.findings import Finding

Check = Callable[["Context"], Iterable["Finding"]]

# A check module is imported when its check runs, not when the command starts.
CHECKS: LazyRegistry[Check] = LazyRegistry(
    {
        "plan-updated": "plankeeper.checks.plan_updated:check",
        "todos-tracked": "plankeeper.checks.todos_tracked:check",
        "handoff-matches": "plankeeper.checks.handoff_matches:check",
        "plan-structure": "plankeeper.checks.plan_structure:check",
    }
)

# Checks that look at a state, not at a change: what `hook` runs when nothing is staged.
STATE_CHECKS = ("todos-tracked", "plan-structure")
