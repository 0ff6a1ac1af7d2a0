"""The TODO baseline: known TODOs, keyed by content, that are not findings (SPEC § Changes).

One entry a line, `path<TAB>TAG<TAB>count<TAB>normalized text`, sorted. No line numbers:
moving or editing the code around a legacy TODO keeps it known, changing its text makes
it new. Sorted lines of content merge cleanly with `merge=union` in `.gitattributes`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from plankeeper.errors import PlankeeperError
from plankeeper.todos.scan import Todo
from plankeeper.todos.tracking import normalize

HEADER = (
    "# plankeeper baseline: TODOs that existed when `plankeeper baseline` wrote this file.\n"
    "# They are not findings; a new or changed TODO is. Run `plankeeper baseline` again\n"
    "# to drop the ones that are gone. path<TAB>tag<TAB>count<TAB>text, sorted.\n"
)
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


class Key(NamedTuple):
    """What identifies a TODO in the baseline: its file, its tag and its words."""

    path: str
    tag: str
    text: str


class Entry(NamedTuple):
    """One line of the baseline file: a key, how many such TODOs, and the line it is on."""

    key: Key
    times: int
    line: int = 0


def key_of(todo: Todo) -> Key:
    """The parenthesized part counts (`TODO(PEP612)`): it is part of what was written."""
    return Key(todo.path, todo.tag, normalize(f"{todo.note} {todo.text}"))


def build(todos: Iterable[Todo]) -> list[Entry]:
    """The entries of a baseline that holds `todos`, sorted, repeats counted."""
    counts = Counter(key_of(todo) for todo in todos)
    return [Entry(key, count) for key, count in sorted(counts.items())]


def _escape(path: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in path)


def _unescape(text: str) -> str:
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        out.append(_UNESCAPES.get(next(chars, "\\"), "\\") if char == "\\" else char)
    return "".join(out)


def format_entries(entries: Iterable[Entry]) -> bytes:
    lines = [
        f"{_escape(entry.key.path)}\t{entry.key.tag}\t{entry.times}\t{entry.key.text}\n"
        for entry in sorted(entries)
    ]
    return (HEADER + "".join(lines)).encode("utf-8", "surrogateescape")


def parse(data: bytes, shown: str) -> list[Entry]:
    """The entries of a baseline file; a key listed twice (a union merge) counts once, at most.

    Two branches that each changed a count both keep their line after a union merge:
    the larger count wins, so a TODO is never made new by a merge.
    """
    found: dict[Key, Entry] = {}
    text = data.decode("utf-8", "surrogateescape")
    # Lines end at LF (CRLF after a checkout that converts): a path's own LF and CR are
    # escaped, and its VT, FF, NEL or U+2028 are part of it, not line ends.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line or line[0] == "#" or line.isspace():
            continue
        parts = line.split("\t")
        if len(parts) != 4 or not parts[2].isdigit() or not parts[0] or not parts[1]:
            raise PlankeeperError(
                f"{shown}:{number}: not a baseline entry (path, tag, count, text separated "
                "by tabs): run `plankeeper baseline` to write the file again"
            )
        path, tag, times, words = parts
        key = Key(_unescape(path) if "\\" in path else path, tag, words)
        count = int(times)
        earlier = found.get(key)
        if earlier is None:
            found[key] = Entry(key, count, number)
        elif earlier.times < count:
            found[key] = Entry(key, count, earlier.line)
    # A dict keeps the order of first insertion: the order of the lines.
    return list(found.values())


class Baseline:
    """Matches TODOs against the entries, one entry count per TODO, in the order asked."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self._left = {entry.key: entry.times for entry in self.entries}
        self.paths = frozenset(entry.key.path for entry in self.entries)

    def absorbs(self, todo: Todo) -> bool:
        """True when the baseline still holds such a TODO; it then holds one less."""
        key = key_of(todo)
        left = self._left.get(key, 0)
        if left <= 0:
            return False
        self._left[key] = left - 1
        return True

    def stale(self, paths: Iterable[str] | None = None) -> list[tuple[Entry, int]]:
        """Entries (of `paths`, else all) that more TODOs matched than are left: how many."""
        wanted = None if paths is None else set(paths)
        return [
            (entry, self._left[entry.key])
            for entry in self.entries
            if self._left[entry.key] > 0 and (wanted is None or entry.key.path in wanted)
        ]


def stale_message(entry: Entry, gone: int) -> str:
    key = entry.key
    what = f"{key.tag} {key.text}".rstrip()
    amount = f"{gone} of {entry.times} are" if entry.times > 1 else "it is"
    return (
        f"baseline entry {what!r} of {key.path}: {amount} gone; "
        "run `plankeeper baseline` again to drop it"
    )
