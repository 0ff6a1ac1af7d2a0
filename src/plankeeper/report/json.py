"""The json format, version 1: findings, summary; added keys: each fix, what was skipped."""

from __future__ import annotations

from typing import Any, TextIO

from plankeeper.findings import Finding, RunResult
from plankeeper.text import display_path, inert_json


def as_dict(result: RunResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 1,
        "findings": [_finding(item) for item in result.findings],
        "summary": {
            "errors": result.summary.errors,
            "warnings": result.summary.warnings,
            "files_checked": result.summary.files_checked,
            **judged(result),
        },
        "skipped": [{"check": name, "reason": reason} for name, reason in result.skipped.items()],
    }
    if result.notices:
        # Only event mode has notices: other runs keep the version 1 keys.
        data["notices"] = list(result.notices)
    return data


def judged(result: RunResult) -> dict[str, Any]:
    """Added keys: the change judged, the plans read, the checks run."""
    if result.scope is None:
        return {}
    return {
        "judged": display_path(result.scope.change),
        "plans_read": result.scope.plans,
        "checks_run": list(result.checks),
    }


def _finding(item: Finding) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": item.code,
        "check": item.check,
        "severity": item.severity.value,
        "path": None if item.path is None else display_path(item.path),
        "line": item.line,
        "column": item.column,
        "message": display_path(item.message),
        "fix": None if item.fix is None else display_path(item.fix),
    }
    if item.paths:
        # An added key (version 1 stays): every file a grouped finding stands for.
        entry["paths"] = [display_path(path) for path in item.paths]
    return entry


def report(result: RunResult, stream: TextIO, /) -> None:
    # Imported here: every reporter is imported with REPORTERS, on every commit.
    import json

    stream.write(inert_json(json.dumps(as_dict(result), indent=2, ensure_ascii=False)))
    stream.write("\n")
