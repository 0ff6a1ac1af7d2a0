"""plan-updated: PK101 (code changed, no covering plan changed), PK102 (whitespace-only edit)."""

from __future__ import annotations

from collections.abc import Iterator

from plankeeper.context import Context
from plankeeper.findings import Finding, finding
from plankeeper.globs import Glob, matches_any


def is_whitespace_only(old: bytes | None, new: bytes | None) -> bool:
    """True when two versions differ, but not once all whitespace is removed."""
    if old is None or new is None or old == new:
        return False
    return b"".join(old.split()) == b"".join(new.split())


def covers(plan_covers: tuple[Glob, ...] | None, path: str) -> bool:
    """A plan without `covers` covers every file."""
    return plan_covers is None or matches_any(plan_covers, path)


def check(ctx: Context) -> Iterator[Finding]:
    change_set = ctx.change_set
    if change_set.old is None:
        return
    code = [path for path in change_set.changed if ctx.is_code(path)]
    if not code:
        return
    plans = ctx.plan_paths()
    if not plans:
        yield from _predates_plans(ctx, code)
        return
    changed_plans = [
        path for path in change_set.changed if ctx.role(path) in ("masterplan", "tasks")
    ]
    old = ctx.repo.read_many(change_set.old, changed_plans)
    new = ctx.repo.read_many(change_set.new, changed_plans)
    real_changes = {
        path for path in changed_plans if not is_whitespace_only(old.get(path), new.get(path))
    }
    whitespace_only = set(changed_plans) - real_changes

    missing: dict[str, list[str]] = {}
    cosmetic: dict[str, list[str]] = {}
    for path in code:
        covering = [plan for plan in plans if covers(ctx.covers_of(plan), path)]
        if not covering or any(plan in real_changes for plan in covering):
            continue
        touched = [plan for plan in covering if plan in whitespace_only]
        if touched:
            cosmetic.setdefault(touched[0], []).append(path)
        else:
            held = [plan for plan in covering if plan in change_set.held_back]
            missing.setdefault((held or covering)[0], []).append(path)

    for plan, files in missing.items():
        message = f"{_describe(files)} changed but the plan was not updated"
        if plan in change_set.held_back:
            # `git commit PATH...` records only PATH: the plan edit waits in the index.
            message += (
                f": the plan change is staged but not part of this commit; "
                f"name {plan} in `git commit` too"
            )
        yield finding("PK101", message, path=plan)
    for plan, files in cosmetic.items():
        yield finding(
            "PK102",
            f"{_describe(files)} changed but the plan changed only in whitespace",
            path=plan,
        )


def _predates_plans(ctx: Context, code: list[str]) -> Iterator[Finding]:
    """No plan in the new state: name the base branch's plan if it has one, else `init`."""
    base = ctx.change_set.plan_base
    plans = ctx.plan_paths(base) if base is not None else []
    if not plans:
        yield finding(
            "PK101",
            f"{len(code)} code file(s) changed but this repository has no plan: "
            "run `plankeeper init`",
        )
        return
    missing: dict[str, list[str]] = {}
    for path in code:
        covering = [plan for plan in plans if covers(ctx.covers_of(plan), path)]
        if covering:
            missing.setdefault(covering[0], []).append(path)
    for plan, files in missing.items():
        yield finding(
            "PK101",
            f"{_describe(files)} changed but the plan was not updated: this branch was made "
            f"before its base added {plan}; merge the base branch in and update that plan",
            path=plan,
        )


def _describe(files: list[str]) -> str:
    if len(files) == 1:
        return files[0]
    return f"{len(files)} files ({files[0]}, ...)" if len(files) > 3 else ", ".join(files)
