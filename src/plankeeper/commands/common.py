"""What several commands share: opening the repository and writing a report."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Mapping
from pathlib import Path

from plankeeper import context
from plankeeper.config import Config
from plankeeper.context import Context
from plankeeper.findings import RunResult
from plankeeper.git.repository import Repository
from plankeeper.report import REPORTERS


def open_repository(args: argparse.Namespace) -> tuple[Repository, Config]:
    """The repository and the configuration that `--config` names, if any."""
    return context.open_repository(getattr(args, "config", None))


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
