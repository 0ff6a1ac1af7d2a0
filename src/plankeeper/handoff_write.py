"""Handoff notes as `plankeeper handoff` writes them: pure functions from values to text.

What a session did since the handoff base (tasks, TODOs, commits, changed files) becomes
generated sections; on a refresh only those sections, the `base:` front matter line, the
changed-files bullets and (with `--prune`) stale bullets change: every other line stays
byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plankeeper.edit import bullet, line_ending
from plankeeper.handoff import Notes, is_list_line

if TYPE_CHECKING:
    from plankeeper.plans.plan import Plan, Task
    from plankeeper.todos.scan import Todo

TITLE = "# Session handoff"
CHANGED = "Changed files"
# The sections plankeeper writes, in the order it writes them; a refresh rewrites them whole.
NEXT = "Next task"
CHECKED = "Tasks checked off"
ADDED = "Tasks added"
TODOS_ADDED = "TODOs added"
TODOS_RESOLVED = "TODOs resolved"
COMMITS = "Commits"
GENERATED = (NEXT, CHECKED, ADDED, TODOS_ADDED, TODOS_RESOLVED, COMMITS)


@dataclass(frozen=True)
class Session:
    """What happened between the handoff base and the working tree, as lines to show."""

    base: str | None  # the base commit's full id, written as `base:`; None before any commit
    next_task: str | None = None
    checked: Sequence[str] = ()
    added: Sequence[str] = ()
    todos_added: Sequence[str] = ()
    todos_resolved: Sequence[str] = ()
    commits: Sequence[str] = ()
    # The changed files to list, each with whether it was deleted.
    changed: Sequence[tuple[str, bool]] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[str]]]:
        """The generated sections that have something to say, each as its body lines."""
        contents = (
            (NEXT, [self.next_task] if self.next_task else []),
            (CHECKED, list(self.checked)),
            (ADDED, list(self.added)),
            (TODOS_ADDED, list(self.todos_added)),
            (TODOS_RESOLVED, list(self.todos_resolved)),
            (COMMITS, list(self.commits)),
        )
        return [(title, fenced(lines)) for title, lines in contents if lines]


def fenced(lines: list[str]) -> list[str]:
    """Lines in a fenced block: the next session reads them, the path check does not.

    Task texts and commit subjects name files that may not exist yet or any more; in a
    code block they are no mentions, so the notes plankeeper writes pass the check.
    """
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *lines, fence]


# -- what the session did ------------------------------------------------------------------


def _task_key(plan: Plan, task: Task) -> tuple[str, str]:
    return (plan.path, task.id or " ".join(task.text.split()))


def task_changes(old: Iterable[Plan], new: Iterable[Plan]) -> tuple[list[str], list[str]]:
    """The tasks checked off and the tasks added between two versions of the plans.

    A task is the same task in both when its plan and its id (else its text) agree.
    """
    from plankeeper.report.progress import task_line

    before = {_task_key(plan, task): task for plan in old for task in plan.tasks}
    checked: list[str] = []
    added: list[str] = []
    for plan in new:
        for task in plan.tasks:
            previous = before.get(_task_key(plan, task))
            if previous is None:
                added.append(task_line(plan, task))
            if task.is_done and (previous is None or not previous.is_done):
                checked.append(task_line(plan, task))
    return checked, added


def todo_changes(old: Iterable[Todo], new: Iterable[Todo]) -> tuple[list[str], list[str]]:
    """The TODOs added and resolved: compared by file, tag and text, never by line."""
    from plankeeper.text import clean

    def key(todo: Todo) -> tuple[str, str, str]:
        return (todo.path, todo.label, todo.text)

    def line(todo: Todo) -> str:
        return clean(f"{todo.path}:{todo.line}: {todo.label} {todo.text}".rstrip())

    # A suppressed line (`plankeeper: ignore`) is no task, so the next session needs no word of it.
    old = [todo for todo in old if not todo.suppressed]
    new = [todo for todo in new if not todo.suppressed]
    before, after = Counter(map(key, old)), Counter(map(key, new))
    return _surplus(new, after - before, key, line), _surplus(old, before - after, key, line)


def _surplus(
    todos: list[Todo],
    counts: Counter[tuple[str, str, str]],
    key: Callable[[Todo], tuple[str, str, str]],
    line: Callable[[Todo], str],
) -> list[str]:
    """The TODOs that one side has more of than the other, in file and line order."""
    found: list[str] = []
    for todo in todos:
        if counts[key(todo)] > 0:
            counts[key(todo)] -= 1
            found.append(line(todo))
    return found


# The newest commits shown; a long-lived branch says how many earlier ones there are.
COMMITS_SHOWN = 30


def commit_lines(commits: Sequence[tuple[str, str]], shown: int = COMMITS_SHOWN) -> list[str]:
    """`0b31a2d subject` per commit, oldest first; past `shown`, the newest `shown` only."""
    from plankeeper.text import clean

    lines = [clean(f"{sha[:7]} {subject}") for sha, subject in commits[-shown:]]
    if len(commits) > shown:
        earlier = len(commits) - shown
        lines.insert(0, f"... {earlier} earlier commit{'s' if earlier != 1 else ''}")
    return lines


# -- writing -------------------------------------------------------------------------------


def base_value(sha: str) -> str:
    """The `base:` value: quoted only when YAML would read the id as a number."""
    return f'"{sha}"' if sha.isdigit() else sha


def new_notes(session: Session) -> str:
    """Notes for a repository that has none: front matter, title, sections, changed files."""
    lines: list[str] = []
    if session.base:
        lines += ["---", f"base: {base_value(session.base)}", "---"]
    lines.append(TITLE)
    for title, body in session.sections():
        lines += ["", f"## {title}", "", *body]
    lines += ["", f"## {CHANGED}"]
    if session.changed:
        lines += ["", *(bullet(path, deleted) for path, deleted in session.changed)]
    return "".join(line + "\n" for line in lines)


@dataclass
class _Edits:
    """Replacements of line ranges of the original text, applied bottom up."""

    edits: list[tuple[int, int, list[str]]] = field(default_factory=list)

    def replace(self, start: int, stop: int, lines: list[str]) -> None:
        """Lines `start` to `stop` (0-based, `stop` excluded) become `lines`."""
        self.edits.append((start, stop, lines))

    def _order(self) -> list[tuple[int, int, list[str]]]:
        # Bottom up, so that each edit's numbers still hold; at one place, what replaces
        # lines first, then the insertions, the last asked first so they keep their order.
        indexed = list(enumerate(self.edits))
        indexed.sort(key=lambda item: (-item[1][0], item[1][1] == item[1][0], -item[0]))
        return [edit for _, edit in indexed]

    def apply(self, data: bytes) -> bytes:
        ending = line_ending(data)
        kept = data.splitlines(keepends=True)
        if (
            kept
            and not kept[-1].endswith((b"\n", b"\r"))
            and any(start >= len(kept) for start, _, lines in self.edits if lines)
        ):
            kept[-1] += ending
        for start, stop, lines in self._order():
            encoded = [line.encode("utf-8", "surrogateescape") + ending for line in lines]
            kept[start:stop] = encoded
        return b"".join(kept)


_BASE_LINE = re.compile(r"base[ \t]*:")


def updated_notes(
    data: bytes,
    text_lines: list[str],
    notes: Notes,
    session: Session,
    missing: list[tuple[str, bool]],
    pruned: Iterable[int] = (),
) -> bytes:
    """The notes with the base, the generated sections and the changed files brought up to date.

    `text_lines` are the decoded lines that `notes` numbers; `missing` are the changed
    files to add to the list; `pruned` the 1-based lines to remove. Sections the user
    wrote, and every line of the changed-files list that stays, are kept byte for byte.
    """
    edits = _Edits()
    if session.base:
        _set_base(edits, text_lines, notes, session.base)
    changed = next(iter(notes.changed_files_headings()), None)
    wanted = dict(session.sections())
    present = [
        heading for heading in notes.headings if heading.text in GENERATED and heading.level > 1
    ]
    for heading in present:
        body = wanted.pop(heading.text, None)
        stop = _section_stop(text_lines, heading.end)
        if body is None:
            # Gone with its blank lines: the section has nothing to say any more.
            edits.replace(heading.line - 1, max(heading.end, stop), [])
        else:
            edits.replace(heading.line, stop, ["", *body])
    new_sections = [
        line
        for title, body in session.sections()
        if title in wanted
        for line in (f"## {title}", "", *body, "")
    ]
    for number in sorted(set(pruned), reverse=True):
        edits.replace(number - 1, number, [])
    bullets = [bullet(path, deleted) for path, deleted in missing]
    if changed is None:
        tail = [*new_sections, f"## {CHANGED}", *(["", *bullets] if bullets else [])]
        if text_lines and text_lines[-1].strip():
            tail.insert(0, "")
        edits.replace(len(text_lines), len(text_lines), tail)
        return edits.apply(data)
    if new_sections:
        edits.replace(changed.line - 1, changed.line - 1, new_sections)
    if bullets:
        _add_bullets(edits, text_lines, notes, changed.line, changed.end, set(pruned), bullets)
    return edits.apply(data)


def _section_stop(text_lines: list[str], end: int) -> int:
    """The 0-based end of a section without its trailing blank lines (they separate it)."""
    stop = end
    while stop > 0 and not text_lines[stop - 1].strip():
        stop -= 1
    return stop


def _set_base(edits: _Edits, text_lines: list[str], notes: Notes, sha: str) -> None:
    line = f"base: {base_value(sha)}"
    if notes.front_matter_lines:
        for number in range(1, notes.front_matter_lines - 1):
            if _BASE_LINE.match(text_lines[number]):
                edits.replace(number, number + 1, [line])
                return
        edits.replace(1, 1, [line])
        return
    edits.replace(0, 0, ["---", line, "---"])


def _add_bullets(
    edits: _Edits,
    text_lines: list[str],
    notes: Notes,
    heading: int,
    end: int,
    pruned: set[int],
    bullets: list[str],
) -> None:
    """Bullets at the end of the changed-files section, as a list after what is there."""
    last = heading
    for number in range(end, heading, -1):
        if text_lines[number - 1].strip() and number not in pruned:
            last = number
            break
    following = [""] if last < len(text_lines) and text_lines[last].strip() else []
    if last == heading:
        edits.replace(last, last, ["", *bullets, *following])
    elif is_list_line(text_lines[last - 1]) or last in notes.list_lines:
        edits.replace(last, last, bullets)
    else:
        edits.replace(last, last, ["", *bullets, *following])


def prunable(notes: Notes, text_lines: list[str], stale: set[int], kept: set[int]) -> list[int]:
    """The changed-files lines `--prune` removes: list items and table rows of one line
    whose every listed path is stale (`stale` holds their lines, `kept` the lines of
    listed paths that are not). Prose, headings and items that go on are never removed.
    """
    sections = [(h.line, h.end) for h in notes.changed_files_headings()]
    found: list[int] = []
    for number in sorted(stale - kept):
        if not any(start < number <= end for start, end in sections):
            continue
        line = text_lines[number - 1]
        is_row = line.lstrip().startswith("|")
        if not (is_row or is_list_line(line)):
            continue
        following = text_lines[number] if number < len(text_lines) else ""
        continues = (
            number + 1 in notes.list_lines and following.strip() and not is_list_line(following)
        )
        if not is_row and continues:
            continue
        found.append(number)
    return found
