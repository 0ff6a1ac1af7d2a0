"""The todos-tracked check: PK201 untracked, PK202 referenced task done, PK203 unknown id."""

from __future__ import annotations

import pytest

from plankeeper.plans.plan import parse_plan
from plankeeper.todos.scan import Todo, scan
from plankeeper.todos.tracking import Tracker, is_tracked
from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
TAGS = ("TODO", "FIXME", "XXX", "HACK")


@pytest.fixture
def planned(repo: Repo) -> Repo:
    """A repository whose masterplan (T001 open, T002 done) is committed."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    return repo


def summary(errors: int, files: int = 1) -> str:
    return (
        f"plankeeper: {errors} error{'s' if errors != 1 else ''}, 0 warnings, "
        f"{files} file{'s' if files != 1 else ''} checked\n"
    )


def check(repo: Repo, *args: str) -> tuple[int, str]:
    result = repo.run("check", "todos-tracked", *args)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout


def todo(source: str, path: str = "src/a.py") -> Todo:
    (found,) = scan(path, source.encode(), TAGS)
    return found


# -- the rules, as predicates -------------------------------------------------------------

MASTER = parse_plan(MINIMAL_PLAN, PLAN)


def test_reference_to_open_task_is_tracked() -> None:
    assert is_tracked(todo("# TODO(T001): later\n"), [MASTER])


def test_reference_to_done_task_is_pk202() -> None:
    assert Tracker([MASTER]).track(todo("# TODO(T002): again\n")).reason == "done"


def test_reference_to_unknown_id_is_pk203() -> None:
    assert Tracker([MASTER]).track(todo("# TODO(T404): gone\n")).reason == "unknown-id"


def test_text_contained_in_open_task_is_tracked() -> None:
    tracking = Tracker([MASTER]).track(todo("# TODO: First task!\n"))
    assert (tracking.reason, tracking.task.line if tracking.task else None) == (None, 10)


def test_text_of_done_task_only_is_pk201() -> None:
    assert Tracker([MASTER]).track(todo("# TODO done task\n")).reason == "untracked"


def test_text_must_match_whole_words() -> None:
    assert not is_tracked(todo("# TODO first ta\n"), [MASTER])


def test_todo_without_words_is_pk201() -> None:
    assert Tracker([MASTER]).track(todo("# TODO: ...\n")).reason == "untracked"


def test_name_in_parentheses_is_no_reference_and_the_text_rule_applies() -> None:
    assert is_tracked(todo("# TODO(alice): first task\n"), [MASTER])


def test_task_id_counts_as_part_of_its_text() -> None:
    assert is_tracked(todo("# TODO T001 first\n"), [MASTER])


def test_done_in_one_plan_open_in_another_is_tracked() -> None:
    other = parse_plan("- [ ] T002 redo it\n", "specs/001-auth/tasks.md", is_masterplan=False)
    assert is_tracked(todo("# TODO(T002): again\n"), [MASTER, other])


def test_qualified_reference_names_the_plan_by_folder() -> None:
    other = parse_plan("- [ ] T014 login\n", "specs/001-auth/tasks.md", is_masterplan=False)
    tracker = Tracker([MASTER, other])
    assert tracker.track(todo("# TODO(001-auth/T014): login\n")).plan is other


def test_qualified_reference_names_the_plan_by_file_name() -> None:
    assert is_tracked(todo("# TODO(DEMO_MASTERPLAN/T001): x\n"), [MASTER])


def test_qualified_reference_to_another_plan_is_pk203() -> None:
    other = parse_plan("- [ ] T014 login\n", "specs/001-auth/tasks.md", is_masterplan=False)
    assert (
        Tracker([MASTER, other]).track(todo("# TODO(002-pay/T014): pay\n")).reason == "unknown-id"
    )


# -- the check, end to end ----------------------------------------------------------------


def test_untracked_todo_is_pk201(planned: Repo) -> None:
    planned.write("src/a.py", "x = 1\n# TODO write the docs\n")
    planned.stage()
    assert check(planned) == (
        1,
        "src/a.py:2:3: PK201 TODO is not tracked by any open task: write the docs "
        "[todos-tracked]\n" + summary(1),
    )


def test_todo_in_the_script_of_a_vue_component_is_pk201(planned: Repo) -> None:
    planned.write(
        "src/App.vue",
        "<template>\n  <p>TODO is text here</p>\n</template>\n"
        '<script setup lang="ts">\n// TODO wire the store\n</script>\n',
    )
    planned.stage()
    assert check(planned) == (
        1,
        "src/App.vue:5:4: PK201 TODO is not tracked by any open task: wire the store "
        "[todos-tracked]\n" + summary(1),
    )


def test_todo_referencing_open_task_passes(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO(T001): later\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_todo_referencing_done_task_is_pk202(planned: Repo) -> None:
    planned.write("src/a.py", "# FIXME(T002): again\n")
    planned.stage()
    assert check(planned) == (
        1,
        f"src/a.py:1:3: PK202 FIXME(T002) references task T002, which is done ({PLAN}:11) "
        "[todos-tracked]\n" + summary(1),
    )


def test_todo_referencing_unknown_id_is_pk203(planned: Repo) -> None:
    planned.write("src/a.js", "let x; // TODO(#AUTH-12) sign in\n")
    planned.stage()
    assert check(planned) == (
        1,
        "src/a.js:1:11: PK203 TODO(#AUTH-12) references AUTH-12, which no plan defines "
        "[todos-tracked]\n" + summary(1),
    )


def test_bracket_reference_to_open_task_passes(planned: Repo) -> None:
    planned.write("src/a.c", "/* FIXME[T001] later */\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_spec_kit_task_file_tracks_a_qualified_reference(planned: Repo) -> None:
    planned.write("specs/001-auth/tasks.md", "# Tasks\n\n- [ ] T014 login form\n")
    planned.write("src/a.py", "# TODO(001-auth/T014): login\n")
    planned.stage()
    assert check(planned) == (0, summary(0, files=2))


def test_text_rule_matches_an_open_task(planned: Repo) -> None:
    planned.write("src/a.go", "package a // HACK: First Task\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_todo_without_text_is_pk201(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO\n")
    planned.stage()
    assert check(planned) == (
        1,
        "src/a.py:1:3: PK201 TODO is not tracked by any open task (it has no text) "
        "[todos-tracked]\n" + summary(1),
    )


def test_tag_inside_a_string_is_no_todo(planned: Repo) -> None:
    planned.write("src/a.py", 'x = "TODO not a comment"\ny = """\n# FIXME neither\n"""\n')
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_findings_are_sorted_by_path_and_line(planned: Repo) -> None:
    planned.write("src/b.py", "# TODO bbb\n")
    planned.write("src/a.py", "# XXX aaa two\n# XXX aaa one\n")
    planned.stage()
    code, out = check(planned)
    assert (code, [line.split(" PK")[0] for line in out.splitlines()[:-1]]) == (
        1,
        ["src/a.py:1:3:", "src/a.py:2:3:", "src/b.py:1:3:"],
    )


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(PLAN, id="masterplan"),
        pytest.param("SESSION_HANDOFF.md", id="handoff-notes"),
        pytest.param("skills/demo-resume.md", id="resume-file"),
    ],
)
def test_plan_resume_and_handoff_files_are_never_scanned(planned: Repo, path: str) -> None:
    planned.write(path, MINIMAL_PLAN + "\n<!-- TODO never reported -->\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_config_file_is_never_scanned(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "# TODO never reported\nexempt: []\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_excluded_files_are_not_scanned(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "todo:\n  exclude: ['vendor/**']\n")
    planned.commit("config")
    planned.write("vendor/lib.py", "# TODO not ours\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_configured_tags_are_the_ones_looked_for(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "todo:\n  tags: [NOTE]\n")
    planned.commit("config")
    planned.write("src/a.py", "# TODO ignored\n# NOTE not tracked\n")
    planned.stage()
    assert check(planned) == (
        1,
        "src/a.py:2:3: PK201 NOTE is not tracked by any open task: not tracked "
        "[todos-tracked]\n" + summary(1),
    )


def test_only_changed_files_are_scanned_in_staged_mode(planned: Repo) -> None:
    planned.write("src/old.py", "# TODO committed earlier\n")
    planned.commit("old")
    planned.write("src/new.py", "# TODO(T001) new\n")
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_staged_version_is_scanned_not_the_working_tree(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO(T001) staged\n")
    planned.stage()
    planned.write("src/a.py", "# TODO unstaged and untracked\n")
    assert check(planned) == (0, summary(0))


def test_deleted_file_is_not_scanned(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO old\n")
    planned.commit("a")
    planned.git("rm", "-q", "src/a.py")
    assert check(planned) == (0, summary(0))


def test_binary_and_undecodable_files_do_not_crash(planned: Repo) -> None:
    planned.write("src/blob.py", b"# TODO binary\0\xff")
    planned.write("src/latin.py", b"# caf\xe9 TODO(T001) ok\n")
    planned.stage()
    assert check(planned) == (0, summary(0, files=2))


def test_all_files_scans_the_whole_tree_untracked_included(planned: Repo) -> None:
    planned.write(".gitignore", "build/\n")
    planned.write("src/old.py", "# TODO committed\n")
    planned.commit("old")
    planned.write("src/untracked.sh", "echo # TODO untracked\n")
    planned.write("build/out.py", "# TODO ignored\n")
    code, out = check(planned, "--all-files")
    assert (code, out.splitlines()[:-1]) == (
        1,
        [
            "src/old.py:1:3: PK201 TODO is not tracked by any open task: committed [todos-tracked]",
            "src/untracked.sh:1:8: PK201 TODO is not tracked by any open task: untracked "
            "[todos-tracked]",
        ],
    )


def test_file_arguments_limit_the_scan(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO in a\n")
    planned.write("src/b.py", "# TODO in b\n")
    planned.stage()
    code, out = check(planned, "src/b.py")
    assert (code, out.splitlines()[0]) == (
        1,
        "src/b.py:1:3: PK201 TODO is not tracked by any open task: in b [todos-tracked]",
    )


def test_repository_without_plan_reports_every_todo(repo: Repo) -> None:
    repo.write("src/a.py", "# TODO(T001) x\n")
    repo.stage()
    code, out = check(repo)
    assert (code, out.splitlines()[0]) == (
        1,
        "src/a.py:1:3: PK203 TODO(T001) references T001, which no plan defines [todos-tracked]",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"x = 1  # TODO later\n", True, id="utf-8"),
        pytest.param("x = 1  # TODO caf\u00e9\n".encode("latin-1"), True, id="latin-1"),
        pytest.param(b"x = 1  # nothing to do\n", False, id="no-tag"),
    ],
)
def test_the_tag_prefilter_never_drops_a_file_that_may_hold_a_tag(
    data: bytes, expected: bool
) -> None:
    from plankeeper.checks.todos_tracked import may_hold_tag

    assert may_hold_tag([data], ["TODO", "FIXME"]) is expected


def test_a_utf16_file_is_binary_as_to_git(planned: Repo) -> None:
    planned.write("src/wide.py", "x = 1\n# TODO wide characters\n".encode("utf-16"))
    planned.stage()
    result = planned.run("check", "todos-tracked")
    assert (result.returncode, result.stdout) == (
        0,
        "plankeeper: 0 errors, 0 warnings, 1 file checked\n",
    )
    assert "Binary" in planned.git("diff", "--cached", "--stat", "--", "src/wide.py") or (
        "-\t-\t" in planned.git("diff", "--cached", "--numstat", "--", "src/wide.py")
    )


# -- specific text matching (SPEC § Changes: tracked by text only when specific) ----------

SCAFFOLD_TASK = "# P\n\n## Phase 2\n- [ ] P2.1 Build the smallest version that meets the first goal"
LEGACY_TASK = "# P\n\n## Backlog\n- [ ] Fix this consistently in format_type (mypy/messages.py)\n"
CLIENT_TASK = "# P\n\n## Phase 1\n- [ ] Add retry logic to the client\n"


@pytest.mark.parametrize(
    ("plan_text", "source", "tracked"),
    [
        pytest.param(SCAFFOLD_TASK, "# TODO: first\n", False, id="one-word-in-scaffold-task"),
        pytest.param(LEGACY_TASK, "# TODO: fix this\n", False, id="two-words-in-legacy-task"),
        pytest.param(CLIENT_TASK, "# TODO: add retry logic\n", True, id="half-the-words"),
        pytest.param(CLIENT_TASK, "# TODO: retry\n", False, id="one-word-of-six"),
    ],
)
def test_text_match_counts_only_when_specific(plan_text: str, source: str, tracked: bool) -> None:
    plan = parse_plan(plan_text, PLAN)
    assert is_tracked(todo(source), [plan]) is tracked


def test_task_naming_the_todos_file_tracks_a_short_text() -> None:
    plan = parse_plan(LEGACY_TASK, PLAN)
    assert is_tracked(todo("# TODO: fix this\n", "mypy/messages.py"), [plan])


def test_a_later_specific_task_tracks_when_the_first_match_is_not() -> None:
    plan = parse_plan(LEGACY_TASK + "- [ ] Fix this\n", PLAN)
    tracking = Tracker([plan]).track(todo("# TODO: fix this\n"))
    assert (tracking.reason, tracking.task.line if tracking.task else None) == (None, 5)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("# TODO: placeholder  # plankeeper: ignore\n", id="python"),
        pytest.param("# TODO(T404): gone  # plankeeper: ignore\n", id="unknown-reference"),
        pytest.param("# HACK plankeeper:ignore\n", id="no-space"),
    ],
)
def test_suppressed_todo_is_no_finding(planned: Repo, source: str) -> None:
    planned.write("src/a.py", source)
    planned.stage()
    assert check(planned) == (0, summary(0))


def test_suppression_marker_is_not_part_of_the_text() -> None:
    found = todo("# TODO: placeholder  # plankeeper: ignore\n")
    assert (found.text, found.suppressed) == ("placeholder", True)
