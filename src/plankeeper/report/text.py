"""The text format: `path:line:col: CODE message [check]`, then a one-line summary."""

from __future__ import annotations

from typing import TextIO

from plankeeper.findings import Finding
from plankeeper.git import display_path
from plankeeper.run import RunResult
from plankeeper.scope import details


def format_finding(item: Finding) -> str:
    place = ""
    if item.path is not None:
        place = _one_line(item.path)
        if place.lstrip().startswith("::"):
            # In a GitHub log, a line that starts with `::` is a workflow command.
            place = f"./{place}"
        if item.line is not None:
            place += f":{item.line}"
            if item.column is not None:
                place += f":{item.column}"
        place += ": "
    return break_commands(f"{place}{item.code} {_one_line(item.message)} [{item.check}]")


def safe_lines(text: str) -> str:
    """Lines that may start with repository text (a path, a task), made inert for GitHub.

    A carriage return is shown as `\\r`; a line that starts with `::` gets `./` in front
    (such a line starts with a path, and `./path` names the same file); every `##[` is
    broken up.
    """
    # A carriage return ends a line for the runner too (.NET's ReadLine).
    lines = text.replace("\r", "\\r").split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith("::"):
            lines[index] = f"./{line}"
    return break_commands("\n".join(lines))


def break_commands(line: str) -> str:
    """Break every `##[`: GitHub's runner finds its old command syntax anywhere in a line."""
    return line.replace("##[", "##\u200b[")


def _one_line(text: str) -> str:
    # Repository text (file names, tagged comments) may hold line breaks: one finding a line.
    return display_path(text).replace("\r", "\\r").replace("\n", "\\n")


def summary_line(result: RunResult) -> str:
    summary = result.summary
    parts = [
        f"{summary.errors} error{'s' if summary.errors != 1 else ''}",
        f"{summary.warnings} warning{'s' if summary.warnings != 1 else ''}",
    ]
    if result.scope is None:
        parts.append(
            f"{summary.files_checked} file{'s' if summary.files_checked != 1 else ''} checked"
        )
    line = "plankeeper: " + ", ".join(parts)
    if result.scope is not None:
        # Say what was judged: "0 files checked" after a whole-tree scan misleads.
        scope = result.scope
        line += f" in {_one_line(scope.change)}: "
        line += details(scope, len(result.checks), len(result.skipped))
    if result.mode == "annotate" and summary.errors:
        line += " (annotate mode: not blocking)"
    return line


def skipped_lines(result: RunResult) -> list[str]:
    return [
        break_commands(f"plankeeper: skipped {name} ({_one_line(reason)})")
        for name, reason in result.skipped.items()
    ]


def format_fix(item: Finding) -> str | None:
    """The line under a finding that says how to fix it, as ruff's `help:`."""
    if not item.fix:
        return None
    return break_commands(f"  help: {_one_line(item.fix)}")


def notice_lines(result: RunResult) -> list[str]:
    return [break_commands(f"plankeeper: notice: {_one_line(text)}") for text in result.notices]


def report(result: RunResult, stream: TextIO, /) -> None:
    for item in result.findings:
        stream.write(format_finding(item) + "\n")
        fix = format_fix(item)
        if fix is not None:
            stream.write(fix + "\n")
    for line in skipped_lines(result) + notice_lines(result):
        stream.write(line + "\n")
    stream.write(summary_line(result) + "\n")
