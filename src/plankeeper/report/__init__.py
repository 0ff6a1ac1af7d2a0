"""The registry of output formats; a reporter only formats a RunResult onto a stream."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TextIO

from plankeeper.registry import LazyRegistry

if TYPE_CHECKING:
    from plankeeper.run import RunResult


class Reporter(Protocol):
    def __call__(self, result: RunResult, stream: TextIO, /) -> None: ...


# `--format` takes its choices from these names; a reporter is imported when it is used.
REPORTERS: LazyRegistry[Reporter] = LazyRegistry(
    {
        "text": "plankeeper.report.text:report",
        "json": "plankeeper.report.json:report",
        "github": "plankeeper.report.github:report",
        "sarif": "plankeeper.report.sarif:report",
        "markdown": "plankeeper.report.markdown:report",
    }
)
