"""The plan model: tasks, ids, phases, the current phase and the next task."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from plankeeper.plans.markdown import Lines, gc_paused, normalize_newlines, parse_blocks
from plankeeper.plans.sections import split_sections


class Status(Enum):
    OPEN = "open"
    DONE = "done"
    IN_PROGRESS = "in progress"


BOXES = {
    " ": Status.OPEN,
    "x": Status.DONE,
    "X": Status.DONE,
    "-": Status.IN_PROGRESS,
    "~": Status.IN_PROGRESS,
    "/": Status.IN_PROGRESS,
}

_BULLET = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])")
# A box: brackets holding up to two marker characters, followed by space or the end.
# Digits are excluded so that reference lists (`- [1] Smith`) are no tasks, and a single
# upper-case letter other than X so that spec-kit's legend (`- [P] tasks = ...`) is none.
_BOX = re.compile(r"\[(?![A-WYZ]\])([^\]\[\d\n]{0,2})\](?=[\s*]|\\\*|$)")
# A paragraph line that would be a task but for the missing space: `-[ ] text`.
_TIGHT_BOX = re.compile(r"[ \t]*[-*+](\[(?![A-WYZ]\])[^\]\[\d\n]{0,2}\])(?=\s|$)")
_ID = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*[-_]?)?\d+(?:\.\d+)*[a-z]?")
_PHASE = re.compile(r"phase\b", re.IGNORECASE)


@dataclass(eq=False, slots=True)
class Task:
    """A checkbox list item; `box` is the raw marker between the brackets."""

    line: int
    column: int
    box: str
    text: str
    id: str | None
    optional: bool
    depth: int
    malformed: bool
    parent: Task | None = None
    children: list[Task] = field(default_factory=list)
    phase: Phase | None = None

    @property
    def status(self) -> Status:
        return BOXES.get(self.box, Status.OPEN) if not self.malformed else Status.OPEN

    @property
    def is_done(self) -> bool:
        return self.status is Status.DONE

    @property
    def is_open(self) -> bool:
        return not self.is_done

    @property
    def is_leaf(self) -> bool:
        """No required subtask is still open (optional ones never hold a parent back)."""
        return all(child.is_done or child.optional for child in self.children)

    def label(self) -> str:
        return f"[{self.id}] {self.text}" if self.id else self.text


@dataclass(eq=False, slots=True)
class Phase:
    """A `Phase` heading's section (`is_phase`), or the section of another heading."""

    title: str
    line: int | None
    level: int
    tasks: list[Task] = field(default_factory=list)
    is_phase: bool = False

    @property
    def done(self) -> int:
        return sum(task.is_done for task in self.tasks)

    @property
    def total(self) -> int:
        return len(self.tasks)

    def has_open_required(self) -> bool:
        return any(task.is_open and not task.optional for task in self.tasks)


class Heading(NamedTuple):
    level: int
    text: str
    line: int


@dataclass(eq=False, slots=True)
class Plan:
    path: str
    tasks: list[Task]
    phases: list[Phase]
    headings: list[Heading]
    line_count: int
    is_masterplan: bool = True

    @property
    def done(self) -> int:
        return sum(task.is_done for task in self.tasks)

    @property
    def total(self) -> int:
        return len(self.tasks)

    def current_phase(self) -> Phase | None:
        """The first phase with an open required task; Phase sections before all others.

        A Backlog or an overview placed before the phases must not become the current
        phase; its tasks come up once every phase is done, in document order.
        """
        ordered = [phase for phase in self.phases if phase.is_phase]
        ordered += [phase for phase in self.phases if not phase.is_phase]
        return next((phase for phase in ordered if phase.has_open_required()), None)

    def next_task(self) -> Task | None:
        """The first open required leaf of the current phase (its first open task if none)."""
        phase = self.current_phase()
        if phase is None:
            return None
        required = [task for task in phase.tasks if task.is_open and not task.optional]
        return next((task for task in required if task.is_leaf), required[0])

    def tasks_by_id(self) -> dict[str, list[Task]]:
        found: dict[str, list[Task]] = {}
        for task in self.tasks:
            if task.id is not None:
                found.setdefault(task.id, []).append(task)
        return found

    @property
    def name(self) -> str:
        """What a qualified reference names: the file name without `.md`, or its folder."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def folder(self) -> str:
        parts = self.path.split("/")
        return parts[-2] if len(parts) > 1 else ""


def parse_id(text: str) -> tuple[str | None, str]:
    """Split a task's text into its id (when the first word looks like one) and the rest."""
    word, _, rest = text.partition(" ")
    if word.startswith("**") and not word.endswith("**") and "**" in text[2:]:
        # Bold that holds more than the id (spec-kit: `**T002 [P]** Contract test`).
        inner, _, after = text[2:].partition("**")
        head, _, inner_rest = inner.partition(" ")
        if _ID.fullmatch(head.rstrip(":").removesuffix(".")):
            kept = f"**{inner_rest.strip()}** {after.strip()}" if inner_rest.strip() else after
            return head.rstrip(":").removesuffix("."), kept.strip()
    candidate = word
    for wrapper in ("**", "`"):
        if (
            len(candidate) > 2 * len(wrapper)
            and candidate.startswith(wrapper)
            and candidate.endswith(wrapper)
        ):
            candidate = candidate[len(wrapper) : -len(wrapper)]
            break
    candidate = candidate.rstrip(":").removesuffix(".")
    for wrapper in ("**", "`"):
        if (
            candidate.startswith(wrapper)
            and candidate.endswith(wrapper)
            and len(candidate) > 2 * len(wrapper)
        ):
            candidate = candidate[len(wrapper) : -len(wrapper)]
    if _ID.fullmatch(candidate):
        return candidate, rest.strip()
    return None, text


def _heading(level: int, text: str, line: int) -> Heading:
    # Heading(...) without NamedTuple's Python-level __new__: a plan may hold a
    # heading a line.
    return tuple.__new__(Heading, (level, text, line))


@lru_cache(maxsize=4096)
def _heading_text(kind: str, raw: str) -> str:
    if kind == "Heading":
        text = raw.strip().lstrip("#").strip()
        return re.sub(r"\s+#+\s*$", "", text).strip() if text.strip("#") else ""
    return raw.strip()


def parse_plan(text: str, path: str, *, is_masterplan: bool = True) -> Plan:
    """Parse a plan; linear in its size (see markdown.py)."""
    normalized = normalize_newlines(text)
    with gc_paused():
        # Each section counts its lines from the plan's first: nothing to shift.
        parts = [(1, *parse_section(part, first)) for first, part in split_sections(normalized)]
        return assemble(path, parts, normalized.count("\n") + 1, is_masterplan)


# Blocks whose content is not Markdown (as markdown.walk).
_OPAQUE = frozenset(["FencedCode", "CodeBlock", "HTMLBlock"])


def parse_section(text: str, first: int = 1) -> tuple[list[Heading], list[Task]]:
    """The headings and tasks of a normalized text, lines counted from `first` (its own
    first line's number).

    A section of `split_sections` parses as it does inside its whole plan.
    """
    shift = first - 1
    lines = Lines(text)
    document = parse_blocks(text)
    tasks: list[Task] = []
    headings: list[Heading] = []
    # Open task per list-item depth, to find each task's parent task.
    open_tasks: list[tuple[int, Task]] = []

    # walk(), inlined: a short-line plan has a block or two on every line.
    starts = lines._starts
    stack: list[tuple[Any, int]] = [(child, 0) for child in reversed(document.children)]
    while stack:
        element, depth = stack.pop()
        kind = type(element).__name__
        if kind == "ListItem":
            start = element.source_span[0]
            line = bisect_right(starts, start)
            # A task needs a box: an item whose line holds no `[` is none.
            end = text.find("\n", start)
            has_box = text.find("[", start, len(text) if end < 0 else end) >= 0
            task = _task_from_item(lines, start, line, depth) if has_box else None
            while open_tasks and open_tasks[-1][0] >= depth:
                open_tasks.pop()
            if task is not None:
                if open_tasks:
                    task.parent = open_tasks[-1][1]
                    task.parent.children.append(task)
                open_tasks.append((depth, task))
                tasks.append(task)
            depth += 1
        elif kind == "Paragraph":
            start, end = element.source_span
            if text.find("[", start, end) >= 0:
                last = bisect_right(starts, max(end - 1, start))
                tasks.extend(_tight_tasks(lines, bisect_right(starts, start), last, depth))
            continue
        elif kind == "Heading" or kind == "SetextHeading":
            line = bisect_right(starts, element.source_span[0])
            level = int(getattr(element, "level", 1))
            text_of = _heading_text(kind, lines.line(line))
            headings.append(_heading(level, text_of, line + shift))
            open_tasks.clear()
            continue
        elif kind in _OPAQUE:
            continue
        children = getattr(element, "children", None)
        if isinstance(children, list) and children:
            if len(children) == 1:
                stack.append((children[0], depth))
            else:
                stack.extend([(child, depth) for child in reversed(children)])
    tasks.sort(key=attrgetter("line"))
    if shift:
        for task in tasks:
            task.line += shift
    return headings, tasks


def assemble(
    path: str,
    parts: Iterable[tuple[int, list[Heading], list[Task]]],
    line_count: int,
    is_masterplan: bool,
) -> Plan:
    """The plan of its sections: (first line, headings, tasks), lines counted from there."""
    headings: list[Heading] = []
    tasks: list[Task] = []
    for first, section_headings, section_tasks in parts:
        shift = first - 1
        if shift:
            headings.extend(
                _heading(level, text, line + shift) for level, text, line in section_headings
            )
            for task in section_tasks:
                task.line += shift
        else:
            headings.extend(section_headings)
        tasks.extend(section_tasks)
    return Plan(path, tasks, _phases(tasks, headings), headings, line_count, is_masterplan)


def _task_from_item(lines: Lines, offset: int, line_number: int, depth: int) -> Task | None:
    line = lines.line(line_number)
    start = offset - (lines._starts[line_number - 1])
    rest = line[start:]
    bullet = _BULLET.match(rest)
    if bullet is None:
        return None
    after = rest[bullet.end() :]
    stripped = after.lstrip(" \t")
    box = _BOX.match(stripped)
    if box is None:
        return None
    column = start + bullet.end() + (len(after) - len(stripped)) + 1
    marker = box.group(1)
    remainder = stripped[box.end() :]
    # Kiro's optional marker; Prettier writes it escaped (`- [ ]\*`).
    optional = remainder.startswith(("*", "\\*"))
    if optional:
        remainder = remainder[remainder.index("*") + 1 :]
    malformed = marker not in BOXES or (len(after) - len(stripped)) == 0
    identifier, text = parse_id(remainder.strip())
    return Task(line_number, column, marker, text, identifier, optional, depth, malformed)


def _tight_tasks(lines: Lines, first: int, last: int, depth: int) -> Iterable[Task]:
    for number in range(first, last + 1):
        line = lines.line(number)
        match = _TIGHT_BOX.match(line.lstrip("> \t")) if "[" in line else None
        if match is None:
            continue
        remainder = line.lstrip("> \t")[match.end() :].strip()
        identifier, text = parse_id(remainder)
        column = len(line) - len(line.lstrip("> \t")) + match.start(1) + 1
        yield Task(number, column, match.group(1)[1:-1], text, identifier, False, depth + 1, True)


def _phases(tasks: list[Task], headings: list[Heading]) -> list[Phase]:
    """Give each task the phase whose section holds it.

    A `Phase` heading runs until the next heading of the same or a higher level; phases
    nest, a task belongs to the innermost one. A task outside every Phase section (all of
    them in a plan without Phase headings) belongs to the section of its nearest heading,
    kept as a phase only when it has tasks: otherwise `status` would miss open tasks and
    `next` would say "all tasks done" while some are open.
    """
    phases: list[Phase] = []
    stack: list[Phase] = []
    section: Phase | None = None
    nearest: Heading | None = None
    # Headings and tasks are each in line order: merged, a heading before a task of
    # its line.
    task_index = 0
    for heading in [*headings, None]:
        limit = heading.line if heading is not None else None
        while task_index < len(tasks) and (limit is None or tasks[task_index].line < limit):
            task = tasks[task_index]
            task_index += 1
            if stack:
                phase = stack[-1]
            else:
                if section is None:
                    section = (
                        Phase(nearest.text, nearest.line, nearest.level)
                        if nearest is not None
                        else Phase("", None, 0)
                    )
                    phases.append(section)
                phase = section
            task.phase = phase
            phase.tasks.append(task)
        if heading is None:
            break
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        if heading.text[:1] in "pP" and _PHASE.match(heading.text):
            stack.append(Phase(heading.text, heading.line, heading.level, is_phase=True))
            phases.append(stack[-1])
        nearest, section = heading, None
    return phases
