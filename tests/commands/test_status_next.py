"""`status` and `next`: progress per phase, the current phase, the next task, in text and JSON."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from plankeeper.plans.plan import parse_plan
from tests.conftest import MINIMAL_PLAN, Repo, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"

TWO_PHASES = """# Demo masterplan

## Phase 1: Start
- [x] T001 set up
- [x] T002 write the plan

## Phase 2: Build
- [x] T003 parser
- [ ] T004 checks
- [-] T005 reports
- [ ] write the docs
"""


def _run(repo: Repo, *args: str) -> tuple[int, str, str]:
    result = repo.run(*args)
    assert "Traceback" not in result.stderr
    return result.returncode, result.report, result.stderr


def test_status_shows_phases_current_phase_and_next_task(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    assert _run(repo, "status") == (
        0,
        f"{PLAN}: 3/6 tasks done\n"
        "  [####################] 2/2  Phase 1: Start\n"
        "  [#####---------------] 1/4  Phase 2: Build  <- current\n"
        f"  next: {PLAN}:9: [T004] checks\n",
        "",
    )


def test_status_lists_masterplans_first_then_task_files(repo: Repo) -> None:
    repo.write("specs/001-auth/tasks.md", "# Tasks\n\n## Phase 1: Setup\n- [ ] T001 init\n")
    repo.write(PLAN, "- [x] P1 done\n")
    assert _run(repo, "status") == (
        0,
        f"{PLAN}: 1/1 tasks done\n"
        "  [####################] 1/1  (no heading)\n"
        "  all tasks done\n"
        "\n"
        "specs/001-auth/tasks.md: 0/1 tasks done\n"
        "  [--------------------] 0/1  Phase 1: Setup  <- current\n"
        "  next: specs/001-auth/tasks.md:4: [T001] init\n",
        "",
    )


def test_status_of_a_plan_without_tasks_says_so(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\nNothing yet.\n")
    assert _run(repo, "status") == (0, f"{PLAN}: no tasks\n", "")


def test_status_without_plans_points_to_init(repo: Repo) -> None:
    assert _run(repo, "status") == (
        0,
        "",
        "plankeeper: no plans found: run `plankeeper init` to scaffold one\n",
    )


def test_status_json_without_plans_is_an_empty_list(repo: Repo) -> None:
    assert _run(repo, "status", "--json") == (0, '{\n  "version": 1,\n  "plans": []\n}\n', "")


def test_status_json_has_the_documented_structure(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    code, out, err = _run(repo, "status", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "version": 1,
        "plans": [
            {
                "path": PLAN,
                "kind": "masterplan",
                "done": 3,
                "total": 6,
                "phases": [
                    {"title": "Phase 1: Start", "line": 3, "done": 2, "total": 2},
                    {"title": "Phase 2: Build", "line": 7, "done": 1, "total": 4},
                ],
                "current_phase": {"title": "Phase 2: Build", "line": 7},
                "next_task": {"path": PLAN, "line": 9, "id": "T004", "text": "checks"},
            }
        ],
    }


def test_status_reads_the_working_tree_not_the_last_commit(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    repo.commit("plan")
    repo.write(PLAN, TWO_PHASES.replace("- [ ] T004", "- [x] T004"))
    code, out, _ = _run(repo, "next")
    assert (code, out) == (0, f"{PLAN}:10: [T005] reports\n")


def test_status_is_plain_when_stdout_is_no_terminal(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    code, out, _ = _run(repo, "status")
    assert (code, "\x1b" in out) == (0, False)


def _status_on_a_terminal(repo: Repo, environ: dict[str, str]) -> bytes:
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "plankeeper", "status"],
            cwd=repo.path,
            env=environ,
            stdout=follower,
            stderr=subprocess.PIPE,
            check=False,
        )
        os.close(follower)
        follower = -1
        assert process.returncode == 0
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # Linux: EIO once the terminal is closed and drained
                break
            if not chunk:
                break
            output += chunk
        return output
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


def test_status_is_coloured_on_a_terminal(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    environ = {key: value for key, value in git_environment().items() if key != "NO_COLOR"}
    environ["TERM"] = "xterm"
    assert b"\x1b[32m#####\x1b[0m" in _status_on_a_terminal(repo, environ)


def test_status_is_plain_on_a_terminal_with_no_color(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    environ = {**git_environment(), "NO_COLOR": "1", "TERM": "xterm"}
    assert b"\x1b" not in _status_on_a_terminal(repo, environ)


def test_next_prints_path_line_id_and_text(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    assert _run(repo, "next") == (0, f"{PLAN}:9: [T004] checks\n", "")


def test_next_of_a_task_without_id_prints_path_line_and_text(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\n- [x] T1 done\n- [ ] write the docs\n")
    assert _run(repo, "next") == (0, f"{PLAN}:4: write the docs\n", "")


def test_next_when_every_task_is_done_says_all_tasks_done(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\n- [x] T1 done\n")
    assert _run(repo, "next") == (0, "all tasks done\n", "")


def test_next_comes_from_the_phases_before_a_backlog_at_the_top(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\n## Backlog\n- [ ] B1 someday\n\n" + TWO_PHASES)
    assert _run(repo, "next") == (0, f"{PLAN}:14: [T004] checks\n", "")


def test_next_takes_the_backlog_when_every_phase_is_done(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\n## Backlog\n- [ ] B1 someday\n\n## Phase 1\n- [x] T1 a\n")
    assert _run(repo, "next") == (0, f"{PLAN}:4: [B1] someday\n", "")


def test_next_takes_the_first_plan_that_has_one(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\n- [x] T1 done\n")
    repo.write(".kiro/specs/auth/tasks.md", "# Implementation Plan\n\n- [ ] 1. Log in\n")
    assert _run(repo, "next") == (0, ".kiro/specs/auth/tasks.md:3: [1] Log in\n", "")


def test_next_paths_are_repo_relative_from_a_subdirectory(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    (repo.path / "src" / "deep").mkdir(parents=True)
    result = repo.run("next", cwd=repo.path / "src" / "deep")
    assert (result.returncode, result.report) == (0, f"{PLAN}:9: [T004] checks\n")


def test_next_json_is_the_task(repo: Repo) -> None:
    repo.write(PLAN, TWO_PHASES)
    code, out, _ = _run(repo, "next", "--json")
    assert (code, json.loads(out)) == (
        0,
        {"version": 1, "next_task": {"path": PLAN, "line": 9, "id": "T004", "text": "checks"}},
    )


def test_next_json_when_all_done_is_null(repo: Repo) -> None:
    repo.write(PLAN, "# Plan\n\n- [x] T1 done\n")
    assert _run(repo, "next", "--json") == (0, '{\n  "version": 1,\n  "next_task": null\n}\n', "")


def test_next_without_plans_points_to_init(repo: Repo) -> None:
    assert _run(repo, "next") == (
        0,
        "",
        "plankeeper: no plans found: run `plankeeper init` to scaffold one\n",
    )


def test_next_of_minimal_plan_is_its_open_task(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    assert _run(repo, "next") == (0, f"{PLAN}:10: [T001] first task\n", "")


# The plan model as the other tools use it.

KIRO = """# Implementation Plan

- [x] 1. Set up the project
  - _Requirements: 1.1_

- [ ] 2. Build the login
  - [x] 2.1 Write the form
  - [ ]* 2.2 Write the optional tests
  - [ ] 2.3 Wire the session
- [-] 3. Ship it
"""


def test_kiro_optional_task_is_counted_but_never_next() -> None:
    plan = parse_plan(KIRO, ".kiro/specs/login/tasks.md", is_masterplan=False)
    task = plan.next_task()
    assert (plan.done, plan.total, task and task.id) == (2, 6, "2.3")


def test_kiro_parent_whose_open_subtasks_are_optional_is_next() -> None:
    text = KIRO.replace("- [ ] 2.3 Wire the session", "- [x] 2.3 Wire the session")
    task = parse_plan(text, ".kiro/specs/login/tasks.md").next_task()
    assert (task and task.id, task and task.text) == ("2", "Build the login")


def test_kiro_in_progress_task_is_open() -> None:
    text = KIRO.replace("- [ ] 2.", "- [x] 2.").replace("- [ ]* 2.2", "- [x] 2.2")
    task = parse_plan(text, ".kiro/specs/login/tasks.md").next_task()
    assert (task and task.id, task and task.status.value) == ("3", "in progress")


def test_spec_kit_task_keeps_its_markers_in_the_text() -> None:
    text = "## Phase 3: User Story 1\n\n- [ ] T012 [P] [US1] Create the model in src/user.py\n"
    task = parse_plan(text, "specs/001-auth/tasks.md").next_task()
    assert (task and task.id, task and task.text) == (
        "T012",
        "[P] [US1] Create the model in src/user.py",
    )


def test_spec_kit_bold_id_with_marker_is_the_id() -> None:
    text = "- [ ] **T002 [P]** Contract test POST /events\n"
    task = parse_plan(text, "specs/004-events/tasks.md").next_task()
    assert (task and task.id, task and task.text) == ("T002", "**[P]** Contract test POST /events")


def test_spec_kit_legend_is_no_task() -> None:
    text = "## Format\n\n- [P] tasks = different files, no dependencies\n- [ ] T001 real\n"
    assert parse_plan(text, "specs/001-auth/tasks.md").total == 1


def test_openspec_numbered_headings_are_phases() -> None:
    text = "## 1. Config\n\n- [x] 1.1 Add the key\n\n## 2. Resolvers\n\n- [ ] 2.1 Resolve\n"
    plan = parse_plan(text, "openspec/changes/add-scope/tasks.md")
    current = plan.current_phase()
    assert ([p.title for p in plan.phases], current and current.title) == (
        ["1. Config", "2. Resolvers"],
        "2. Resolvers",
    )


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("## Prerequisites\n\n- [ ] check the keys\n\n", id="before-phases"),
        pytest.param("", id="after-phases"),
    ],
)
def test_tasks_outside_every_phase_section_are_counted_and_can_be_next(before: str) -> None:
    after = "" if before else "## Checklist\n\n- [ ] check the keys\n"
    text = f"# Deploy\n\n{before}## Phase 1: Push\n\nNo tasks.\n\n{after}"
    task = parse_plan(text, "docs/plans/DEPLOY_MASTERPLAN.md").next_task()
    assert (task and task.text) == "check the keys"


def test_tasks_after_a_nested_phase_belong_to_the_enclosing_phase() -> None:
    text = "# Phase 2 roadmap\n\n### Phase 1 recap\n\n## Checklists\n\n- [ ] test it\n"
    plan = parse_plan(text, "docs/plans/R_MASTERPLAN.md")
    task = plan.next_task()
    assert (task and task.phase and task.phase.title) == "Phase 2 roadmap"
