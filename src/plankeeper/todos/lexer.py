"""The lexer engine: tokens with actions that skip strings and return comment spans.

The scanner is a small lexer per language family (languages.py). Each token that can
open a comment or a string has a regular expression and an action; the action skips a
string, or returns the span of a comment. Only files that hold a tag are lexed, and
within a file only as far as needed (see `Syntax.comments`), so the cost follows the
TODOs, not the repository.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator, Sequence
from functools import cache
from typing import NamedTuple

# An action gets the text and the opener's span; it returns where lexing resumes and the
# span of the comment it found, if any (or the spans of several, from a nested block).
Span = tuple[int, int]
Found = Span | list[Span] | None
Action = Callable[[str, int, int], tuple[int, Found]]


# -- actions ---------------------------------------------------------------------------------


def line_comment(text: str, start: int, end: int) -> tuple[int, Span | None]:
    eol = text.find("\n", end)
    eol = len(text) if eol < 0 else eol
    return eol, (end, eol)


def continued_line_comment(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A line comment that a backslash at the end of its line continues (C, Make)."""
    eol = text.find("\n", end)
    while eol > 0 and text[eol - 1 - (text[eol - 1] == "\r")] == "\\":
        eol = text.find("\n", eol + 1)
    eol = len(text) if eol < 0 else eol
    return eol, (end, eol)


def first_on_line(text: str, start: int) -> bool:
    """Only blanks before `start` on its line; looks back over the blanks only, so a long
    line with many openers costs no more than its length."""
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] == "\n"


def at_line_start(action: Action) -> Action:
    """`action` for an opener that only counts first on its line (`#` in a Dockerfile)."""

    def checked(text: str, start: int, end: int) -> tuple[int, Found]:
        if not first_on_line(text, start):
            return end, None
        return action(text, start, end)

    return checked


def at_column_zero(action: Action) -> Action:
    """`action` for an opener that counts only in a line's first column (Ruby's `=begin`)."""

    def checked(text: str, start: int, end: int) -> tuple[int, Found]:
        if start > 0 and text[start - 1] != "\n":
            return end, None
        return action(text, start, end)

    return checked


def block_lines(close: str) -> Action:
    """A block comment from its opener line to a line starting with `close` (`=begin`)."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        found = regex(rf"^{re.escape(close)}\b[^\n]*").search(text, end)
        if found is None:
            return len(text), (end, len(text))
        return found.end(), (end, found.start())

    return action


def block_comment(close: str, nested_open: str | None = None) -> Action:
    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        if nested_open is None:
            found = text.find(close, end)
            stop = len(text) if found < 0 else found
            return (len(text) if found < 0 else found + len(close)), (end, stop)
        depth, position = 1, end
        while depth:
            found = text.find(close, position)
            if found < 0:
                return len(text), (end, len(text))
            inner = text.find(nested_open, position, found)
            if inner >= 0:
                depth += 1
                position = inner + len(nested_open)
            else:
                depth -= 1
                position = found + len(close)
        return position, (end, position - len(close))

    return action


def string(body: str) -> Action:
    """A string whose rest (content and closer) `body` matches; unterminated: where it stops."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        match = regex(body).match(text, end)
        return (match.end() if match else end), None

    return action


@cache
def regex(body: str) -> re.Pattern[str]:
    # Compiled on first use: the hook imports this module on every commit.
    return re.compile(body, re.M)


def quoted(quote: str, *, multiline: bool = False, escapes: bool = True) -> Action:
    """A string closed by `quote`, with backslash escapes or, without, doubled quotes."""
    q = re.escape(quote)
    newline = "" if multiline else r"\n"
    if escapes:
        return string(rf"[^{q}\\{newline}]*(?:\\[\s\S][^{q}\\{newline}]*)*{q}?")
    return string(rf"[^{q}{newline}]*(?:{q}{q}[^{q}{newline}]*)*{q}?")


def triple(quote: str) -> Action:
    """A triple-quoted string with backslash escapes."""
    q = re.escape(quote)
    return string(rf"[^{q}\\]*(?:(?:\\[\s\S]|{q}(?!{q}{q}))[^{q}\\]*)*(?:{q}{{3}}|\Z)")


def until(close: str) -> Action:
    """A string that runs to `close` (or the end of the file)."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        found = text.find(close, end)
        return (len(text) if found < 0 else found + len(close)), None

    return action


def skip(text: str, start: int, end: int) -> tuple[int, Span | None]:
    return end, None


def to_end(text: str, start: int, end: int) -> tuple[int, Span | None]:
    return len(text), None


def dynamic(close_of: Callable[[str], str], *, comment: bool = False) -> Action:
    """A string or comment whose closer depends on its opener (`r##"`, `[==[`, `R"x(`)."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        close = close_of(text[start:end])
        found = text.find(close, end)
        stop = len(text) if found < 0 else found
        return (len(text) if found < 0 else found + len(close)), ((end, stop) if comment else None)

    return action


def not_after_word(action: Action, otherwise: Action) -> Action:
    """`action` for a prefixed opener (`r"`, `R"(`); after a word it is `otherwise` at `"`."""

    def checked(text: str, start: int, end: int) -> tuple[int, Found]:
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            quote = text.index('"', start)
            return otherwise(text, quote, quote + 1)
        return action(text, start, end)

    return checked


# -- tokens ----------------------------------------------------------------------------------


class Embedded(NamedTuple):
    """A block in another language up to its closing tag (`<script>` in HTML), lexed by
    the language that `language` picks from the opening tag (None: nothing to lex)."""

    close: re.Pattern[str]
    language: Callable[[str], Syntax | None]


Token = tuple[str, "Action | Embedded", str]


def first_char(regex: str) -> str:
    """The character a token's regex starts with, after any lookbehinds."""
    index = 0
    while regex.startswith(("(?<!", "(?<="), index):
        depth, in_class = 0, False
        while True:
            char = regex[index]
            if char == "\\":
                index += 2
                continue
            if in_class:
                in_class = char != "]"
            elif char == "[":
                in_class = True
                index += 2 if regex.startswith("[^", index) else 1
                continue
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    index += 1
                    break
            index += 1
    char = regex[index]
    if char == "\\":
        return regex[index + 1]
    assert char not in ".^$*+?{}[]|()", regex
    return char


def token(regex: str, action: Action | Embedded, first: str | None = None) -> Token:
    return regex, action, first_char(regex) if first is None else first


class Syntax(NamedTuple):
    """The comment and string tokens of a language family.

    `spans_lines` finds every opener of a token that can run over a line end (`/*`,
    three quotes, a backslash before a newline); "" when no token can.
    """

    name: str
    tokens: tuple[Token, ...]
    spans_lines: str = ""

    def comments(self, text: str, tags: Sequence[int]) -> Iterator[Span]:
        """Spans of the comments that may hold the tags at `tags` (sorted offsets), in order.

        Lexing starts at the top, where the state is known. Once past the last opener of a
        token that can span lines, every line starts in code: from there on only the lines
        that hold a tag are lexed, so a long file with one TODO near its end costs little.
        """
        starts, pattern, spanning = _compile(self)
        actions = [token[1] for token in self.tokens]
        stop = tags[-1]
        boundary = -1
        if spanning is not None:
            for opener in spanning.finditer(text, 0, stop):
                boundary = opener.end()
        position = 0
        limit = len(text)
        line_end = -1
        for tag in (-1, *tags):
            if tag >= 0:
                # After the boundary: lex the tag's line only, from its start.
                if tag < position or tag <= line_end:
                    continue
                position = max(position, text.rfind("\n", 0, tag) + 1)
                line_end = text.find("\n", tag)
                limit = len(text) if line_end < 0 else line_end
            while position < limit:
                start = starts.search(text, position, limit)
                if start is None:
                    break
                match = pattern.match(text, start.start())
                if match is None:
                    position = start.end()
                    continue
                if tag < 0 and match.start() > stop:
                    return
                action = actions[match.lastindex - 1]  # type: ignore[operator]
                if isinstance(action, Embedded):
                    position = yield from _embedded(action, text, match, tags)
                else:
                    position, found = action(text, match.start(), match.end())
                    if isinstance(found, list):
                        yield from found
                    elif found is not None:
                        yield found
                if tag < 0 and position > boundary:
                    break


# The end of a nested block (`?>` closing PHP code): `lex` stops after its token.
CLOSE: Span = (-1, -1)
# Nested blocks deeper than this (`${`${`${…`) are read as one string to the end.
_MAX_DEPTH = 64
_depth = [0]


def close(text: str, start: int, end: int) -> tuple[int, Span]:
    return end, CLOSE


def lex(
    syntax: Syntax, text: str, position: int, limit: int = -1, *, nest: str = ""
) -> tuple[int, list[Span]]:
    """Every comment from `position` on, in one pass with no shortcut; returns where lexing
    stopped: at `limit` (no token starts at or after it; -1: the end), after a `close`
    token, or with `nest` (a pair such as "{}"), after the bracket that closes the
    block (`${ … }` in a template, `$( … )` in a shell string)."""
    if _depth[0] >= _MAX_DEPTH:
        return len(text), []
    _depth[0] += 1
    try:
        return _lex(syntax, text, position, len(text) if limit < 0 else limit, nest)
    finally:
        _depth[0] -= 1


def _lex(syntax: Syntax, text: str, position: int, limit: int, nest: str) -> tuple[int, list[Span]]:
    starts, pattern, _ = _compile(syntax)
    if nest:
        starts = _with_brackets(starts, nest)
    actions = [token[1] for token in syntax.tokens]
    spans: list[Span] = []
    depth = 0
    while True:
        start = starts.search(text, position, limit)
        if start is None:
            return max(position, limit), spans
        char = start.group()
        if nest and char in nest:
            position = start.end()
            if char == nest[0]:
                depth += 1
            elif depth:
                depth -= 1
            else:
                return position, spans
            continue
        match = pattern.match(text, start.start())
        if match is None:
            position = start.end()
            continue
        action = actions[match.lastindex - 1]  # type: ignore[operator]
        assert not isinstance(action, Embedded), syntax.name
        position, found = action(text, match.start(), match.end())
        if found is CLOSE:
            return position, spans
        if isinstance(found, list):
            spans.extend(found)
        elif found is not None:
            spans.append(found)


@cache
def _with_brackets(starts: re.Pattern[str], nest: str) -> re.Pattern[str]:
    return re.compile(starts.pattern[:-1] + re.escape(nest) + "]")


def _embedded(
    block: Embedded, text: str, opener: re.Match[str], tags: Sequence[int]
) -> Generator[Span, None, int]:
    """The comments of an embedded block, lexed by its own language; returns where the
    block ends. An opener that no closing tag follows is taken for text."""
    close = block.close.search(text, opener.end())
    if close is None:
        return opener.end()
    language = block.language(opener.group())
    inner = [tag - opener.end() for tag in tags if opener.end() <= tag < close.start()]
    if language is not None and inner:
        body = text[opener.end() : close.start()]
        for begin, end in language.comments(body, inner):
            yield begin + opener.end(), end + opener.end()
    return close.end()


@cache
def _compile(syntax: Syntax) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None]:
    """A class of the characters that start tokens, the tokens' alternation, the spanners.

    Searching for the class is fast (a plain character scan); the alternation is then only
    tried where a token can start.
    """
    firsts = "".join(sorted({token[2] for token in syntax.tokens}))
    starts = re.compile(f"[{re.escape(firsts)}]")
    pattern = re.compile("|".join(f"({token[0]})" for token in syntax.tokens), re.M)
    # The action of a match is found by its group number: no token may add a group.
    assert pattern.groups == len(syntax.tokens), syntax.name
    spanning = re.compile(syntax.spans_lines, re.M) if syntax.spans_lines else None
    return starts, pattern, spanning
