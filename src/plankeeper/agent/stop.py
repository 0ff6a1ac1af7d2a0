"""`agent stop`'s decision: allow, or block once with the exact fixes; never a loop.

A pure function of the findings, the configuration and what the session already went
through, so that every branch can be tested without a runtime.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, NamedTuple

from plankeeper.config import AgentConfig
from plankeeper.findings import Finding, Severity
from plankeeper.text import clean

# How many fixes a message lists before it points at `plankeeper verify` for the rest.
MAX_FIXES = 12
_PLAN_FILES = re.compile(r"(?P<files>.+) changed but the plan (?:was not updated|changed only)")
_UNMENTIONED = re.compile(r"(?P<files>.+) changed but the handoff notes do not mention it\Z")


class Decision(NamedTuple):
    """`block` with the reason the agent reads, or `allow` with a message for the user."""

    action: Literal["allow", "block"]
    reason: str = ""
    message: str = ""


ALLOW = Decision("allow")


def decide(
    findings: Sequence[Finding],
    config: AgentConfig,
    *,
    stop_hook_active: bool,
    blocks_spent: int,
) -> Decision:
    errors = [item for item in findings if item.severity is Severity.ERROR]
    if not errors or config.stop == "off":
        return ALLOW
    fixes = fix_lines(findings)
    if config.stop == "warn":
        return Decision("allow", message=_user_message(errors, fixes, "stop.warn"))
    if stop_hook_active or blocks_spent >= config.max_blocks:
        why = (
            "the stop already continued this session"
            if stop_hook_active
            else (
                f"its {blocks_spent} block{'s' if blocks_spent != 1 else ''} of this session "
                "are spent (agent.max_blocks)"
            )
        )
        return Decision("allow", message=_user_message(errors, fixes, why))
    count = len(errors)
    reason = (
        f"plankeeper: this session's work has {count} error{'s' if count != 1 else ''} "
        "against the plan. Before you stop:\n"
        + "\n".join(f"- {fix}" for fix in fixes)
        + "\nThen stop again (`plankeeper verify` shows the findings)."
    )
    return Decision("block", reason=reason)


def _user_message(errors: Sequence[Finding], fixes: Sequence[str], why: str) -> str:
    count = len(errors)
    head = (
        f"plankeeper: the session stopped with {count} error{'s' if count != 1 else ''} "
        f"against the plan ({why}); run `plankeeper verify`:"
    )
    return "\n".join([head, *(f"- {fix}" for fix in fixes)])


def fix_lines(findings: Sequence[Finding]) -> list[str]:
    """The exact fixes, errors first, at most MAX_FIXES, in output order.

    One fix per finding, but one for all the files a handoff notes file does not
    mention: `plankeeper handoff` lists them all at once.
    """
    ordered = sorted(
        findings, key=lambda item: (item.severity is not Severity.ERROR, item.sort_key())
    )
    unmentioned: dict[str, list[str]] = {}
    for item in ordered:
        if (named := _unmentioned(item)) is not None:
            unmentioned.setdefault(item.path or "", []).append(named)
    lines = []
    for item in ordered:
        if _unmentioned(item) is None:
            lines.append(fix_of(item))
        elif (path := item.path or "") in unmentioned:
            files = unmentioned.pop(path)
            shown = files[0] if len(files) == 1 else _files(files)
            lines.append(f"run `plankeeper handoff`: {path} does not mention {shown}")
    lines = list(dict.fromkeys(clean(line) for line in lines))
    if len(lines) > MAX_FIXES:
        rest = len(lines) - MAX_FIXES
        lines = [*lines[:MAX_FIXES], f"and {rest} more: run `plankeeper verify`"]
    return lines


def _unmentioned(item: Finding) -> str | None:
    """The file a PK301 finding says the notes do not mention, if it is one."""
    if item.code != "PK301" or item.path is None:
        return None
    match = _UNMENTIONED.match(item.message)
    return match.group("files") if match else None


def _files(files: Sequence[str]) -> str:
    shown = ", ".join(files[:3])
    return f"{len(files)} changed files ({shown}, ...)" if len(files) > 3 else shown


def fix_of(item: Finding) -> str:
    """What to do about one finding, naming its file."""
    where = item.path or ""
    if item.line is not None:
        where += f":{item.line}"
    code = item.code
    if code == "PK101" and item.path:
        match = _PLAN_FILES.match(item.message)
        files = match.group("files") if match else "the changed files"
        return f"tick or add a task in {item.path} that covers {files}"
    if code == "PK102" and item.path:
        return f"record the progress in the tasks of {item.path} (it changed only in whitespace)"
    if code in ("PK201", "PK203"):
        return (
            f"{where}: {item.message}: run `plankeeper todos --fix` or reference a task, "
            "as in TODO(ID)"
        )
    if code == "PK202":
        return f"{where}: {item.message}: reference an open task or remove the comment"
    if code in ("PK300", "PK301"):
        return f"run `plankeeper handoff` ({where}: {item.message})"
    if code == "PK302":
        return f"{where}: {item.message}: remove the line, then run `plankeeper handoff`"
    if code == "PK303":
        return f"{where}: {item.message}: correct or remove the path"
    return f"{where}: {item.message}" if where else item.message
