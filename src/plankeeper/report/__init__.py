"""The output formats; a reporter only formats a RunResult onto a stream."""

from __future__ import annotations

from typing import Protocol, TextIO

from plankeeper.findings import RunResult
from plankeeper.report import github, json, markdown, sarif, text


class Reporter(Protocol):
    def __call__(self, result: RunResult, stream: TextIO, /) -> None: ...


# `--format` takes its choices from these names.
REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json.report,
    "github": github.report,
    "sarif": sarif.report,
    "markdown": markdown.report,
}
