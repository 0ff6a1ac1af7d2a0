"""A plan cut into sections that parse on their own: an edit reparses only its sections."""

from __future__ import annotations

import re

# Characters a section holds, at least, unless a heading ends it: an edit of a plan
# reparses about this much, and each section costs a little on its own.
SECTION_SIZE = 2000
# A line that is an ATX heading when nothing holds it (a fence, an HTML block).
_SECTION_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
# A bullet item that holds something: it interrupts a paragraph (an empty one and an
# ordered one other than `1.` may not), so in the first column it starts a new block.
_SECTION_ITEM = re.compile(r"[-*+][ \t]+\S")
# CommonMark's opening fences: an info string after backticks holds no backtick.
_FENCE_OPEN = re.compile(r"(`{3,})[^`]*$|(~{3,})")
# HTML blocks that a blank line does not end, as marko reads them (its HTMLBlock): a
# `<script`, `<pre`, `<style` or `<textarea` block ends at its own end tag, and `<!`
# holds CDATA too.
_HTML_START = re.compile(r"<(?:(script|pre|style|textarea)(?:[>\s]|$)|(!--)|(\?)|!)", re.I)


_HTML_ENDS = {
    "script": re.compile(r"</script>", re.I),
    "pre": re.compile(r"</pre>", re.I),
    "style": re.compile(r"</style>", re.I),
    "textarea": re.compile(r"</textarea>", re.I),
    "!--": re.compile(r"-->"),
    "?": re.compile(r"\?>"),
    "!": re.compile(r">"),
}


def _html_end(body: str) -> re.Pattern[str] | None:
    """What ends the HTML block that `body` opens; None when it opens none of those kinds."""
    start = _HTML_START.match(body)
    if start is None:
        return None
    return _HTML_ENDS[(start.group(1) or start.group(2) or start.group(3) or "!").lower()]


def split_sections(text: str, size: int = SECTION_SIZE) -> list[tuple[int, str]]:
    """`text` cut where a section surely starts, about every `size` characters and at
    every heading: (first line, text) pairs.

    A line in the first column after a blank line, or a bullet item there, closes every
    open list item, quote and paragraph, and every HTML block of the kinds a blank line
    ends, so the text from it on parses as a document of its own. What could still
    hold such a line is tracked: a fence or an HTML block of the other kinds, opened in
    the first column.
    Where it cannot be told without parsing whether one opens (indented, so maybe in a
    list item; or in lines that may be HTML or a link definition), the text stays whole.
    """
    cuts = [0]
    numbers = [1]
    fence: re.Pattern[str] | None = None
    html_end: re.Pattern[str] | None = None
    # Lines since the last blank one began with `<` or `[`: HTML or a link reference
    # definition may hold what looks like a fence there.
    ambiguous = False
    was_blank = True
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line and fence is None and html_end is None:
            # An empty line (the common blank line): what the branches below do with it.
            ambiguous = False
            was_blank = True
            offset += 1
            continue
        first = line[:1]
        if first not in " \t`~<[" and fence is None and html_end is None:
            # A line in the first column that opens nothing (most lines): the cut test
            # of the branches below, alone.
            if (
                number > 1
                and (was_blank or (first in "-*+" and not ambiguous and _SECTION_ITEM.match(line)))
                and (offset - cuts[-1] >= size or (first == "#" and _SECTION_HEADING.match(line)))
            ):
                cuts.append(offset)
                numbers.append(number)
            was_blank = False
            offset += len(line) + 1
            continue
        body = line.lstrip(" ")
        indent = 4 if body.startswith("\t") else len(line) - len(body)
        blank = not body.strip(" \t")
        if fence is not None:
            if indent <= 3 and fence.fullmatch(body):
                fence = None
        elif html_end is not None:
            if html_end.search(line):
                html_end = None
            elif indent <= 3 and _FENCE_OPEN.match(body):
                return [(1, text)]  # a fence in HTML: safe only if marko ends HTML as we do
        elif blank:
            ambiguous = False
        else:
            if (
                number > 1
                and indent == 0
                and (was_blank or (not ambiguous and _SECTION_ITEM.match(line)))
                and (offset - cuts[-1] >= size or _SECTION_HEADING.match(line))
            ):
                cuts.append(offset)
                numbers.append(number)
            if indent <= 3 and body[0] in "`~<[":
                opened = _FENCE_OPEN.match(body)
                html = _html_end(body)
                if (opened or html) and (indent > 0 or ambiguous):
                    return [(1, text)]
                if opened:
                    marks = opened.group(1) or opened.group(2)
                    fence = re.compile(rf"{re.escape(marks[0])}{{{len(marks)},}}[ \t]*")
                elif html is not None:
                    # The end may be on the opening line itself.
                    html_end = None if html.search(body) else html
                elif body.startswith(("<", "[")):
                    ambiguous = True
        was_blank = blank
        offset += len(line) + 1
    cuts.append(len(text))
    return [(numbers[i], text[cuts[i] : cuts[i + 1]]) for i in range(len(numbers))]
