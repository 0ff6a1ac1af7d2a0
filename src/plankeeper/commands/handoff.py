"""`plankeeper handoff`: create or refresh the `## Changed files` list of the handoff notes."""

from __future__ import annotations

import argparse

from plankeeper.commands.common import open_repository
from plankeeper.config import Config
from plankeeper.context import is_code, role_of
from plankeeper.edit import append_lines, atomic_write, exclusive, insert_lines, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git import EMPTY, WORKTREE, Repository, State, commit_state, display_path
from plankeeper.handoff import Coverage, Notes, handoff_base, is_list_line, parse_notes
from plankeeper.markdown import normalize_newlines
from plankeeper.plan import decode

DEFAULT_NOTES = "SESSION_HANDOFF.md"
HEADING = "Changed files"
TITLE = "# Session handoff"


def notes_path(repo: Repository, config: Config) -> str:
    """The first handoff notes file; else the first configured name without wildcards."""
    found = sorted(path for path in repo.files(WORKTREE) if role_of(config, path) == "handoff")
    if found:
        return found[0]
    for glob in config.handoff:
        if not any(char in glob.pattern for char in "*?[") and not glob.pattern.endswith("/"):
            return glob.pattern.removeprefix("./")
    return DEFAULT_NOTES


def default_base(repo: Repository) -> State:
    """The old state of `verify`: the merge-base with the default branch, else HEAD."""
    head = repo.head()
    if head is None:
        return EMPTY
    default = repo.default_branch()
    return commit_state(repo.merge_base(default, head) if default else head)


def bullet(path: str, deleted: bool) -> str:
    """A path as a code span bullet; a longer fence when the name holds backticks."""
    ticks = 1
    while "`" * ticks in path:
        ticks += 1
    fence = "`" * ticks
    padded = f" {path} " if path.startswith("`") or path.endswith("`") else path
    return f"- {fence}{padded}{fence}" + (" (deleted)" if deleted else "")


def describe(state: State) -> str:
    return state.rev[:12] if state.kind == "commit" and state.rev else "the repository began"


def run(args: argparse.Namespace) -> int:
    repo, config = open_repository(args)
    # The notes are read, decided on and written under one lock (see edit.exclusive).
    with exclusive(repo.git_path("plankeeper.lock")):
        return _refresh(args, repo, config)


def _refresh(args: argparse.Namespace, repo: Repository, config: Config) -> int:
    path = notes_path(repo, config)
    # The path may come from the repository's configuration: it must stay inside.
    full = writable_path(repo.root, path, repo.git_dir)
    data = repo.read_worktree(path)
    if data is None and full.exists():
        raise PlankeeperError(f"{path} is not a regular file; nothing was changed")
    if data is not None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlankeeperError(f"{path} is UTF-16; save it as UTF-8 to refresh it")
    notes = parse_notes(decode(data), path) if data is not None else None

    if args.base is not None:
        head = repo.head()
        base_sha = repo.resolve(args.base)
        base = commit_state(repo.merge_base(base_sha, head) if head else base_sha)
    else:
        base = handoff_base(repo, path, notes, WORKTREE, data, default_base(repo), producing=True)
    changed, deleted, renamed = repo.changes_between(base, WORKTREE)
    wanted = [
        name
        for name in changed
        if name != path and role_of(config, name) != "handoff" and _is_listable(config, name)
    ]
    since = describe(base)

    unlistable = [name for name in wanted if "\n" in name or "\r" in name]
    wanted = [name for name in wanted if name not in unlistable]
    for name in unlistable:
        print(f"{path}: cannot list {display_path(name)!r}: its name holds a line break")

    if data is None or notes is None:
        lines = [TITLE, "", f"## {HEADING}"]
        if wanted:
            lines += ["", *(bullet(name, name in deleted) for name in wanted)]
        atomic_write(
            full, "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")
        )
        for name in wanted:
            print(f"{path}: listed {display_path(name)}")
        print(f"plankeeper: created {path} with {_count(len(wanted))} changed since {since}")
        return 0

    section = next(iter(notes.changed_files_headings()), None)
    if section is not None:
        inside = [m for m in notes.mentions if section.line <= m.line <= section.end]
        present = Coverage(inside)
    else:
        present = Coverage(())
    missing = [name for name in wanted if not present.covers(name)]
    touched = set(changed) | renamed
    for mention in notes.mentions:
        if (
            section is not None
            and mention.listed
            and section.line <= mention.line <= section.end
            and mention.counts_as_path()
            and (mention.kind != "text" or mention.has_extension)
            and not (mention.is_folder or mention.is_glob)
            and not any(candidate in touched for candidate in mention.candidates)
        ):
            # Never deleted: whether a person or plankeeper wrote the line cannot be told.
            print(
                f"{path}:{mention.line}: kept {display_path(mention.path)}, "
                f"which did not change since {since}: remove it by hand if it is stale"
            )
    if not missing:
        print(f"plankeeper: {path} is up to date ({_count(len(wanted))} changed since {since})")
        return 0

    bullets = [bullet(name, name in deleted).encode("utf-8", "surrogateescape") for name in missing]
    updated = _insert(data, notes, section.line if section else None, bullets)
    atomic_write(full, updated)
    for name in missing:
        print(f"{path}: listed {display_path(name)}")
    print(
        f"plankeeper: {path}: {_count(len(missing))} added, "
        f"{len(wanted) - len(missing)} already listed (changes since {since})"
    )
    return 0


def _is_listable(config: Config, path: str) -> bool:
    # Exempt files need no mention and are noise in the list (lock files, generated code).
    return is_code(config, path) or role_of(config, path) is not None


def _insert(data: bytes, notes: Notes, heading_line: int | None, bullets: list[bytes]) -> bytes:
    """The notes with `bullets` added at the end of the changed-files section.

    Every existing line stays byte for byte; without a section one is appended.
    """
    lines = normalize_newlines(decode(data)).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if heading_line is None:
        heading = [f"## {HEADING}".encode(), b""]
        if lines and lines[-1].strip():
            heading.insert(0, b"")
        return append_lines(data, [*heading, *bullets])
    section = next(h for h in notes.headings if h.line == heading_line)
    last = section.line
    for number in range(section.end, section.line, -1):
        if lines[number - 1].strip():
            last = number
            break
    if last == section.line:
        # An empty section: a blank line after the heading, and one before what follows.
        after = [b""] if last < len(lines) and lines[last].strip() else []
        return insert_lines(data, last, [b"", *bullets, *after])
    if is_list_line(lines[last - 1]) or last in notes.list_lines:
        return insert_lines(data, last, bullets)
    following = [b""] if last < len(lines) and lines[last].strip() else []
    return insert_lines(data, last, [b"", *bullets, *following])


def _count(number: int) -> str:
    return f"{number} file{'s' if number != 1 else ''}"
