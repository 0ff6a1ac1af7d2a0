"""States of a repository (a commit, the index, the working tree, nothing) and change sets."""

from __future__ import annotations

from typing import Literal, NamedTuple

ZERO_SHA = "0" * 40


class State(NamedTuple):
    """One side of a change set: a commit, the index, the working tree, or nothing."""

    kind: Literal["commit", "index", "worktree", "empty"]
    rev: str | None = None

    def __str__(self) -> str:
        return self.rev[:12] if self.kind == "commit" and self.rev else self.kind


EMPTY = State("empty")
INDEX = State("index")
WORKTREE = State("worktree")


def commit_state(sha: str) -> State:
    return State("commit", sha)


class ChangeSet(NamedTuple):
    """An old state, a new state and the paths that differ (renames as their new path)."""

    mode: str
    old: State | None
    new: State
    changed: tuple[str, ...]
    deleted: frozenset[str] = frozenset()
    commits: tuple[str, ...] = ()
    # For whole-tree mode: every file of the working tree that git does not ignore.
    is_whole_tree: bool = False

    def is_changed(self, path: str) -> bool:
        return path in self.changed
