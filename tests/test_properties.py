"""Property tests: the parser, globs, config and edits on arbitrary input never break.

Each property runs a modest number of examples (see EXAMPLES) so that the file stays
well under half a minute on a 2-core CI machine.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plankeeper.config import load_config
from plankeeper.edit import append_lines, insert_lines
from plankeeper.errors import ConfigError
from plankeeper.globs import Glob, matches_any, may_match, quick_filter
from plankeeper.plans.markdown import normalize_newlines
from plankeeper.plans.plan import Plan, parse_plan
from plankeeper.text import decode
from tests.conftest import parse_cut

# Examples per property; the report of the hostile-input work quotes these numbers.
EXAMPLES = {
    "plan": int(os.environ.get("PK_FUZZ_PLAN", "300")),
    "plan-bytes": 150,
    "sections": int(os.environ.get("PK_FUZZ_SECTIONS", "400")),
    "glob": 400,
    "glob-literal": 200,
    "config": 150,
    "edit": 300,
    "todos": 200,
    "escape": 300,
}

# -- a grammar of hostile Markdown -----------------------------------------------------

_words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\n\r"),
    max_size=20,
)
_boxes = st.sampled_from(
    ["[ ]", "[x]", "[X]", "[-]", "[~]", "[/]", "[]", "[ x]", "[v]", "[xx]", "[ ]*", "[x]*", "[1]"]
)
_bullets = st.sampled_from(["-", "*", "+", "1.", "2)", "10.", "-\t"])
_ids = st.sampled_from(
    ["", "T001 ", "P2.3 ", "AUTH-12 ", "1.2 ", "1.2a ", "3. ", "**T9** ", "`X1` "]
)
_indent = st.sampled_from(["", "  ", "    ", "\t", "   ", "        "])


@st.composite
def _task_line(draw: st.DrawFn) -> str:
    space = draw(st.sampled_from([" ", "", "  "]))
    return f"{draw(_indent)}{draw(_bullets)}{space}{draw(_boxes)} {draw(_ids)}{draw(_words)}"


_heading = st.builds(
    lambda level, phase, text: f"{'#' * level} {phase}{text}",
    st.integers(1, 7),
    st.sampled_from(["", "Phase 1: ", "phase 2 ", "Phases ", "PHASE "]),
    _words,
)
_setext = st.builds(lambda text, rule: f"{text}\n{rule}", _words, st.sampled_from(["===", "---"]))
_fence = st.builds(
    lambda fence, body: f"{fence}\n{body}\n{fence}",
    st.sampled_from(["```", "~~~", "````"]),
    st.lists(_task_line(), max_size=3).map("\n".join),
)
_unclosed_fence = st.builds(lambda body: f"```\n{body}", _task_line())
_quote = st.builds(lambda line: f"> {line}", _task_line())
_html = st.builds(
    lambda body: f"<div>\n{body}\n</div>", st.lists(_task_line(), max_size=2).map("\n".join)
)
_comment = st.builds(lambda body: f"<!--\n{body}\n-->", _task_line())
_block = st.one_of(
    _task_line(),
    _task_line(),
    _heading,
    _setext,
    _fence,
    _unclosed_fence,
    _quote,
    _html,
    _comment,
    _words,
    st.just(""),
    st.just("[link]: http://example.com"),
    st.just("| a | b |\n| - | - |"),
)


@st.composite
def markdown(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(_block, max_size=25))
    ending = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if ending == "mixed":
        lines = "\n".join(blocks).split("\n")
        endings = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines)))
        return "".join(line + end for line, end in zip(lines, endings, strict=False))
    return ending.join(blocks) + draw(st.sampled_from(["", ending]))


def _check_invariants(plan: Plan, text: str) -> None:
    lines = normalize_newlines(text).split("\n")
    assert plan.line_count == len(lines)
    assert 0 <= plan.done <= plan.total
    for task in plan.tasks:
        assert 1 <= task.line <= plan.line_count
        line = lines[task.line - 1]
        # The column points at the box, and the box text really is on the task's line.
        assert line[task.column - 1 :].startswith(f"[{task.box}]"), (task, line)
    owners: dict[int, int] = {}
    for index, phase in enumerate(plan.phases):
        assert 0 <= phase.done <= phase.total
        for task in phase.tasks:
            assert id(task) not in owners, "a task in two phases"
            owners[id(task)] = index
            assert task.phase is phase
    for task in plan.tasks:
        assert (task.phase is None) == (id(task) not in owners)
    following = plan.next_task()
    if following is not None:
        assert following.is_open
        assert not following.optional
        assert following in plan.tasks
    current = plan.current_phase()
    assert (current is None) == (following is None)


@settings(max_examples=EXAMPLES["plan"], suppress_health_check=[HealthCheck.too_slow])
@given(markdown())
def test_plan_parser_keeps_invariants_on_generated_markdown(text: str) -> None:
    _check_invariants(parse_plan(text, "docs/plans/X_MASTERPLAN.md"), text)


@settings(max_examples=EXAMPLES["plan-bytes"], suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_plan_parser_keeps_invariants_on_arbitrary_bytes(data: bytes) -> None:
    text = decode(data)
    _check_invariants(parse_plan(text, "plan.md"), text)


# -- globs -----------------------------------------------------------------------------

_segment_chars = st.sampled_from(list("ab.-_[]!^*?\\ é"))
# Git never records `.` or `..` as a path segment.
_path_segment = st.text(st.sampled_from(list("ab.-_ é[]*?")), min_size=1, max_size=6).filter(
    lambda segment: segment not in (".", "..")
)
_paths = st.lists(_path_segment, min_size=1, max_size=4).map("/".join)


@settings(max_examples=EXAMPLES["glob"])
@given(
    st.lists(
        st.one_of(st.text(_segment_chars, min_size=1, max_size=6), st.just("**")), max_size=4
    ).map("/".join),
    _paths,
    st.booleans(),
)
def test_glob_matches_never_raises(pattern: str, path: str, ignore_case: bool) -> None:
    assert Glob(pattern, ignore_case).matches(path) in (True, False)


_simple_pattern = st.text(st.sampled_from(list("ab.*?")), min_size=1, max_size=6)
_simple_name = st.text(st.sampled_from(list("ab.")), min_size=1, max_size=8)


@settings(max_examples=EXAMPLES["glob"])
@given(_simple_pattern, _simple_name)
def test_glob_agrees_with_fnmatch_on_one_segment(pattern: str, name: str) -> None:
    expected = re.fullmatch(fnmatch.translate(pattern), name) is not None
    assert Glob(pattern).matches(name) is expected


@settings(max_examples=EXAMPLES["glob"])
@given(st.lists(_simple_pattern, min_size=1, max_size=3), _simple_name, _simple_name)
def test_glob_without_double_star_matches_segment_by_segment(
    segments: list[str], first: str, second: str
) -> None:
    # `a/b` matches `x/y` when each segment matches: `*` never crosses a slash.
    pattern = "/".join(segments)
    assume(not pattern.startswith("./") and "**" not in segments)
    path = f"{first}/{second}"
    by_segment = len(segments) == 2 and all(
        fnmatch.fnmatchcase(name, part)
        for part, name in zip(segments, (first, second), strict=True)
    )
    parent = len(segments) == 1 and fnmatch.fnmatchcase(first, segments[0])
    assert Glob(pattern).matches(path) is (by_segment or parent)


@settings(max_examples=EXAMPLES["glob-literal"])
@given(_paths)
def test_glob_of_a_literal_path_matches_that_path_and_what_is_below_it(path: str) -> None:
    literal = "".join(f"[{char}]" if char in "[]*?\\" else char for char in path)
    assert Glob(literal).matches(path)
    assert Glob(literal).matches(f"{path}/below.txt")
    assert Glob("**").matches(path)


@settings(max_examples=EXAMPLES["glob"])
@given(
    st.lists(
        st.tuples(
            st.lists(
                st.one_of(st.text(_segment_chars, min_size=1, max_size=4), st.just("**")),
                min_size=1,
                max_size=3,
            ).map("/".join),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    _paths,
)
def test_the_quick_filter_never_turns_away_a_path_a_glob_matches(
    patterns: list[tuple[str, bool]], path: str
) -> None:
    globs = [Glob(pattern, ignore_case) for pattern, ignore_case in patterns]
    quick = quick_filter(globs)
    if quick is not None and matches_any(globs, path):
        assert may_match(quick, path)


# -- configuration ---------------------------------------------------------------------

_yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(["off", "error", "warning", "*.py", "docs/**", "TODO", "Backlog", ""]),
    st.text(max_size=10),
)
_yaml_values = st.recursive(
    _yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "plans",
                    "path",
                    "covers",
                    "todo",
                    "tags",
                    "exclude",
                    "inbox",
                    "checks",
                    "PK101",
                    "plan-updated",
                    "resume",
                    "handoff",
                    "exempt",
                    "x",
                ]
            ),
            children,
            max_size=3,
        ),
    ),
    max_leaves=8,
)


def _to_yaml(value: object) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


_config_texts = st.one_of(
    _yaml_values.map(_to_yaml),
    st.text(st.sampled_from(list("ab: -[]{}\n\t'\"&*!|>%@`#,?")), max_size=60),
)


@settings(
    max_examples=EXAMPLES["config"],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_config_texts)
def test_config_on_arbitrary_yaml_raises_only_config_error(tmp_path: Path, text: str) -> None:
    (tmp_path / ".plankeeper.yaml").write_text(text, encoding="utf-8")
    try:
        load_config(tmp_path)
    except ConfigError as error:
        message = str(error)
        assert "\n" not in message
        assert message.startswith(".plankeeper.yaml")


# -- surgical edits --------------------------------------------------------------------

_new_lines = st.lists(
    st.binary(max_size=12).filter(lambda line: b"\n" not in line and b"\r" not in line),
    max_size=4,
)


@settings(max_examples=EXAMPLES["edit"])
@given(st.binary(max_size=300), _new_lines)
def test_append_lines_keeps_original_bytes_as_prefix(data: bytes, lines: list[bytes]) -> None:
    result = append_lines(data, lines)
    assert result.startswith(data)
    tail = result[len(data) :]
    if lines:
        # At most the missing line ending of the last line, then the new lines.
        ending = b"\r\n" if tail.endswith(b"\r\n") else b"\n"
        body = tail[len(ending) :] if data and not data.endswith((b"\n", b"\r")) else tail
        assert body == b"".join(line + ending for line in lines)
    else:
        assert tail == b""


@settings(max_examples=EXAMPLES["edit"])
@given(st.binary(max_size=300), st.integers(0, 40), _new_lines)
def test_insert_lines_changes_only_its_own_lines(
    data: bytes, after: int, lines: list[bytes]
) -> None:
    result = insert_lines(data, after, lines)
    kept = data.splitlines(keepends=True)
    if not lines:
        assert result == data
    elif after >= len(kept):
        assert result == append_lines(data, lines)
    else:
        head = b"".join(kept[:after])
        assert result.startswith(head)
        assert result.endswith(b"".join(kept[after:]))
        inserted = result[len(head) : len(result) - len(b"".join(kept[after:]))]
        ending = b"\r\n" if inserted.endswith(b"\r\n") else b"\n"
        assert inserted == b"".join(line + ending for line in lines)
        # The result minus the inserted lines is the original, byte for byte.
        assert head + result[len(head) + len(inserted) :] == data


# -- other engineers' modules, once they exist -----------------------------------------


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


_source_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "# TODO x",
                "// FIXME(T1) y",
                "/* XXX",
                "*/",
                '"TODO"',
                "'''",
                '"""',
                "--HACK",
                "<!-- TODO -->",
                "; TODO",
                "\\",
                "\r\n",
                "\n",
                "r'",
                "`",
                "TODO(",
                "#",
                "\0",
            ]
        ),
        max_size=30,
    ).map("".join),
)


@pytest.mark.skipif(not _has("plankeeper.todos"), reason="plankeeper.todos not built yet")
@settings(max_examples=EXAMPLES["todos"], deadline=None)
@given(
    _source_text,
    st.sampled_from(
        [
            "a.py",
            "a.js",
            "a.sh",
            "a.sql",
            "a.html",
            "a.lisp",
            "a.c",
            "a.rb",
            "a.md",
            "Makefile",
            "Dockerfile",
            "a.hs",
        ]
    ),
)
def test_todo_lexers_never_raise_on_arbitrary_text(text: str, name: str) -> None:
    from plankeeper.todos import scan as todos

    for data in (text.encode("utf-8", "surrogatepass"), text.encode("utf-16")):
        for item in todos.scan(name, data, ("TODO", "FIXME", "XXX", "HACK")):
            assert item.line >= 1
            assert item.path == name


@pytest.mark.skipif(
    not _has("plankeeper.report.github"), reason="plankeeper.report.github not built yet"
)
@settings(max_examples=EXAMPLES["escape"])
@given(st.text(max_size=80))
def test_workflow_command_escaping_round_trips_without_commands(text: str) -> None:
    from plankeeper.report import github

    def unescape(escaped: str) -> str:
        return (
            escaped.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
        )

    data = github.escape_data(text)
    prop = github.escape_property(text)
    for escaped in (data, prop):
        assert "\n" not in escaped
        assert "\r" not in escaped
    # A message follows the command's own `::`, so only a property must not hold one.
    assert "::" not in prop
    assert ":" not in prop
    assert "," not in prop
    if "##[" not in text:
        assert unescape(data) == text
        assert unescape(prop) == text


# -- sections: a plan cut at its headings parses as the whole ---------------------------------

# Lines that open, close or hide what could hold a heading line: fences of every indent,
# the HTML blocks, link definitions, quotes, list items and headings in and out of column 1.
_SECTION_LINES = st.sampled_from(
    [
        *("", "", "", "# Heading", "## Phase 1: go", "### Sub", "#nohead", "  # indented"),
        *("```", "````", "~~~", "```py", "``` `x`", "  ```", "   ~~~", "    ```", "\t```"),
        *("<!--", "-->", "<!-- one line -->", "<div>", "</div>", "<span>", "<pre>", "</pre>"),
        *("<script>", "</script>", "<?php", "?>", "<!DOCTYPE html", "<![CDATA[", "]]>"),
        *("[a]: /url", '[a]: /url "title', 'title"', "> quote", "> ```", "> # quoted"),
        *("- [ ] T1 open", "  - [x] T2 done", "    - [ ] T3 deep", "-[ ] T4 tight"),
        *("1. [ ] T5 numbered", "* [ ] T6 star", "- item", "  text", "text", "===", "---"),
        "\t# tabbed",
        # A blank line and a heading: where the text may be cut, often.
        *("\n# Cut here", "\n## Phase 2: cut", "\n# Cut here", "\n## Phase 2: cut"),
    ]
)


@settings(max_examples=EXAMPLES["sections"], suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SECTION_LINES, max_size=40).map("\n".join))
def test_a_plan_cut_into_sections_parses_as_the_whole(text: str) -> None:
    from plankeeper.plans.cache import to_json

    whole = parse_cut(text)
    # Size 0 cuts at every line that may start a section, not only at headings.
    assert parse_cut(text, 0) == whole
    assert to_json(parse_plan(text, "p.md")) == whole
