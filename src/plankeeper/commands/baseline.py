"""`plankeeper baseline`: record today's untracked TODOs, so that only new ones are findings."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from plankeeper.baseline import Entry, build, format_entries, parse
from plankeeper.commands.common import open_repository
from plankeeper.config import Config
from plankeeper.context import Context
from plankeeper.edit import append_lines, atomic_write, exclusive, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE, ChangeSet
from plankeeper.text import display_path, safe_lines
from plankeeper.todos.tracking import Tracker


def run(args: argparse.Namespace) -> int:
    repo, config = open_repository(args)
    # The same lock as `todos --fix`: two writers would each decide on the old file.
    with exclusive(repo.git_path("plankeeper.lock")):
        return _record(repo, config)


def _record(repo: Repository, config: Config) -> int:
    ctx = Context(repo, config, ChangeSet("baseline", None, WORKTREE, ()))
    pending = repo.grep_files(WORKTREE, config.todo_tags)
    tracker = Tracker(ctx.plans)
    todos = ctx.todos(pending)
    entries = build(todo for todo in todos if not tracker.track(todo).is_tracked)
    before = _previous(repo, config)
    data = format_entries(entries)
    if repo.read_worktree(config.baseline) != data:
        atomic_write(writable_path(repo.root, config.baseline, repo.git_dir), data)
    lines = folder_lines(entries)
    total = sum(entry.times for entry in entries)
    summary = f"plankeeper: recorded {total} TODO{'s' if total != 1 else ''} in {config.baseline}"
    if before is not None:
        summary += f" (before: {before})"
    lines.append(summary)
    if _ensure_union_merge(repo, config.baseline):
        lines.append(
            f"plankeeper: .gitattributes: {config.baseline} merges with merge=union, "
            "so that branches that add entries merge without a conflict"
        )
    sys.stdout.write(safe_lines("\n".join(lines)) + "\n")
    return 0


def folder_lines(entries: list[Entry]) -> list[str]:
    """`folder/: N TODOs` for each folder that holds recorded TODOs, sorted."""
    counts: Counter[str] = Counter()
    for entry in entries:
        folder, _, _ = entry.key.path.rpartition("/")
        counts[f"{folder}/" if folder else "./"] += entry.times
    return [
        f"{display_path(folder)}: {count} TODO{'s' if count != 1 else ''}"
        for folder, count in sorted(counts.items())
    ]


def _previous(repo: Repository, config: Config) -> int | None:
    """How many TODOs the file held before; None when there was none (or it was broken)."""
    data = repo.read_worktree(config.baseline)
    if data is None:
        return None
    try:
        return sum(entry.times for entry in parse(data, config.baseline))
    except PlankeeperError:
        return None  # writing the file again is the fix of a broken one


def attribute_pattern(path: str) -> str:
    """`path` as a `.gitattributes` pattern of exactly that file, anchored at the root."""
    escaped = "".join(f"\\{char}" if char in "*?[\\" else char for char in path)
    pattern = f"/{escaped}"
    if any(char in pattern for char in ' \t"'):
        # A pattern with a space is written C-quoted, as attr.c reads it.
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


def _ensure_union_merge(repo: Repository, baseline: str) -> bool:
    """Add `/<baseline> merge=union` to `.gitattributes` unless git already merges it so.

    The user's lines are kept byte for byte; only the new line is appended.
    """
    if repo.attributes(WORKTREE, [baseline], ["merge"]).get(baseline, {}).get("merge") == "union":
        return False
    path = writable_path(repo.root, ".gitattributes", repo.git_dir)
    data = repo.read_worktree(".gitattributes") or b""
    line = f"{attribute_pattern(baseline)} merge=union".encode("utf-8", "surrogateescape")
    atomic_write(path, append_lines(data, [line]))
    return True
