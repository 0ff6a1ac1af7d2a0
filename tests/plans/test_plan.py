"""The plan model of SPEC: tasks, boxes, ids, phases, current phase, next task."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plankeeper.plans.plan import Plan, Status, parse_id, parse_plan
from tests.conftest import parse_cut


def tasks_of(text: str) -> list[tuple[int, str, Status, bool]]:
    plan = parse_plan(text, "docs/plans/X_MASTERPLAN.md")
    return [(task.line, task.text, task.status, task.malformed) for task in plan.tasks]


@pytest.mark.parametrize(
    ("line", "status"),
    [
        pytest.param("- [ ] a", Status.OPEN, id="open"),
        pytest.param("- [x] a", Status.DONE, id="done-lower"),
        pytest.param("- [X] a", Status.DONE, id="done-upper"),
        pytest.param("- [-] a", Status.IN_PROGRESS, id="dash"),
        pytest.param("- [~] a", Status.IN_PROGRESS, id="tilde"),
        pytest.param("- [/] a", Status.IN_PROGRESS, id="slash"),
        pytest.param("* [x] a", Status.DONE, id="star-bullet"),
        pytest.param("+ [x] a", Status.DONE, id="plus-bullet"),
        pytest.param("1. [x] a", Status.DONE, id="ordered-dot"),
        pytest.param("1) [x] a", Status.DONE, id="ordered-paren"),
    ],
)
def test_box_markers(line: str, status: Status) -> None:
    assert tasks_of(line + "\n") == [(1, "a", status, False)]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("- [] a", id="empty"),
        pytest.param("- [ x] a", id="space-x"),
        pytest.param("- [v] a", id="v"),
        pytest.param("- [xx] a", id="xx"),
        pytest.param("-[ ] a", id="no-space-after-bullet"),
        pytest.param("-[x] a", id="no-space-done-is-not-done"),
    ],
)
def test_malformed_boxes_are_open_tasks(line: str) -> None:
    assert tasks_of(line + "\n") == [(1, "a", Status.OPEN, True)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- plain item\n", id="no-box"),
        pytest.param("- [1] Smith et al.\n", id="reference-list"),
        pytest.param("- [link](http://example.com) text\n", id="link"),
        pytest.param("```\n- [ ] fenced\n```\n", id="fenced"),
        pytest.param("~~~md\n- [x] fenced\n~~~\n", id="tilde-fence"),
        pytest.param("Para\n\n    - [ ] indented code\n", id="indented-code"),
        pytest.param("<div>\n- [ ] html\n</div>\n", id="html-block"),
        pytest.param("<!--\n- [ ] in a comment\n-->\n", id="html-comment"),
        pytest.param("| a | - [ ] b |\n|---|---|\n", id="table"),
        pytest.param("text - [ ] inline\n", id="mid-line"),
    ],
)
def test_what_is_not_a_task(text: str) -> None:
    assert tasks_of(text) == []


def test_tasks_at_any_depth_and_in_quotes() -> None:
    text = "- [ ] top\n  - [x] nested\n    1. [ ] deeper\n\n> - [ ] quoted\n"
    assert [(line, text) for line, text, _, _ in tasks_of(text)] == [
        (1, "top"),
        (2, "nested"),
        (3, "deeper"),
        (5, "quoted"),
    ]


def test_subtasks_know_their_parent() -> None:
    plan = parse_plan("- [ ] parent\n  - plain\n    - [x] child\n", "p.md")
    parent, child = plan.tasks
    assert child.parent is parent
    assert parent.children == [child]


def test_optional_marker_after_the_box() -> None:
    plan = parse_plan("- [ ]* 2.2 Write property tests\n- [ ] 2.3 Required\n", "tasks.md")
    first, second = plan.tasks
    assert (first.optional, first.id, first.text) == (True, "2.2", "Write property tests")
    assert second.optional is False


def test_optional_marker_escaped_by_prettier() -> None:
    plan = parse_plan("- [ ]\\* 2.2 Write property tests\n- [x]\\* 2.3 Done\n", "tasks.md")
    first, second = plan.tasks
    assert (first.optional, first.id, first.text) == (True, "2.2", "Write property tests")
    assert (second.optional, second.is_done) == (True, True)


@pytest.mark.parametrize(
    ("text", "identifier", "rest"),
    [
        pytest.param("T001 Create project", "T001", "Create project", id="spec-kit"),
        pytest.param("P2.3 Build", "P2.3", "Build", id="dotted"),
        pytest.param("AUTH-12 Login", "AUTH-12", "Login", id="dashed"),
        pytest.param("1.2 Sub", "1.2", "Sub", id="numeric"),
        pytest.param("1.2a Sub", "1.2a", "Sub", id="letter-suffix"),
        pytest.param("3. Third", "3", "Third", id="trailing-dot"),
        pytest.param("**T014** Bold", "T014", "Bold", id="bold"),
        pytest.param("`T015` Code", "T015", "Code", id="code-span"),
        pytest.param("Write the docs", None, "Write the docs", id="no-id"),
        pytest.param("alice reviews", None, "alice reviews", id="word"),
        pytest.param("T001", "T001", "", id="id-only"),
    ],
)
def test_task_ids(text: str, identifier: str | None, rest: str) -> None:
    assert parse_id(text) == (identifier, rest)


def test_phases_are_headings_starting_with_the_word_phase() -> None:
    text = (
        "# Plan\n\n## Phase 1: Setup\n- [x] a\n### Details\n- [ ] b\n\n"
        "## PHASE 2 checks\n- [ ] c\n\n## Phases of the moon\n"
    )
    plan = parse_plan(text, "p.md")
    assert [(phase.title, phase.done, phase.total) for phase in plan.phases] == [
        ("Phase 1: Setup", 1, 2),
        ("PHASE 2 checks", 0, 1),
    ]


def test_tasks_outside_phase_sections_keep_the_section_of_their_heading() -> None:
    """Chosen where SPEC is silent: such tasks stay visible to `status` and `next`."""
    text = "# Plan\n## Phase 1\n- [x] a\n## Backlog\n- [ ] later\n"
    plan = parse_plan(text, "p.md")
    assert [(phase.title, phase.total) for phase in plan.phases] == [("Phase 1", 1), ("Backlog", 1)]
    assert current_and_next(text) == ("Backlog", "later")


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("## Backlog\n- [ ] someday\n", id="backlog-first"),
        pytest.param("## Phases overview\n- [ ] overview item\n", id="phases-overview"),
        pytest.param("- [ ] before any heading\n", id="no-heading"),
    ],
)
def test_with_phase_headings_tasks_before_them_do_not_make_the_current_phase(before: str) -> None:
    text = f"# Plan\n{before}## Phase 1\n- [x] a\n## Phase 2\n- [ ] T2 b\n"
    assert current_and_next(text) == ("Phase 2", "[T2] b")


def test_other_tasks_come_after_every_phase_in_document_order() -> None:
    text = "## Backlog\n- [ ] first\n## Phase 1\n- [x] a\n## Later\n- [ ] second\n"
    assert current_and_next(text) == ("Backlog", "first")


def test_without_phase_headings_every_heading_with_tasks_is_a_phase() -> None:
    text = "# Plan\nintro\n## Build\n- [x] a\n## Empty\ntext\n## Ship\n- [ ] b\n"
    plan = parse_plan(text, "p.md")
    assert [(phase.title, phase.total) for phase in plan.phases] == [("Build", 1), ("Ship", 1)]


def test_without_headings_the_plan_is_one_phase() -> None:
    plan = parse_plan("- [x] a\n- [ ] b\n", "p.md")
    assert [(phase.title, phase.done, phase.total) for phase in plan.phases] == [("", 1, 2)]


def test_setext_headings_are_headings() -> None:
    plan = parse_plan("Phase 1\n=======\n- [ ] a\n", "p.md")
    assert [phase.title for phase in plan.phases] == ["Phase 1"]


def current_and_next(text: str) -> tuple[str | None, str | None]:
    plan: Plan = parse_plan(text, "p.md")
    phase = plan.current_phase()
    task = plan.next_task()
    return (phase.title if phase else None, task.label() if task else None)


def test_current_phase_is_the_first_with_an_open_required_task() -> None:
    text = "## Phase 1\n- [x] a\n- [ ]* optional\n## Phase 2\n- [ ] T2 b\n"
    assert current_and_next(text) == ("Phase 2", "[T2] b")


def test_next_task_is_the_first_open_leaf() -> None:
    text = "## Phase 1\n- [ ] parent\n  - [x] done child\n  - [ ] open child\n- [ ] sibling\n"
    assert current_and_next(text) == ("Phase 1", "open child")


def test_optional_subtasks_do_not_keep_a_parent_from_being_a_leaf() -> None:
    text = "- [ ] 1. parent\n  - [x] 1.1 done\n  - [ ]* 1.2 optional\n- [ ] 2. next\n"
    assert current_and_next(text) == ("", "[1] parent")


def test_in_progress_tasks_are_open() -> None:
    assert current_and_next("- [x] a\n- [-] b\n") == ("", "b")


def test_all_done_has_no_current_phase() -> None:
    assert current_and_next("## Phase 1\n- [x] a\n") == (None, None)


def test_ids_are_unique_per_file_lookup() -> None:
    plan = parse_plan("- [ ] T001 a\n- [x] T001 again\n- [ ] T002 b\n", "tasks.md")
    assert {key: [task.line for task in tasks] for key, tasks in plan.tasks_by_id().items()} == {
        "T001": [1, 2],
        "T002": [3],
    }


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param("# P\r\n\r\n- [ ] a\r\n- [x] b\r\n", [3, 4], id="crlf"),
        pytest.param("# P\n\n- [ ] a\n- [x] b", [3, 4], id="no-final-newline"),
        pytest.param("\ufeff# P\n- [ ] a\n", [2], id="bom-kept-in-text"),
    ],
)
def test_line_numbers_survive_line_endings(text: str, lines: list[int]) -> None:
    assert [task.line for task in parse_plan(text, "p.md").tasks] == lines


def test_column_points_at_the_box() -> None:
    plan = parse_plan("- [ ] a\n   - [x] b\n> * [ ] c\n", "p.md")
    assert [(task.line, task.column) for task in plan.tasks] == [(1, 3), (2, 6), (3, 5)]


def test_paths_and_names_for_qualified_references() -> None:
    plan = parse_plan("", "specs/001-auth/tasks.md")
    assert (plan.name, plan.folder) == ("tasks", "001-auth")


# -- sections: where a plan may be cut, and where it may not --------------------------------


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        pytest.param("# A\n\n- [ ] T1 a\n\n## B\n- [x] T2 b\n", 2, id="heading-after-blank"),
        pytest.param("# A\n- [ ] T1 a\n## B\n", 1, id="heading-after-text-stays"),
        pytest.param("```\n\n# In a fence\n```\n\n# After\n", 2, id="fence"),
        pytest.param("```\n    ```\n\n# In a fence\n```\n", 1, id="indented-4-closes-nothing"),
        pytest.param("```\n   ```\n\n# After the fence\n", 2, id="indented-3-closes"),
        pytest.param("``` `x`\n\n# A heading, no fence before\n", 2, id="backtick-info"),
        pytest.param("- item\n  ```\n\n```\n\n# In a fence\n", 1, id="fence-in-list-item"),
        pytest.param("<div>\n```\n\n```\n\n# In a fence\n", 1, id="fence-after-html"),
        pytest.param('[a]: /u "t\n```\n\n```\n\n# In a fence\n', 1, id="fence-after-link"),
        pytest.param("<pre>\n</script>\n\n# In pre\n</pre>\n", 1, id="pre-ends-at-its-tag"),
        pytest.param("<!-- a -->\n\n# After a comment\n", 2, id="comment-on-one-line"),
        pytest.param("<!--\n\n# In a comment\n-->\n\n# After\n", 2, id="comment"),
        pytest.param("<![CDATA[\n\n# In CDATA\n]]>\n", 1, id="cdata"),
        pytest.param("<!--\n```\n-->\n\n# After\n", 1, id="fence-in-comment"),
        pytest.param("> quote\n> ```\n\n# After a quote\n", 2, id="quote"),
    ],
)
def test_a_plan_is_cut_only_where_its_parts_parse_as_the_whole(text: str, sections: int) -> None:
    from plankeeper.plans.cache import to_json
    from plankeeper.plans.sections import split_sections

    assert len(split_sections(text)) == sections
    assert to_json(parse_plan(text, "p.md")) == parse_cut(text)
    assert parse_cut(text, 0) == parse_cut(text)


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        pytest.param("- [ ] T1 a\n\n- [ ] T2 b\n", 2, id="items-of-a-loose-list"),
        pytest.param("- [ ] T1 a\n\n  - [ ] T2 child\n", 1, id="indented-child"),
        pytest.param("- [ ] T1 a\n\n  more\n\ntext\n", 2, id="paragraph-after-a-list"),
        pytest.param("> quote\n\n- [ ] T1 a\n", 2, id="after-a-quote"),
        pytest.param("- [ ] T1 a\n- [ ] T2 b\n", 2, id="items-of-a-tight-list"),
        pytest.param("- [ ] T1 a\n  - [ ] T2 b\n- [ ] T3 c\n", 2, id="after-a-child"),
        pytest.param("text\n- [ ] T1 a\n", 2, id="item-after-a-paragraph"),
        pytest.param("text\n2. [ ] T1 a\n", 1, id="ordered-item-continues-a-paragraph"),
        pytest.param("text\n-\n", 1, id="setext-underline"),
        pytest.param("<div>\n- [ ] T1 a\n", 1, id="item-in-html"),
        pytest.param('[a]: /u "t\n- [ ] T1 a\n', 1, id="item-in-a-link-title"),
        pytest.param("> quote\n- [ ] T1 a\n", 2, id="item-after-a-quote"),
        pytest.param("```\n- [ ] T1 a\n\n- [ ] T2 b\n```\n", 1, id="in-a-fence"),
    ],
)
def test_a_plan_cut_by_size_parses_as_the_whole(text: str, sections: int) -> None:
    from plankeeper.plans.sections import split_sections

    assert len(split_sections(text, 0)) == sections
    assert parse_cut(text, 0) == parse_cut(text)


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(["-"], id="bare-bullets"),
        pytest.param(["1."], id="bare-numbers"),
        pytest.param(["- a", "1."], id="alternating-lists"),
        pytest.param(["- a", "  - a"], id="nested-items"),
        pytest.param(["> - a"], id="quoted-items"),
        pytest.param(["- [ ] b"], id="tasks"),
        pytest.param(["#"], id="headings"),
        pytest.param(["a", "", "- a", "-", "#", ">", "1.", "- [ ] b", "x"], id="mix"),
    ],
)
def test_plans_of_short_lines_never_reach_markos_per_line_rules(lines: list[str]) -> None:
    # SPEC: a 1 MB plan of any shape parses in under 2 s. marko spends about 250 Python
    # calls on a short line (5-15 s per MB); simple_blocks reads these shapes itself, and
    # marko's rules never see one of their blocks. Speed itself is benchmarks/' business
    # (`plan_benchmark.py --one-line`), not a timed test.
    from plankeeper.plans.simple_blocks import Reader

    block = "".join(line + "\n" for line in lines)
    text = "# Plan\n\n" + block * (20_000 // len(block))
    handed_to_marko: list[int] = []

    def fallback(index: int) -> tuple[None, None]:
        handed_to_marko.append(index)
        return None, None

    Reader(text).document(fallback)
    assert handed_to_marko == []
    plan = parse_plan(text, "docs/plans/X_MASTERPLAN.md")
    assert plan.line_count == text.count("\n") + 1


@pytest.mark.parametrize(
    ("text", "imports_marko"),
    [
        pytest.param(
            "# Plan\n\n## Phase 1: A\n\n- [ ] T001 a\n  - [x] T002 b\n", False, id="plain"
        ),
        pytest.param("# Plan\n\n> quoted\n\ntext\n---\n", False, id="quote-and-setext"),
        pytest.param("# Plan\n\n```sh\nmake\n```\n", True, id="a-fence-needs-marko"),
    ],
)
def test_marko_is_imported_only_for_a_block_left_to_it(text: str, imports_marko: bool) -> None:
    # A fresh interpreter: this test process has long imported marko.
    code = (
        "import sys; from plankeeper.plans.plan import parse_plan; "
        f"parse_plan({text!r}, 'docs/plans/X_MASTERPLAN.md'); print('marko' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(imports_marko)
