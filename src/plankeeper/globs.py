"""Gitignore-style globs over repo-relative POSIX paths, matched without regular expressions.

User globs are never compiled into a regular expression: a hostile pattern cannot make
matching slow (both matchers below are linear in pattern times path).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple


def _match_class(pattern: str, index: int, char: str) -> tuple[bool, int] | None:
    """Match `char` against the `[...]` class at `pattern[index]`; None if unterminated."""
    i = index + 1
    negate = i < len(pattern) and pattern[i] in "!^"
    if negate:
        i += 1
    matched = False
    first = True
    while i < len(pattern) and (first or pattern[i] != "]"):
        first = False
        low = pattern[i]
        if i + 2 < len(pattern) and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            matched = matched or low <= char <= pattern[i + 2]
            i += 3
        else:
            matched = matched or low == char
            i += 1
    if i >= len(pattern):
        return None
    return matched != negate, i + 1


def match_segment(pattern: str, name: str) -> bool:
    """Match one path segment against `*`, `?` and `[...]` (greedy with one backtrack point)."""
    p = n = 0
    star_p = star_n = -1
    while n < len(name):
        if p < len(pattern):
            char = pattern[p]
            if char == "*":
                star_p, star_n = p, n
                p += 1
                continue
            if char == "?":
                p += 1
                n += 1
                continue
            if char == "[":
                result = _match_class(pattern, p, name[n])
                if result is not None:
                    ok, after = result
                    if ok:
                        p = after
                        n += 1
                        continue
                elif name[n] == "[":
                    p += 1
                    n += 1
                    continue
            elif char == "\\" and p + 1 < len(pattern):
                if pattern[p + 1] == name[n]:
                    p += 2
                    n += 1
                    continue
            elif char == name[n]:
                p += 1
                n += 1
                continue
        if star_p >= 0:
            p = star_p + 1
            star_n += 1
            n = star_n
            continue
        return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _match_segments(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    # Dynamic programming over (pattern segment, path segment): `**` matches zero or more.
    reachable = [False] * (len(path) + 1)
    reachable[0] = True
    for segment in pattern:
        if segment == "**":
            seen = False
            for j in range(len(path) + 1):
                seen = seen or reachable[j]
                reachable[j] = seen
        else:
            for j in range(len(path), 0, -1):
                reachable[j] = reachable[j - 1] and match_segment(segment, path[j - 1])
            reachable[0] = False
    return reachable[len(path)]


class Glob(NamedTuple):
    """One glob, anchored at the repository root; `**/` spans folders, `dir/` covers a folder."""

    pattern: str
    ignore_case: bool = False

    @property
    def segments(self) -> tuple[str, ...]:
        return _segments(self.pattern, self.ignore_case)

    def matches(self, path: str) -> bool:
        if self.ignore_case:
            path = path.lower()
        first, inner = _required(self.pattern, self.ignore_case)
        # The cheap, exact pre-check first: a whole-tree run asks this of every file.
        if first is not None and not (path.startswith(first) or path == first[:-1]):
            return False
        if inner:
            wrapped = f"/{path}/"
            if not all(segment in wrapped for segment in inner):
                return False
        parts = tuple(path.split("/"))
        segments = self.segments
        if _match_segments(segments, parts):
            return True
        # A folder pattern (`src/auth/`) or any match of a parent covers what is below it.
        return any(_match_segments(segments, parts[:i]) for i in range(1, len(parts)))


@lru_cache(maxsize=1024)
def _segments(pattern: str, ignore_case: bool) -> tuple[str, ...]:
    text = pattern.lower() if ignore_case else pattern
    if text.startswith("./"):
        text = text[2:]
    return tuple(segment for segment in text.split("/") if segment)


@lru_cache(maxsize=1024)
def _required(pattern: str, ignore_case: bool) -> tuple[str | None, tuple[str, ...]]:
    """Whole segments that every path the glob matches holds: `first/` as its start, `/x/` in it.

    A segment without wildcards matches only itself, and each pattern segment but `**`
    takes exactly one path segment, so a path lacking one can never match (nor a parent).
    """
    segments = _segments(pattern, ignore_case)
    literal = [s for s in segments if s != "**" and not _WILDCARDS.intersection(s)]
    first = f"{segments[0]}/" if segments and segments[0] in literal[:1] else None
    inner = literal[1:] if first is not None else literal
    return first, tuple(f"/{segment}/" for segment in inner)


_WILDCARDS = frozenset("*?[\\")


def literal_folder(glob: Glob) -> str:
    """The leading segments without wildcards, as a folder every match lies under ("" if
    none): `src/mod/*.py` gives `src/mod`. Lower case for a glob that ignores case."""
    segments = glob.segments
    literal: list[str] = []
    for segment in segments[:-1]:
        if segment == "**" or _WILDCARDS.intersection(segment):
            break
        literal.append(segment)
    return "/".join(literal)


# Lower-case `first/` prefixes, and whole segment names one of which a path must hold.
QuickFilter = tuple[tuple[str, ...], frozenset[str]]


def quick_filter(globs: Iterable[Glob]) -> QuickFilter | None:
    """Lower-case `first/` prefixes and segment names, one of which every match holds.

    None when a glob has no literal segment (`*.md`): then any path may match.
    """
    prefixes: list[str] = []
    segments: list[str] = []
    for glob in globs:
        first, inner = _required(glob.pattern, glob.ignore_case)
        if first is not None:
            prefixes.append(first.lower())
        elif inner:
            segments.append(inner[0].strip("/").lower())
        else:
            return None
    return tuple(prefixes), frozenset(segments)


def may_match(quick: QuickFilter, path: str) -> bool:
    """False only when no glob of the filter can match `path`."""
    prefixes, segments = quick
    lower = path.lower()
    if f"{lower}/".startswith(prefixes):
        return True
    # One set operation for every segment of the path: a whole tree asks this of each file.
    return bool(segments) and not segments.isdisjoint(lower.split("/"))


def matches_any(globs: Iterable[Glob], path: str) -> bool:
    return any(glob.matches(path) for glob in globs)
