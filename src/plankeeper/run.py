"""Running the checks: one pipeline for `check`, `hook`, `verify` and pre-push, in its order.

The hook runs on every commit, so the pipeline is written in the order it runs, and
what overlaps with git is decided here, in one place:

1. `Repository(staged=True)` starts `rev-parse` and, beside it, the staged `--raw` diff.
2. The configuration is read; git then lists the plan, resume and handoff files of the
   index (`start_listing`) while it is still diffing.
3. Positional words become checks or FILEs; an unknown check name stops the run (exit 2).
4. The change set of the mode (changes.py) takes the diff that has been running; in a
   commit's hook (`GIT_INDEX_FILE` set), what that commit records (`changes.recorded`):
   nothing, an amend, a merge, sequencer work or a partial commit.
5. Skips are gathered: the kind of commit, PLANKEEPER_SKIP, `Plankeeper-Skip:` trailers,
   lockfiles alone, `plan-updated.per: push`, the pull-request label, a bot's pull request.
6. `Context.prefetch` reads the changed blobs by id in one `git cat-file` while git lists
   the plans; then each selected check runs, configured severities apply, findings sort.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal, NamedTuple

from plankeeper import changes
from plankeeper.checks import CHECKS, STATE_CHECKS
from plankeeper.config import Config
from plankeeper.context import Context, event_config, open_repository, repo_relative
from plankeeper.findings import CHECK_NAMES, Finding, RunResult, Scope, result_of, unknown_check
from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE, ChangeSet, State
from plankeeper.skips import (
    Skip,
    from_environment,
    from_trailers,
    lockfile_skip,
    not_applied,
    per_push,
    skipped_checks,
)


class Request(NamedTuple):
    """What a command asks of the pipeline: its name and its options, typed."""

    command: Literal["check", "hook", "verify"]
    words: tuple[str, ...] = ()
    base: str | None = None
    head: str | None = None
    all_files: bool = False
    mode: str = "block"
    config: str | None = None


class Outcome(NamedTuple):
    """The result of a run, and the context of its (last) change set, for `verify`."""

    result: RunResult
    context: Context | None


def apply_severities(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Configured levels, applied after the checks ran: `off` drops, a level replaces."""
    result = []
    for item in findings:
        severity = config.severity_of(item.code, item.check)
        if severity is None:
            continue
        result.append(item if severity is item.severity else replace(item, severity=severity))
    return result


def run_checks(
    ctx: Context,
    names: Sequence[str],
    *,
    mode: str = "block",
    skipped: Mapping[str, str] | None = None,
    files_checked: int | None = None,
    notices: Sequence[str] = (),
    names_of_change: str | None = None,
) -> RunResult:
    """Run the checks `names` but the skipped ones; `names_of_change` is how the user
    named the change (`main..HEAD`, the pushed refs), for the summary."""
    skipped = dict(skipped or {})
    selected = tuple(
        name for name in names if name not in skipped and not ctx.config.is_check_off(name)
    )
    found: list[Finding] = []
    ctx.prefetch()
    for name in selected:
        found.extend(CHECKS[name](ctx))
    # A skipped code (PLANKEEPER_SKIP=PK300) drops its findings; its check still runs.
    found = [item for item in found if item.code not in skipped]
    findings = sorted(apply_severities(found, ctx.config), key=Finding.sort_key)
    files = len(ctx.change_set.changed) if files_checked is None else files_checked
    kept = {name: skipped[name] for name in names if name in skipped}
    kept.update((name, why) for name, why in skipped.items() if name not in CHECKS)
    result = result_of(
        findings, files, mode, kept, selected, scope_of(ctx, selected, names_of_change)
    )
    return result._replace(notices=tuple(notices))


def short(state: State | None) -> str:
    """A state as a person writes it: seven hex digits of a commit, else its kind."""
    if state is None or state.kind == "empty":
        return "(empty)"
    if state.kind == "commit" and state.rev:
        return state.rev[:7]
    return state.kind


def describe(change_set: ChangeSet, names: str | None = None) -> str:
    """The change in words; `names` is how the user named it (`main..HEAD`, the refs)."""
    span = f"{short(change_set.old)}..{short(change_set.new)}"
    mode = change_set.mode
    if change_set.is_whole_tree:
        return "the whole tree"
    if mode == "staged":
        return "the staged change"
    if mode == "amend":
        return f"the amended commit (the index against {short(change_set.old)})"
    if mode == "merge":
        return "the merge (the index against every parent)"
    if mode in ("cherry-pick", "revert", "rebase"):
        return f"the staged change ({mode} in progress)"
    if mode == "verify":
        since = f"{names} ({short(change_set.old)})" if names else short(change_set.old)
        return f"the work since {since} up to the working tree"
    if mode == "event":
        return f"the pull request ({span})"
    if mode == "pre-push":
        return f"the push of {names} ({span})" if names else f"the push {span}"
    return f"{names} ({span})" if names else span


def scope_of(ctx: Context, ran: Sequence[str], names: str | None) -> Scope:
    """What a run judged and read; plans count only when a check had them parsed."""
    change_set = ctx.change_set
    # todos-tracked scans the whole tree with `--all-files` and in verify (SPEC).
    scanned = "todos-tracked" in ran and ctx.files is None and change_set.mode == "verify"
    return Scope(
        describe(change_set, names),
        len(change_set.changed),
        change_set.is_whole_tree,
        scanned or (change_set.is_whole_tree and "todos-tracked" in ran),
        len(ctx.__dict__.get("plans", ())),
    )


def merged_scope(scopes: list[Scope], files: int) -> Scope:
    """One scope for the refs of one push: each ref's change, named."""
    return Scope(
        "; ".join(scope.change for scope in scopes),
        files,
        False,
        False,
        max(scope.plans for scope in scopes),
    )


def names_of(request: Request, environ: Mapping[str, str]) -> str | None:
    """How the command named the change, for the summary: `main..HEAD`, the pushed refs."""
    if request.command == "verify":
        return request.base
    if request.command == "check":
        if request.base is None or request.base == "auto" or request.all_files:
            return None
        return f"{request.base}..{request.head or 'HEAD'}"
    return changes.pushed_names(environ)


def split_words(words: Sequence[str], command: str) -> tuple[list[str], list[str]]:
    """Positional words that name a check select it; the others are FILEs.

    A word that is no check, no path on disk and has no `/` or `.` of a file name is a
    mistyped check: an error, not a FILE that would narrow the run to nothing.
    """
    checks: list[str] = []
    files: list[str] = []
    for word in words:
        if word in CHECK_NAMES:
            checks.append(word)
        elif "/" in word or "." in word or os.path.lexists(word):
            files.append(word)
        else:
            raise unknown_check(word, f"{command} {word}")
    return checks, files


def gather_skips(
    repo: Repository,
    change_set: ChangeSet,
    environ: Mapping[str, str],
    config: Config,
    withheld: list[Skip],
    kind: Skip | None = None,
) -> dict[str, str]:
    """Each skipped check with the first reason: the kind of commit (`kind`: a merge,
    sequencer work), environment, trailers, lockfiles alone, `plan-updated.per: push`, the
    event's label, a bot's pull request.

    In event mode an author's trailer applies only when the base configuration allows
    it (`skip: {trailers: true}`); else it goes to `withheld`, to be reported.
    """
    trailer = from_trailers(repo, change_set)
    label = bot = None
    if change_set.mode == "event":
        from plankeeper import event

        label = event.label_skip(environ)
        bot = event.bot_skip(environ, config.bots)
        if trailer is not None and not config.skip_trailers:
            withheld.append(trailer)
            trailer = None
    lockfiles = lockfile_skip(config, change_set)
    per = per_push(config, change_set)
    skips = [kind, from_environment(environ), trailer, lockfiles, per, label, bot]
    return skipped_checks(skip for skip in skips if skip is not None)


def _is_event(request: Request) -> bool:
    return request.command == "check" and request.base == "auto" and not request.all_files


def _is_native_pre_push(request: Request, environ: Mapping[str, str]) -> bool:
    return request.command == "hook" and environ.get(changes.HOOK_ENV) == changes.PRE_PUSH


def _scans_whole_tree(
    request: Request, files: tuple[str, ...] | None, selected: Sequence[str], config: Config
) -> bool:
    """Whether todos-tracked will search every file of the working tree (SPEC: `--all-files`
    and `verify`), so that the search may start before anything else."""
    whole = (request.command == "check" and request.all_files) or request.command == "verify"
    return (
        whole
        and files is None
        and "todos-tracked" in selected
        and not config.is_check_off("todos-tracked")
    )


def _starts_staged(request: Request, environ: Mapping[str, str]) -> bool:
    """Whether the change set is the staged one, so that its diff may start at once."""
    if request.command == "hook":
        return not _is_native_pre_push(request, environ) and not changes.is_pre_push(environ)
    if request.command == "check":
        return not request.all_files and request.base is None and request.head is None
    return False


def pipeline(
    request: Request, environ: Mapping[str, str], stdin: Callable[[], str] | None = None
) -> Outcome | None:
    """Open, read the config, pick checks and FILEs, build change sets, skip, run.

    `stdin` reads git's pre-push lines (the native pre-push hook). None when a push
    brings nothing to check (only deletions, or commits every remote already has).
    """
    notices: list[str] = []
    change_sets: list[ChangeSet] = []
    named_as = [names_of(request, environ)]
    kind_skip: Skip | None = None
    if _is_event(request):
        # Event mode: the policy is the base commit's configuration, not the pull request's.
        repo = Repository(Path.cwd())
        change_sets = [changes.event(repo, environ, head=request.head)]
        config, notices = event_config(repo, environ, change_sets[0], request.config)
    else:
        repo, config = open_repository(request.config, staged=_starts_staged(request, environ))
    names, words = split_words(request.words, request.command)
    files = tuple(repo_relative(repo, words)) if words else None
    selected = names or list(CHECKS)
    if _scans_whole_tree(request, files, selected, config):
        # git searches the tree while it is listed (todos-tracked then takes the search).
        repo.start_grep(WORKTREE, config.todo_tags)

    if change_sets:
        pass  # the event's, made above
    elif request.command == "verify":
        change_sets = [changes.verify(repo, request.base)]
    elif request.command == "check":
        change_sets = [
            changes.for_check(
                repo, environ, base=request.base, head=request.head, all_files=request.all_files
            )
        ]
    elif _is_native_pre_push(request, environ):
        pushes = changes.pushes(repo, stdin() if stdin is not None else "")
        change_sets = [change_set for _, change_set in pushes]
        named_as = [f"{update.local_ref} to {update.remote_ref}" for update, _ in pushes]
        if not change_sets:
            return None
    else:
        change_set = changes.for_hook(repo, environ)
        if change_set.mode == "staged" and changes.is_commit_in_progress(environ):
            # git runs this hook for a commit: judge what that commit records.
            change_set, kind_skip = changes.recorded(repo, change_set, environ)
        elif change_set.mode == "staged" and not change_set.changed:
            # Nothing staged (`pre-commit run --all-files`): the state checks on the whole tree.
            change_set = changes.whole_tree(repo)
            selected = [name for name in selected if name in STATE_CHECKS]
        change_sets = [change_set]

    results: list[RunResult] = []
    ctx: Context | None = None
    if len(named_as) != len(change_sets):
        named_as = named_as[:1] * len(change_sets)
    for change_set, named in zip(change_sets, named_as, strict=True):
        ctx = Context(repo, config, change_set, environ, files)
        withheld: list[Skip] = []
        skipped = gather_skips(repo, change_set, environ, config, withheld, kind_skip)
        told = [*notices, *(text for skip in withheld if (text := not_applied(skip, selected)))]
        results.append(
            run_checks(
                ctx,
                selected,
                mode=request.mode,
                skipped=skipped,
                notices=told,
                names_of_change=named,
            )
        )
    if len(results) == 1:
        return Outcome(results[0], ctx)
    # One report for every pushed ref.
    changed = {path for change_set in change_sets for path in change_set.changed}
    skipped_all = {name: why for result in results for name, why in result.skipped.items()}
    merged = result_of(
        (item for each in results for item in each.findings),
        len(changed),
        request.mode,
        skipped_all,
        results[0].checks,
        merged_scope([each.scope for each in results if each.scope], len(changed)),
    )
    return Outcome(merged, ctx)
