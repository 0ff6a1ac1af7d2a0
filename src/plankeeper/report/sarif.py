"""The sarif format: SARIF 2.1.0 for GitHub code scanning, one rule per code."""

from __future__ import annotations

import re
from typing import Any, TextIO

from plankeeper import __version__
from plankeeper.findings import CODES, Finding, RunResult, Severity
from plankeeper.text import display_path, inert_json

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
URI_BASE = "%SRCROOT%"
# Code scanning rejects a whole upload when one result has no location: a finding
# about the repository as a whole (no plan, no resume file) is anchored at the config.
REPOSITORY_ANCHOR = ".plankeeper.yaml"
FINGERPRINT = "plankeeper/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}
_LINE_NUMBERS = re.compile(r"\bline \d+\b|:\d+(?:-\d+)?\b")


def rule(code: str) -> dict[str, Any]:
    entry = CODES[code]
    return {
        "id": entry.code,
        "name": entry.check,
        "shortDescription": {"text": entry.summary},
        "fullDescription": {"text": f"{entry.check}: {entry.summary}"},
        "help": {"text": entry.help, "markdown": entry.help},
        "defaultConfiguration": {"level": _LEVELS[entry.default_severity]},
        "properties": {"tags": ["plankeeper", entry.check]},
    }


def normalized(text: str) -> str:
    """Message text without line numbers, case or runs of spaces: stable across edits above."""
    return " ".join(_LINE_NUMBERS.sub("", display_path(text)).lower().split())


def fingerprint(item: Finding) -> str:
    """From the code, the path and the normalized message; never from the line number."""
    import hashlib  # here, not at the top: every hook run imports the reporters

    key = "\0".join((item.code, display_path(item.path or ""), normalized(item.message)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def uri(path: str) -> str:
    """A repo-relative URI reference: each segment percent-encoded, `/` kept."""
    from urllib.parse import quote

    return quote(display_path(path), safe="/")


def location(item: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri(item.path or REPOSITORY_ANCHOR), "uriBaseId": URI_BASE}
    }
    if item.path is not None and item.line is not None:
        region: dict[str, int] = {"startLine": item.line, "endLine": item.line}
        if item.column is not None:
            # endColumn is exclusive: the character at the column.
            region.update(startColumn=item.column, endColumn=item.column + 1)
        physical["region"] = region
    return {"physicalLocation": physical}


def as_dict(result: RunResult) -> dict[str, Any]:
    codes = list(CODES)
    results = []
    for item in result.findings:
        entry: dict[str, Any] = {
            "ruleId": item.code,
            "ruleIndex": codes.index(item.code),
            "level": _LEVELS[item.severity],
            "message": {"text": f"{display_path(item.message)} [{item.check}]"},
            "locations": [location(item)],
            "partialFingerprints": {FINGERPRINT: fingerprint(item)},
        }
        properties: dict[str, Any] = {}
        if item.path is None:
            properties["repositoryLevel"] = True
        if item.fix:
            properties["fix"] = display_path(item.fix)
        if properties:
            entry["properties"] = properties
        results.append(entry)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "plankeeper",
                        "version": __version__,
                        "informationUri": "https://github.com/plankeeper/plankeeper#getting-started",
                        "rules": [rule(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def report(result: RunResult, stream: TextIO, /) -> None:
    # Imported here: every reporter is imported with REPORTERS, on every commit.
    import json

    stream.write(inert_json(json.dumps(as_dict(result), indent=2, ensure_ascii=False)))
    stream.write("\n")
