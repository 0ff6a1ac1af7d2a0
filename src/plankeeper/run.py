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
from plankeeper.review import Review
from plankeeper.scope import Scope, describe


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
    checks: tuple[str, ...] = ()  # the checks that ran
    # What the run did not apply, and why (event mode: a pull request's own config, skips).
    notices: tuple[str, ...] = ()
    scope: Scope | None = None  # what was judged; None when made by hand
    review: Review | None = None  # plan progress and ticked tasks, for the markdown format

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
    names_of_change: str | None = None,
) -> RunResult:
    """Run the checks `names` but the skipped ones; `names_of_change` is how the user
    named the change (`main..HEAD`, the pushed refs), for the summary."""
    skipped = dict(skipped or {})
    selected = tuple(
        name for name in names if name not in skipped and not ctx.config.is_check_off(name)
    )
    found: list[Finding] = []
    ctx.prefetch()
    for name in selected:
        found.extend(CHECKS[name](ctx))
    # A skipped code (PLANKEEPER_SKIP=PK300) drops its findings; its check still runs.
    found = [item for item in found if item.code not in skipped]
    findings = sorted(apply_severities(found, ctx.config), key=Finding.sort_key)
    files = len(ctx.change_set.changed) if files_checked is None else files_checked
    kept = {name: skipped[name] for name in names if name in skipped}
    kept.update((name, why) for name, why in skipped.items() if name not in CHECKS)
    result = result_of(
        findings, files, mode, kept, selected, scope_of(ctx, selected, names_of_change)
    )
    return result._replace(notices=tuple(notices))


def scope_of(ctx: Context, ran: Sequence[str], names: str | None) -> Scope:
    """What a run judged and read; plans count only when a check had them parsed."""
    change_set = ctx.change_set
    # todos-tracked scans the whole tree with `--all-files` and in verify (SPEC).
    scanned = "todos-tracked" in ran and ctx.files is None and change_set.mode == "verify"
    return Scope(
        describe(change_set, names),
        len(change_set.changed),
        change_set.is_whole_tree,
        scanned or (change_set.is_whole_tree and "todos-tracked" in ran),
        len(ctx.__dict__.get("plans", ())),
    )


def result_of(
    findings: Iterable[Finding],
    files_checked: int,
    mode: str,
    skipped: Mapping[str, str],
    checks: tuple[str, ...],
    scope: Scope | None = None,
) -> RunResult:
    """A RunResult of findings (deduplicated, sorted) with their summary."""
    ordered = tuple(sorted(set(findings), key=Finding.sort_key))
    summary = Summary(
        errors=sum(item.severity is Severity.ERROR for item in ordered),
        warnings=sum(item.severity is Severity.WARNING for item in ordered),
        files_checked=files_checked,
    )
    return RunResult(ordered, summary, mode, dict(skipped), checks, scope=scope)
