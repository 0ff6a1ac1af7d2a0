"""`plankeeper handoff`: create or refresh the handoff notes from the work since their base."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from plankeeper.changes import Base, handoff_base
from plankeeper.checks.handoff_matches import Work, exists, is_stale
from plankeeper.commands.common import open_repository
from plankeeper.config import Config, is_code, role_of
from plankeeper.edit import atomic_write, exclusive, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.git.states import EMPTY, WORKTREE, ChangeSet, State, commit_state
from plankeeper.handoff import Coverage, Mention, Notes, parse_notes
from plankeeper.handoff_write import Session, new_notes, prunable, updated_notes
from plankeeper.plans.markdown import normalize_newlines
from plankeeper.text import decode, is_inert, one_line, safe_lines

if TYPE_CHECKING:
    from plankeeper.todos.scan import Todo

DEFAULT_NOTES = "SESSION_HANDOFF.md"


def notes_path(files: Sequence[str], config: Config) -> str:
    """The first handoff notes file; else the first configured name without wildcards."""
    found = sorted(path for path in files if role_of(config, path) == "handoff")
    if found:
        return found[0]
    for glob in config.handoff:
        if not any(char in glob.pattern for char in "*?[") and not glob.pattern.endswith("/"):
            return glob.pattern.removeprefix("./")
    return DEFAULT_NOTES


def run(args: argparse.Namespace) -> int:
    repo, config = open_repository(args)
    # The notes are read, decided on and written under one lock (see edit.exclusive).
    with exclusive(repo.git_path("plankeeper.lock")):
        return _refresh(args, repo, config)


def _base(
    args: argparse.Namespace, repo: Repository, path: str, notes: Notes | None, data: bytes | None
) -> Base:
    head = repo.head()
    if args.base is not None:
        base_sha = repo.resolve(args.base)
        return Base(
            commit_state(repo.merge_base(base_sha, head) if head else base_sha),
            f"--base {args.base}",
        )
    fallback = commit_state(head) if head else EMPTY
    return handoff_base(
        repo, path, notes, WORKTREE, data, fallback, producing=True, fallback_why="HEAD"
    )


class Refresh(NamedTuple):
    """What a refresh decided: the notes' new bytes and what to tell about them."""

    data: bytes
    created: bool
    # Changed files that the notes should list, those added now, and those left out.
    wanted: tuple[str, ...]
    listed: tuple[str, ...]
    unlistable: tuple[str, ...]
    # Listed paths that are stale by the check's rule (PK302, or PK303 when they are not
    # there either), and the lines `--prune` removed.
    stale: tuple[Mention, ...]
    pruned: tuple[int, ...]


def refresh(
    path: str,
    data: bytes | None,
    config: Config,
    work: Work,
    session: Session,
    *,
    prune: bool = False,
    on_disk: Callable[[str], bool] | None = None,
) -> Refresh:
    """The notes at `path` (`data`, None when missing) brought up to date with `session`.

    Pure: `work` holds what changed since the notes' base and the files that exist;
    `on_disk` answers for files that git ignores, as in the check.
    """
    wanted = tuple(name for name, _ in session.changed)
    unlistable = tuple(
        name
        for name in sorted(work.changed)
        if name != path
        and not is_inert(name)
        and role_of(config, name) != "handoff"
        and _is_listable(config, name)
    )
    if data is None:
        text = new_notes(session).encode("utf-8", "surrogateescape")
        return Refresh(text, True, wanted, wanted, unlistable, (), ())
    notes = parse_notes(decode(data), path)
    text_lines = normalize_newlines(decode(data)).split("\n")
    if text_lines and text_lines[-1] == "":
        text_lines.pop()
    section = next(iter(notes.changed_files_headings()), None)
    inside = [m for m in notes.mentions if section.line <= m.line <= section.end] if section else []
    present = Coverage(inside)
    missing = [(name, deleted) for name, deleted in session.changed if not present.covers(name)]
    stale = tuple(m for m in inside if m.listed and is_stale(m, work, on_disk))
    kept = {m.line for m in inside if m.listed and m.counts_as_path() and m not in stale}
    stale_lines = {m.line for m in stale}
    pruned = tuple(prunable(notes, text_lines, stale_lines, kept)) if prune else ()
    updated = updated_notes(data, text_lines, notes, session, missing, pruned)
    listed = tuple(name for name, _ in missing)
    return Refresh(updated, False, wanted, listed, unlistable, stale, pruned)


def _refresh(args: argparse.Namespace, repo: Repository, config: Config) -> int:
    files = repo.files(WORKTREE)
    path = notes_path(files, config)
    # The path may come from the repository's configuration: it must stay inside. With
    # --print nothing is written, not even a folder.
    full = repo.root / path if args.print_only else writable_path(repo.root, path, repo.git_dir)
    data = repo.read_worktree(path)
    # The configured path is repository text: shown on one line, inert in a terminal.
    shown = one_line(path)
    if data is None and full.exists():
        raise PlankeeperError(f"{shown} is not a regular file; nothing was changed")
    if data is not None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlankeeperError(f"{shown} is UTF-16; save it as UTF-8 to refresh it")
    notes = parse_notes(decode(data), path) if data is not None else None
    base = _base(args, repo, path, notes, data)
    since = base.describe()
    changed, deleted, renamed = repo.changes_between(base.state, WORKTREE)
    work = Work(
        base.state,
        frozenset(changed) | {path},
        frozenset(renamed),
        frozenset(deleted | renamed),
        frozenset(files),
        since,
    )
    wanted = [
        name
        for name in changed
        if name != path
        and role_of(config, name) != "handoff"
        and _is_listable(config, name)
        # A bullet is one line of plain text: a name that would end it or drive a
        # terminal is reported, never written.
        and is_inert(name)
    ]
    session = _session(repo, config, base.state, changed, deleted, wanted)
    result = refresh(
        path,
        data,
        config,
        work,
        session,
        prune=args.prune,
        on_disk=lambda name: repo.exists(WORKTREE, name),
    )
    if args.print_only:
        # stdout is the notes: nothing else goes there, and the file stays as it is.
        sys.stdout.write(decode(result.data))
        return 0
    for name in result.unlistable:
        _say(f"{shown}: cannot list {one_line(name)!r}: its name holds a line break or control")
    if result.created:
        atomic_write(full, result.data)
        for name in result.listed:
            _say(f"{shown}: listed {one_line(name)}")
        _say(f"plankeeper: created {shown} with {_count(len(result.wanted))} changed since {since}")
        return 0
    for mention in result.stale:
        why = f"did not change since {since}" if exists(mention, work, None) else "does not exist"
        named = one_line(mention.path)
        if mention.line in result.pruned:
            _say(f"{shown}:{mention.line}: removed {named}, which {why}")
        else:
            _say(
                f"{shown}:{mention.line}: kept {named}, which {why}: "
                "`plankeeper handoff --prune` removes it"
            )
    if result.data != data:
        atomic_write(full, result.data)
    for name in result.listed:
        _say(f"{shown}: listed {one_line(name)}")
    if not result.listed and not result.pruned:
        state = "is up to date" if result.data == data else "refreshed"
        _say(f"plankeeper: {shown} {state} ({_count(len(result.wanted))} changed since {since})")
        return 0
    removed = f"{len(result.pruned)} removed, " if args.prune else ""
    _say(
        f"plankeeper: {shown}: {_count(len(result.listed))} added, {removed}"
        f"{len(result.wanted) - len(result.listed)} already listed (changes since {since})"
    )
    return 0


def _is_listable(config: Config, path: str) -> bool:
    # Exempt files need no mention and are noise in the list (lock files, generated code).
    return is_code(config, path) or role_of(config, path) is not None


def _session(
    repo: Repository,
    config: Config,
    base: State,
    changed: list[str],
    deleted: set[str],
    wanted: list[str],
) -> Session:
    """What the work since `base` did: read from git, the plans and the changed files."""
    from plankeeper.context import Context
    from plankeeper.handoff_write import commit_lines, task_changes, todo_changes
    from plankeeper.report import progress
    from plankeeper.todos.scan import is_scanned, scan_all

    def collect(state: State, paths: list[str]) -> list[Todo]:
        wanted = [path for path in paths if is_scanned(config, path)]
        return scan_all(config, wanted, repo.read_many(state, wanted))

    ctx = Context(repo, config, ChangeSet("handoff", base, WORKTREE, ()))
    new_plans = ctx.plans
    old_plans = ctx.plans_at(base) if base.kind == "commit" else []
    checked, added = task_changes(old_plans, new_plans)
    found = progress.next_task_of(new_plans)
    head = repo.head()
    commits = repo.commit_subjects(base.rev, head) if head and base.rev != head else []
    scanned = [name for name in changed if name not in deleted]
    old_todos = collect(base, changed) if base.kind == "commit" else []
    todos_added, todos_resolved = todo_changes(old_todos, collect(WORKTREE, scanned))
    return Session(
        base.rev if base.kind == "commit" else None,
        progress.task_line(*found) if found else None,
        checked,
        added,
        todos_added,
        todos_resolved,
        commit_lines(commits),
        [(name, name in deleted) for name in wanted],
    )


def _say(line: str) -> None:
    # Names come from the repository: never a workflow command in a CI log.
    print(safe_lines(line))


def _count(number: int) -> str:
    return f"{number} file{'s' if number != 1 else ''}"
