"""`plankeeper check`: run the checks on a change set."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from plankeeper.commands.common import emit
from plankeeper.run import Request, pipeline


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    request = Request(
        "check",
        tuple(args.words),
        base=args.base,
        head=args.head,
        all_files=args.all_files,
        mode=args.mode,
        config=args.config,
    )
    outcome = pipeline(request, environ)
    assert outcome is not None  # only a push may bring nothing to check
    emit(outcome.result, args, environ, outcome.context)
    return outcome.result.exit_code
