"""Markdown block structure through marko, in linear time, with source lines.

marko is used to parse only (a user's file is never re-rendered). Two changes keep it
linear: inline parsing is skipped (plans need block structure only), and the link
reference definition rule, whose stock pattern scans to the next blank line on every
line that starts with `[` (quadratic on a long list of `[ ]` tasks), matches one char.
The rest cuts the constant per line with the same result as marko's rules: a line is
offered only to the rules its first character allows, per-line work is memoized, and a
list item that is one line of text is built without trying every rule on it. Most blocks
of a plan never reach marko: simple_blocks reads them line by line into the same elements,
and hands marko the top-level blocks it does not cover.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

if TYPE_CHECKING:
    from marko.block import BlockElement, ListItem
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

    class Paragraph(block.Paragraph):
        override = True

        def __init__(self, lines: list[str]) -> None:
            # marko's, less the map of inline positions, which only inline parsing reads.
            self.inline_body = "".join(line.lstrip() for line in lines).rstrip("\n")
            self._tight = False

        @classmethod
        def break_paragraph(cls, source: Source, lazy: bool = False) -> bool:
            # marko tries nine rules on every line of a paragraph; most lines start
            # with a character that none of them accepts.
            first = cast("Any", source).first_char()
            if first is None or first not in _BREAK_FIRST:
                return False
            if first in _BREAK_STOCK:
                return super().break_paragraph(source, lazy)
            # marko's order, less the blank line, fence, heading and quote rules, which
            # need a blank line or a first character of `~#>.
            elements = source.parser.block_elements
            saved = source.match
            try:
                if (
                    lazy
                    and isinstance(source.state, block.List)
                    and elements["ListItem"].match(source)
                ):
                    return True
                if first in _LIST_FIRST and elements["List"].match(source):
                    item = cast("type[block.ListItem]", elements["ListItem"])
                    leading = item.parse_leading(source.next_line().rstrip(), 0)
                    if lazy or ((leading[1][:-1] == "1" or leading[1] in "*-+") and leading[3]):
                        return True
                if first == "<":
                    html_type = elements["HTMLBlock"].match(source)
                    if html_type and html_type != 7:
                        return True
                if first in "-_*" and elements["ThematicBreak"].match(source):
                    return lazy or not cls.is_setext_heading(source.next_line())
                return False
            finally:
                source.match = saved

    class ListItem(block.ListItem):
        override = True

        @classmethod
        def match(cls, source: Source) -> bool:
            # A list asks at every item, and so does the lazy continuation of the
            # paragraph above it: the same question twice.
            memo = cast("Any", source).item_memo
            key = (source.pos, source.prefix, source.state)
            found = memo.get(key)
            if found is None:
                matched = super().match(source)
                info = source.context.list_item_info if matched else None
                found = memo[key] = (matched, info, source.match)
            elif found[0]:
                source.context.list_item_info = found[1]
            source.match = found[2]
            return bool(found[0])

        @classmethod
        def parse(cls, source: Source) -> block.ListItem:
            item = _one_line_item(cls, source, elements=source.parser.block_elements)
            return item if item is not None else super().parse(source)

    class FastParser(Parser):
        """marko's Parser that tries only the rules that can match a line's first character."""

        def __init__(self) -> None:
            super().__init__()
            self._elements: list[type[BlockElement]] | None = None
            self._candidates: dict[str | None, list[type[BlockElement]]] = {}

        def _build_block_element_list(self) -> list[type[BlockElement]]:
            if self._elements is None:
                self._elements = super()._build_block_element_list()
            return self._elements

        def _candidates_at(self, source: Source) -> list[type[BlockElement]]:
            first = cast("Any", source).first_char()
            found = self._candidates.get(first)
            if found is None:
                elements = self._build_block_element_list()
                if first is None:
                    # No rule matches when the containers' prefix does not; the last one
                    # is still asked, for the state it leaves behind.
                    found = elements[-1:]
                else:
                    found = [
                        element for element in elements if _can_start(element.get_type(), first)
                    ]
                self._candidates[first] = found
            return found

        def parse_source(self, source: Source) -> list[BlockElement]:
            # marko's parse_source, with the rule list narrowed by _candidates_at.
            ast: list[BlockElement] = []
            while not source.exhausted:
                result = self.parse_block(source)
                if result is None:
                    break
                ast.append(result)
            return ast

        def parse_block(self, source: Source) -> BlockElement | None:
            """The block at the source's position: one turn of marko's parse_source."""
            start = source._current_pos
            for element_type in self._candidates_at(source):
                if element_type.match(source):
                    result = element_type.parse(source)
                    if not hasattr(result, "priority"):
                        # parse() may return what the element is built from.
                        result = cast("Any", element_type)(result)
                    if result.source_span is None:
                        result.source_span = (start, source.pos)
                    return cast("BlockElement", result)
            return None

    parser = FastParser()
    parser.add_element(LinkRefDef)
    parser.add_element(Paragraph)
    parser.add_element(ListItem)
    return parser


def _one_line_item(
    item_type: type[ListItem], source: Source, elements: dict[str, Any]
) -> ListItem | None:
    """A list item whose only content is a one-line paragraph, followed by the next item
    of its list or by the end: what marko builds for it, without trying every rule.

    None when the item is of any other shape (marko's ListItem.parse reads it then).
    Every condition below is one that marko's rules check; the result, the position and
    the state stack are the ones marko leaves behind.
    """
    fast = cast("Any", source)
    info = source.context.list_item_info
    states = source._states
    if any(getattr(state, "_second_prefix", state._prefix) != state._prefix for state in states):
        return None  # a container opened on this line: its prefix is about to change
    parents = _literal(source.prefix)
    buffer = source._buffer
    end = buffer.find("\n", source.pos)
    end = len(buffer) if end < 0 else end + 1
    line = buffer[source.pos : end]
    if parents is None or "\t" in line or not line.startswith(parents):
        return None
    first_prefix = " " * info.indent + info.bullet + " " * info.mid
    start = source.pos + len(parents) + len(first_prefix)
    if not buffer.startswith(first_prefix, source.pos + len(parents)):
        return None
    first = buffer[start : start + 1]
    # Only a paragraph can start here: no rule's first character (a backtick or tilde
    # only as a fence of three), no indented code.
    if first in "`~":
        if buffer.startswith(first * 3, start):
            return None
    elif not first.strip() or any(first in chars for chars in _FIRST_CHARACTERS.values()):
        return None
    if end < len(buffer):
        following = buffer[end : buffer.find("\n", end) + 1 or len(buffer)]
        second_prefix = " " * (len(info.bullet) + info.indent + (info.mid or 1))
        # The next line must leave the item (no continuation, no blank line) and start
        # the next item of the list: marko's lazy-continuation check ends the paragraph.
        if fast.match_prefix(parents + second_prefix, following) >= 0:
            return None
        if fast.match_prefix(parents, following) < 0:
            return None
        saved = (source.pos, source.match)
        source.pos = end
        is_next_item = elements["ListItem"].match(source)
        source.pos, source.match = saved
        source.context.list_item_info = info
        if not is_next_item:
            return None
    item = item_type(info)
    item._prefix = item._second_prefix
    from marko.block import _ParsedLines

    lines = _ParsedLines([buffer[start:end]], [start])
    paragraph = elements["Paragraph"](lines)
    paragraph.source_span = (start, end)
    item.children = [paragraph]
    source.pos = end
    return item


# The first character (after spaces and tabs) that each rule's pattern needs; "" stands
# for a blank line. Rules not named here (indented code, paragraph) are always tried.
_FIRST_CHARACTERS = {
    "ThematicBreak": "-_*",
    "FencedCode": "`~",
    "Heading": "#",
    "Quote": ">",
    "List": "-+*0123456789",
    "HTMLBlock": "<",
    "LinkRefDef": "[",
}
_LIST_FIRST = "-+*0123456789"
# What may break a paragraph: a blank line ("") or these; _BREAK_STOCK goes to marko's rule.
_BREAK_FIRST = frozenset(["", *"`~#>-_*+<0123456789"])
_BREAK_STOCK = frozenset(["", *"`~#>"])


def _can_start(rule: str, first: str) -> bool:
    if rule == "BlankLine":
        return first == ""
    characters = _FIRST_CHARACTERS.get(rule)
    return characters is None or (first != "" and first in characters)


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
            self.item_memo: dict[tuple[int, str, BlockElement], tuple[bool, Any, Any]] = {}
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

        @staticmethod
        def match_prefix(prefix: str, line: str) -> int:  # type: ignore[override]
            # marko's rule, read directly when the prefix is a plain string (list-item
            # indentation and bullets, `re.escape`d) and the line has no tab. marko pads
            # a line's end with 99 spaces, so a short or blank line may match too.
            literal = _literal(prefix)
            if literal is None or "\t" in line:
                return marko.source.Source.match_prefix(prefix, line)
            if line.startswith(literal):
                return len(literal)
            body = line[:-1]
            if (
                line.endswith("\n")
                and literal.startswith(body)
                and len(literal) - len(body) <= 99
                and not literal[len(body) :].strip(" ")
            ):
                return len(line) - 1
            return -1

        def _prefix_length(self) -> int:
            prefix = self._prefix_cache
            if prefix is None:
                prefix = self.prefix
            if not prefix:
                # Outside every container (most lines of a plan): the empty pattern
                # matches at the start of any line.
                return 0
            key = (self.pos, prefix)
            prefix_length = self._prefix_lengths.get(key)
            if prefix_length is None:
                line = self._expect_re(_WHOLE_LINE, self.pos)
                assert line is not None  # the pattern matches the empty string
                prefix_length = self._prefix_lengths[key] = self.match_prefix(prefix, line.group())
            return prefix_length

        @property
        def _current_pos(self) -> int:
            return self.pos + max(self._prefix_length(), 0)

        def first_char(self) -> str | None:
            """The line's first character after the prefix, spaces and tabs; "" for a
            blank line, None when the containers' prefix does not match."""
            prefix_length = self._prefix_length()
            if prefix_length < 0:
                return None
            start = self.pos + prefix_length
            end = self._buffer.find("\n", start)
            rest = self._buffer[start : len(self._buffer) if end < 0 else end]
            if not rest.strip():
                return ""
            return rest.lstrip(" \t")[:1]

        def expect_re(self, regexp: re.Pattern[str] | str) -> re.Match[str] | None:
            prefix_length = self._prefix_length()
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


@lru_cache(maxsize=256)
def _literal(prefix: str) -> str | None:
    """The string a container prefix pattern matches when it matches only that one."""
    if _LITERAL_PREFIX.fullmatch(prefix) is None:
        return None
    return prefix.replace("\\", "")


# Spaces, digits and `re.escape`d bullets: what list items put in the prefix.
_LITERAL_PREFIX = re.compile(r"(?: |[0-9]|\\[-*+.)])*")

# The pattern marko's Source uses to read the rest of a line (source.py, next_line).
_WHOLE_LINE = r"(?m)[^\n]*$\n?"
_WHOLE_LINE_RE = re.compile(_WHOLE_LINE)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector held off: a parse allocates a few objects per line
    and keeps them, and CPython would rescan them all again and again as they grow (a
    quarter of a short-line plan's parse time). The trees hold no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_reader() -> None:
    """Import the block reader now, ahead of a parse (while git works); marko is imported
    by the first block the reader hands it."""
    import plankeeper.plans.simple_blocks  # noqa: F401


# marko nests a Python call per container (quote, list item): deeper lines are text.
MAX_NESTING = 32
# A line whose container prefix is this long may nest past MAX_NESTING (2 columns a level).
_DEEP_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING},}}", re.MULTILINE)
_MARKER = re.compile(r">|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)")


def cap_nesting(text: str) -> str:
    """The text with each container marker past MAX_NESTING levels escaped (`\\`).

    A plan line of hundreds of `- ` or `>` would otherwise overflow marko's recursion.
    The escaped marker and what follows it read as the text of the deepest container;
    the length of every line is kept, so offsets and line numbers are the original's.
    Indentation counts a level per two columns (a nested item is indented under its
    parent's text): an upper bound, so no line nests deeper than the cap.
    """
    if _DEEP_PREFIX.search(text) is None:
        return text
    pieces: list[str] = []
    done = 0
    for match in _DEEP_PREFIX.finditer(text):
        start = match.start()
        level = columns = 0
        position = start
        while position < match.end():
            char = text[position]
            if char in " \t":
                columns += 4 if char == "\t" else 1
                position += 1
                continue
            marker = _MARKER.match(text, position)
            if marker is None:
                break
            level += 1
            if level + columns // 2 > MAX_NESTING:
                pieces.append(text[done:position])
                pieces.append("\\")
                done = position + 1
                break
            position = marker.end()
    pieces.append(text[done:])
    return "".join(pieces)


def parse_blocks(text: str) -> Any:
    """Parse block structure only; `text` must already be `normalize_newlines`-ed.

    Each top-level block is read by simple_blocks when it covers it, by marko otherwise;
    marko is imported only when a block needs it (most plans and notes have none).
    """
    from plankeeper.plans.simple_blocks import Document, Reader

    text = cap_nesting(text)
    document = Document()
    document.source_span = (0, len(text))
    reader = Reader(text)
    source: Source | None = None
    rest: list[BlockElement] = []

    def fallback(index: int) -> tuple[BlockElement | None, int | None]:
        nonlocal source
        parser = _parser()
        if source is None:
            source = _source_class()(text)
            source.parser = parser
            # marko's own root for its state stack (link definitions are kept there).
            root = parser.block_elements["Document"]()
            root.source_span = (0, len(text))
            source.push_state(root)
        source.pos = reader.starts[index]
        element = cast("Any", parser).parse_block(source)
        if element is None:
            return None, None  # marko's parse_source stops here too
        after = reader.line_at(source.pos)
        if after is None:
            # marko's blocks end at a line start; should one not, marko reads the rest.
            rest.extend(parser.parse_source(source))
        return element, after

    document.children = [*reader.document(fallback), *rest]
    return document


class Block(NamedTuple):
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

    def start_of(self, number: int) -> int:
        """The offset of the first character of line `number`."""
        return self._starts[number - 1]

    def line(self, number: int) -> str:
        start = self._starts[number - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def __len__(self) -> int:
        return len(self._starts)


def walk(document: Any, lines: Lines, kinds: frozenset[str] | None = None) -> Iterator[Block]:
    """Every block element in document order (of `kinds` only, when given); list items
    carry their list-item depth."""
    starts = lines._starts
    make = tuple.__new__  # Block(...) without NamedTuple's Python-level __new__
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        element, depth = stack.pop()
        kind = type(element).__name__
        if element is not document and (kinds is None or kind in kinds):
            start, end = element.source_span or (0, 0)
            yield make(Block, (kind, bisect_right(starts, start), start, end, element, depth))
        if kind in _OPAQUE:
            continue
        children = getattr(element, "children", None)
        if isinstance(children, list) and children:
            child_depth = depth + 1 if kind == "ListItem" else depth
            if len(children) == 1:
                stack.append((children[0], child_depth))
            else:
                # Inline parsing is skipped: every child is a block element.
                stack.extend([(child, child_depth) for child in reversed(children)])


# Blocks whose content is not Markdown: never walked into.
_OPAQUE = frozenset(["FencedCode", "CodeBlock", "HTMLBlock"])
