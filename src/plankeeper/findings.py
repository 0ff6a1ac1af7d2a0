"""Findings, their severities, the one table of codes, and the result of a run."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from plankeeper.errors import PlankeeperError


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a check found, with its place in the repository when it has one."""

    code: str
    check: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    # Every file a grouped finding stands for (PK301 past a handful); `--format json` lists them.
    paths: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path or "", self.line or 0, self.column or 0, self.code, self.message)


class Code(NamedTuple):
    """A finding code: its check, default severity, a summary and the help text."""

    code: str
    check: str
    default_severity: Severity
    summary: str
    help: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code(
            "PK101",
            "plan-updated",
            _E,
            "code changed, no plan that covers it changed",
            "Update the plan that covers the changed files (check off or add tasks), "
            "or run `plankeeper init` when the repository has no plan.",
        ),
        Code(
            "PK102",
            "plan-updated",
            _W,
            "code changed and the plan changed only in whitespace",
            "A whitespace-only edit of the plan does not record progress: update its tasks.",
        ),
        Code(
            "PK201",
            "todos-tracked",
            _E,
            "a TODO that no open task tracks",
            "Add an open task for the TODO to a plan (`plankeeper todos --fix`), "
            "or reference one: `TODO(T001): ...`.",
        ),
        Code(
            "PK202",
            "todos-tracked",
            _E,
            "a TODO referencing a task that every defining plan marks done",
            "The task is done but the TODO remains: finish the TODO or reopen the task.",
        ),
        Code(
            "PK203",
            "todos-tracked",
            _E,
            "a TODO referencing an id no plan defines",
            "Reference an id that a plan defines, or add the task to a plan.",
        ),
        Code(
            "PK204",
            "todos-tracked",
            _W,
            "a baseline entry whose TODO is gone",
            "The TODO was done or changed: run `plankeeper baseline` again to drop the entry.",
        ),
        Code(
            "PK300",
            "handoff-matches",
            _W,
            "code changed, handoff notes exist, not updated",
            "Refresh the handoff notes (`plankeeper handoff`) before handing the work over.",
        ),
        Code(
            "PK301",
            "handoff-matches",
            _E,
            "a changed file that the updated handoff notes do not mention",
            "Mention the file in the handoff notes (`plankeeper handoff` lists them).",
        ),
        Code(
            "PK302",
            "handoff-matches",
            _E,
            "a file listed under a changed-files heading that did not change",
            "Remove the file from the changed-files list, or change it.",
        ),
        Code(
            "PK303",
            "handoff-matches",
            _E,
            "a mentioned path that does not exist and was not deleted",
            "Fix the path in the handoff notes.",
        ),
        Code(
            "PK304",
            "handoff-matches",
            _W,
            "a path that an agent file (resume, AGENTS.md, CLAUDE.md) names does not exist",
            "Fix or remove the path in the agent file: the next session would follow it.",
        ),
        Code(
            "PK401",
            "plan-structure",
            _W,
            "a masterplan lacks a section",
            "A masterplan has sections for goals or vision, architecture or approach, "
            "phases, success criteria and the handoff protocol.",
        ),
        Code(
            "PK402",
            "plan-structure",
            _W,
            "a malformed task box",
            "Write a task box as `- [ ]`, `- [x]` or `- [-]`; an unknown marker counts as open.",
        ),
        Code(
            "PK403",
            "plan-structure",
            _W,
            "the same task id twice in one file",
            "Give every task of a file its own id.",
        ),
        Code(
            "PK404",
            "plan-structure",
            _W,
            "no resume file, or one that names no masterplan",
            "Add a resume file (`plankeeper init`) that names the masterplan by path or name.",
        ),
    )
}

# Every check, in SPEC order: the checks that own codes. checks/__init__.py maps each
# name to its function, and a test holds the two in step.
CHECK_NAMES: tuple[str, ...] = tuple(dict.fromkeys(code.check for code in CODES.values()))


def unknown_check(name: str, where: str) -> PlankeeperError:
    """The error for a check name that no check has: the nearest name and every name."""
    import difflib  # only a typo pays for it

    close = difflib.get_close_matches(name, CHECK_NAMES, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return PlankeeperError(
        f"{where}: unknown check {name!r}{hint}; the checks are {', '.join(CHECK_NAMES)}"
    )


def finding(
    code: str,
    message: str,
    *,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
    paths: tuple[str, ...] = (),
) -> Finding:
    """Build a finding whose check and severity come from `CODES`, so they cannot disagree."""
    entry = CODES[code]
    return Finding(
        code=code,
        check=entry.check,
        severity=entry.default_severity,
        message=message,
        path=path,
        line=line,
        column=column,
        paths=paths,
    )


class Summary(NamedTuple):
    errors: int
    warnings: int
    files_checked: int


class RunResult(NamedTuple):
    """Sorted findings, their summary, the mode, and each skipped check with its reason."""

    findings: tuple[Finding, ...]
    summary: Summary
    mode: str = "block"
    skipped: Mapping[str, str] = MappingProxyType({})
    checks: tuple[str, ...] = ()
    # What the run did not apply, and why (event mode: a pull request's own config, skips).
    notices: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """1 when an error blocks (block mode), else 0."""
        return 1 if self.mode == "block" and self.summary.errors else 0


def result_of(
    findings: Iterable[Finding],
    files_checked: int,
    mode: str,
    skipped: Mapping[str, str],
    checks: tuple[str, ...],
) -> RunResult:
    """A RunResult of findings (deduplicated, sorted) with their summary."""
    ordered = tuple(sorted(set(findings), key=Finding.sort_key))
    summary = Summary(
        errors=sum(item.severity is Severity.ERROR for item in ordered),
        warnings=sum(item.severity is Severity.WARNING for item in ordered),
        files_checked=files_checked,
    )
    return RunResult(ordered, summary, mode, dict(skipped), checks)
