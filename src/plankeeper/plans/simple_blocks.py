"""The common blocks of a plan read line by line into the elements marko builds for them.

marko spends about 250 Python calls on a line (every rule tried, every container prefix
re-matched), so a plan of short lines parses in seconds per MB. This reader covers what
plans are made of: blank lines, ATX and setext headings, thematic breaks, paragraphs with
their lazy continuation, lists and quotes of those, nested. It applies marko's own rules
to each line (the same patterns, the same order, the same container prefixes) and builds
the same elements with the same source spans; a top-level block that holds anything else
(code, fences, HTML, link definitions, a quote opened on an item's first line, tabs, odd
whitespace) raises `Unsupported`, and marko parses that block instead.
tests/plans/test_markdown_differential.py holds the two to the same walk.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from typing import Any, NamedTuple

# marko's patterns (block.py): List and ListItem, Heading, ThematicBreak, Paragraph's
# setext check, Quote's prefix.
_LIST = re.compile(r" {,3}(\d{1,9}[.)]|[*\-+])[ \t\n\r\f]")
_HEADING = re.compile(
    r" {0,3}(#{1,6})((?=\s)[^\n]*?|[^\n\S]*)(?:(?<=\s)(?<!\\)#+)?[^\n\S]*$\n?", re.MULTILINE
)
_THEMATIC = re.compile(r" {,3}([-_*][^\n\S]*){3,}$\n?", re.MULTILINE)
_SETEXT = re.compile(r" {,3}(=+|-+)[^\n\S]*$", re.MULTILINE)
_QUOTE = r" {,3}>[^\n\S]?"
# Whitespace other than space and line feed: marko expands tabs and strips any
# whitespace, which this reader does not model.
_ODD = re.compile(r"[^\S \n]")

# What a line's content is to marko's rules (`Line.kind` at the start of a block).
BLANK, PARAGRAPH, HEADING, THEMATIC, LIST, QUOTE, UNSUPPORTED = range(7)
# What it does to an open paragraph (`Line.breaks`, `Line.lazy_breaks`).
CONTINUES, BREAKS = 0, 1
_LIST_FIRST = frozenset("-+*0123456789")
_KINDS = (
    "BlankLine",
    "Heading",
    "SetextHeading",
    "ThematicBreak",
    "Paragraph",
    "List",
    "ListItem",
    "Quote",
)
# Frames: what each container adds to the line prefix; an item adds its width.
_QUOTE_FRAME = -1


class Unsupported(Exception):
    """A block this reader does not cover: marko parses it."""


class _Element:
    """A block as this reader builds it: what consumers read of marko's element of the
    same name (`children`, `source_span`, `inline_body`, ...), without importing marko;
    a plan that holds only these blocks never loads it."""

    # Class-level defaults, as marko's classes have them; the reader sets what differs.
    children: list[Any] = []  # noqa: RUF012 (marko's default, never mutated in place)
    inline_body = ""
    source_span: tuple[int, int] | None = None

    @classmethod
    def get_type(cls, snake_case: bool = False) -> str:
        """The element's name, as marko's `Element.get_type` gives it."""
        if not snake_case:
            return cls.__name__
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class Document(_Element):
    pass


class BlankLine(_Element):
    pass


class Heading(_Element):
    level = 1


class SetextHeading(_Element):
    level = 1


class ThematicBreak(_Element):
    pass


class Paragraph(_Element):
    _tight = False


class List(_Element):
    bullet = "-"
    ordered = False
    start = 1
    tight = True


class ListItem(_Element):
    _tight = False


class Quote(_Element):
    pass


# The classes the reader builds, by marko's names (consumers dispatch on the class name).
ELEMENTS: dict[str, Any] = {
    cls.__name__: cls
    for cls in (BlankLine, Heading, SetextHeading, ThematicBreak, Paragraph, List, ListItem, Quote)
}


class Line(NamedTuple):
    """A line's content (what follows its containers' prefix) as marko's rules see it."""

    blank: bool
    kind: int
    breaks: int  # marko's Paragraph.break_paragraph; UNSUPPORTED where it is not modelled
    lazy_breaks: int  # the same for a lazy continuation line
    setext: bool  # a setext underline (when it continues a paragraph)
    body: str  # the content without leading spaces, as a paragraph keeps it
    level: int  # a heading's level
    title: str  # a heading's text
    bullet: str  # a list item's marker, "" when none starts here
    indent: int  # spaces before the marker
    mid: int  # spaces after it, as marko counts them
    empty: bool  # nothing after the marker
    family: str  # the items a list of this one's marker takes: the marker, or `.`/`)`
    lead: int  # characters before the item's content (indent, marker, mid)
    width: int  # the item's continuation indent (marko's second prefix)
    pad: str  # that many spaces
    inner: Line | None  # the item's first content, described


def describe(content: str, padded: bool) -> Line:
    """`content` (a line less its containers' prefix and line feed) under marko's rules.

    `padded`: the line has a line feed (marko's patterns may match on it).
    """
    body = content.lstrip(" ")
    lead = len(content) - len(body)
    if not body:
        return Line(
            True, BLANK, BREAKS, BREAKS, False, "", 0, "", "", 0, 0, False, "", 0, 0, "", None
        )
    text = content + "\n" if padded else content
    first = body[0]
    thematic = False
    if first in "-_*":
        match = _THEMATIC.match(text)
        thematic = match is not None and len(set(match.group().replace(" ", "").strip())) == 1
    heading = _HEADING.match(text) if first == "#" else None
    item = _LIST.match(text) if first in _LIST_FIRST else None
    setext = _SETEXT.match(text) is not None if first in "-=" else False
    bullet = item.group(1) if item is not None else ""
    rest = content[item.end(1) :] if item is not None else ""
    tail = rest.lstrip(" ")
    mid = len(rest) - len(tail) if tail else 0
    if mid > 4:
        mid = 1
    if lead >= 4:
        kind = UNSUPPORTED  # indented code
    elif thematic:
        kind = THEMATIC
    elif first in "`~":
        kind = UNSUPPORTED if body.startswith(first * 3) else PARAGRAPH
    elif heading is not None:
        kind = HEADING
    elif first == ">":
        kind = QUOTE
    elif item is not None:
        kind = LIST
    elif first == "<":
        kind = UNSUPPORTED  # maybe HTML
    elif first == "[":
        kind = PARAGRAPH if _no_definition(body) else UNSUPPORTED
    else:
        kind = PARAGRAPH
    if lead >= 4:
        breaks = lazy_breaks = CONTINUES
    elif first in "#>":
        breaks = lazy_breaks = BREAKS if first == ">" or heading is not None else CONTINUES
    elif first in "`~<":
        fence = first != "<" and body.startswith(first * 3)
        breaks = lazy_breaks = UNSUPPORTED if fence or first == "<" else CONTINUES
    else:
        lazy_breaks = BREAKS if item is not None or thematic else CONTINUES
        if item is not None and (bullet[:-1] == "1" or bullet in "*-+") and tail:
            breaks = BREAKS
        elif thematic:
            breaks = CONTINUES if setext else BREAKS
        else:
            breaks = CONTINUES
    level, title = 0, ""
    if heading is not None:
        level, title = len(heading.group(1)), heading.group(2).strip()
    indent = item.start(1) if item is not None else 0
    family = ""
    if item is not None and not thematic:
        family = "." + bullet[-1] if bullet[:-1].isdigit() else bullet
    lead = indent + len(bullet) + mid
    width = len(bullet) + indent + (mid or 1)
    inner = None
    if family and tail:
        inner = _known(content[lead:]) if padded else describe(content[lead:], padded)
    return Line(
        False,
        kind,
        breaks,
        lazy_breaks,
        setext,
        body,
        level,
        title,
        bullet,
        indent,
        mid,
        not tail,
        family,
        lead,
        width,
        " " * width,
        inner,
    )


def _no_definition(body: str) -> bool:
    """marko's link reference definition surely fails at this `[`: its label would have
    to close with `]:` (an escape, or a label past the line, is left to marko)."""
    close = body.find("]")
    if close < 0 or "\\" in body[:close]:
        return False
    opening = body.find("[", 1)
    if 0 < opening < close:
        return True
    return body[close + 1 : close + 2] != ":"


@lru_cache(maxsize=64)
def _prefix_pattern(frames: tuple[int, ...]) -> re.Pattern[str]:
    """The prefix marko joins from these containers' states (Source.prefix)."""
    return re.compile("".join(_QUOTE if frame == _QUOTE_FRAME else " " * frame for frame in frames))


# Described lines, shared by every text: a plan's short lines repeat (`- [ ] b`, `-`).
_KNOWN: dict[str, Line] = {}
_KNOWN_MAX = 4096


def _known(content: str) -> Line:
    found = _KNOWN.get(content)
    if found is None:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()  # prose: few lines repeat
        found = _KNOWN[content] = describe(content, True)
    return found


Fallback = Callable[[int], tuple[Any, "int | None"]]


class Reader:
    """One text, read block by block (`document`)."""

    def __init__(self, text: str, elements: dict[str, Any] | None = None) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.count = len(self.lines) - 1 if text.endswith("\n") else len(self.lines)
        if not text:
            self.count = 0
        # The last line, when it has no line feed: marko pads no spaces before one.
        self.unpadded = self.count - 1 if not text.endswith("\n") else -1
        starts = list(accumulate((len(line) + 1 for line in self.lines), initial=0))
        starts[self.count] = len(text)
        self.starts = starts
        self.odd: set[int] = set()
        if _ODD.search(text) is not None:
            line_starts = starts[: self.count]
            self.odd = {bisect_right(line_starts, m.start()) - 1 for m in _ODD.finditer(text)}
        self.cuts: dict[tuple[str, tuple[int, ...]], int] = {}
        # The reader's own elements (ELEMENTS); marko's classes serve as well (tests).
        elements = ELEMENTS if elements is None else elements
        self.classes = {kind: elements[kind] for kind in _KINDS}
        self.ListItem = elements["ListItem"]
        self.Paragraph = elements["Paragraph"]

    def document(self, fallback: Fallback) -> list[Any]:
        """The top-level blocks; `fallback(index)` reads one this reader does not cover
        and gives the index of the line after it (None: it read the rest)."""
        found: list[Any] = []
        index: int | None = 0
        while index is not None and index < self.count:
            try:
                index = self.read(index, (), found)
            except Unsupported:
                element, index = fallback(index)
                if element is None:
                    break
                found.append(element)
        return found

    def line_at(self, offset: int) -> int | None:
        """The index of the line that starts at `offset`; None inside a line."""
        index = bisect_right(self.starts, offset) - 1
        return index if self.starts[index] == offset else None

    # -- lines -------------------------------------------------------------------------

    def line(self, content: str, index: int) -> Line:
        """The content of line `index`, described."""
        if index == self.unpadded:
            return describe(content, False)
        found = _KNOWN.get(content)
        return found if found is not None else _known(content)

    def content(self, index: int, frames: tuple[int, ...]) -> int:
        """How much of line `index` the prefix of `frames` takes, -1 when it does not
        match (marko's Source.match_prefix, which pads a line with spaces)."""
        if self.odd and index in self.odd:
            raise Unsupported
        if not frames:
            return 0
        line = self.lines[index]
        if len(frames) == 1 and frames[0] != _QUOTE_FRAME:
            width = frames[0]
            if line.startswith(" " * width):
                return width
            return len(line) if index != self.unpadded and not line.strip(" ") else -1
        key = (line, frames)
        # The last line pads no spaces: its answer may differ, so it is not remembered.
        cut = self.cuts.get(key) if index != self.unpadded else None
        if cut is None:
            pattern = _prefix_pattern(frames)
            match = pattern.match(line)
            if match is not None:
                cut = match.end()
            elif index != self.unpadded and pattern.match(line + " " * 99) is not None:
                cut = len(line)
            else:
                cut = -1
            if index != self.unpadded:
                if len(self.cuts) > 4096:
                    self.cuts.clear()
                self.cuts[key] = cut
        return cut

    def new(self, kind: str) -> Any:
        cls = self.classes[kind]
        return cls.__new__(cls)

    # -- blocks ------------------------------------------------------------------------

    def read(
        self, index: int, frames: tuple[int, ...], found: list[Any], cut: int | None = None
    ) -> int:
        """Append the block at line `index` (inside `frames`) to `found`; the index of
        the line after it. `cut`: where the line's content starts when it is not where
        the prefix of `frames` ends (the first line of an item, after its marker)."""
        starts, lines = self.starts, self.lines
        first_line = cut is not None
        if cut is None:
            cut = self.content(index, frames) if frames or self.odd else 0
        offset = starts[index] + cut
        line = self.line(lines[index][cut:] if cut else lines[index], index)
        kind = line.kind
        if kind == PARAGRAPH:
            element, after = self.paragraph(index, offset, line, frames)
            found.append(element)
            return after
        if kind == LIST:
            element, end, after = self.list(index, cut, line, frames)
            element.source_span = (offset, end)
            found.append(element)
            return after
        if kind == BLANK:
            after = index + 1
            while after < self.count:
                inner = self.content(after, frames) if frames or self.odd else 0
                if inner < 0 or lines[after][inner:].strip(" "):
                    break
                after += 1
            element = self.new("BlankLine")
            element._anchor = starts[index]
        elif kind == HEADING:
            element = self.new("Heading")
            element.level = line.level
            element.inline_body = line.title
            after = index + 1
        elif kind == THEMATIC:
            element = self.new("ThematicBreak")
            after = index + 1
        elif kind == QUOTE and not first_line:
            element = self.new("Quote")
            children: list[Any] = []
            element.children = children
            after = index
            quote = (*frames, _QUOTE_FRAME)
            while after < self.count and self.content(after, quote) >= 0:
                after = self.read(after, quote, children)
        else:
            raise Unsupported
        element.source_span = (offset, starts[after])
        found.append(element)
        return after

    def paragraph(
        self, index: int, offset: int, first: Line, frames: tuple[int, ...]
    ) -> tuple[Any, int]:
        """marko's Paragraph.parse: the paragraph (or setext heading) from line `index`
        and the index of the line after it."""
        lines = self.lines
        bodies = [first.body]
        after = index + 1
        setext = False
        while after < self.count:
            cut = self.content(after, frames)
            if cut >= 0:
                line = self.line(lines[after][cut:], after)
                if line.breaks:
                    if line.breaks == UNSUPPORTED:
                        raise Unsupported
                    break
                bodies.append(line.body)
                after += 1
                if line.setext:
                    setext = True
                    break
                continue
            # Lazy continuation: the line read inside the innermost container it fits.
            level = len(frames) - 1
            while level > 0:
                cut = self.content(after, frames[:level])
                if cut >= 0:
                    break
                level -= 1
            if level == 0:
                cut = self.content(after, ())
            line = self.line(lines[after][cut:], after)
            if line.lazy_breaks:
                if line.lazy_breaks == UNSUPPORTED:
                    raise Unsupported
                break
            bodies.append(line.body)
            after += 1
        if setext:
            element = self.new("SetextHeading")
            element.level = 1 if bodies[-1].strip()[0] == "=" else 2
            element.inline_body = "\n".join(bodies[:-1]).strip()
        else:
            element = self.new("Paragraph")
            element.inline_body = "\n".join(bodies)
            element._tight = False
        element.source_span = (offset, self.starts[after])
        return element, after

    def list(
        self, index: int, first_cut: int, first: Line, frames: tuple[int, ...]
    ) -> tuple[Any, int, int]:
        """marko's List.parse: the list from line `index` (its content from `first_cut`),
        the offset of its end and the index of the line there."""
        bullet = first.bullet
        element = self.new("List")
        element.bullet = bullet
        element.ordered = ordered = bullet[:-1].isdigit()
        element.start = int(bullet[:-1]) if ordered else 1
        family = first.family
        items: list[Any] = []
        tight = True
        blank_seen = False
        starts, lines, count = self.starts, self.lines, self.count
        end, last = starts[index], index
        plain = not frames and not self.odd
        cut = first_cut
        while index < count:
            if items or blank_seen:
                cut = 0 if plain else self.content(index, frames)
                if cut < 0:
                    break
            line = self.line(lines[index][cut:] if cut else lines[index], index)
            if line.family == family:
                item, index = self.item(index, cut, line, frames, plain)
                end, last = starts[index], index
                items.append(item)
                if blank_seen:
                    tight = False
            elif line.blank:
                while index < count:
                    cut = 0 if plain else self.content(index, frames)
                    if cut < 0 or lines[index][cut:].strip(" "):
                        break
                    index += 1
                blank_seen = True
            else:
                break
        else:
            # marko's List.parse steps back over blank lines only before the end.
            end, last = len(self.text), count
        element.children = items
        blank_line = self.classes["BlankLine"]
        tight = tight and not any(
            isinstance(child, blank_line)
            for item in items
            if item.children
            for child in item.children
        )
        element.tight = tight
        if tight:
            # marko marks a tight list's items and their paragraphs.
            paragraph_class = self.Paragraph
            for item in items:
                item._tight = True
                for child in item.children:
                    if isinstance(child, paragraph_class):
                        child._tight = True
        return element, end, last

    def item(
        self, index: int, cut: int, line: Line, frames: tuple[int, ...], plain: bool
    ) -> tuple[Any, int]:
        """marko's ListItem.parse: the item at line `index` (its marker from `cut`) and
        the index of the line after it. `plain`: in the document, no odd line."""
        item = self.ListItem.__new__(self.ListItem)
        pad = line.pad
        starts, lines, count = self.starts, self.lines, self.count
        start = starts[index] + cut
        after = index + 1
        following = lines[after] if after < count else None
        inside = (*frames, line.width)
        children: list[Any] = []
        if line.empty:
            # marko reads the lines below only when the next one goes on in the item.
            if following is not None:
                if plain:
                    goes_on = following.startswith(pad) and following.strip(" ")
                else:
                    inner = self.content(after, inside)
                    goes_on = inner >= 0 and following[inner:].strip(" ")
            if following is None or not goes_on:
                item.children = children
                item.source_span = (start, starts[after])
                return item, after
        else:
            first = line.inner
            assert first is not None
            begin = start + line.lead
            if (
                plain
                and first.kind == PARAGRAPH
                and (
                    following is None
                    or (
                        not following.startswith(pad)
                        and following.strip(" ")
                        and self.line(following, after).lazy_breaks == BREAKS
                    )
                )
            ):
                # One line of text, then the next item or a block that ends it.
                paragraph = self.Paragraph.__new__(self.Paragraph)
                paragraph.inline_body = first.body
                paragraph._tight = False
                paragraph.source_span = (begin, starts[after])
                item.children = [paragraph]
                item.source_span = (start, starts[after])
                return item, after
            after = self.read(index, inside, children, cut + line.lead)
        # marko's parse_source inside the item, for as long as its lines go on in it.
        while after < count and self.content(after, inside) >= 0:
            after = self.read(after, inside, children)
        if children and isinstance(children[-1], self.classes["BlankLine"]):
            # marko drops a trailing blank line and steps back to it.
            blank = children.pop()
            if children:
                back = self.line_at(blank._anchor)
                assert back is not None
                after = back
        item.children = children
        item.source_span = (start, starts[after])
        return item, after
