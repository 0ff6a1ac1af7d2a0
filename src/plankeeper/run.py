"""Running checks: select, skip, run, apply configured severities, sort."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import NamedTuple

from plankeeper.checks import CHECKS
from plankeeper.config import Config
from plankeeper.context import Context
from plankeeper.findings import Finding, Severity


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


def apply_severities(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Configured levels, applied after the checks ran: `off` drops, a level replaces."""
    result = []
    for item in findings:
        severity = config.severity_of(item.code, item.check)
        if severity is None:
            continue
        result.append(item if severity is item.severity else replace(item, severity=severity))
    return result


def run_checks(
    ctx: Context,
    names: Sequence[str],
    *,
    mode: str = "block",
    skipped: Mapping[str, str] | None = None,
    files_checked: int | None = None,
    notices: Sequence[str] = (),
) -> RunResult:
    skipped = dict(skipped or {})
    selected = tuple(name for name in names if name not in skipped)
    found: list[Finding] = []
    ctx.prefetch()
    for name in selected:
        if ctx.config.is_check_off(name):
            continue
        found.extend(CHECKS[name](ctx))
    findings = sorted(apply_severities(found, ctx.config), key=Finding.sort_key)
    files = len(ctx.change_set.changed) if files_checked is None else files_checked
    kept = {name: skipped[name] for name in names if name in skipped}
    return result_of(findings, files, mode, kept, selected)._replace(notices=tuple(notices))


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
