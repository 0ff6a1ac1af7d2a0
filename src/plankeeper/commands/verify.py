"""`plankeeper verify`: every check on the work since the default branch, then progress."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from plankeeper import progress
from plankeeper.checks import CHECKS
from plankeeper.commands.check import gather_skips
from plankeeper.commands.common import emit, open_repository
from plankeeper.context import Context
from plankeeper.report.text import safe_lines
from plankeeper.run import run_checks
from plankeeper.skips import skipped_checks


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    repo, config = open_repository(args)
    change_set = repo.verify(args.base)
    ctx = Context(repo, config, change_set, environ)
    skipped = skipped_checks(gather_skips(repo, change_set, environ))
    result = run_checks(
        ctx, list(CHECKS), mode=args.mode, skipped=skipped, names_of_change=args.base
    )
    emit(result, args, environ, ctx)
    # Progress follows a text report on stdout; it never goes into a machine format.
    stream = sys.stdout if args.format == "text" and not args.output else sys.stderr
    color = progress.is_color(stream, environ)
    lines = [""]
    if not ctx.plans:
        lines.append(progress.NO_PLANS)
    else:
        lines.extend(progress.summary_line(plan, color) for plan in ctx.plans)
        found = progress.next_task_of(ctx.plans)
        lines.append(f"next: {progress.task_line(*found)}" if found else progress.ALL_DONE)
    stream.write(safe_lines("\n".join(lines)) + "\n")
    stream.flush()
    return result.exit_code
