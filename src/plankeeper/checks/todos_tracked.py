"""todos-tracked: PK201 (no task tracks a TODO), PK202 (task done), PK203 (no id), PK204 (stale)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from plankeeper.context import Context
from plankeeper.findings import Finding, finding
from plankeeper.git.states import WORKTREE

if TYPE_CHECKING:
    from plankeeper.baseline import Baseline
    from plankeeper.todos.scan import Todo
    from plankeeper.todos.tracking import Tracking


def may_hold_tag(contents: Iterable[bytes], tags: Iterable[str]) -> bool:
    """False only when no file holds a tag's bytes, the test `todos.scan` starts with.

    UTF-16 files hold NUL bytes: binary to the scanner, as to `git grep` and `git diff`.
    """
    needles = [tag.encode() for tag in tags]
    return any(needle in data for data in contents for needle in needles)


def todos_of(ctx: Context, candidates: Callable[[], list[str]] | None = None) -> list[Todo]:
    """The TODOs the check looks at: the FILEs, else the changed files, else the whole tree.

    `candidates` is a pending `grep_files` of the whole tree, when the check started one.
    """
    change_set = ctx.change_set
    if ctx.files is not None:
        # A FILE that the new state lacks (untracked, in staged mode) is read from disk.
        return ctx.todos(ctx.files, fallback=WORKTREE)
    if is_whole_tree(ctx):
        if candidates is None:
            candidates = ctx.repo.grep_files(change_set.new, ctx.config.todo_tags)
        return ctx.todos(candidates())
    changed = [path for path in change_set.changed if path not in change_set.deleted]
    return ctx.todos(changed)


def _has_no_candidates(ctx: Context) -> bool:
    """A change none of whose files holds a tag's bytes has no TODO: nothing to lex."""
    change_set = ctx.change_set
    if ctx.files is not None or is_whole_tree(ctx):
        return False
    changed = [path for path in change_set.changed if path not in change_set.deleted]
    contents = ctx.repo.read_many(change_set.new, changed).values()
    return not may_hold_tag(contents, ctx.config.todo_tags)


def is_whole_tree(ctx: Context) -> bool:
    """`--all-files` and `verify` scan every file, not only the changed ones (SPEC)."""
    return ctx.files is None and (ctx.change_set.is_whole_tree or ctx.change_set.mode == "verify")


# The code of each reason why no open task tracks a tagged comment.
CODE_OF = {"untracked": "PK201", "done": "PK202", "unknown-id": "PK203"}


def message(todo: Todo, tracking: Tracking) -> str:
    reference = todo.reference
    if tracking.reason == "done":
        assert tracking.plan is not None
        assert tracking.task is not None
        assert reference is not None
        where = f"{tracking.plan.path}:{tracking.task.line}"
        return f"{todo.label} references task {reference.id}, which is done ({where})"
    if tracking.reason == "unknown-id":
        assert reference is not None
        return f"{todo.label} references {reference}, which no plan defines"
    if not todo.text:
        return f"{todo.label} is not tracked by any open task (it has no text)"
    return f"{todo.label} is not tracked by any open task: {todo.text}"


def baseline_of(ctx: Context) -> Baseline | None:
    """The baseline of the new state; None when it has no baseline file."""
    data = ctx.repo.read(ctx.change_set.new, ctx.config.baseline)
    if data is None:
        return None
    from plankeeper.baseline import Baseline, parse

    return Baseline(parse(data, ctx.config.baseline))


def _stale_scope(ctx: Context) -> list[str] | None:
    """The files whose baseline entries this run can judge: all of them on a whole tree."""
    if ctx.files is not None:
        return list(ctx.files)
    if is_whole_tree(ctx):
        return None
    return list(ctx.change_set.changed)


def check(ctx: Context) -> Iterator[Finding]:
    baseline = baseline_of(ctx)
    scope = _stale_scope(ctx)
    judged = baseline is not None and (scope is None or not baseline.paths.isdisjoint(scope))
    if _has_no_candidates(ctx) and not judged:
        return
    from plankeeper.todos.tracking import Tracker

    candidates = None
    if is_whole_tree(ctx):
        candidates = ctx.repo.grep_files(ctx.change_set.new, ctx.config.todo_tags)
        _ = ctx.plans  # parsed (and cached) while git searches the tree
    todos = todos_of(ctx, candidates)
    tracker = Tracker(ctx.plans) if todos else None
    for todo in todos:
        assert tracker is not None
        tracking = tracker.track(todo)
        if tracking.reason is None or (baseline is not None and baseline.absorbs(todo)):
            continue
        yield finding(
            CODE_OF[tracking.reason],
            message(todo, tracking),
            path=todo.path,
            line=todo.line,
            column=todo.column,
        )
    if baseline is not None:
        yield from _stale(ctx, baseline, scope)


def _stale(ctx: Context, baseline: Baseline, scope: list[str] | None) -> Iterator[Finding]:
    from plankeeper.baseline import stale_message

    for entry, gone in baseline.stale(scope):
        yield finding(
            "PK204", stale_message(entry, gone), path=ctx.config.baseline, line=entry.line
        )
