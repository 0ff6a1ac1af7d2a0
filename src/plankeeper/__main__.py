"""`python -m plankeeper`."""

from __future__ import annotations

from plankeeper.cli import entry

entry()
