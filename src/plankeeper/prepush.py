"""Pre-push change sets: git's stdin lines and a new branch's first pushed commit."""

from __future__ import annotations

from dataclasses import dataclass

from plankeeper.git import ZERO_SHA, ChangeSet, Repository

# Set by hooks/pre-push: `plankeeper hook` then reads git's pre-push lines from stdin.
HOOK_ENV = "PLANKEEPER_HOOK"  # commands/hook.py tests it by value
MODE = "pre-push"


@dataclass(frozen=True, slots=True)
class RefUpdate:
    """A line of git's pre-push stdin: `<local ref> <local sha> <remote ref> <remote sha>`."""

    local_ref: str
    local_sha: str
    remote_ref: str
    remote_sha: str

    @property
    def is_deletion(self) -> bool:
        return self.local_sha == ZERO_SHA

    @property
    def is_new(self) -> bool:
        return self.remote_sha == ZERO_SHA


def parse_lines(text: str) -> list[RefUpdate]:
    """git's pre-push stdin; the local ref is `(delete)` for a deleted branch, blank lines skip."""
    updates = []
    for line in text.splitlines():
        # Ref names cannot hold whitespace, but split from the right as git writes shas last.
        parts = line.rsplit(maxsplit=3)
        if len(parts) == 4:
            updates.append(RefUpdate(*parts))
    return updates


def new_branch_change_set(repo: Repository, local_ref: str) -> ChangeSet | None:
    """From the parent of the first pushed commit that no remote-tracking ref has.

    None when every commit is already on a remote (a tag or branch of pushed work);
    the empty tree as the old state when the push reaches a root commit.
    """
    commits = repo.unpushed_commits(repo.resolve(local_ref, option=MODE))
    if not commits:
        return None
    parents = repo.parents(commits[0])
    return repo.commit_range(parents[0] if parents else None, local_ref, mode=MODE)


def change_set_for(repo: Repository, update: RefUpdate) -> ChangeSet | None:
    """The change set one pushed ref brings; None for a deletion or nothing new."""
    if update.is_deletion:
        return None
    # A remote sha we do not have (someone else pushed; this push forces) counts as new.
    if not update.is_new and repo.has_commit(update.remote_sha):
        return repo.commit_range(update.remote_sha, update.local_sha, mode=MODE)
    return new_branch_change_set(repo, update.local_sha)


def change_sets(repo: Repository, text: str) -> list[ChangeSet]:
    """Every change set of a push, one per ref that brings commits."""
    return [change_set for _, change_set in pushes(repo, text)]


def pushes(repo: Repository, text: str) -> list[tuple[RefUpdate, ChangeSet]]:
    """Each pushed ref that brings commits, with its change set."""
    found = [(update, change_set_for(repo, update)) for update in parse_lines(text)]
    return [(update, change_set) for update, change_set in found if change_set is not None]
