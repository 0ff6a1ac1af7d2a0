"""The markdown format: the verdict a reviewer reads, as a pull-request comment or summary."""

from __future__ import annotations

from typing import TextIO

from plankeeper.findings import Finding, RunResult
from plankeeper.report.github import escape_markdown
from plankeeper.report.text import summary_line

# Finds the comment to update in place; invisible once rendered.
MARKER = "<!-- plankeeper -->"
# GitHub refuses a comment body over 65,536 characters.
COMMENT_LIMIT = 60_000


def verdict(result: RunResult) -> str:
    if result.exit_code == 1:
        return "❌ fail"
    if result.summary.errors:
        return "⚠️ pass (annotate mode: errors do not block)"
    return "✅ pass"


def _where(item: Finding) -> str:
    if item.path is None:
        return "the repository"
    place = item.path
    if item.line is not None:
        place += f":{item.line}"
        if item.column is not None:
            place += f":{item.column}"
    return escape_markdown(place)


def finding_lines(item: Finding) -> list[str]:
    lines = [
        f"- **{item.code}** ({item.severity.value}) {_where(item)}: {escape_markdown(item.message)}"
    ]
    if item.fix:
        lines.append(f"  - fix: {escape_markdown(item.fix)}")
    return lines


def _grouped(result: RunResult) -> dict[str, list[Finding]]:
    """Findings by check, the checks in their documented order."""
    from plankeeper.findings import CHECK_NAMES

    groups: dict[str, list[Finding]] = {}
    for item in result.findings:
        groups.setdefault(item.check, []).append(item)
    order = list(CHECK_NAMES)
    return dict(
        sorted(
            groups.items(),
            key=lambda group: (
                group[0] not in order,
                order.index(group[0]) if group[0] in order else 0,
                group[0],
            ),
        )
    )


def _tail(result: RunResult) -> list[str]:
    """Skipped checks, plan progress and the tasks checked off."""
    lines: list[str] = []
    if result.skipped:
        lines += ["#### Skipped", ""]
        lines += [
            f"- **{escape_markdown(name)}**: {escape_markdown(reason)}"
            for name, reason in result.skipped.items()
        ]
        lines.append("")
    if result.notices:
        lines += ["#### Notices", ""]
        lines += [f"- {escape_markdown(text)}" for text in result.notices]
        lines.append("")
    review = result.review
    if review is not None and review.plans:
        lines += [
            "#### Plan progress",
            "",
            "| Plan | Done | Current phase | Next task |",
            "| --- | --- | --- | --- |",
        ]
        for plan in review.plans:
            lines.append(
                f"| {escape_markdown(plan.path)} | {plan.done}/{plan.total} | "
                f"{escape_markdown(plan.current_phase or '—')} | "
                f"{escape_markdown(plan.next_task or 'all tasks done')} |"
            )
        lines.append("")
    if review is not None and review.ticked:
        lines += ["#### Checked off in this change", ""]
        lines += [
            f"- {escape_markdown(task.path)}:{task.line} {escape_markdown(task.label)}"
            for task in review.ticked
        ]
        lines.append("")
    return lines


def _size(lines: list[str]) -> int:
    """UTF-8 bytes, newlines included: never fewer than the characters GitHub counts."""
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def render(result: RunResult, limit: int | None = None) -> str:
    """The report; past `limit` bytes, the remaining findings are only counted."""
    headline = summary_line(result).removeprefix("plankeeper: ")
    head = [MARKER, f"### plankeeper: {verdict(result)}", "", escape_markdown(headline), ""]
    tail = _tail(result)
    # What the head, the tail and the closing count line take, with room to spare.
    budget = None if limit is None else limit - _size(head + tail) - 200
    body: list[str] = []
    size = shown = 0
    for check, items in _grouped(result).items():
        heading = [f"#### {escape_markdown(check)} ({len(items)})", ""]
        opened = False
        for item in items:
            lines = finding_lines(item) if opened else [*heading, *finding_lines(item)]
            cost = _size(lines)
            if budget is not None and size + cost > budget:
                break
            body += lines
            size += cost
            shown += 1
            opened = True
        if opened:
            body.append("")
            size += 1
    left_out = len(result.findings) - shown
    if left_out:
        noun = "finding is" if left_out == 1 else "findings are"
        body += [
            f"_{left_out} more {noun} left out here; the JSON or SARIF report has every one._",
            "",
        ]
    return "\n".join(head + body + tail).rstrip("\n") + "\n"


def report(result: RunResult, stream: TextIO, /) -> None:
    stream.write(render(result))
