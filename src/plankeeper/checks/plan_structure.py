"""plan-structure: PK401 (missing section), PK402 (malformed box), PK403 (duplicate id), PK404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from plankeeper.context import Context
from plankeeper.findings import Finding, finding

if TYPE_CHECKING:
    from plankeeper.plans.plan import Plan

# The sections of a masterplan and the heading words that count for each, leniently:
# "Vision & Goals", "Approach", "Roadmap", "Definition of done", "Session protocol".
SECTIONS: dict[str, re.Pattern[str]] = {
    "goals/vision": re.compile(r"\b(goals?|vision|objectives?|purpose|mission)\b"),
    "architecture/approach": re.compile(r"\b(architecture|approach|design|strategy)\b"),
    "phases": re.compile(r"\b(phases?|roadmap|milestones?|stages?)\b"),
    "success criteria": re.compile(
        r"\b(success|criteria|definition of done|done when|acceptance)\b"
    ),
    "handoff": re.compile(r"\b(hand-?offs?|hand offs?|handovers?|sessions?|resum(e|ing))\b"),
}


def missing_sections(plan: Plan) -> list[str]:
    """The sections (keys of SECTIONS) that no heading of the plan names."""
    texts = [" ".join(heading.text.lower().replace("&", " ").split()) for heading in plan.headings]
    return [name for name, words in SECTIONS.items() if not any(words.search(t) for t in texts)]


def names_masterplan(text: str, masterplans: list[str]) -> bool:
    """True when `text` names one of the masterplans by path or by file name (any case)."""
    lowered = text.lower()
    return any(
        path.lower() in lowered or path.rsplit("/", 1)[-1].lower() in lowered
        for path in masterplans
    )


def _box_problem(box: str) -> str:
    from plankeeper.plans.plan import BOXES

    if box in BOXES:
        return "a task box needs a space after the bullet: `- [ ]`"
    return f"unknown task box `[{box}]` counts as open: write `[ ]`, `[x]` or `[-]`"


def structure_findings(plan: Plan) -> Iterator[Finding]:
    """PK401 to PK403 for one plan."""
    if plan.is_masterplan:
        for section in missing_sections(plan):
            yield finding(
                "PK401",
                f"the masterplan has no {section} section (no heading names it)",
                path=plan.path,
                plan=plan.path,
                section=section,
            )
    for task in plan.tasks:
        if task.malformed:
            yield finding(
                "PK402",
                _box_problem(task.box),
                path=plan.path,
                line=task.line,
                column=task.column,
            )
    for identifier, tasks in plan.tasks_by_id().items():
        for task in tasks[1:]:
            yield finding(
                "PK403",
                f"task id {identifier} is used again (first at line {tasks[0].line})",
                path=plan.path,
                line=task.line,
                column=task.column,
                task=identifier,
                first=tasks[0].line,
            )


def resume_findings(ctx: Context) -> Iterator[Finding]:
    """PK404: a resume file must exist and name a masterplan."""
    masterplans = [plan.path for plan in ctx.masterplans]
    if not masterplans:
        # A resume file's job is to name the masterplan: with none there is nothing to name.
        return
    if not ctx.resume_paths:
        yield finding(
            "PK404",
            f"no resume file names the masterplan: add skills/<name>-resume.md that names "
            f"{masterplans[0]} (`plankeeper init` scaffolds one)",
            plan=masterplans[0],
            resume="skills/<name>-resume.md",
        )
        return
    contents = ctx.repo.read_many(ctx.change_set.new, ctx.resume_paths)
    for path in ctx.resume_paths:
        if not names_masterplan(_decode(contents.get(path, b"")), masterplans):
            yield finding(
                "PK404",
                f"the resume file names no masterplan: mention {masterplans[0]}",
                path=path,
                plan=masterplans[0],
                resume=path,
            )


def check(ctx: Context) -> Iterator[Finding]:
    change_set = ctx.change_set
    everything = change_set.is_whole_tree or change_set.mode == "verify"
    # Parse plans only when one changed: the hook runs on every commit.
    if everything or any(ctx.role(path) in ("masterplan", "tasks") for path in change_set.changed):
        for plan in ctx.plans:
            if everything or change_set.is_changed(plan.path):
                yield from structure_findings(plan)
    touched = any(
        ctx.role(path) in ("masterplan", "tasks", "resume") for path in change_set.changed
    )
    if everything or touched:
        yield from resume_findings(ctx)


def _decode(data: bytes) -> str:
    # The plan module (and its parser) is imported only when a plan is read.
    from plankeeper.text import decode

    return decode(data)
