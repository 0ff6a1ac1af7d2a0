"""What several commands share: opening the repository and writing a report."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Mapping
from pathlib import Path

from plankeeper import context
from plankeeper.config import Config
from plankeeper.findings import RunResult
from plankeeper.git.repository import Repository
from plankeeper.report import REPORTERS


def open_repository(args: argparse.Namespace) -> tuple[Repository, Config]:
    """The repository and the configuration that `--config` names, if any."""
    return context.open_repository(getattr(args, "config", None))


def emit(result: RunResult, args: argparse.Namespace, environ: Mapping[str, str]) -> None:
    """Write the report in `--format` to stdout or, atomically, to `--output`."""
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
