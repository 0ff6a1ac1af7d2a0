"""Markdown block structure through marko, in linear time, with source lines.

marko is used to parse only (a user's file is never re-rendered). Two changes keep it
linear: inline parsing is skipped (plans need block structure only), and the link
reference definition rule, whose stock pattern scans to the next blank line on every
line that starts with `[` (quadratic on a long list of `[ ]` tasks), matches one char.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from marko.block import BlockElement, Document
    from marko.parser import Parser
    from marko.source import Source


def normalize_newlines(text: str) -> str:
    """The text as marko sees it: CRLF and CR become LF, form feed a space, NUL U+FFFD.

    A form feed would be a line break to marko; as a space, line numbers stay git's.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", " ").replace("\0", "\ufffd")


@lru_cache(maxsize=1)
def _parser() -> Parser:
    from marko import block
    from marko.parser import Parser

    class LinkRefDef(block.LinkRefDef):
        # Same rule as marko's: the tail of the stock pattern, `[\s\S]*?(?=\n\n|\Z)`,
        # always matches and only m.start(1) is used, so one bracket is equivalent.
        pattern = re.compile(r" {,3}(\[)")
        override = True

    parser = Parser()
    parser.add_element(LinkRefDef)
    return parser


@lru_cache(maxsize=1)
def _source_class() -> type[Source]:
    import marko.source

    compiled: dict[str, re.Pattern[str]] = {}

    class FastSource(marko.source.Source):
        """marko's Source with its per-line work memoized; behaviour is unchanged.

        marko tries every block rule on every line, and each try re-joins the
        container prefixes and re-reads the line: a large constant per line.
        """

        def __init__(self, text: str) -> None:
            self._prefix_cache: str | None = None
            self._line_cache: dict[int, re.Match[str] | None] = {}
            self._prefix_lengths: dict[tuple[int, str], int] = {}
            super().__init__(text)

        # marko's lazy-continuation rule assigns `_states` directly (block.py, Paragraph).
        @property
        def _states(self) -> list[BlockElement]:
            return self._state_list

        @_states.setter
        def _states(self, states: list[BlockElement]) -> None:
            self._prefix_cache = None
            self._state_list = states

        @property
        def prefix(self) -> str:
            if self._prefix_cache is None:
                self._prefix_cache = "".join(state._prefix for state in self._states)
            return self._prefix_cache

        def push_state(self, element: BlockElement) -> None:
            self._prefix_cache = None
            super().push_state(element)

        def pop_state(self) -> BlockElement:
            self._prefix_cache = None
            return super().pop_state()

        def _update_prefix(self) -> None:
            self._prefix_cache = None
            super()._update_prefix()

        def expect_re(self, regexp: re.Pattern[str] | str) -> re.Match[str] | None:
            key = (self.pos, self.prefix)
            prefix_length = self._prefix_lengths.get(key)
            if prefix_length is None:
                line = self.next_line(require_prefix=False)
                prefix_length = self._prefix_lengths[key] = self.match_prefix(key[1], line)
            if prefix_length < 0:
                self.match = self._expect_re(_WHOLE_LINE, self.pos)
                return None
            match = self._expect_re(regexp, self.pos + prefix_length)
            self.match = match
            return match

        def _expect_re(self, regexp: re.Pattern[str] | str, pos: int) -> re.Match[str] | None:
            if isinstance(regexp, str):
                if regexp == _WHOLE_LINE:
                    if pos not in self._line_cache:
                        self._line_cache[pos] = _WHOLE_LINE_RE.match(self._buffer, pos)
                    return self._line_cache[pos]
                pattern = compiled.get(regexp)
                if pattern is None:
                    pattern = compiled[regexp] = re.compile(regexp)
                regexp = pattern
            return regexp.match(self._buffer, pos)

    return FastSource


# The pattern marko's Source uses to read the rest of a line (source.py, next_line).
_WHOLE_LINE = r"(?m)[^\n]*$\n?"
_WHOLE_LINE_RE = re.compile(_WHOLE_LINE)


def parse_blocks(text: str) -> Document:
    """Parse block structure only; `text` must already be `normalize_newlines`-ed."""
    parser = _parser()
    source = _source_class()(text)
    source.parser = parser
    document = cast("Document", parser.block_elements["Document"]())
    document.source_span = (0, len(text))
    with source.under_state(document):
        document.children = parser.parse_source(source)
    return document


@dataclass(frozen=True, slots=True)
class Block:
    """A block element with its kind, 1-based first line and nesting of list items."""

    kind: str
    line: int
    start: int
    end: int
    element: Any
    depth: int


class Lines:
    """Offsets to 1-based line numbers, and lines by number, for a normalized text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def line(self, number: int) -> str:
        start = self._starts[number - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def __len__(self) -> int:
        return len(self._starts)


def walk(document: BlockElement, lines: Lines) -> Iterator[Block]:
    """Every block element in document order; list items carry their list-item depth."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        element, depth = stack.pop()
        kind = type(element).__name__
        span = element.source_span or (0, 0)
        if element is not document:
            yield Block(kind, lines.line_of(span[0]), span[0], span[1], element, depth)
        if kind in ("FencedCode", "CodeBlock", "HTMLBlock"):
            continue
        children = getattr(element, "children", None)
        if isinstance(children, list):
            child_depth = depth + 1 if kind == "ListItem" else depth
            stack.extend(
                (child, child_depth)
                for child in reversed(children)
                if hasattr(child, "source_span")
            )
