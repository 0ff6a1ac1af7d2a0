"""Helpers of the per-family scanner tests: what the scanner finds in a snippet."""

from __future__ import annotations

from plankeeper.todos.scan import scan

TAGS = ("TODO", "FIXME", "XXX", "HACK")


def texts(path: str, source: str) -> list[str]:
    """The text of every TODO found; the cases write "here" for a real one, "not" else."""
    return [todo.text for todo in scan(path, source.encode(), TAGS)]
