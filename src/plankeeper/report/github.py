"""The github format: workflow commands that annotate a pull request; the step summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from plankeeper.errors import PlankeeperError
from plankeeper.findings import Finding, RunResult, Severity
from plankeeper.report.text import skipped_lines, summary_line
from plankeeper.text import break_commands, display_path, terminal_safe

# GitHub shows at most 10 annotations of each kind (error, warning, notice) per step.
LIMIT = 10
_KINDS = {
    "block": {Severity.ERROR: "error", Severity.WARNING: "warning"},
    "annotate": {Severity.ERROR: "warning", Severity.WARNING: "notice"},
}
_MARKDOWN_SPECIAL = "\\`*_[]|~"
# GitHub takes at most 1 MiB of job summary per step: the table of findings stays well
# under, leaving room for the markdown report when a fork's pull request gets no comment.
SUMMARY_LIMIT = 256 * 1024


def escape_data(text: str) -> str:
    """A command's message: `%` first, so that the runner's unescaping restores the text."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: also `:` and `,`, which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def plain(text: str) -> str:
    """A line of repository text that starts no command: one line, no `##[`, no `::` first."""
    line = terminal_safe(text).replace("\r", " ").replace("\n", " ")
    if line.lstrip().startswith("::"):
        line = "\u200b" + line
    return break_commands(line)


def kind_of(item: Finding, mode: str) -> str:
    """`error`/`warning` in block mode; one step milder (`warning`/`notice`) in annotate mode."""
    return _KINDS.get(mode, _KINDS["block"])[item.severity]


def command(item: Finding, kind: str) -> str:
    """`::error file=…,line=…,col=…,title=PK201::path:line:col: message [check]`."""
    properties = []
    place = ""
    if item.path is not None:
        # Controls in a name are shown escaped, as in every other format (never raw ESC).
        path = terminal_safe(item.path)
        properties.append(f"file={escape_property(path)}")
        place = path
        if item.line is not None:
            properties.append(f"line={item.line}")
            place += f":{item.line}"
            if item.column is not None:
                properties.append(f"col={item.column}")
                place += f":{item.column}"
        place += ": "
    properties.append(f"title={escape_property(item.code)}")
    message = f"{place}{terminal_safe(item.message)} [{item.check}]"
    if item.fix:
        # The runner shows a multi-line message; the fix goes on a line of its own.
        message += f"\nhelp: {terminal_safe(item.fix)}"
    message = escape_data(message)
    return break_commands(f"::{kind} {','.join(properties)}::{message}")


def annotated(result: RunResult) -> tuple[list[tuple[Finding, str]], int]:
    """The findings to annotate with their kinds, in order, and how many are left out."""
    counts: dict[str, int] = {}
    shown: list[tuple[Finding, str]] = []
    for item in result.findings:
        kind = kind_of(item, result.mode)
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= LIMIT:
            shown.append((item, kind))
    hidden = len(result.findings) - len(shown)
    notices = [index for index, (_, kind) in enumerate(shown) if kind == "notice"]
    if hidden and len(notices) == LIMIT:
        # The notice that counts the rest must itself be one of the ten shown.
        del shown[notices[-1]]
        hidden += 1
    return shown, hidden


def report(result: RunResult, stream: TextIO, /) -> None:
    shown, hidden = annotated(result)
    for item, kind in shown:
        stream.write(command(item, kind) + "\n")
    if hidden:
        noun = "finding is" if hidden == 1 else "findings are"
        stream.write(
            f"::notice title=plankeeper::{hidden} more {noun} only in the step summary "
            f"(GitHub shows {LIMIT} annotations of each kind per step)\n"
        )
    for line in skipped_lines(result):
        stream.write(plain(line) + "\n")
    for text in result.notices:
        stream.write(f"::warning title=plankeeper::{escape_data(plain(text))}\n")
    stream.write(plain(summary_line(result)) + "\n")


# -- the step summary and the step outputs ---------------------------------------------------


def escape_markdown(text: str) -> str:
    """Repository text as one Markdown table cell: no markup, no HTML, no line break."""
    import html

    text = html.escape(display_path(text), quote=False)
    text = "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in text)
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _where(item: Finding) -> str:
    if item.path is None:
        return ""
    parts = [item.path] + [str(part) for part in (item.line, item.column) if part is not None]
    return ":".join(parts) if item.line is not None else item.path


def step_summary(result: RunResult) -> str:
    """Markdown: the result, a table of all findings, a table of what was skipped and why."""
    outcome = "fail" if result.exit_code == 1 else "pass"
    headline = summary_line(result).removeprefix("plankeeper: ")
    lines = [f"### plankeeper: {outcome}", "", escape_markdown(headline), ""]
    if result.findings:
        lines += [
            "| Severity | Code | Check | Where | Message |",
            "| --- | --- | --- | --- | --- |",
        ]
        size = 0
        for shown, item in enumerate(result.findings):
            row = (
                f"| {item.severity.value} | {item.code} | {item.check} | "
                f"{escape_markdown(_where(item))} | {escape_markdown(item.message)} |"
            )
            size += len(row.encode("utf-8")) + 1
            if size > SUMMARY_LIMIT:
                left_out = len(result.findings) - shown
                noun = "finding is" if left_out == 1 else "findings are"
                lines += [
                    "",
                    f"{left_out} more {noun} left out here (a job summary holds at most "
                    "1 MiB); the JSON or SARIF report has every one.",
                ]
                break
            lines.append(row)
        lines.append("")
    if result.skipped:
        lines += ["| Skipped check | Why |", "| --- | --- |"]
        lines += [
            f"| {escape_markdown(name)} | {escape_markdown(reason)} |"
            for name, reason in result.skipped.items()
        ]
        lines.append("")
    if result.notices:
        lines += ["| Notice |", "| --- |"]
        lines += [f"| {escape_markdown(text)} |" for text in result.notices]
        lines.append("")
    return "\n".join(lines) + "\n"


def outputs(result: RunResult) -> str:
    """`findings=N` (errors and warnings) and `result=pass|fail` (fail: exit code 1)."""
    count = result.summary.errors + result.summary.warnings
    return f"findings={count}\nresult={'fail' if result.exit_code == 1 else 'pass'}\n"


def append(path: str, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        raise PlankeeperError(f"cannot write {path}: {error.strerror}") from None


def write_step_summary(result: RunResult, path: str) -> None:
    append(path, step_summary(result))


def write_outputs(result: RunResult, path: str) -> None:
    append(path, outputs(result))


def write_extras(result: RunResult, environ: Mapping[str, str]) -> None:
    """Append to $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT; an unset variable is skipped."""
    if environ.get("GITHUB_STEP_SUMMARY"):
        write_step_summary(result, environ["GITHUB_STEP_SUMMARY"])
    if environ.get("GITHUB_OUTPUT"):
        write_outputs(result, environ["GITHUB_OUTPUT"])
