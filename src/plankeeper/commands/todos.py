"""`plankeeper todos`: every TODO and the task that tracks it; `--fix` adds the untracked ones."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TextIO

from plankeeper.baseline import Baseline, parse
from plankeeper.checks.todos_tracked import message
from plankeeper.commands.common import open_repository
from plankeeper.config import Config
from plankeeper.context import Context, repo_relative
from plankeeper.edit import atomic_write, exclusive, inbox_edit, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE, ChangeSet
from plankeeper.plans.plan import Task
from plankeeper.text import flat, one_line, safe_lines
from plankeeper.todos.scan import Todo
from plankeeper.todos.tracking import Tracker, Tracking, normalize

# Past this many tasks, `--fix` asks for `--yes`: a baseline is what such a backlog needs.
FIX_LIMIT = 50


def listing(todo: Todo, tracking: Tracking, known: bool = False) -> str:
    """`path:line: TAG text -> plan:line [id]`, `-> untracked`, `-> suppressed`, `-> baseline`."""
    head = f"{one_line(todo.path)}:{todo.line}: {todo.tag}"
    if todo.text:
        head += f" {one_line(todo.text)}"
    if todo.suppressed:
        return f"{head} -> suppressed"
    if known:
        return f"{head} -> baseline"
    if tracking.plan is None or tracking.task is None or not tracking.is_tracked:
        return f"{head} -> untracked"
    target = f"{tracking.plan.path}:{tracking.task.line}"
    if tracking.task.id:
        target += f" [{tracking.task.id}]"
    return f"{head} -> {target}"


def _say(stream: TextIO, line: str) -> None:
    # Tag texts and paths are repository text: never a workflow command in a CI log.
    stream.write(safe_lines(line) + "\n")


def _files(repo: Repository, names: list[str]) -> list[str]:
    """FILE arguments, repo-relative; a folder stands for the files under it, as in git."""
    found: list[str] = []
    every: list[str] | None = None
    for name, path in zip(names, repo_relative(repo, names), strict=True):
        full = repo.root / path
        if full.is_dir():
            every = repo.worktree_files() if every is None else every
            prefix = "" if path == "." else f"{path.rstrip('/')}/"
            found.extend(item for item in every if item.startswith(prefix))
        elif full.is_file():
            found.append(path)
        else:
            raise PlankeeperError(f"{name}: no such file")
    return found


def run(args: argparse.Namespace) -> int:
    repo, config = open_repository(args)
    if args.fix:
        # The plan is read, decided on and written under one lock (see edit.exclusive).
        with exclusive(repo.git_path("plankeeper.lock")):
            return _run(args, repo, config)
    return _run(args, repo, config)


def _run(args: argparse.Namespace, repo: Repository, config: Config) -> int:
    ctx = Context(repo, config, ChangeSet("todos", None, WORKTREE, ()))
    paths: Iterable[str]
    if args.files:
        paths = _files(repo, args.files)
        tracker = Tracker(ctx.plans)
    else:
        # git searches the whole tree while the plans are found (by pathspec) and parsed;
        # then each file is read and lexed as git names it.
        paths = repo.grep_files(WORKTREE, config.todo_tags)
        tracker = Tracker(ctx.plans)
    todos = ctx.todos(paths)
    baseline = _baseline(repo, config)
    tracked = []
    known = set()
    for todo in todos:
        tracking = tracker.track(todo)
        if not tracking.is_tracked and baseline is not None and baseline.absorbs(todo):
            known.add(todo)
        tracked.append((todo, tracking))
    if args.fix:
        rest = [(todo, tracking) for todo, tracking in tracked if todo not in known]
        return _fix(repo, ctx, tracker, rest, confirmed=args.yes)
    for todo, tracking in tracked:
        _say(sys.stdout, listing(todo, tracking, todo in known))
    untracked = any(not tracking.is_tracked and todo not in known for todo, tracking in tracked)
    return 1 if untracked else 0


def _baseline(repo: Repository, config: Config) -> Baseline | None:
    data = repo.read_worktree(config.baseline)
    return None if data is None else Baseline(parse(data, config.baseline))


def _fix(
    repo: Repository,
    ctx: Context,
    tracker: Tracker,
    tracked: list[tuple[Todo, Tracking]],
    *,
    confirmed: bool,
) -> int:
    if not ctx.masterplans:
        raise PlankeeperError("no masterplan to add the TODOs to: run `plankeeper init` first")
    untracked = sum(not tracking.is_tracked for _, tracking in tracked)
    if untracked > FIX_LIMIT and not confirmed:
        # No prompt: hooks and CI have no terminal to answer one.
        raise PlankeeperError(
            f"{untracked} untracked TODOs would become {untracked} tasks: record them with "
            "`plankeeper baseline` instead, or pass --yes to add the tasks"
        )
    plan = ctx.masterplans[0]
    entries: list[tuple[Todo, str]] = []
    for todo, tracking in tracked:
        if tracking.is_tracked:
            continue
        location = f"{one_line(todo.path)}:{todo.line}"
        if todo.reference is not None:
            # A task of its own would not track it: the reference, not the text, decides.
            _say(sys.stderr, f"{location}: {message(todo, tracking)}: not added")
            continue
        if not normalize(todo.text):
            _say(sys.stderr, f"{location}: {todo.label} has no text: not added")
            continue
        # An entry added earlier in this run may already track it (the same text twice).
        if tracker.track(todo).is_tracked:
            continue
        # Exactly one plan line: what a file name or a tagged comment holds never starts another.
        entry = f"{flat(todo.text)} ({one_line(todo.path)})"
        entries.append((todo, entry))
        tracker.add(plan, Task(0, 0, " ", entry, None, False, 0, False))
    if not entries:
        return 0
    data = repo.read_worktree(plan.path)
    if data is None:
        raise PlankeeperError(f"cannot read {plan.path}")
    changed, first = inbox_edit(data, plan, ctx.config.inbox, [entry for _, entry in entries])
    atomic_write(writable_path(repo.root, plan.path, repo.git_dir), changed)
    for offset, (_, entry) in enumerate(entries):
        _say(sys.stdout, f"{plan.path}:{first + offset}: added - [ ] {entry}")
    return 1
