"""`plankeeper handoff`: create or refresh the handoff notes from the work since their base."""

from __future__ import annotations

import argparse
import sys

from plankeeper.commands.common import open_repository
from plankeeper.config import Config
from plankeeper.context import is_code, role_globs, role_of
from plankeeper.edit import atomic_write, exclusive
from plankeeper.errors import PlankeeperError
from plankeeper.git import EMPTY, WORKTREE, Repository, State, commit_state, display_path
from plankeeper.handoff import Base, Coverage, Notes, handoff_base, parse_notes
from plankeeper.handoff_write import Session, new_notes, prunable, updated_notes
from plankeeper.markdown import normalize_newlines
from plankeeper.plan import decode

DEFAULT_NOTES = "SESSION_HANDOFF.md"


def notes_path(repo: Repository, config: Config) -> str:
    """The first handoff notes file; else the first configured name without wildcards."""
    found = sorted(path for path in repo.files(WORKTREE) if role_of(config, path) == "handoff")
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


def _refresh(args: argparse.Namespace, repo: Repository, config: Config) -> int:
    path = notes_path(repo, config)
    full = repo.root / path
    data = repo.read_worktree(path)
    if data is None and full.exists():
        raise PlankeeperError(f"{path} is not a regular file; nothing was changed")
    if data is not None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlankeeperError(f"{path} is UTF-16; save it as UTF-8 to refresh it")
    notes = parse_notes(decode(data), path) if data is not None else None
    base = _base(args, repo, path, notes, data)
    since = base.describe()
    # Status lines go to stderr with --print: stdout is the notes.
    out = sys.stderr if args.print_only else sys.stdout

    changed, deleted, renamed = repo.changes_between(base.state, WORKTREE)
    wanted = [
        name
        for name in changed
        if name != path and role_of(config, name) != "handoff" and _is_listable(config, name)
    ]
    unlistable = [name for name in wanted if "\n" in name or "\r" in name]
    wanted = [name for name in wanted if name not in unlistable]
    for name in unlistable:
        print(f"{path}: cannot list {display_path(name)!r}: its name holds a line break", file=out)
    session = _session(repo, config, base.state, changed, deleted, wanted)

    if data is None or notes is None:
        text = new_notes(session)
        if args.print_only:
            sys.stdout.write(text)
            return 0
        full.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(full, text.encode("utf-8", "surrogateescape"), root=repo.root)
        for name in wanted:
            print(f"{path}: listed {display_path(name)}", file=out)
        print(
            f"plankeeper: created {path} with {_count(len(wanted))} changed since {since}",
            file=out,
        )
        return 0

    text_lines = normalize_newlines(decode(data)).split("\n")
    if text_lines and text_lines[-1] == "":
        text_lines.pop()
    section = next(iter(notes.changed_files_headings()), None)
    inside = [m for m in notes.mentions if section.line <= m.line <= section.end] if section else []
    present = Coverage(inside)
    missing = [name for name in wanted if not present.covers(name)]
    stale, kept = _stale_lines(repo, config, base, notes, changed, deleted, renamed)
    pruned = prunable(notes, text_lines, stale, kept) if args.prune else []
    for mention in notes.mentions:
        if mention.line in stale and mention.listed:
            verb = "removed" if mention.line in pruned else "kept"
            fix = "" if mention.line in pruned else ": `plankeeper handoff --prune` removes it"
            print(
                f"{path}:{mention.line}: {verb} {display_path(mention.path)}, "
                f"which did not change since {since}{fix}",
                file=out,
            )
    updated = updated_notes(
        data, text_lines, notes, session, [(name, name in deleted) for name in missing], pruned
    )
    if args.print_only:
        sys.stdout.write(decode(updated))
        return 0
    if updated != data:
        atomic_write(full, updated, root=repo.root)
    for name in missing:
        print(f"{path}: listed {display_path(name)}", file=out)
    if not missing and not pruned:
        state = "is up to date" if updated == data else "refreshed"
        print(f"plankeeper: {path} {state} ({_count(len(wanted))} changed since {since})", file=out)
        return 0
    removed = f"{len(pruned)} removed, " if args.prune else ""
    print(
        f"plankeeper: {path}: {_count(len(missing))} added, {removed}"
        f"{len(wanted) - len(missing)} already listed (changes since {since})",
        file=out,
    )
    return 0


def _is_listable(config: Config, path: str) -> bool:
    # Exempt files need no mention and are noise in the list (lock files, generated code).
    return is_code(config, path) or role_of(config, path) is not None


def _stale_lines(
    repo: Repository,
    config: Config,
    base: Base,
    notes: Notes,
    changed: list[str],
    deleted: set[str],
    renamed: set[str],
) -> tuple[set[int], set[int]]:
    """The lines of listed paths that did not change (PK302, the check's own rule), and
    the lines of listed paths that are fine."""
    from plankeeper.checks.handoff_matches import Work, judge

    def on_disk(candidate: str) -> bool:
        return repo.exists(WORKTREE, candidate)

    work = Work(
        base.state,
        frozenset(changed) | {notes.path},
        frozenset(renamed),
        frozenset(deleted | renamed),
        frozenset(repo.files(WORKTREE)),
        base.describe(),
    )
    stale: set[int] = set()
    kept: set[int] = set()
    for mention in notes.mentions:
        if not mention.listed:
            continue
        code = judge(mention, work, on_disk)
        if code == "PK302":
            stale.add(mention.line)
        elif code is None and mention.counts_as_path():
            kept.add(mention.line)
    return stale, kept


def _session(
    repo: Repository,
    config: Config,
    base: State,
    changed: list[str],
    deleted: set[str],
    wanted: list[str],
) -> Session:
    """What the work since `base` did: read from git, the plans and the changed files."""
    from plankeeper import progress
    from plankeeper.handoff_write import commit_lines, task_changes, todo_changes
    from plankeeper.plan import Plan, parse_plan
    from plankeeper.todos import collect

    def plans(state: State) -> list[Plan]:
        paths = [
            name
            for name in repo.files(state, role_globs(config))
            if role_of(config, name) in ("masterplan", "tasks")
        ]
        paths.sort(key=lambda name: (role_of(config, name) != "masterplan", name))
        contents = repo.read_many(state, paths)
        return [
            parse_plan(
                decode(contents[name]), name, is_masterplan=role_of(config, name) == "masterplan"
            )
            for name in paths
            if name in contents
        ]

    new_plans = plans(WORKTREE)
    old_plans = plans(base) if base.kind == "commit" else []
    checked, added = task_changes(old_plans, new_plans)
    found = progress.next_task_of(new_plans)
    head = repo.head()
    commits = repo.commit_subjects(base.rev, head) if head and base.rev != head else []
    scanned = [name for name in changed if name not in deleted]
    old_todos = collect(repo, config, base, changed) if base.kind == "commit" else []
    todos_added, todos_resolved = todo_changes(old_todos, collect(repo, config, WORKTREE, scanned))
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


def _count(number: int) -> str:
    return f"{number} file{'s' if number != 1 else ''}"
