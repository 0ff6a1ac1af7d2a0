"""TODO comments: tags as words, references to tasks, and the TODOs of a set of files."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from plankeeper.config import role_of
from plankeeper.globs import Glob, QuickFilter, matches_any, may_match, quick_filter
from plankeeper.plans.plan import parse_id
from plankeeper.text import decode
from plankeeper.todos.languages import BY_SHEBANG, may_hold_comments, syntax_for

if TYPE_CHECKING:
    from plankeeper.config import Config


class Reference(NamedTuple):
    """A task id a TODO names, `plan` being the plan qualifier of `001-auth/T014`."""

    id: str
    plan: str | None = None

    def __str__(self) -> str:
        return f"{self.plan}/{self.id}" if self.plan else self.id


class Todo(NamedTuple):
    """One tagged comment line; `text` is as written after the tag and any `(...)` part."""

    path: str
    line: int
    column: int
    tag: str
    text: str
    reference: Reference | None = None
    note: str = ""  # the parenthesized or bracketed part with its brackets, as written
    suppressed: bool = False  # the line says `plankeeper: ignore`

    @property
    def label(self) -> str:
        return self.tag + self.note


_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_NOTE = re.compile(r"\(([^()\n]*)\)|\[([^\[\]\n]*)\]")
_LEAD = " \t:-,;.>"
# What may follow a tag that stands alone (besides whitespace and the comment's end).
_AFTER = frozenset(":([,.!?;")
# The rest of a comment opener (`///`, `//!`, `/**`, `;;`, `##`) before the comment's text.
_MARKERS = "/*!#;-%"
# Inline suppression, in the form of `# type: ignore` and `# pyright: ignore`.
_IGNORE = re.compile(r"(?<![\w-])plankeeper:\s*ignore(?![\w-])", re.IGNORECASE)
_OPENERS = "#/;-*(<!"


@lru_cache(maxsize=8)
def _tag_patterns(tags: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[bytes]]:
    """The tags, each followed by no word character; `find_tags` checks the one before.

    Tags are validated as `[A-Z][A-Z0-9_]*` by the configuration, so joining them is safe.
    A pattern that starts with the words themselves lets `re` scan for their first letters;
    a lookbehind in front would be tried at every position.
    """
    words = "|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True))
    text = rf"(?:{words})(?![A-Za-z0-9_])"
    return re.compile(text), re.compile(text.encode("ascii"))


def find_tags(text: str, tags: Sequence[str]) -> list[re.Match[str]]:
    """Tags as whole words, as `git grep -w` sees words (ASCII letters, digits and `_`)."""
    return _whole_words(text, _tag_patterns(tuple(tags))[0])


def _whole_words(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [
        match
        for match in pattern.finditer(text)
        if not match.start() or text[match.start() - 1] not in _WORD_CHARS
    ]


def stands_alone(text: str, match: re.Match[str], begin: int, stop: int) -> bool:
    """A tag preceded by the comment text's start or whitespace, followed by its end,
    whitespace or `: ( [ , . ! ? ;` (`+49-555-XXX-XXXX` and `(XXX bug)` are no TODOs)."""
    start, end = match.span()
    if start > begin and not text[start - 1].isspace() and text[begin:start].strip(_MARKERS):
        return False
    return end >= stop or text[end].isspace() or text[end] in _AFTER


def parse_reference(note: str) -> Reference | None:
    """`T001`, `#AUTH-12`, `001-auth/T014`; None when the note is no id (`alice`)."""
    value = note.strip()
    qualifier, _, word = value.rpartition("/")
    word = word.strip().lstrip("#")
    if not word or " " in word:
        return None
    identifier, rest = parse_id(word)
    if identifier is None or rest:
        return None
    # `specs/001-auth/T014` names the plan by its last folder or file name.
    qualifier = qualifier.strip().rsplit("/", 1)[-1]
    if " " in qualifier:
        return None
    return Reference(identifier, qualifier or None)


def scan(path: str, data: bytes, tags: Sequence[str]) -> list[Todo]:
    """Every TODO in the comments of a file; none for binary files and unknown languages."""
    syntax = syntax_for(path, data[:256])
    if syntax is None or b"\0" in data:
        return []
    # A whole tree scans thousands of files, most of them to find nothing: the cheap
    # tests first, each computed once.
    in_text, in_bytes = _tag_patterns(tuple(tags))
    if not in_bytes.search(data):
        return []
    text = decode(data)
    found = _whole_words(text, in_text)
    if not found:
        return []
    starts = [match.start() for match in found]
    if not may_hold_comments(syntax, text, starts):
        return []
    todos: list[Todo] = []
    index = 0
    line, counted = 1, 0
    last_line = 0
    for begin, stop in syntax.comments(text, starts):
        while index < len(found) and found[index].start() < begin:
            index += 1
        while index < len(found) and found[index].end() <= stop:
            match = found[index]
            index += 1
            if not stands_alone(text, match, begin, stop):
                continue
            line += text.count("\n", counted, match.start())
            counted = match.start()
            if line == last_line:
                continue  # one per comment line: the first tag, the rest is its text
            last_line = line
            todos.append(_todo(path, text, match, stop, line))
        if index >= len(found):
            break
    return todos


def _todo(path: str, text: str, match: re.Match[str], stop: int, line: int) -> Todo:
    eol = text.find("\n", match.end(), stop)
    end = stop if eol < 0 else eol
    note_match = _NOTE.match(text, match.end(), end)
    note = ""
    reference = None
    after = match.end()
    if note_match is not None:
        note = note_match.group()
        reference = parse_reference(note[1:-1])
        after = note_match.end()
    written = text[after:end].strip().lstrip(_LEAD).strip()
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    ignore = _IGNORE.search(written)
    if ignore is not None:
        # `# TODO: x  # plankeeper: ignore`: the marker and its comment opener are no text.
        written = written[: ignore.start()].rstrip().rstrip(_OPENERS).rstrip()
    return Todo(path, line, column, match.group(), written, reference, note, ignore is not None)


# -- which files ------------------------------------------------------------------------------


def is_scanned(config: Config, path: str, role: Callable[[str], str | None] | None = None) -> bool:
    """Code of a known language: never plan, resume, handoff or config files, nor `exclude`.

    A file without an extension may be a script that names its language with `#!`.
    """
    return (
        (syntax_for(path) is not None or _by_shebang(path.rsplit("/", 1)[-1]))
        and not _matches(config.todo_exclude, path)
        and not _matches(config.todo_vendored, path)
        and (role_of(config, path) if role is None else role(path)) is None
    )


def _matches(globs: tuple[Glob, ...], path: str) -> bool:
    """`matches_any`, with most paths of a tree turned away by the globs' literal folders."""
    if not globs:
        return False
    quick = _quick_filter(globs)
    return (quick is None or may_match(quick, path)) and matches_any(globs, path)


@lru_cache(maxsize=16)
def _quick_filter(globs: tuple[Glob, ...]) -> QuickFilter | None:
    return quick_filter(globs)


def _by_shebang(name: str) -> bool:
    _, dot, extension = name.rpartition(".")
    return not dot or extension.lower() in BY_SHEBANG


LINGUIST = ("linguist-vendored", "linguist-generated")


def is_marked_vendored(attributes: Mapping[str, str]) -> bool:
    """GitHub's convention: `linguist-vendored` or `linguist-generated` set (or `true`)."""
    return any(attributes.get(name) in ("set", "true") for name in LINGUIST)


def by_place(todo: Todo) -> tuple[str, int, int]:
    """The order TODOs are reported in: path, line, column."""
    return todo.path, todo.line, todo.column


def scan_all(config: Config, paths: Sequence[str], contents: Mapping[str, bytes]) -> list[Todo]:
    """The TODOs of `paths` whose contents are given, in path and line order."""
    todos: list[Todo] = []
    for path in paths:
        data = contents.get(path)
        if data is not None:
            todos.extend(scan(path, data, config.todo_tags))
    return sorted(todos, key=by_place)
