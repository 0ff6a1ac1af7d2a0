"""`plankeeper verify`: every check on the work since the default branch, then progress."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from plankeeper.commands.common import emit
from plankeeper.report import progress
from plankeeper.run import Request, pipeline
from plankeeper.text import safe_lines


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    request = Request("verify", base=args.base, mode=args.mode, config=args.config)
    outcome = pipeline(request, environ)
    assert outcome is not None
    assert outcome.context is not None
    emit(outcome.result, args, environ, outcome.context)
    # Progress follows a text report on stdout; it never goes into a machine format.
    stream = sys.stdout if args.format == "text" and not args.output else sys.stderr
    color = progress.is_color(stream, environ)
    plans = outcome.context.plans
    lines = [""]
    if not plans:
        lines.append(progress.NO_PLANS)
    else:
        lines.extend(progress.summary_line(plan, color) for plan in plans)
        found = progress.next_task_of(plans)
        lines.append(f"next: {progress.task_line(*found)}" if found else progress.ALL_DONE)
    stream.write(safe_lines("\n".join(lines)) + "\n")
    stream.flush()
    return outcome.result.exit_code
