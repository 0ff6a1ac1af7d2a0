"""handoff-matches: codes in CODES; built in its own issue."""

from __future__ import annotations

from collections.abc import Iterator

from plankeeper.context import Context
from plankeeper.findings import Finding


def check(ctx: Context) -> Iterator[Finding]:
    yield from ()
