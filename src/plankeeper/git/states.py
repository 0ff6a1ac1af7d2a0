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
    # A partial commit (`git commit PATH`): paths staged in the real index but not in it.
    held_back: frozenset[str] = frozenset()
    # Where plans are looked for when the new state has none: the base branch's tip, which
    # may have adopted plankeeper after this branch was made.
    plan_base: State | None = None

    def is_changed(self, path: str) -> bool:
        return path in self.changed


class InProgress(NamedTuple):
    """What git is in the middle of: a merge's other heads, a cherry-pick, revert or rebase."""

    merge_heads: tuple[str, ...] = ()
    sequencer: str | None = None
