"""The handoff notes model: mentions, changed-files headings, front matter, coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plankeeper.handoff import (
    Coverage,
    Mention,
    clean_word,
    folders_of,
    is_changed_files_heading,
    is_plainly_path,
    normalize_path,
    parse_notes,
)
from plankeeper.plans.markdown import parse_blocks
from plankeeper.plans.plan import parse_plan
from plankeeper.text import decode
from tests.conftest import SHARED


def paths(text: str, path: str = "SESSION_HANDOFF.md") -> list[tuple[str, int, str]]:
    return [(m.path, m.line, m.kind) for m in parse_notes(text, path).mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("`src/a.py`", ("src/a.py", "code"), id="code-span"),
        pytest.param("``src/a`b.py``", ("src/a`b.py", "code"), id="double-backtick-span"),
        pytest.param("[the parser](src/a.py)", ("src/a.py", "link"), id="link"),
        pytest.param("![shot](docs/shot.png)", ("docs/shot.png", "link"), id="image"),
        pytest.param("[a](<src/my file.py>)", ("src/my file.py", "link"), id="angle-link"),
        pytest.param('[a](src/a.py "title")', ("src/a.py", "link"), id="link-title"),
        pytest.param("[a](src/a.py#L3-L9)", ("src/a.py", "link"), id="link-anchor"),
        pytest.param("[a](src/my%20file.py)", ("src/my file.py", "link"), id="link-escaped"),
        pytest.param("edited src/a.py today", ("src/a.py", "text"), id="plain-text"),
        pytest.param("`src/a.py:12`", ("src/a.py", "code"), id="line"),
        pytest.param("`src/a.py:12-24`", ("src/a.py", "code"), id="line-range"),
        pytest.param("see src/a.py:12.", ("src/a.py", "text"), id="text-line-period"),
        pytest.param("`@src/a.py`", ("src/a.py", "code"), id="at-code"),
        pytest.param("read @src/a.py first", ("src/a.py", "text"), id="at-text"),
        pytest.param("`./src/a.py`", ("src/a.py", "code"), id="dot-slash"),
        pytest.param("(**src/a.py**),", ("src/a.py", "text"), id="emphasis-punctuation"),
        pytest.param("`src/auth/`", ("src/auth", "code"), id="folder"),
        pytest.param("`src/**/*.py`", ("src/**/*.py", "code"), id="glob"),
        pytest.param("[ref]: docs/ref.md", ("docs/ref.md", "link"), id="reference-definition"),
    ],
)
def test_mention_forms(text: str, expected: tuple[str, str]) -> None:
    assert paths(f"# Notes\n\n{text}\n") == [(expected[0], 3, expected[1])]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("`https://example.com/src/a.py`", id="url-code"),
        pytest.param("[x](https://example.com/src/a.py)", id="url-link"),
        pytest.param("<https://example.com/src/a.py>", id="autolink"),
        pytest.param("`/etc/passwd`", id="absolute"),
        pytest.param("`~/notes/a.md`", id="home"),
        pytest.param("`C:/work/a.py`", id="windows-drive"),
        pytest.param("`../other/a.py`", id="leaves-repository"),
        pytest.param("`src/../../a.py`", id="leaves-after-normalizing"),
        pytest.param("[x](mailto:a@example.com)", id="mailto"),
        pytest.param("[x](#next-steps)", id="anchor"),
        pytest.param("```\nsrc/fenced.py `src/b.py`\n```", id="fenced-code"),
        pytest.param("~~~~\n`src/b.py`\n~~~~", id="tilde-fence"),
        pytest.param("<!-- `src/b.py` -->", id="comment"),
        pytest.param("<!--\n`src/b.py`\n-->", id="multi-line-comment"),
        pytest.param("line<br/>break", id="html-tag"),
        pytest.param("<div>\n`src/b.py`\n</div>", id="html-block"),
        pytest.param("    `src/b.py`", id="indented-code"),
        pytest.param("- item\n\n  ```\n  `src/b.py`\n  ```", id="fence-in-item"),
    ],
)
def test_never_a_mention(text: str) -> None:
    assert paths(f"# Notes\n\n{text}\n") == []


def test_mentions_carry_their_line_numbers() -> None:
    text = "# Notes\n\n- `src/a.py`\n- `src/b.py` and src/c.py\n\n> quoted `src/d.py`\n"
    assert paths(text) == [
        ("src/a.py", 3, "code"),
        ("src/b.py", 4, "code"),
        ("src/c.py", 4, "text"),
        ("src/d.py", 6, "code"),
    ]


def test_crlf_notes_keep_line_numbers() -> None:
    assert paths("# Notes\r\n\r\n`src/a.py`\r\n") == [("src/a.py", 3, "code")]


def test_link_relative_to_the_notes_folder() -> None:
    notes = parse_notes("[a](../../src/a.py) [b](b.md)\n", "docs/plans/X_HANDOFF.md")
    assert [(m.path, m.relative) for m in notes.mentions] == [
        ("src/a.py", None),
        ("b.md", "docs/plans/b.md"),
    ]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        pytest.param("Changed files", True, id="changed-files"),
        pytest.param("Files modified", True, id="files-modified"),
        pytest.param("Files Created/Modified", True, id="created-modified"),
        pytest.param("Touched file", True, id="touched-file"),
        pytest.param("What changed (files)", True, id="parenthesized"),
        pytest.param("Key Files", False, id="key-files"),
        pytest.param("Changes", False, id="changes"),
        pytest.param("Changed behaviour", False, id="no-files"),
        pytest.param("Profiles modified", False, id="whole-words"),
    ],
)
def test_changed_files_heading(heading: str, expected: bool) -> None:
    assert is_changed_files_heading(heading) is expected


def test_listed_means_list_item_or_table_row_under_changed_files_heading() -> None:
    text = (
        "# Notes\n"
        "## Changed files\n"
        "Intro about `src/intro.py`.\n"
        "- `src/item.py`\n"
        "  continued `src/cont.py`\n"
        "### Backend\n"
        "| File | Status |\n"
        "| --- | --- |\n"
        "| `src/row.py` | Modified |\n"
        "## Next\n"
        "- `src/next.py`\n"
    )
    listed = {m.path: m.listed for m in parse_notes(text).mentions}
    assert listed == {
        "src/intro.py": False,
        "src/item.py": True,
        "src/cont.py": True,
        "src/row.py": True,
        "src/next.py": False,
    }


def test_sections_end_at_the_next_heading_of_the_same_level() -> None:
    text = "# A\n## Changed files\n### Sub\n- x\n## B\ntext\nSetext\n------\nmore\n"
    headings = [(h.text, h.level, h.line, h.end) for h in parse_notes(text).headings]
    assert headings == [
        ("A", 1, 1, 9),
        ("Changed files", 2, 2, 4),
        ("Sub", 3, 3, 4),
        ("B", 2, 5, 5),
        ("text Setext", 2, 6, 9),
    ]


def test_front_matter_base() -> None:
    notes = parse_notes("---\nbase: 1a2b3c4\nowner: me\n---\n# Notes\n`src/a.py`\n")
    assert (notes.base, notes.front_matter_lines) == ("1a2b3c4", 4)
    assert paths("---\nbase: 1a2b3c4\n---\n`src/a.py`\n") == [("src/a.py", 4, "code")]


def test_numeric_front_matter_base_is_a_string() -> None:
    assert parse_notes("---\nbase: 1234567\n---\n").base == "1234567"


def test_thematic_break_at_the_top_is_no_front_matter() -> None:
    notes = parse_notes("---\n- `src/a.py`\n---\n")
    assert (notes.base, notes.front_matter_lines) == (None, 0)
    assert [m.path for m in notes.mentions] == ["src/a.py"]


def test_front_matter_that_is_no_yaml_is_no_front_matter() -> None:
    notes = parse_notes("---\nbase: [unclosed\n---\n")
    assert (notes.base, notes.front_matter_lines) == (None, 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("src/a.py", ("src/a.py", False), id="plain"),
        pytest.param("src//a.py", ("src/a.py", False), id="double-slash"),
        pytest.param("src/./a.py", ("src/a.py", False), id="dot-segment"),
        pytest.param("src/auth/", ("src/auth", True), id="folder"),
        pytest.param("README.md:7", ("README.md", False), id="line-suffix"),
        pytest.param("a.py:3:9", ("a.py", False), id="line-and-column"),
        pytest.param("localhost:3000", ("localhost", False), id="port-like"),
        pytest.param("http://x/a.py", None, id="url"),
        pytest.param("www.example.com/a", None, id="www"),
        pytest.param("./", None, id="root"),
        pytest.param("..", None, id="parent"),
    ],
)
def test_normalize_path(raw: str, expected: tuple[str, bool] | None) -> None:
    assert normalize_path(raw, "code") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("src/a.py,", "src/a.py", id="comma"),
        pytest.param('"src/a.py"', "src/a.py", id="quotes"),
        pytest.param("**src/a.py**:", "src/a.py", id="bold-colon"),
        pytest.param("__init__.py", "__init__.py", id="dunder-kept"),
        pytest.param("_a_", "a", id="emphasis"),
        pytest.param("***", "", id="only-marks"),
    ],
)
def test_clean_word(raw: str, expected: str) -> None:
    assert clean_word(raw) == expected


def mention(path: str, *, folder: bool = False, glob: bool = False) -> Mention:
    return Mention(path, 1, "code", folder, glob, False)


def test_coverage_by_path_folder_and_glob() -> None:
    coverage = Coverage(
        [mention("src/a.py"), mention("lib/auth", folder=True), mention("app/**/*.ts", glob=True)],
        {"Makefile"},
    )
    covered = ["src/a.py", "lib/auth/x/y.py", "app/ui/b.ts", "Makefile"]
    uncovered = ["src/b.py", "lib/authz.py", "app/ui/b.js", "src/Makefile"]
    assert [coverage.covers(p) for p in covered + uncovered] == [True] * 4 + [False] * 4


def test_plain_word_without_slash_is_no_folder() -> None:
    notes = parse_notes("the src folder\n")
    assert not Coverage(notes.mentions, notes.names).covers("src/a.py")


def test_folders_of() -> None:
    assert folders_of(["a/b/c.py", "a/d.py", "e.py"]) == {"a", "a/b"}


def test_unmatched_backtick_run_is_text() -> None:
    assert paths("``` ``src/a.py``\n") == [("src/a.py", 1, "code")]


def test_escaped_backtick_opens_no_span() -> None:
    assert paths("\\`src/a.py\\` and `b.md`\n") == [
        ("b.md", 1, "code"),
        ("src/a.py", 1, "text"),
    ]


def corpus_files() -> list[Path]:
    folders = [SHARED / "corpus" / "handoff", SHARED / "corpus" / "skills"]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.iterdir())


@pytest.mark.skipif(not corpus_files(), reason="the shared corpus is not here")
def test_every_corpus_file_loads_and_agrees_with_marko_on_headings() -> None:
    for path in corpus_files():
        text = decode(path.read_bytes())
        notes = parse_notes(text, path.name)
        ours = [(h.line, h.level) for h in notes.headings]
        # marko knows no front matter: its `---` closing line makes a setext heading there.
        marko = [
            (h.line, h.level)
            for h in parse_plan(text, path.name).headings
            if h.line > notes.front_matter_lines
        ]
        assert ours == marko, path.name
        assert all(1 <= m.line <= notes.line_count for m in notes.mentions), path.name


@pytest.mark.skipif(not corpus_files(), reason="the shared corpus is not here")
def test_corpus_changed_files_table_is_listed() -> None:
    path = SHARED / "corpus" / "handoff" / "21st-dev__1code__.planning__HANDOFF.md"
    notes = parse_notes(decode(path.read_bytes()), ".planning/HANDOFF.md")
    listed = [m.path for m in notes.mentions if m.listed]
    assert listed[:2] == [
        "src/main/lib/trpc/routers/workflows.ts",
        "src/main/lib/trpc/routers/index.ts",
    ]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        pytest.param("src/auth", True, id="slash"),
        pytest.param("src/", True, id="folder"),
        pytest.param("src/**/*.py", True, id="glob"),
        pytest.param("notes.md", False, id="bare-name-with-extension"),
        pytest.param("os.path.join", False, id="dotted-name"),
        pytest.param("v1.2.3", False, id="version"),
        pytest.param("foo()", False, id="call"),
        pytest.param("Makefile", False, id="bare-name"),
        pytest.param("example.com/docs", False, id="host"),
        pytest.param("support@example.com", False, id="e-mail"),
        pytest.param("11-090/200", False, id="numbers"),
        pytest.param("packages/<name>", False, id="placeholder"),
        pytest.param("a/{b,c}.cc", False, id="braces"),
        pytest.param("CHROME_BIN=/usr/bin/chrome", False, id="assignment"),
        pytest.param("src/.../x.kt", False, id="elision"),
        pytest.param("[System.IO.File]::Read/Write", False, id="code"),
        pytest.param("origin/main", False, id="remote-branch"),
        pytest.param("\u2191/k", False, id="symbols"),
    ],
)
def test_code_span_is_plainly_a_path(span: str, expected: bool) -> None:
    (found,) = parse_notes(f"`{span}`\n").mentions
    assert found.counts_as_path()
    assert is_plainly_path(found) is expected


def test_code_span_with_whitespace_names_no_file() -> None:
    (found,) = parse_notes("`my file.md`\n").mentions
    assert not found.counts_as_path()


def test_text_after_a_list_bullet_is_no_word() -> None:
    assert parse_notes("- one\n1. two\n").names == {"one", "two"}


def test_paragraph_in_a_quoted_list_item_is_listed() -> None:
    notes = parse_notes("## Changed files\n\n> - `src/a.py`\n")
    assert [(m.path, m.line, m.listed) for m in notes.mentions] == [("src/a.py", 3, True)]


def test_setext_heading_inside_a_list_item_is_a_heading() -> None:
    notes = parse_notes("- Changed files\n  ---\n")
    assert [(h.text, h.level, h.line) for h in notes.headings] == [("Changed files", 2, 1)]


def test_list_lines_cover_an_item_and_its_continuation() -> None:
    notes = parse_notes("# A\n\n- one\n  more\n\ntext\n")
    assert notes.list_lines == {3, 4}


# Lines that exercise every block rule and the one-line list item shortcut of markdown.py.
BLOCK_LINES = [
    *["- `a.py`", "- b", "* c", "+ d", "1. e", "2) f", "10. g", "-", "- ", "-     five"],
    *["  - nested", "   - three", "    - four", "      - six", "-\tx", "\t- tab"],
    *["- ``", "- ```x", "- ~x", "- ~~~", "- #x", "- >q", "- <b>", "- [ ] t", "- |a|"],
    *["text", "  indented", "    code", "> quote", "> - quoted item", ">", "# h", "## h ##"],
    *["---", "***", "- - -", "===", "```", "~~~", "<!--", "-->", "<div>", "</div>"],
    *["[ref]: /url", "[^1]: note", "|a|b|", "|---|---|", "", "", "  ", "\u00a0x"],
]


def block_shape(element: Any, depth: int = 0) -> list[tuple[Any, ...]]:
    row = (
        element.get_type(),
        element.source_span,
        depth,
        getattr(element, "level", None),
        getattr(element, "inline_body", None),
        getattr(element, "tight", None),
        getattr(element, "_tight", None),
    )
    children = getattr(element, "children", None)
    if not isinstance(children, list):
        return [row]
    from marko.inline import InlineElement

    # A code block's text is an inline element (RawText): only blocks are compared.
    blocks = [child for child in children if not isinstance(child, InlineElement)]
    nested = [block_shape(child, depth + 1) for child in blocks]
    return [row, *(shape for rows in nested for shape in rows)]


def stock_blocks(text: str) -> Any:
    from marko.block import Document
    from marko.parser import Parser
    from marko.source import Source

    parser = Parser()
    source = Source(text)
    source.parser = parser
    document = Document()
    document.source_span = (0, len(text))
    with source.under_state(document):
        document.children = parser.parse_source(source)
    return document


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(BLOCK_LINES), max_size=14), st.sampled_from(["", "\n"]))
def test_block_structure_is_stock_markos(lines: list[str], end: str) -> None:
    text = "\n".join(lines) + end
    assert block_shape(parse_blocks(text)) == block_shape(stock_blocks(text))


def test_suppressed_todos_are_neither_added_nor_resolved_in_generated_notes() -> None:
    from plankeeper.handoff_write import todo_changes
    from plankeeper.todos.scan import Todo

    kept = Todo("app.py", 3, 3, "FIX" + "ME", "real work")
    quiet = Todo("app.py", 9, 3, "TO" + "DO", "x", suppressed=True)
    gone = Todo("old.py", 1, 3, "TO" + "DO", "placeholder", suppressed=True)
    assert todo_changes([gone], [kept, quiet]) == (["app.py:3: FIX" + "ME real work"], [])
