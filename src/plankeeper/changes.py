"""The change set of every mode: staged, range, verify, all-files, the GitHub event, the
pre-commit pre-push refs, native pre-push stdin, and the handoff notes' base.

A change set is made of revisions the user, git or GitHub named; the repository
(git/repository.py) answers the questions, this module decides which to ask.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from plankeeper.errors import PlankeeperError
from plankeeper.git.invocation import PROC, commit_arguments, is_amend
from plankeeper.git.states import EMPTY, INDEX, WORKTREE, ZERO_SHA, ChangeSet, State, commit_state
from plankeeper.skips import Skip

if TYPE_CHECKING:
    from plankeeper.git.repository import Repository
    from plankeeper.handoff import Notes

# Set by hooks/pre-push: `plankeeper hook` then reads git's pre-push lines from stdin.
HOOK_ENV = "PLANKEEPER_HOOK"
PRE_PUSH = "pre-push"


# -- the plain modes -------------------------------------------------------------------------


def staged(repo: Repository) -> ChangeSet:
    """The index against HEAD (nothing on an unborn branch)."""
    head = repo.head()
    old = commit_state(head) if head else EMPTY
    changed, deleted = repo.staged_diff(old)
    return ChangeSet("staged", old, INDEX, tuple(sorted(set(changed))), frozenset(deleted))


# -- what a commit being made records ---------------------------------------------------------

# The checks that judge a piece of work, not a state: merges and sequencer work bring work
# that was judged where it was made. todos-tracked still judges what lands here.
WORK_CHECKS = frozenset({"plan-updated", "handoff-matches"})
INDEX_ENV = "GIT_INDEX_FILE"


def is_commit_in_progress(environ: Mapping[str, str]) -> bool:
    """git sets the index for the hooks of `git commit`; `pre-commit run` by hand does not.

    This is what tells an empty commit (nothing to judge) from `pre-commit run
    --all-files` (the whole tree), which both stage nothing.
    """
    return bool(environ.get(INDEX_ENV))


def recorded(
    repo: Repository, staged: ChangeSet, environ: Mapping[str, str], proc: Path = PROC
) -> tuple[ChangeSet, Skip | None]:
    """What the commit being made records, judged against what it is built on.

    From the staged change (the index against HEAD): nothing new passes; a merge is the
    paths that differ from every parent; cherry-pick, revert and rebase keep the staged
    change but skip the work checks; an amend is the index against HEAD's parents; a
    partial commit names the staged paths it leaves out.
    """
    if not staged.changed:
        # An empty commit or a message-only amend records nothing HEAD does not have.
        return staged, None
    progress = repo.in_progress()
    head = repo.head()
    if progress.merge_heads and head is not None:
        merge = _against_parents(repo, [head, *progress.merge_heads], "merge")
        return merge, Skip(WORK_CHECKS, "a merge: each side was judged on its own")
    if progress.sequencer is not None:
        why = f"{progress.sequencer} in progress: its work was judged where it was made"
        return staged._replace(mode=progress.sequencer), Skip(WORK_CHECKS, why)
    change_set = staged
    if head is not None and is_amend(commit_arguments(proc)):
        parents = repo.parents(head)
        # A shallow clone's boundary commit shows no parents: it is no root, so it is
        # judged against HEAD rather than as a whole tree.
        if parents or not repo.is_shallow():
            change_set = _against_parents(repo, parents, "amend")
    index_file = _partial_index(repo, environ)
    if index_file is not None:
        held = repo.held_back(change_set.changed, index_file)
        change_set = change_set._replace(held_back=held)
    return change_set, None


def _against_parents(repo: Repository, parents: list[str], mode: str) -> ChangeSet:
    """The index against every parent: what a merge (or an amend of HEAD) records."""
    changed, deleted = repo.recorded_diffs(parents)
    old = commit_state(parents[0]) if parents else EMPTY
    return ChangeSet(
        mode, old, INDEX, tuple(sorted(changed)), frozenset(deleted), commits=tuple(parents)
    )


def _partial_index(repo: Repository, environ: Mapping[str, str]) -> Path | None:
    """The real index when git records a temporary one (`git commit PATH...`), else None.

    `git commit`, `-a`, `-i` and `-p` record the real index or its lock file, which
    becomes the index: nothing staged is left out of them.
    """
    value = environ.get(INDEX_ENV)
    if not value:
        return None
    # git runs hooks at the top of the working tree, where a relative path starts.
    used = Path(os.path.abspath(repo.root / value))
    real = repo.git_dir / "index"
    if used in (real, real.with_name("index.lock")) or not real.is_file():
        return None
    return real


def commit_range(repo: Repository, old: str | None, new: str, *, mode: str) -> ChangeSet:
    """old -> new with no merge-base; old None is the empty tree (a history's root)."""
    new_sha = repo.resolve(new, option=mode)
    old_sha = repo.resolve(old, option=mode) if old else None
    old_state = commit_state(old_sha) if old_sha else EMPTY
    new_state = commit_state(new_sha)
    changed, deleted = repo.diff(
        old_sha or repo.empty_tree(), new_sha, "--", old=old_state, new=new_state
    )
    commits = repo.commits_between(old_sha, new_sha) if old_sha else repo.commits_of(new_sha)
    return ChangeSet(
        mode, old_state, new_state, tuple(sorted(set(changed))), frozenset(deleted), commits
    )


def revision_range(
    repo: Repository,
    base: str,
    head: str = "HEAD",
    *,
    mode: str = "range",
    use_merge_base: bool = True,
    option: str = "--base",
) -> ChangeSet:
    """merge-base(base, head) to head (or base to head without the merge-base)."""
    # The base first: it is the option the user typed; --head defaults to HEAD.
    base_sha = repo.resolve(base, option=option)
    head_sha = repo.resolve(head, option="--head" if option == "--base" else option)
    old = repo.merge_base(base_sha, head_sha) if use_merge_base else base_sha
    changed, deleted = repo.diff(
        old, head_sha, "--", old=commit_state(old), new=commit_state(head_sha)
    )
    return ChangeSet(
        mode,
        commit_state(old),
        commit_state(head_sha),
        tuple(sorted(set(changed))),
        frozenset(deleted),
        repo.commits_between(old, head_sha),
        plan_base=commit_state(base_sha),
    )


def verify(repo: Repository, base: str | None = None) -> ChangeSet:
    """The working tree (staged, unstaged, untracked) against the merge-base with `base`."""
    head = repo.head()
    if base is not None:
        base_sha: str | None = repo.resolve(base)
        old_sha = repo.merge_base(base_sha, head) if base_sha and head else None
    else:
        base_sha = repo.default_branch()
        old_sha = repo.merge_base(base_sha, head) if base_sha and head else head
    # A branch made before its base adopted plankeeper finds the plans on the base.
    plan_base = commit_state(base_sha) if base_sha else None
    if old_sha is None:
        changed = repo.worktree_files()
        return ChangeSet(
            "verify", EMPTY, WORKTREE, tuple(changed), frozenset(), plan_base=plan_base
        )
    changed, deleted = repo.diff(old_sha, "--", old=commit_state(old_sha))
    changed.extend(repo.untracked())
    commits = repo.commits_between(old_sha, head) if head else ()
    return ChangeSet(
        "verify",
        commit_state(old_sha),
        WORKTREE,
        tuple(sorted(set(changed))),
        frozenset(deleted),
        commits,
        plan_base=plan_base,
    )


def working_tree() -> ChangeSet:
    """The working tree as the state that plans, notes and resume files are read from,
    without listing every file: for commands that read only those (`status`, `next`,
    the agent's context)."""
    return ChangeSet("working-tree", None, WORKTREE, ())


def whole_tree(repo: Repository) -> ChangeSet:
    """Every regular file of the working tree (`Context.new_files` reuses the listing)."""
    return ChangeSet("all-files", None, WORKTREE, tuple(repo.files(WORKTREE)), is_whole_tree=True)


def for_check(
    repo: Repository,
    environ: Mapping[str, str],
    *,
    base: str | None,
    head: str | None,
    all_files: bool,
) -> ChangeSet:
    """`check`'s change set: `--all-files`, `--base REF|auto [--head REF]`, else staged."""
    if all_files:
        return whole_tree(repo)
    if base is not None:
        if base == "auto":
            return event(repo, environ, head=head)
        return revision_range(repo, base, head or "HEAD")
    if head is not None:
        raise PlankeeperError("--head needs --base")
    return staged(repo)


# -- the GitHub event ------------------------------------------------------------------------


def _require(repo: Repository, sha: str, what: str) -> str:
    from plankeeper.event import FETCH_FIX

    if not repo.has_commit(sha):
        raise PlankeeperError(f"--base auto: {what} {sha[:12]} is not in this clone; {FETCH_FIX}")
    return sha


def _default_branch(repo: Repository, name: str) -> str:
    from plankeeper.event import FETCH_FIX

    for candidate in (f"refs/remotes/origin/{name}", f"refs/heads/{name}"):
        try:
            return repo.resolve(candidate)
        except PlankeeperError:
            continue
    raise PlankeeperError(
        f"--base auto: the default branch {name} (origin/{name} or {name}) is not in this "
        f"clone; {FETCH_FIX}"
    )


def event(repo: Repository, environ: Mapping[str, str], head: str | None = None) -> ChangeSet:
    """The event's change set, up to its head commit (or `head`).

    From merge-base(base, head) for a pull request or a merge group, from `before` for a
    push, and for a push that created a branch from its merge-base with the default branch.
    """
    from plankeeper.event import default_branch_name, read_event, revisions

    name, payload = read_event(environ)
    base, event_head = revisions(name, payload)
    if name == "push" and event_head == ZERO_SHA:
        # A push that deleted the branch brings nothing to check.
        here = repo.resolve(head or "HEAD", option="--head")
        return ChangeSet("event", commit_state(here), commit_state(here), ())
    head_sha = repo.resolve(head, option="--head") if head else _require(repo, event_head, "head")
    if name == "push" and base:
        old = _require(repo, base, "the pushed-over commit (before)")
        return commit_range(repo, old, head_sha, mode="event")
    if not base:
        other = _default_branch(repo, default_branch_name(payload))
    else:
        other = _require(repo, base, "the base commit")
    old = repo.merge_base(other, head_sha)
    # A branch made before its base adopted plankeeper finds the plans on the base.
    change_set = commit_range(repo, old, head_sha, mode="event")
    return change_set._replace(plan_base=commit_state(other))


# -- pre-push: pre-commit's refs and git's stdin ---------------------------------------------


class RefUpdate(NamedTuple):
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


def new_branch(repo: Repository, local_ref: str) -> ChangeSet | None:
    """From the parent of the first pushed commit that no remote-tracking ref has.

    None when every commit is already on a remote (a tag or branch of pushed work);
    the empty tree as the old state when the push reaches a root commit.
    """
    commits = repo.unpushed_commits(repo.resolve(local_ref, option=PRE_PUSH))
    if not commits:
        return None
    parents = repo.parents(commits[0])
    return commit_range(repo, parents[0] if parents else None, local_ref, mode=PRE_PUSH)


def pushed(repo: Repository, update: RefUpdate) -> ChangeSet | None:
    """The change set one pushed ref brings; None for a deletion, no commit or nothing new."""
    if update.is_deletion or not repo.is_commit(update.local_sha):
        # A deleted ref, or a tag of a blob or a tree: no commits to check.
        return None
    # A remote sha we do not have (someone else pushed; this push forces) counts as new.
    if not update.is_new and repo.has_commit(update.remote_sha):
        return commit_range(repo, update.remote_sha, update.local_sha, mode=PRE_PUSH)
    return new_branch(repo, update.local_sha)


def pre_push(repo: Repository, text: str) -> list[ChangeSet]:
    """Every change set of a push (git's stdin `text`), one per ref that brings commits."""
    return [change_set for _, change_set in pushes(repo, text)]


def pushes(repo: Repository, text: str) -> list[tuple[RefUpdate, ChangeSet]]:
    """Each pushed ref that brings commits, with its change set."""
    found = [(update, pushed(repo, update)) for update in parse_lines(text)]
    return [(update, change_set) for update, change_set in found if change_set is not None]


def pushed_names(environ: Mapping[str, str]) -> str | None:
    """`refs/heads/x to refs/heads/x on origin`, as pre-commit's pre-push stage names them."""
    local = environ.get("PRE_COMMIT_LOCAL_BRANCH")
    remote = environ.get("PRE_COMMIT_REMOTE_BRANCH")
    if not (local and remote):
        return None
    name = environ.get("PRE_COMMIT_REMOTE_NAME")
    return f"{local} to {remote}" + (f" on {name}" if name else "")


def _pushed_refs(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The refs pre-commit's pre-push stage names, if it runs that stage."""
    from_ref = environ.get("PRE_COMMIT_FROM_REF") or environ.get("PRE_COMMIT_SOURCE")
    to_ref = environ.get("PRE_COMMIT_TO_REF") or environ.get("PRE_COMMIT_ORIGIN")
    return (from_ref, to_ref) if from_ref and to_ref else None


def is_pre_push(environ: Mapping[str, str]) -> bool:
    """Whether pre-commit runs its pre-push stage (else the hook checks the staged change)."""
    return _pushed_refs(environ) is not None or bool(
        environ.get("PRE_COMMIT_REMOTE_BRANCH") and environ.get("PRE_COMMIT_LOCAL_BRANCH")
    )


def for_hook(repo: Repository, environ: Mapping[str, str]) -> ChangeSet:
    """pre-push when pre-commit names the refs, else the staged change."""
    refs = _pushed_refs(environ)
    if refs is not None:
        from_ref, to_ref = refs
        return revision_range(
            repo,
            from_ref,
            to_ref,
            mode=PRE_PUSH,
            use_merge_base=False,
            option="PRE_COMMIT_FROM_REF",
        )
    if environ.get("PRE_COMMIT_REMOTE_BRANCH") and environ.get("PRE_COMMIT_LOCAL_BRANCH"):
        found = new_branch(repo, environ["PRE_COMMIT_LOCAL_BRANCH"])
        if found is not None:
            return found
    return staged(repo)


# -- the handoff notes' base -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Base:
    """A handoff base and why it is the one: findings and `handoff` name both."""

    state: State
    why: str

    def describe(self) -> str:
        """`0b31a2d (the notes' previous version)`, as findings and `handoff` print it."""
        if self.state.kind != "commit" or not self.state.rev:
            return "the repository began"
        return f"{self.state.rev[:7]} ({self.why})"


FRONT_MATTER = "base: in the front matter"
PREVIOUS = "the notes' previous version"
MERGE_BASE = "the merge-base with the default branch"
CHECKED = "where the checked changes start"


def handoff_base(
    repo: Repository,
    path: str,
    notes: Notes | None,
    new: State,
    data: bytes | None,
    fallback: State,
    *,
    producing: bool = False,
    fallback_why: str = CHECKED,
) -> Base:
    """Where the work that the notes at `new` describe starts: one rule for every mode.

    First `base:` in the front matter; else the last commit before the one that produced
    the notes that changed them; else the merge-base of the new state with the default
    branch, unless the new state is on it; else `fallback` (the change set's old state).
    A commit produced the notes at `new` when `new` is that commit; for the index or the
    working tree, when they hold the notes as that commit left them. `producing` says the
    notes are about to be written (`plankeeper handoff`): committed notes then belong to
    the previous session, whose last commit of the notes is the new base.
    """
    if new.kind == "commit":
        assert new.rev is not None
        tip: str | None = new.rev
        commits = repo.last_commits_touching(new.rev, path, 2)
        as_committed = True
    elif repo.head() is None or (new.kind == "index" and fallback.rev is None):
        tip, commits, as_committed = None, [], False
    else:
        # The index is built on the change set's old state: HEAD, or HEAD^ for an amend,
        # whose notes the amended commit replaces.
        tip = fallback.rev if new.kind == "index" and fallback.rev else repo.head()
        assert tip is not None
        commits = repo.last_commits_touching(tip, path, 2)
        as_committed = bool(commits) and repo.read(commit_state(commits[0]), path) == data
    if notes is not None and notes.base and not (producing and as_committed):
        state = commit_state(repo.resolve(notes.base, option=f"{path}: front matter base"))
        return Base(state, FRONT_MATTER)
    earlier = commits[1:] if as_committed and not producing else commits[:1]
    if earlier:
        return Base(commit_state(earlier[0]), PREVIOUS)
    return Base(*_start_of_work(repo, tip, fallback, fallback_why))


def _start_of_work(
    repo: Repository, tip: str | None, fallback: State, fallback_why: str
) -> tuple[State, str]:
    """The merge-base of `tip` with the default branch, the same in the hook, CI and verify."""
    from plankeeper.errors import GitError

    default = repo.default_branch() if tip else None
    if default and tip:
        try:
            merge_base = repo.merge_base(default, tip)
        except GitError:
            # A shallow clone or unrelated histories: the change set's own base.
            merge_base = tip
        if merge_base != tip:
            return commit_state(merge_base), MERGE_BASE
    return fallback, fallback_why
