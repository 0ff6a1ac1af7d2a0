"""`plankeeper check`: run the checks on a change set."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from plankeeper.checks import CHECKS
from plankeeper.commands.common import emit, open_repository, repo_relative
from plankeeper.config import Config, load_config
from plankeeper.context import Context
from plankeeper.errors import PlankeeperError
from plankeeper.git import ChangeSet, Repository
from plankeeper.run import run_checks
from plankeeper.skips import (
    Skip,
    from_environment,
    from_trailers,
    not_applied,
    skipped_checks,
)


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


def gather_skips(
    repo: Repository,
    change_set: ChangeSet,
    environ: Mapping[str, str],
    config: Config | None = None,
    withheld: list[Skip] | None = None,
) -> list[Skip]:
    """The skips that apply. In event mode an author's trailer applies only when the
    base configuration allows it; else it goes to `withheld`, to be reported.
    """
    trailer = from_trailers(repo, change_set)
    label = None
    if change_set.mode == "event":
        from plankeeper import event

        label = event.label_skip(environ)
        if trailer is not None and not (config is not None and config.skip_trailers):
            if withheld is not None:
                withheld.append(trailer)
            trailer = None
    skips = [from_environment(environ), trailer, label]
    return [skip for skip in skips if skip is not None]


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    notices: list[str] = []
    if args.base == "auto" and not args.all_files:
        # Event mode: the policy is the base commit's, not the pull request's.
        from plankeeper import event

        repo = Repository(Path.cwd())
        change_set = change_set_for(repo, args, environ)
        explicit = getattr(args, "config", None)
        inside = _inside(repo, explicit) if explicit is not None else None
        if explicit is not None and inside is None:
            # A file outside the checkout is the workflow's, not the pull request's.
            config = load_config(repo.root, explicit)
        else:
            config, notices = event.base_config(repo, environ, change_set, inside)
    else:
        repo, config = open_repository(
            args, staged=not args.all_files and args.base is None and args.head is None
        )
        change_set = change_set_for(repo, args, environ)
    names, files = split_words(args.words)
    ctx = Context(
        repo, config, change_set, environ, tuple(repo_relative(repo, files)) if files else None
    )
    selected = names or list(CHECKS)
    withheld: list[Skip] = []
    skipped = skipped_checks(gather_skips(repo, change_set, environ, config, withheld))
    notices += [text for skip in withheld if (text := not_applied(skip, selected))]
    named = None
    if args.base is not None and args.base != "auto":
        named = f"{args.base}..{args.head or 'HEAD'}"
    result = run_checks(
        ctx, selected, mode=args.mode, skipped=skipped, notices=notices, names_of_change=named
    )
    emit(result, args, environ, ctx)
    return result.exit_code


def _inside(repo: Repository, name: str) -> str | None:
    """`--config NAME` relative to the repository, or None when it is outside it."""
    try:
        return repo_relative(repo, [name])[0]
    except PlankeeperError:
        return None
