"""`plankeeper check`: run the checks on a change set."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from plankeeper.checks import CHECKS
from plankeeper.commands.common import emit, open_repository, repo_relative
from plankeeper.context import Context
from plankeeper.errors import PlankeeperError
from plankeeper.git import ChangeSet, Repository
from plankeeper.run import run_checks
from plankeeper.skips import Skip, from_environment, from_trailers, skipped_checks


def split_words(words: list[str]) -> tuple[list[str], list[str]]:
    """Positional words that name a check select it; the others are FILEs."""
    checks = [word for word in words if word in CHECKS]
    files = [word for word in words if word not in CHECKS]
    return checks, files


def change_set_for(
    repo: Repository, args: argparse.Namespace, environ: Mapping[str, str]
) -> ChangeSet:
    if args.all_files:
        return repo.whole_tree()
    if args.base is not None:
        if args.base == "auto":
            from plankeeper import event

            return event.change_set(repo, environ, head=args.head)
        return repo.range(args.base, args.head or "HEAD")
    if args.head is not None:
        raise PlankeeperError("--head needs --base")
    return repo.staged()


def gather_skips(repo: Repository, change_set: ChangeSet, environ: Mapping[str, str]) -> list[Skip]:
    skips = [from_environment(environ), from_trailers(repo, change_set)]
    if change_set.mode == "event":
        from plankeeper import event

        skips.append(event.label_skip(environ))
    return [skip for skip in skips if skip is not None]


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    repo, config = open_repository(
        args, staged=not args.all_files and args.base is None and args.head is None
    )
    names, files = split_words(args.words)
    change_set = change_set_for(repo, args, environ)
    ctx = Context(
        repo, config, change_set, environ, tuple(repo_relative(repo, files)) if files else None
    )
    skipped = skipped_checks(gather_skips(repo, change_set, environ))
    named = None
    if args.base is not None and args.base != "auto":
        named = f"{args.base}..{args.head or 'HEAD'}"
    result = run_checks(
        ctx, names or list(CHECKS), mode=args.mode, skipped=skipped, names_of_change=named
    )
    emit(result, args, environ, ctx)
    return result.exit_code
