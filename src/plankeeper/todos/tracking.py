"""Which open task tracks a TODO, over every plan in plan order, and why none does."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from plankeeper.plans.plan import Plan, Task
    from plankeeper.todos.scan import Todo

_PUNCTUATION = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower case, punctuation dropped, spaces collapsed: the words the text rule compares."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def task_words(task: Task) -> str:
    """A task's normalized text, its id included (an added task may start with an id)."""
    return normalize(f"{task.id} {task.text}" if task.id else task.text)


_SUFFIX = re.compile(r"\s*\([^()]*\)\s*\Z")


def is_specific(words: str, task: Task, path: str) -> bool:
    """A text match counts only when specific (SPEC § Changes): the TODO's words are at
    least half of the task's (its id left out), or the task names the TODO's file, as
    the `(path)` suffix that `todos --fix` writes does.

    Otherwise a short TODO (`first`, `fix this`) would be tracked by any long task that
    happens to hold its words, and the bigger the backlog, the more would slip through.
    """
    counted = _SUFFIX.sub("", task.text)  # the suffix names a place, it adds no words
    return 2 * words.count(" ") + 2 >= len(normalize(counted).split()) or path in task.text


# Why no open task tracks a tagged comment: no task matches it, its task is done, or its id is
# defined nowhere. checks/todos_tracked.py gives each reason its code.
Reason = Literal["untracked", "done", "unknown-id"]


class Tracking(NamedTuple):
    """How a TODO is tracked: by `task` of `plan`, or not, and then why (`reason`)."""

    reason: Reason | None
    plan: Plan | None = None
    task: Task | None = None

    @property
    def is_tracked(self) -> bool:
        return self.reason is None


class Tracker:
    """Answers which open task tracks a TODO, over every plan, in plan order."""

    def __init__(self, plans: Sequence[Plan]) -> None:
        self.plans = list(plans)
        self._by_id: dict[str, list[tuple[Plan, Task]]] = {}
        for plan in self.plans:
            for identifier, tasks in plan.tasks_by_id().items():
                self._by_id.setdefault(identifier, []).extend((plan, task) for task in tasks)
        # The open tasks' words, one per line: one substring search finds the first match.
        self._open: list[tuple[Plan, Task]] = []
        self._offsets: list[int] = []
        self._words: list[str] = []
        self._size = 0
        self._joined = ""
        for plan in self.plans:
            for task in plan.tasks:
                if task.is_open:
                    self.add(plan, task)

    def add(self, plan: Plan, task: Task, words: str | None = None) -> None:
        """Count one more open task, such as one that `todos --fix` has just appended."""
        padded = f" {task_words(task) if words is None else words} "
        self._offsets.append(self._size)
        self._size += len(padded) + 1
        self._open.append((plan, task))
        self._words.append(padded)
        self._joined = ""

    def _find(self, words: str, path: str) -> tuple[Plan, Task] | None:
        """The first open task whose words contain `words` and that is specific to them."""
        if not self._joined and self._words:
            self._joined = "\n".join(self._words)
        needle = f" {words} "
        found = self._joined.find(needle)
        while found >= 0:
            index = bisect_right(self._offsets, found) - 1
            plan, task = self._open[index]
            if is_specific(words, task, path):
                return plan, task
            # The next task's words start after this one's line.
            found = self._joined.find(needle, self._offsets[index] + len(self._words[index]))
        return None

    def track(self, todo: Todo) -> Tracking:
        if todo.suppressed:
            return Tracking(None)
        reference = todo.reference
        if reference is not None:
            defining = [
                (plan, task)
                for plan, task in self._by_id.get(reference.id, [])
                if reference.plan is None or reference.plan in (plan.name, plan.folder)
            ]
            if not defining:
                return Tracking("unknown-id")
            for plan, task in defining:
                if task.is_open:
                    return Tracking(None, plan, task)
            return Tracking("done", *defining[0])
        words = normalize(todo.text)
        if words:
            found = self._find(words, todo.path)
            if found is not None:
                return Tracking(None, *found)
        return Tracking("untracked")


def is_tracked(todo: Todo, plans: Sequence[Plan]) -> bool:
    return Tracker(plans).track(todo).is_tracked
