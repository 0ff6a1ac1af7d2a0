"""The text format: `path:line:col: CODE message [check]`, then a one-line summary."""

from __future__ import annotations

from typing import TextIO

from plankeeper.findings import Finding, RunResult
from plankeeper.text import break_commands, one_line


def format_finding(item: Finding) -> str:
    place = ""
    if item.path is not None:
        place = one_line(item.path)
        if place.lstrip().startswith("::"):
            # In a GitHub log, a line that starts with `::` is a workflow command.
            place = f"./{place}"
        if item.line is not None:
            place += f":{item.line}"
            if item.column is not None:
                place += f":{item.column}"
        place += ": "
    return break_commands(f"{place}{item.code} {one_line(item.message)} [{item.check}]")


def summary_line(result: RunResult) -> str:
    summary = result.summary
    parts = [
        f"{summary.errors} error{'s' if summary.errors != 1 else ''}",
        f"{summary.warnings} warning{'s' if summary.warnings != 1 else ''}",
        f"{summary.files_checked} file{'s' if summary.files_checked != 1 else ''} checked",
    ]
    line = "plankeeper: " + ", ".join(parts)
    if result.mode == "annotate" and summary.errors:
        line += " (annotate mode: not blocking)"
    return line


def skipped_lines(result: RunResult) -> list[str]:
    return [
        break_commands(f"plankeeper: skipped {name} ({one_line(reason)})")
        for name, reason in result.skipped.items()
    ]


def notice_lines(result: RunResult) -> list[str]:
    return [break_commands(f"plankeeper: notice: {one_line(text)}") for text in result.notices]


def report(result: RunResult, stream: TextIO, /) -> None:
    for item in result.findings:
        stream.write(format_finding(item) + "\n")
    for line in skipped_lines(result) + notice_lines(result):
        stream.write(line + "\n")
    stream.write(summary_line(result) + "\n")
