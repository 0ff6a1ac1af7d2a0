"""Plan progress as text lines and as JSON data, shared by `status`, `next` and `verify`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from plankeeper.plans.plan import Phase, Plan, Task
from plankeeper.text import clean, display_path

BAR_WIDTH = 20
NO_PLANS = "plankeeper: no plans found: run `plankeeper init` to scaffold one"
ALL_DONE = "all tasks done"

_BOLD, _GREEN, _YELLOW, _DIM, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[0m"


def is_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (no-color.org) or TERM=dumb."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def next_task_of(plans: list[Plan]) -> tuple[Plan, Task] | None:
    """The next task of the first plan that has one."""
    for plan in plans:
        task = plan.next_task()
        if task is not None:
            return plan, task
    return None


def task_line(plan: Plan, task: Task) -> str:
    """`path:line: [id] text`, or `path:line: text` for a task without an id."""
    label = f"[{task.id}] {task.text}" if task.id else task.text
    return clean(f"{plan.path}:{task.line}: {label.rstrip()}")


def bar(done: int, total: int, color: bool = False) -> str:
    filled = BAR_WIDTH * done // total if total else 0
    if color:
        return f"[{_GREEN}{'#' * filled}{_RESET}{'-' * (BAR_WIDTH - filled)}]"
    return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}]"


def _title(phase: Phase) -> str:
    return clean(phase.title) if phase.title else "(no heading)"


def status_lines(plan: Plan, color: bool = False) -> list[str]:
    """A plan's progress: a header, one line per phase, then its next task."""
    bold, dim, reset = (_BOLD, _DIM, _RESET) if color else ("", "", "")
    header = f"{bold}{clean(plan.path)}{reset}: {plan.done}/{plan.total} tasks done"
    if not plan.total:
        return [f"{bold}{clean(plan.path)}{reset}: no tasks"]
    lines = [header]
    current = plan.current_phase()
    width = max(len(f"{phase.done}/{phase.total}") for phase in plan.phases)
    for phase in plan.phases:
        counts = f"{phase.done}/{phase.total}".rjust(width)
        line = f"  {bar(phase.done, phase.total, color)} {counts}  {_title(phase)}"
        if phase is current:
            line += f"  {_YELLOW}<- current{reset}" if color else "  <- current"
        lines.append(line)
    task = plan.next_task()
    lines.append(f"  {dim}next:{reset} {task_line(plan, task)}" if task else f"  {ALL_DONE}")
    return lines


def summary_line(plan: Plan, color: bool = False) -> str:
    """One line per plan for `verify`: bar, counts and the current phase."""
    bold, reset = (_BOLD, _RESET) if color else ("", "")
    line = f"{bold}{clean(plan.path)}{reset} {bar(plan.done, plan.total, color)} "
    line += f"{plan.done}/{plan.total}"
    current = plan.current_phase()
    if current is not None:
        line += f", current phase: {_title(current)}"
    elif plan.total:
        line += f", {ALL_DONE}"
    return line


def task_data(plan: Plan, task: Task | None) -> dict[str, Any] | None:
    if task is None:
        return None
    return {
        "path": display_path(plan.path),
        "line": task.line,
        "id": task.id,
        "text": display_path(task.text),
    }


def plan_data(plan: Plan) -> dict[str, Any]:
    """The `status --json` entry of one plan (documented in the README; keys only added)."""
    current = plan.current_phase()
    return {
        "path": display_path(plan.path),
        "kind": "masterplan" if plan.is_masterplan else "tasks",
        "done": plan.done,
        "total": plan.total,
        "phases": [
            {
                "title": display_path(phase.title),
                "line": phase.line,
                "done": phase.done,
                "total": phase.total,
            }
            for phase in plan.phases
        ],
        "current_phase": None
        if current is None
        else {"title": display_path(current.title), "line": current.line},
        "next_task": task_data(plan, plan.next_task()),
    }
