"""The session's work as plankeeper's pipeline sees it: the one module that calls into it.

`agent context` and `agent stop` judge nothing themselves: the change set is verify mode's
(`changes.verify`) from the session's old state, and the checks are `run_checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from plankeeper import changes
from plankeeper.checks import CHECKS
from plankeeper.config import Config, is_code, load_config
from plankeeper.context import Context
from plankeeper.findings import Finding, RunResult
from plankeeper.git.repository import Repository
from plankeeper.git.states import EMPTY, WORKTREE, ChangeSet, State, commit_state
from plankeeper.report.progress import next_task_of, task_line
from plankeeper.run import gather_skips, run_checks
from plankeeper.text import clean, decode

if TYPE_CHECKING:
    from plankeeper.handoff import Notes


class PlanFacts(NamedTuple):
    path: str
    done: int
    total: int
    current_phase: str | None


class HandoffFacts(NamedTuple):
    """The notes (None when there are none), their base and the work since it."""

    path: str | None
    base: str
    changed: int
    unmentioned: tuple[str, ...]


class Facts(NamedTuple):
    """What `agent context` tells a session, as data."""

    plans: tuple[PlanFacts, ...]
    next_task: str | None
    resume: tuple[str, ...]
    handoff: HandoffFacts
    todos: tuple[str, ...]


def open_repository(cwd: str | None, config_path: str | None) -> tuple[Repository, Config]:
    """The repository that holds the hook's `cwd` (else the current directory)."""
    start = Path(cwd) if cwd and Path(cwd).is_dir() else Path.cwd()
    repo = Repository(start)
    return repo, load_config(repo.root, config_path)


class _Notes(NamedTuple):
    path: str
    data: bytes
    notes: Notes


def _first_notes(ctx: Context) -> _Notes | None:
    from plankeeper.handoff import parse_notes

    for path in ctx.handoff_paths:
        data = ctx.repo.read_worktree(path)
        if data is not None:
            return _Notes(path, data, parse_notes(decode(data), path))
    return None


def _base(repo: Repository, found: _Notes | None) -> State:
    """The handoff base of the notes (the check's rule), else the branch's merge-base."""
    head = repo.head()
    if found is None:
        if head is None:
            return EMPTY
        default = repo.default_branch()
        return commit_state(repo.merge_base(default, head) if default else head)
    fallback = commit_state(head) if head else EMPTY
    base = changes.handoff_base(repo, found.path, found.notes, WORKTREE, found.data, fallback)
    return base.state


def handoff_base(repo: Repository, config: Config) -> State:
    return _base(repo, _first_notes(Context(repo, config, changes.working_tree())))


def facts(repo: Repository, config: Config, environ: Mapping[str, str]) -> Facts:
    """Progress, the next task, the resume files, the work since the handoff, its TODOs."""
    from plankeeper.handoff import Coverage

    ctx = Context(repo, config, changes.working_tree(), environ)
    plans = tuple(
        PlanFacts(
            clean(plan.path),
            plan.done,
            plan.total,
            clean(phase.title) if (phase := plan.current_phase()) is not None else None,
        )
        for plan in ctx.plans
    )
    found = next_task_of(ctx.plans)
    notes = _first_notes(ctx)
    base = _base(repo, notes)
    changed, deleted, _ = repo.changes_between(base, WORKTREE)
    code = [path for path in changed if is_code(config, path)]
    if notes is None:
        unmentioned: tuple[str, ...] = ()
    else:
        coverage = Coverage(notes.notes.mentions, notes.notes.names)
        unmentioned = tuple(clean(path) for path in code if not coverage.covers(path))
    work = ChangeSet("agent", base, WORKTREE, tuple(changed), frozenset(deleted))
    result = run_checks(Context(repo, config, work, environ), ["todos-tracked"])
    todos = tuple(
        clean(f"{item.path}:{item.line}: {item.message}")
        for item in result.findings
        if item.path is not None
    )
    return Facts(
        plans,
        task_line(*found) if found else None,
        tuple(clean(path) for path in ctx.resume_paths),
        HandoffFacts(clean(notes.path) if notes else None, _since(base), len(code), unmentioned),
        todos,
    )


def _since(state: State) -> str:
    return state.rev[:12] if state.kind == "commit" and state.rev else "the repository began"


def session_work(
    repo: Repository, config: Config, session_head: str | None, baseline: str
) -> ChangeSet:
    """The change set of the session's work: verify mode from the configured old state.

    `session`: since the HEAD the session started at, committed work included (its
    merge-base with HEAD, should the session have reset or rebased); without a record of
    it, or when that commit is gone, the handoff base; `branch`: since the default branch.
    """
    if baseline == "session" and session_head and repo.has_commit(session_head):
        return changes.verify(repo, session_head)
    if baseline in ("session", "handoff"):
        base = handoff_base(repo, config)
        if base.kind == "commit" and base.rev:
            return changes.verify(repo, base.rev)
    return changes.verify(repo, None)


def check_work(
    repo: Repository, config: Config, change_set: ChangeSet, environ: Mapping[str, str]
) -> RunResult:
    """Every check, in verify mode, on the session's work.

    TODOs are looked for in the files the session changed, not in the whole tree as
    `verify` does: a session answers for its own work, and a hook must stay fast.
    """
    changed = tuple(path for path in change_set.changed if path not in change_set.deleted)
    ctx = Context(repo, config, change_set, environ, changed)
    # Trailers are withheld only in event mode; a session's change set is verify mode.
    skipped = gather_skips(repo, change_set, environ, config, [])
    return run_checks(ctx, list(CHECKS), skipped=skipped)


__all__ = [
    "Facts",
    "Finding",
    "HandoffFacts",
    "PlanFacts",
    "RunResult",
    "check_work",
    "facts",
    "open_repository",
    "session_work",
]
