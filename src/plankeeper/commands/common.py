"""What several commands share: opening the repository, loading config, writing a report."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from plankeeper.config import Config, load_config
from plankeeper.edit import atomic_write
from plankeeper.errors import PlankeeperError
from plankeeper.git import Repository
from plankeeper.report import REPORTERS
from plankeeper.run import RunResult


def open_repository(args: argparse.Namespace) -> tuple[Repository, Config]:
    repo = Repository(Path.cwd())
    return repo, load_config(repo.root, getattr(args, "config", None))


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
        result.append(relative.as_posix())
    return result


def emit(result: RunResult, args: argparse.Namespace, environ: Mapping[str, str]) -> None:
    """Write the report in `--format` to stdout or, atomically, to `--output`."""
    reporter = REPORTERS[args.format]
    if args.output:
        buffer = io.StringIO()
        reporter(result, buffer)
        atomic_write(Path(args.output), buffer.getvalue().encode("utf-8"))
    else:
        reporter(result, sys.stdout)
        sys.stdout.flush()
    if args.format == "github":
        from plankeeper.report import github

        github.write_extras(result, environ)
