"""`plankeeper hook`: what the pre-commit and native hooks call."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from plankeeper.commands.common import emit
from plankeeper.run import Request, pipeline


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    request = Request("hook", tuple(getattr(args, "words", [])), mode=args.mode, config=args.config)
    outcome = pipeline(request, environ, stdin=sys.stdin.read)
    if outcome is None:
        # Only deletions, or commits every remote already has: nothing to check.
        return 0
    emit(outcome.result, args, environ, outcome.context)
    return outcome.result.exit_code
