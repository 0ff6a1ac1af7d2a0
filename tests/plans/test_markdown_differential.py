"""parse_blocks builds the block structure stock marko builds: the same walk, element by element."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankeeper.plans.markdown import Lines, normalize_newlines, parse_blocks, walk


def stock_blocks(text: str) -> Any:
    """marko's own block parse of `text`, inline parsing skipped (as parse_blocks does)."""
    from marko import block
    from marko.parser import Parser
    from marko.source import Source

    parser = Parser()
    source = Source(text)
    source.parser = parser
    document = block.Document()
    document.source_span = (0, len(text))
    with source.under_state(document):
        document.children = parser.parse_source(source)
    return document


def shape(document: Any, text: str) -> list[tuple[object, ...]]:
    """What consumers read of each block: kind, line, span, depth and the attributes
    plan.py and handoff.py use."""
    found: list[tuple[object, ...]] = []
    for block in walk(document, Lines(text)):
        extra: tuple[object, ...] = ()
        if block.kind in ("Heading", "SetextHeading"):
            extra = (block.element.level, block.element.inline_body)
        elif block.kind == "Paragraph":
            extra = (block.element.inline_body, block.element._tight)
        elif block.kind == "ListItem":
            extra = (block.element._tight,)
        elif block.kind == "LinkRefDef":
            extra = (block.element.label, block.element.dest)
        elif block.kind == "List":
            element = block.element
            extra = (element.ordered, element.start, element.bullet, element.tight)
        found.append((block.kind, block.line, block.start, block.end, block.depth, *extra))
    return found


def assert_same(text: str) -> None:
    text = normalize_newlines(text)
    assert shape(parse_blocks(text), text) == shape(stock_blocks(text), text), repr(text)


SHORT_LINES = ["a", "", "- a", "-", "#", ">", "1.", "- [ ] b", "x"]

CASES = [
    *SHORT_LINES,
    "a\n-\n",
    "a\n=\n",
    "a\n---\n",
    "a\n***\n",
    "- a\nx\n- b\n",
    "- a\n  x\n- b\n",
    "- a\n\n- b\n",
    "- a\n\n\n",
    "-\n  a\n",
    "-\n\n  a\n",
    "- a\n\n  b\n",
    "- a\n  - b\n    - c\n- d\n",
    "  - a\n  - a\n  - a\n",
    "1.\n2.\n3) a\n",
    "1. a\n2. b\n10. c\n",
    "a\n1. b\n2. c\n",
    "a\n2. b\n",
    "* a\n+ b\n- c\n",
    "> a\nb\n> - c\nd\n",
    "> - a\n> - a\n>\n",
    ">\n>\n> a\n",
    "> - a\n- b\n",
    "- > a\n  > b\n",
    "```\n- [ ] a\n```\n- b\n",
    "~~~\na\n",
    "<div>\n- a\n</div>\n",
    "<!-- a\n\n- b -->\n",
    "[a]: /u\n- [a]: /v\n[b]:\n/w\n",
    "- [a]: /u\n- [ ] b\n",
    "[ ] b\n[x]\n",
    "\ta\n-\tb\n>\tc\n",
    "    code\n\n    more\n",
    "- a\n      code\n",
    "-      a\n",
    "# h #\n## h\n####### no\n#no\n",
    "- # h\n- ---\n- - -\n",
    "* * *\n- - -\n_ _ _\n",
    "a  \nb\\\nc\n",
    "- a",
    "-",
    "a",
    "> - a",
    "- a\n\n",
    "- [ ] b\n- [ ] b\n\n- [ ] b\n",
    "1.\n\n1.\n",
    "- a\n-\n- b\n",
    "-\n-\n\n-\n",
    "a\n\n\n\nb\n",
    "   a\n    b\n",
    "- a\n  b\n  -\n",
    "- a\n # h\n",
    "- a\n>\n",
    "- a\n  ",
    "-\n  ",
    "- a\n   \n- b\n",
    "- a\n  b\n- c\n",
    "> -\n>\n> - a\n>  b\n",
    "> - a\n>\n\n> - b\n",
    ">  - a\n>   b\n",
    "1) a\n2) b\n3. c\n",
    "- a\n+ b\n",
    "# a\n#\tb\n",
    "a\u00a0\n- \u00a0\n",
]


@pytest.mark.parametrize("text", CASES)
def test_hand_written(text: str) -> None:
    assert_same(text)


def test_short_lines_mix() -> None:
    import random

    rng = random.Random(13)
    text = "### Phase 1: Short\n\n" + "".join(rng.choice(SHORT_LINES) + "\n" for _ in range(3000))
    assert_same(text)


PREFIXES = ["", "", "", " ", "  ", "   ", "    ", "> ", ">", "- ", "  - ", "1. ", "2) ", "* ", "+ "]
BODIES = [
    *SHORT_LINES,
    "b c",
    "- ",
    "-a",
    "+",
    "*",
    "2.",
    "10)",
    "# h",
    "## h ##",
    "---",
    "***",
    "===",
    "___",
    "- - -",
    "[ ] b",
    "[x] c",
    "[a]: /u",
    "[a]",
    "```",
    "~~~",
    "<div>",
    "<!-- c -->",
    "\ta",
    "a\t",
    "> a",
    "\u00a0",
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(PREFIXES), st.sampled_from(BODIES)), max_size=14),
    st.booleans(),
)
def test_generated(lines: list[tuple[str, str]], final_newline: bool) -> None:
    text = "\n".join(prefix + body for prefix, body in lines)
    assert_same(text + ("\n" if final_newline and text else ""))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*SHORT_LINES, "> - a", "  - a", "2.", "* a"]), max_size=40))
def test_generated_short_lines(lines: list[str]) -> None:
    assert_same("".join(line + "\n" for line in lines))


NESTED_LINES = [
    *["- a", "  - a", "    - a", "      - a", "  a", "    a", "", "  ", "-", "  -", "    -"],
    *["- [ ] b", "  - [ ] b", "1. a", "   1. a", "2) a", "  * a", "> - a", ">   - a", "> a"],
    *["  > a", "  >", "#", "  # h", "---", "  ---", "x", "  =", "    1.", "- - a", "-   - a"],
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(NESTED_LINES), max_size=16), st.booleans())
def test_generated_nested_items(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines)
    assert_same(text + ("\n" if final_newline and text else ""))
