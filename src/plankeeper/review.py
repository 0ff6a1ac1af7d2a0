"""What a reviewer reads beside the findings: each plan's progress, the tasks checked off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plankeeper.findings import PlanProgress, Review, Ticked

if TYPE_CHECKING:
    from plankeeper.context import Context
    from plankeeper.plans.plan import Plan, Task


def _key(task: Task) -> str:
    return f"id:{task.id}" if task.id else f"text:{task.text}"


def ticked_tasks(ctx: Context) -> list[tuple[Plan, Task]]:
    """Tasks that a changed plan marks done in the new state and not in the old one.

    A task is the same across the two states by its id, else by its text; a task that
    is new and already done counts as checked off too.
    """
    change_set = ctx.change_set
    if change_set.old is None:
        return []
    changed = {
        path
        for path in change_set.changed
        if path not in change_set.deleted and ctx.role(path) in ("masterplan", "tasks")
    }
    if not changed:
        return []
    from plankeeper.plans.cache import parse_cached

    old = ctx.repo.read_many(change_set.old, sorted(changed))
    folder = ctx.plan_cache
    found: list[tuple[Plan, Task]] = []
    for plan in ctx.plans:
        if plan.path not in changed:
            continue
        was_done: set[str] = set()
        if plan.path in old:
            before = parse_cached(folder, old[plan.path], plan.path, plan.is_masterplan)
            was_done = {_key(task) for task in before.tasks if task.is_done}
        found += [
            (plan, task) for task in plan.tasks if task.is_done and _key(task) not in was_done
        ]
    return found


def review_of(ctx: Context) -> Review:
    """Every plan's progress and what the change checked off; the reporter escapes the text."""
    plans = []
    for plan in ctx.plans:
        phase = plan.current_phase()
        task = plan.next_task()
        plans.append(
            PlanProgress(
                plan.path,
                plan.done,
                plan.total,
                None if phase is None else phase.title,
                None if task is None else task.label(),
            )
        )
    ticked = tuple(Ticked(plan.path, task.line, task.label()) for plan, task in ticked_tasks(ctx))
    return Review(tuple(plans), ticked)
