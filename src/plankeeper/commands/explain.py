"""`plankeeper explain CODE|CHECK`: the rule, why it exists, an example and the fixes."""

from __future__ import annotations

import argparse
import difflib
import sys

from plankeeper.errors import PlankeeperError
from plankeeper.explanations import codes_named, explain
from plankeeper.findings import CODES


def run(args: argparse.Namespace) -> int:
    entries = codes_named(args.name)
    if not entries:
        names = list(CODES) + sorted({entry.check for entry in CODES.values()})
        close = difflib.get_close_matches(args.name.upper(), list(CODES), n=1)
        close = close or difflib.get_close_matches(args.name, names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "see `plankeeper check --help`"
        raise PlankeeperError(f"no code or check named '{args.name}' ({hint})")
    sys.stdout.write("\n".join(explain(entry) for entry in entries))
    return 0
