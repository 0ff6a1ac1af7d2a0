"""The text format: `path:line:col: CODE message [check]`, then a one-line summary."""

from __future__ import annotations

from typing import TextIO

from plankeeper.findings import Finding, RunResult, Scope
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def details(scope: Scope, run: int, skipped: int) -> str:
    """`1 file changed, 2 plans read; 4 checks run, 1 skipped`."""
    if scope.whole_tree:
        parts = [_count(scope.files, "file")]
    else:
        parts = [f"{_count(scope.files, 'file')} changed"]
        if scope.tree_scanned:
            parts.append("the whole tree scanned for TODOs")
    parts.append(f"{_count(scope.plans, 'plan')} read")
    checks = f"{_count(run, 'check')} run"
    if skipped:
        checks += f", {skipped} skipped"
    return f"{', '.join(parts)}; {checks}"


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
        line += f" in {one_line(scope.change)}: "
        line += details(scope, len(result.checks), len(result.skipped))
    if result.mode == "annotate" and summary.errors:
        line += " (annotate mode: not blocking)"
    return line


def skipped_lines(result: RunResult) -> list[str]:
    return [
        break_commands(f"plankeeper: skipped {name} ({one_line(reason)})")
        for name, reason in result.skipped.items()
    ]


def format_fix(item: Finding) -> str | None:
    """The line under a finding that says how to fix it, as ruff's `help:`."""
    if not item.fix:
        return None
    return break_commands(f"  help: {one_line(item.fix)}")


def notice_lines(result: RunResult) -> list[str]:
    return [break_commands(f"plankeeper: notice: {one_line(text)}") for text in result.notices]


def report(result: RunResult, stream: TextIO, /) -> None:
    for item in result.findings:
        stream.write(format_finding(item) + "\n")
        fix = format_fix(item)
        if fix is not None:
            stream.write(fix + "\n")
    for line in skipped_lines(result) + notice_lines(result):
        stream.write(line + "\n")
    stream.write(summary_line(result) + "\n")
