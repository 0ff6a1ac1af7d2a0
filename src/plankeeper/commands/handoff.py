"""`plankeeper handoff`: create or refresh the `## Changed files` list of the handoff notes."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NamedTuple

from plankeeper.changes import default_base, handoff_base
from plankeeper.checks.handoff_matches import Work, is_stale
from plankeeper.commands.common import open_repository
from plankeeper.config import Config, is_code, role_of
from plankeeper.edit import atomic_write, bullet, exclusive, notes_edit, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE, State, commit_state
from plankeeper.handoff import Coverage, Mention, parse_notes
from plankeeper.text import decode, is_inert, one_line, safe_lines

DEFAULT_NOTES = "SESSION_HANDOFF.md"
HEADING = "Changed files"
TITLE = "# Session handoff"


class Refresh(NamedTuple):
    """What a refresh decided: the notes' new bytes (None: unchanged) and what to tell."""

    data: bytes | None
    created: bool
    # Changed files that the notes should list, those added now, and those left out.
    wanted: tuple[str, ...]
    listed: tuple[str, ...]
    unlistable: tuple[str, ...]
    # Listed files that did not change since the base: PK302's rule, kept, never deleted.
    stale: tuple[Mention, ...]


def notes_path(files: Sequence[str], config: Config) -> str:
    """The first handoff notes file; else the first configured name without wildcards."""
    found = sorted(path for path in files if role_of(config, path) == "handoff")
    if found:
        return found[0]
    for glob in config.handoff:
        if not any(char in glob.pattern for char in "*?[") and not glob.pattern.endswith("/"):
            return glob.pattern.removeprefix("./")
    return DEFAULT_NOTES


def describe(state: State) -> str:
    return state.rev[:12] if state.kind == "commit" and state.rev else "the repository began"


def _is_listable(config: Config, path: str) -> bool:
    # Exempt files need no mention and are noise in the list (lock files, generated code).
    return is_code(config, path) or role_of(config, path) is not None


def refresh(
    path: str,
    data: bytes | None,
    config: Config,
    changed: Sequence[str],
    deleted: set[str],
    work: Work,
    on_disk: Callable[[str], bool] | None = None,
) -> Refresh:
    """The notes at `path` (`data`, None when missing) with every changed file listed.

    Pure: `work` holds what changed since the notes' base and the files that exist;
    `on_disk` answers for files that git ignores, as in the check.
    """
    wanted = [
        name
        for name in changed
        if name != path and role_of(config, name) != "handoff" and _is_listable(config, name)
    ]
    # A bullet is one line of plain text: a name that would end it or drive a terminal
    # is reported, never written.
    unlistable = tuple(name for name in wanted if not is_inert(name))
    wanted = [name for name in wanted if name not in unlistable]
    if data is None:
        lines = [TITLE, "", f"## {HEADING}"]
        if wanted:
            lines += ["", *(bullet(name, name in deleted) for name in wanted)]
        text = "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")
        return Refresh(text, True, tuple(wanted), tuple(wanted), unlistable, ())
    notes = parse_notes(decode(data), path)
    section = next(iter(notes.changed_files_headings()), None)
    inside = [
        mention
        for mention in notes.mentions
        if section is not None and section.line <= mention.line <= section.end
    ]
    missing = [name for name in wanted if not Coverage(inside).covers(name)]
    stale = tuple(mention for mention in inside if is_stale(mention, work, on_disk))
    if not missing:
        return Refresh(None, False, tuple(wanted), (), unlistable, stale)
    bullets = [bullet(name, name in deleted).encode("utf-8", "surrogateescape") for name in missing]
    updated = notes_edit(data, notes, section.line if section else None, bullets, HEADING)
    return Refresh(updated, False, tuple(wanted), tuple(missing), unlistable, stale)


def run(args: argparse.Namespace) -> int:
    repo, config = open_repository(args)
    # The notes are read, decided on and written under one lock (see edit.exclusive).
    with exclusive(repo.git_path("plankeeper.lock")):
        return _run(args, repo, config)


def _run(args: argparse.Namespace, repo: Repository, config: Config) -> int:
    files = repo.files(WORKTREE)
    path = notes_path(files, config)
    # The path may come from the repository's configuration: it must stay inside.
    full = writable_path(repo.root, path, repo.git_dir)
    data = repo.read_worktree(path)
    if data is None and full.exists():
        raise PlankeeperError(f"{path} is not a regular file; nothing was changed")
    if data is not None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlankeeperError(f"{path} is UTF-16; save it as UTF-8 to refresh it")
    if args.base is not None:
        head = repo.head()
        base_sha = repo.resolve(args.base)
        base = commit_state(repo.merge_base(base_sha, head) if head else base_sha)
    else:
        notes = parse_notes(decode(data), path) if data is not None else None
        base = handoff_base(repo, path, notes, WORKTREE, data, default_base(repo), producing=True)
    changed, deleted, renamed = repo.changes_between(base, WORKTREE)
    work = Work(
        base,
        frozenset(changed),
        frozenset(renamed),
        frozenset(deleted | renamed),
        frozenset(files),
    )
    result = refresh(
        path, data, config, changed, deleted, work, lambda name: repo.exists(WORKTREE, name)
    )
    since = describe(base)

    for name in result.unlistable:
        _say(f"{path}: cannot list {one_line(name)!r}: its name holds a line break or control")
    if result.created:
        assert result.data is not None
        atomic_write(full, result.data)
        for name in result.listed:
            _say(f"{path}: listed {one_line(name)}")
        print(f"plankeeper: created {path} with {_count(len(result.listed))} changed since {since}")
        return 0
    for mention in result.stale:
        _say(
            f"{path}:{mention.line}: kept {one_line(mention.path)}, "
            f"which did not change since {since}: remove it by hand if it is stale"
        )
    if result.data is None:
        print(
            f"plankeeper: {path} is up to date ({_count(len(result.wanted))} changed since {since})"
        )
        return 0
    atomic_write(full, result.data)
    for name in result.listed:
        _say(f"{path}: listed {one_line(name)}")
    print(
        f"plankeeper: {path}: {_count(len(result.listed))} added, "
        f"{len(result.wanted) - len(result.listed)} already listed (changes since {since})"
    )
    return 0


def _say(line: str) -> None:
    # Names come from the repository: never a workflow command in a CI log.
    print(safe_lines(line))


def _count(number: int) -> str:
    return f"{number} file{'s' if number != 1 else ''}"
