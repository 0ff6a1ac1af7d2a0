"""One list of checks: an unknown check name anywhere is exit 2 with a "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankeeper.checks import CHECKS
from plankeeper.findings import CHECK_NAMES
from tests.conftest import MINIMAL_PLAN, Repo
from tests.integrations.test_event import PASS_ONE, PullRequest, event, pr_payload, pull_request

__all__ = ["pull_request"]  # the fixture, used here by name

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
KNOWN = "the checks are plan-updated, todos-tracked, handoff-matches, plan-structure"


def unknown(where: str, name: str, close: str) -> str:
    return (
        f"plankeeper: error: {where}: unknown check {name!r} (did you mean {close!r}?); {KNOWN}\n"
    )


def staged_code(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    repo.write("src/app.py", "x = 1\n")
    repo.stage("src/app.py")


def test_check_names_are_the_checks_in_order() -> None:
    assert tuple(CHECKS) == CHECK_NAMES


@pytest.mark.parametrize("command", ["check", "hook"])
def test_mistyped_check_word_is_exit_2(repo: Repo, command: str) -> None:
    staged_code(repo)
    result = repo.run(command, "todo-tracked")
    assert (result.returncode, result.report) == (2, "")
    assert result.stderr == unknown(f"{command} todo-tracked", "todo-tracked", "todos-tracked")


def test_word_far_from_any_check_still_names_every_check(repo: Repo) -> None:
    staged_code(repo)
    result = repo.run("check", "lint")
    assert (result.returncode, result.stderr) == (
        2,
        f"plankeeper: error: check lint: unknown check 'lint'; {KNOWN}\n",
    )


def test_word_that_is_a_file_stays_a_file(repo: Repo) -> None:
    staged_code(repo)
    repo.write("Makefile", "all:\n")
    result = repo.run("check", "plan-updated", "Makefile")
    assert (result.returncode, result.stderr) == (1, "")


def test_mistyped_name_in_plankeeper_skip_is_exit_2(repo: Repo) -> None:
    staged_code(repo)
    result = repo.run("check", env={"PLANKEEPER_SKIP": "plan-updated, todo-tracked"})
    assert (result.returncode, result.report) == (2, "")
    assert result.stderr == unknown("PLANKEEPER_SKIP", "todo-tracked", "todos-tracked")


def test_empty_plankeeper_skip_skips_nothing(repo: Repo) -> None:
    staged_code(repo)
    result = repo.run("check", "plan-updated", env={"PLANKEEPER_SKIP": ""})
    assert result.returncode == 1


def test_mistyped_name_in_trailer_is_exit_2(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    base = repo.commit("plan")
    repo.write("src/app.py", "x = 1\n")
    repo.commit("code\n\nPlankeeper-Skip: plan-updatd")
    result = repo.run("check", "--base", base)
    assert (result.returncode, result.report) == (2, "")
    assert result.stderr == unknown("Plankeeper-Skip trailer", "plan-updatd", "plan-updated")


def test_mistyped_check_in_skip_label_is_exit_2(pull_request: PullRequest, tmp_path: Path) -> None:
    labels = ["plankeeper:skip:plan-updatd"]
    environ = event(tmp_path, "pull_request", pr_payload(pull_request, labels))
    result = pull_request.repo.run("check", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (2, "")
    assert result.stderr == unknown(
        "label plankeeper:skip:plan-updatd", "plan-updatd", "plan-updated"
    )


def test_skip_label_with_a_check_skips_that_check(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    labels = ["plankeeper:skip:plan-updated"]
    environ = event(tmp_path, "pull_request", pr_payload(pull_request, labels))
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (label plankeeper:skip:plan-updated, "
        "from the event payload)\n" + PASS_ONE,
    )


def test_mistyped_check_in_config_is_exit_2(repo: Repo) -> None:
    staged_code(repo)
    repo.write(".plankeeper.yaml", "checks:\n  todo-tracked: off\n")
    result = repo.run("check")
    assert (result.returncode, result.report) == (2, "")
    assert result.stderr == (
        "plankeeper: error: .plankeeper.yaml:2: unknown key 'todo-tracked' "
        "(did you mean 'todos-tracked'?)\n"
    )
