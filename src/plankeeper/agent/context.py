"""The block `agent context` injects: facts about the plan as data lines, within a byte cap.

The block states facts (progress, the next task, what changed since the handoff); it gives
the agent no orders. Text from the repository is one line each, control characters
replaced, so a plan cannot forge a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from plankeeper.agent.work import Facts

HEADER = "plankeeper: the state of this repository's plan (data read from its files)"
NO_PLANS = "plans: none found"
ELLIPSIS = "…"


def lines_of(facts: Facts) -> list[str]:
    """One line per fact, in order of importance: the cap drops the last lines first."""
    lines = []
    for plan in facts.plans:
        line = f"plan: {plan.path}: {plan.done}/{plan.total} tasks done"
        if plan.current_phase is not None:
            line += f"; current phase: {plan.current_phase}"
        lines.append(line)
    if not facts.plans:
        lines.append(NO_PLANS)
    if facts.next_task is not None:
        lines.append(f"next task: {facts.next_task}")
    lines.extend(f"resume file: {path}" for path in facts.resume)
    handoff = facts.handoff
    files = f"{handoff.changed} code file{'s' if handoff.changed != 1 else ''}"
    if handoff.path is None:
        lines.append(f"handoff notes: none; {files} changed since {handoff.base}")
    else:
        line = f"handoff notes: {handoff.path}; base {handoff.base}; {files} changed since"
        if handoff.unmentioned:
            line += f"; not mentioned in the notes: {', '.join(handoff.unmentioned)}"
        lines.append(line)
    lines.extend(f"untracked TODO: {todo}" for todo in facts.todos)
    return lines


def render(lines: Sequence[str], max_bytes: int) -> str:
    """The header and as many lines as fit in `max_bytes` (UTF-8), then what was left out."""
    kept = [HEADER]
    size = len(HEADER.encode())
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        trailer = _trailer(rest) if rest else ""
        room = max_bytes - size - 1 - (len(trailer.encode()) + 1 if trailer else 0)
        encoded = line.encode("utf-8", "replace")
        if len(encoded) <= room:
            kept.append(line)
            size += 1 + len(encoded)
            continue
        # The line does not fit: what fits of it, then how many lines were left out.
        trailer = _trailer(len(lines) - index)
        room = max_bytes - size - 1 - len(trailer.encode()) - 1
        cut = _cut(line, room)
        if cut:
            kept.append(cut)
            trailer = _trailer(len(lines) - index - 1) if index + 1 < len(lines) else ""
        if trailer:
            kept.append(trailer)
        break
    return "\n".join(kept)


def _trailer(count: int) -> str:
    lines = f"{count} more line{'s' if count != 1 else ''}"
    return f"({lines} left out: `plankeeper status`, `plankeeper verify`)"


def _cut(line: str, room: int) -> str:
    """The start of `line` in at most `room` bytes, ending in an ellipsis; "" if none fits."""
    budget = room - len(ELLIPSIS.encode())
    if budget < 16:
        return ""
    return line.encode("utf-8", "replace")[:budget].decode("utf-8", "ignore") + ELLIPSIS
