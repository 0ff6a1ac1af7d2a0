"""`plankeeper hook`: what the pre-commit and native hooks call."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from plankeeper.checks import CHECKS, STATE_CHECKS
from plankeeper.commands.check import gather_skips, split_words
from plankeeper.commands.common import emit, open_repository, repo_relative
from plankeeper.context import Context
from plankeeper.git import ChangeSet, Repository
from plankeeper.run import run_checks
from plankeeper.scope import Scope
from plankeeper.skips import skipped_checks


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


def hook_change_set(repo: Repository, environ: Mapping[str, str]) -> ChangeSet:
    """pre-push when pre-commit names the refs, else the staged change."""
    refs = _pushed_refs(environ)
    if refs is not None:
        from_ref, to_ref = refs
        return repo.range(
            from_ref, to_ref, mode="pre-push", use_merge_base=False, option="PRE_COMMIT_FROM_REF"
        )
    if environ.get("PRE_COMMIT_REMOTE_BRANCH") and environ.get("PRE_COMMIT_LOCAL_BRANCH"):
        from plankeeper import prepush

        new_branch = prepush.new_branch_change_set(repo, environ["PRE_COMMIT_LOCAL_BRANCH"])
        if new_branch is not None:
            return new_branch
    return repo.staged()


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    if environ.get("PLANKEEPER_HOOK") == "pre-push":
        return native_pre_push(args, environ)
    repo, config = open_repository(args, staged=not is_pre_push(environ))
    names, files = split_words(getattr(args, "words", []))
    change_set = hook_change_set(repo, environ)
    selected = names or list(CHECKS)
    if change_set.mode == "staged" and not change_set.changed:
        # Nothing staged (`pre-commit run --all-files`): the state checks on the whole tree.
        change_set = repo.whole_tree()
        selected = [name for name in selected if name in STATE_CHECKS]
    ctx = Context(
        repo, config, change_set, environ, tuple(repo_relative(repo, files)) if files else None
    )
    skipped = skipped_checks(gather_skips(repo, change_set, environ))
    result = run_checks(
        ctx, selected, mode=args.mode, skipped=skipped, names_of_change=pushed_names(environ)
    )
    emit(result, args, environ, ctx)
    return result.exit_code


def pushed_names(environ: Mapping[str, str]) -> str | None:
    """`refs/heads/x to refs/heads/x on origin`, as pre-commit's pre-push stage names them."""
    local = environ.get("PRE_COMMIT_LOCAL_BRANCH")
    remote = environ.get("PRE_COMMIT_REMOTE_BRANCH")
    if not (local and remote):
        return None
    name = environ.get("PRE_COMMIT_REMOTE_NAME")
    return f"{local} to {remote}" + (f" on {name}" if name else "")


def merged_scope(scopes: list[Scope], files: int) -> Scope:
    """One scope for the refs of one push: each ref's change, named."""
    return Scope(
        "; ".join(scope.change for scope in scopes),
        files,
        False,
        False,
        max(scope.plans for scope in scopes),
    )


def native_pre_push(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """hooks/pre-push: one change set per pushed ref from git's stdin, one report for all."""
    import sys

    from plankeeper import prepush
    from plankeeper.run import result_of

    repo, config = open_repository(args)
    names, files = split_words(getattr(args, "words", []))
    results = []
    files_checked: set[str] = set()
    for update, change_set in prepush.pushes(repo, sys.stdin.read()):
        files_checked.update(change_set.changed)
        ctx = Context(
            repo, config, change_set, environ, tuple(repo_relative(repo, files)) if files else None
        )
        skipped = skipped_checks(gather_skips(repo, change_set, environ))
        results.append(
            run_checks(
                ctx,
                names or list(CHECKS),
                mode=args.mode,
                skipped=skipped,
                names_of_change=f"{update.local_ref} to {update.remote_ref}",
            )
        )
    if not results:
        # Only deletions, or commits every remote already has: nothing to check.
        return 0
    skipped_all = {name: why for result in results for name, why in result.skipped.items()}
    result = result_of(
        (item for each in results for item in each.findings),
        len(files_checked),
        args.mode,
        skipped_all,
        results[0].checks,
        merged_scope([each.scope for each in results if each.scope], len(files_checked)),
    )
    emit(result, args, environ)
    return result.exit_code
