"""Pre-push change sets: git's stdin lines and a new branch's first pushed commit."""

from __future__ import annotations

from plankeeper.git import ChangeSet, Repository


def new_branch_change_set(repo: Repository, local_ref: str) -> ChangeSet | None:
    return None
