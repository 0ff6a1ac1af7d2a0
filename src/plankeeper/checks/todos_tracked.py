"""todos-tracked: PK201 (no task tracks a TODO), PK202 (task done), PK203 (no id), PK204 (stale)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from plankeeper.context import Context
from plankeeper.findings import CODES, Finding, fill, finding
from plankeeper.git.states import WORKTREE

if TYPE_CHECKING:
    from plankeeper.baseline import Baseline
    from plankeeper.plans.plan import Plan
    from plankeeper.todos.scan import Todo
    from plankeeper.todos.tracking import Tracking


def may_hold_tag(contents: Iterable[bytes], tags: Iterable[str]) -> bool:
    """False only when no file holds a tag's bytes, the test `todos.scan` starts with.

    UTF-16 files hold NUL bytes: binary to the scanner, as to `git grep` and `git diff`.
    """
    needles = [tag.encode() for tag in tags]
    return any(needle in data for data in contents for needle in needles)


def todos_of(ctx: Context, candidates: Iterable[str] | None = None) -> list[Todo]:
    """The TODOs the check looks at: the FILEs, else the changed files, else the whole tree.

    `candidates` is a running `grep_files` of the whole tree, when the check started one:
    its files are read and lexed as git names them.
    """
    change_set = ctx.change_set
    if ctx.files is not None:
        # A FILE that the new state lacks (untracked, in staged mode) is read from disk.
        return ctx.todos(ctx.files, fallback=WORKTREE)
    if is_whole_tree(ctx):
        if candidates is None:
            candidates = ctx.repo.grep_files(change_set.new, ctx.config.todo_tags)
        return ctx.todos(candidates)
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


def _done_task(todo: Todo, tracking: Tracking) -> tuple[str, str]:
    """The id a TODO references and where that done task is (`plan.md:12`)."""
    assert tracking.plan is not None
    assert tracking.task is not None
    assert todo.reference is not None
    return todo.reference.id, f"{tracking.plan.path}:{tracking.task.line}"


def message(todo: Todo, tracking: Tracking) -> str:
    reference = todo.reference
    if tracking.reason == "done":
        task, where = _done_task(todo, tracking)
        return f"{todo.label} references task {task}, which is done ({where})"
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


def fix_values(todo: Todo, tracking: Tracking, example_id: str) -> dict[str, str]:
    """What the code's fix template names: the tag, and the task or its place."""
    reference = todo.reference
    if tracking.reason == "done":
        task, where = _done_task(todo, tracking)
        return {"task": task, "where": where}
    if tracking.reason == "unknown-id":
        assert reference is not None
        return {"task": reference.id}
    return {"tag": todo.tag, "task": example_id}


def example_id(plans: Iterable[Plan]) -> str:
    """An open task's id to show how a TODO references one (`T4` when no open task has one)."""
    for plan in plans:
        for task in plan.tasks:
            if task.is_open and task.id is not None:
                return task.id
    return "T4"


def newly_done(ctx: Context) -> set[str]:
    """Ids of tasks that a changed plan marks done in the new state and not in the old."""
    if ctx.files is not None or is_whole_tree(ctx):
        return set()
    from plankeeper.review import ticked_tasks

    return {task.id for _, task in ticked_tasks(ctx) if task.id is not None}


def referencing(ctx: Context, ids: set[str], scanned: Iterable[str]) -> list[Todo]:
    """The TODOs of the new state, outside `scanned`, that reference one of `ids`.

    A commit that ticks a task would otherwise pass while a TODO elsewhere still names
    it, and only the push (or CI) would object.
    """
    # `git grep -w -E` for the ids: a `.` (`1.2`) is escaped, the other id characters
    # are plain in a regular expression.
    words = [identifier.replace(".", r"\.") for identifier in sorted(ids)]
    files = ctx.repo.grep_files(ctx.change_set.new, words)()
    skip = set(scanned)
    todos = ctx.todos([path for path in files if path not in skip])
    return [todo for todo in todos if todo.reference is not None and todo.reference.id in ids]


def check(ctx: Context) -> Iterator[Finding]:
    baseline = baseline_of(ctx)
    scope = _stale_scope(ctx)
    judged = baseline is not None and (scope is None or not baseline.paths.isdisjoint(scope))
    done = newly_done(ctx)
    todos: list[Todo] = []
    if not _has_no_candidates(ctx) or judged:
        candidates = None
        if is_whole_tree(ctx):
            candidates = ctx.repo.grep_files(ctx.change_set.new, ctx.config.todo_tags)
            _ = ctx.plans  # parsed (and cached) while git searches the tree
        todos = todos_of(ctx, candidates)
    if done:
        todos += referencing(ctx, done, ctx.change_set.changed)
    if not todos and not judged:
        return
    from plankeeper.todos.tracking import Tracker

    tracker = Tracker(ctx.plans) if todos else None
    example = ""
    for todo in todos:
        assert tracker is not None
        tracking = tracker.track(todo)
        if tracking.reason is None or (baseline is not None and baseline.absorbs(todo)):
            continue
        example = example or example_id(ctx.plans)
        code = CODE_OF[tracking.reason]
        yield finding(
            code,
            message(todo, tracking),
            path=todo.path,
            line=todo.line,
            column=todo.column,
            fix=fill(CODES[code].fix, fix_values(todo, tracking, example)),
        )
    if baseline is not None:
        yield from _stale(ctx, baseline, scope)


def _stale(ctx: Context, baseline: Baseline, scope: list[str] | None) -> Iterator[Finding]:
    from plankeeper.baseline import stale_message

    for entry, gone in baseline.stale(scope):
        yield finding(
            "PK204",
            stale_message(entry, gone),
            path=ctx.config.baseline,
            line=entry.line,
            baseline=ctx.config.baseline,
        )
