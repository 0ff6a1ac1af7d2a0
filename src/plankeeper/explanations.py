"""What `plankeeper explain` prints for each code: the rule, why it exists, an example."""

from __future__ import annotations

from typing import NamedTuple

from plankeeper.findings import CODES, Code

WIDTH = 88


class Explanation(NamedTuple):
    """The long form of a code: `rule` states it, `why` motivates it, `example` shows it."""

    rule: str
    why: str
    example: str


EXPLANATIONS: dict[str, Explanation] = {
    "PK101": Explanation(
        "A change to code comes with a change to a plan that covers it: a task ticked, added "
        "or reworded. A plan without `covers` covers every file; plan, resume and handoff "
        "files, the config and `exempt` globs are no code.",
        "The plan is where the next session (a person or an agent) learns what is done. Code "
        "that moves without it leaves the plan claiming work that is not there, or hiding "
        "work that is.",
        "git add src/app.py && git commit\n"
        "docs/plans/SHOP_MASTERPLAN.md: PK101 src/app.py changed but the plan was not updated",
    ),
    "PK102": Explanation(
        "The covering plan changed, but only in whitespace: that records no progress.",
        "A reflowed paragraph or a trailing space satisfies a check without saying anything; "
        "this warning keeps such an edit from standing in for a real one.",
        "docs/plans/SHOP_MASTERPLAN.md: PK102 src/app.py changed but the plan changed only "
        "in whitespace",
    ),
    "PK201": Explanation(
        "Every TODO (or FIXME, XXX, HACK) comment is tracked by an open task: by reference "
        "(`TODO(T4)`) or by text that an open task contains specifically.",
        "A TODO that no plan knows of is work nobody will schedule; the plan is the one list "
        "of what is left.",
        "src/app.py:3:5: PK201 TODO is not tracked by any open task: retry on timeout",
    ),
    "PK202": Explanation(
        "A TODO that references a task by id needs that task open: the task is done in every "
        "plan that defines it. Ticking a task is checked at commit time too.",
        "Either the work is not done (the task should stay open) or the TODO is stale; both "
        "make the plan say something the code does not.",
        "src/app.py:9:3: PK202 TODO(T4) references task T4, which is done "
        "(docs/plans/SHOP_MASTERPLAN.md:12)",
    ),
    "PK203": Explanation(
        "A TODO that references a task by id names an id that some plan defines.",
        "A typo in the id (or a task deleted from the plan) silently untracks the TODO.",
        "src/app.py:9:3: PK203 TODO(T99) references T99, which no plan defines",
    ),
    "PK204": Explanation(
        "Each entry of the baseline file (`.plankeeper-baseline`) names a TODO that still "
        "exists; an entry whose TODO was done or changed is stale.",
        "A stale entry would absorb a new TODO with the same text later, so it would never "
        "be reported; dropping it keeps the baseline to the debt that is really there.",
        ".plankeeper-baseline:3: PK204 baseline entry 'TODO retry' of src/app.py: it is "
        "gone; run `plankeeper baseline` again to drop it",
    ),
    "PK300": Explanation(
        "In range, event and verify mode: code changed, handoff notes exist, and they were "
        "not updated.",
        "The handoff notes are what the next session reads first; a pull request that "
        "leaves them behind hands over a stale story.",
        "SESSION_HANDOFF.md: PK300 src/app.py changed but the handoff notes were not updated",
    ),
    "PK301": Explanation(
        "When the handoff notes change, they mention every code file changed since the "
        "handoff base: `base:` in their front matter, else the commit before the notes' "
        "last change.",
        "Notes that skip a changed file send the next session past work it must know about.",
        "SESSION_HANDOFF.md: PK301 src/db.py changed but the handoff notes do not mention it",
    ),
    "PK302": Explanation(
        "A file listed under a changed-files heading of the handoff notes changed since the "
        "handoff base.",
        "A list of changed files that names unchanged ones is copied from an older session; "
        "it misleads whoever reviews from it.",
        "SESSION_HANDOFF.md:8: PK302 src/old.py is listed as changed but did not change",
    ),
    "PK303": Explanation(
        "A path the handoff notes mention (with a `/`) exists, or was deleted or renamed in "
        "the work.",
        "A dangling path is a typo or a file that moved; either way the reader cannot follow it.",
        "SESSION_HANDOFF.md:5: PK303 src/auth/tokens.py does not exist",
    ),
    "PK304": Explanation(
        "A path that an agent file (the resume file, AGENTS.md, CLAUDE.md) names exists.",
        "An agent follows the paths its instructions give; a dangling one sends the next "
        "session to a file that moved or never was.",
        "AGENTS.md:12: PK304 docs/plans/OLD_MASTERPLAN.md does not exist",
    ),
    "PK401": Explanation(
        "A masterplan has sections for goals or vision, architecture or approach, phases, "
        "success criteria and the handoff protocol (found by heading words).",
        "These are the parts a new session needs to resume without asking: where to, how, "
        "in which order, when it is done, and how to hand over.",
        "docs/plans/SHOP_MASTERPLAN.md: PK401 the masterplan has no success criteria section "
        "(no heading names it)",
    ),
    "PK402": Explanation(
        "A task box is `- [ ]`, `- [x]` or `- [-]` (also `[X]`, `[~]`, `[/]`), with a space "
        "after the bullet; a malformed box counts as an open task.",
        "`- []` or `- [ x]` renders as text on GitHub: the task looks done or absent to a "
        "reader while the tools count it open.",
        "docs/plans/SHOP_MASTERPLAN.md:7:3: PK402 unknown task box `[ x]` counts as open",
    ),
    "PK403": Explanation(
        "A task id appears once per file.",
        "`TODO(T4)` must name one task; with two, whether it is done depends on which one "
        "the reader finds.",
        "docs/plans/SHOP_MASTERPLAN.md:30:3: PK403 task id T4 is used again (first at line 12)",
    ),
    "PK404": Explanation(
        "A resume file exists (`skills/<name>-resume.md` by default) and names the "
        "masterplan by path or file name.",
        "The resume file is the entry point a new session is pointed at; without it, or "
        "without the masterplan's name in it, the session starts without the plan.",
        "PK404 no resume file names the masterplan: add skills/<name>-resume.md that names "
        "docs/plans/SHOP_MASTERPLAN.md",
    ),
}


def codes_named(word: str) -> list[Code]:
    """The codes a word names: a code (any case), or every code of a check."""
    upper = word.upper()
    if upper in CODES:
        return [CODES[upper]]
    return [entry for entry in CODES.values() if entry.check == word]


def placeholders(template: str) -> str:
    """A fix template as `explain` shows it: `{plan}` becomes `<plan>`."""
    return template.replace("{", "<").replace("}", ">")


def _paragraph(text: str, first: str = "  ", rest: str = "  ") -> list[str]:
    import textwrap

    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest)


def explain(entry: Code) -> str:
    """The text of one code: rule, why, example, fixes."""
    explanation = EXPLANATIONS.get(entry.code)
    lines = [f"{entry.code} ({entry.check}, {entry.default_severity.value}): {entry.summary}", ""]
    if explanation is not None:
        lines += ["Rule:", *_paragraph(explanation.rule), ""]
        lines += ["Why:", *_paragraph(explanation.why), ""]
        # Examples are output lines: never wrapped.
        lines += ["Example:"] + [f"  {line}" for line in explanation.example.splitlines()]
        lines.append("")
    lines.append("Fix:")
    fixes = [placeholders(entry.fix)] if entry.fix else []
    for fix in [*fixes, entry.help]:
        lines += _paragraph(fix, "  - ", "    ")
    lines.append("")
    lines += _paragraph(
        f"Turn it off or change its level in the config (`checks: {{{entry.code}: off}}`), "
        f"or skip its check once: PLANKEEPER_SKIP={entry.check}."
    )
    return "\n".join(lines) + "\n"
