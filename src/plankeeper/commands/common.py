"""What several commands share: opening the repository, loading config, writing a report."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from plankeeper.config import Config, load_config
from plankeeper.context import Context, role_globs
from plankeeper.errors import PlankeeperError
from plankeeper.git import INDEX, Repository
from plankeeper.report import REPORTERS
from plankeeper.run import RunResult


def open_repository(args: argparse.Namespace, *, staged: bool = False) -> tuple[Repository, Config]:
    """The repository and its configuration; `staged`: the staged diff starts at once."""
    repo = Repository(Path.cwd(), staged=staged)
    config = load_config(repo.root, getattr(args, "config", None))
    if staged:
        # The plans, resume and handoff files are listed while git diffs the index.
        repo.start_listing(INDEX, role_globs(config))
    return repo, config


def repo_relative(repo: Repository, names: list[str]) -> list[str]:
    """FILE arguments, relative to the current directory as in git, made repo-relative."""
    root = repo.root.resolve()
    result = []
    for name in names:
        full = Path(os.path.abspath(name))
        try:
            relative = full.relative_to(root)
        except ValueError:
            try:
                relative = full.resolve().relative_to(root)
            except ValueError:
                raise PlankeeperError(f"{name} is outside the repository {root}") from None
        # A folder of the repository may be a link out of it: never read through one (a
        # link as the file itself is never followed when it is read).
        try:
            full.parent.resolve().relative_to(root)
        except ValueError:
            raise PlankeeperError(f"{name} is outside the repository {root}") from None
        result.append(relative.as_posix())
    return result


def emit(
    result: RunResult,
    args: argparse.Namespace,
    environ: Mapping[str, str],
    ctx: Context | None = None,
) -> None:
    """Write the report in `--format` to stdout or, atomically, to `--output`.

    The markdown format (and the pull-request comment) also shows plan progress and the
    tasks the change checked off: read from `ctx` only for them.
    """
    if ctx is not None and (args.format == "markdown" or wants_comment(environ)):
        from plankeeper.review import review_of

        result = result._replace(review=review_of(ctx))
    reporter = REPORTERS[args.format]
    if args.output:
        from plankeeper.edit import write_output

        buffer = io.StringIO()
        reporter(result, buffer)
        write_output(Path(args.output), buffer.getvalue().encode("utf-8"))
    else:
        reporter(result, sys.stdout)
        sys.stdout.flush()
    if args.format == "github":
        from plankeeper.report import github

        github.write_extras(result, environ)
        if wants_comment(environ):
            from plankeeper import pull_request_comment

            notice = pull_request_comment.publish(result, environ)
            if notice:
                sys.stdout.write(notice + "\n")


def wants_comment(environ: Mapping[str, str]) -> bool:
    """The action's `comment` input: post the markdown report on the pull request."""
    return environ.get("PLANKEEPER_COMMENT", "").lower() in ("1", "true", "yes")
