"""Everyday git through both hook kinds: each commit is judged on what it records."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Repo, git_environment
from tests.integrations.test_precommit import hook_repo, pre_commit_home

__all__ = ["hook_repo", "pre_commit_home"]

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
# Each task in its own phase: two branches that tick different tasks merge cleanly.
PLAN_TEXT = """# Demo masterplan

## Vision and goals
Ship it.

## Architecture
One module.

## Phase 1: Start
- [ ] T001 first task

## Phase 2: More
- [ ] T002 second task

## Phase 3: Later
- [ ] T003 third task

## Success criteria
- It works.

## Handoff protocol
Update SESSION_HANDOFF.md.
"""
CONFIG = "checks:\n  handoff-matches: off\n  plan-structure: off\n"
# Built, so that the scanner does not read this file's own strings as our TODOs.
TAG = "TO" + "DO"
HOOK_KINDS = ("native", "pre-commit")


def _git(cwd: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    environ = git_environment()
    if home is not None:
        environ["PRE_COMMIT_HOME"] = str(home)
    # A commit message from an editor would wait for a person.
    environ["GIT_EDITOR"] = ":"
    return subprocess.run(
        ["git", *args], cwd=cwd, env=environ, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def templates(
    tmp_path_factory: pytest.TempPathFactory,
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
) -> dict[str, Path]:
    """One repository per hook kind, made once: a plan, app.py, and the hooks installed."""
    made = {}
    for kind in HOOK_KINDS:
        path = tmp_path_factory.mktemp(f"template-{kind}") / "repo"
        path.mkdir()
        scratch = Repo(path)
        environ = git_environment()
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=path, env=environ, check=True)
        scratch.write(PLAN, PLAN_TEXT)
        scratch.write(".plankeeper.yaml", CONFIG)
        scratch.write("app.py", "def f():\n    return 1\n")
        if kind == "native":
            command = [sys.executable, "-m", "plankeeper", "install-hooks"]
        else:
            source, rev = hook_repo
            config = {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": "plankeeper"}]}]}
            scratch.write(".pre-commit-config.yaml", yaml.safe_dump(config))
            command = [sys.executable, "-m", "pre_commit", "install"]
        _git(path, "add", "-A")
        _git(path, "commit", "-q", "--no-verify", "-m", "base")
        environ["PRE_COMMIT_HOME"] = str(pre_commit_home)
        subprocess.run(command, cwd=path, env=environ, check=True, capture_output=True)
        if kind == "pre-commit":
            # Builds the hook's environment once for the session, outside any test's timing.
            warm = subprocess.run(
                [sys.executable, "-m", "pre_commit", "install-hooks"],
                cwd=path,
                env=environ,
                capture_output=True,
                check=False,
            )
            assert warm.returncode == 0, warm.stdout
        made[kind] = path
    return made


class Scratch(Repo):
    """A copy of a template repository; `git` runs with the hooks, as a user's git does."""

    def __init__(self, path: Path, home: Path) -> None:
        super().__init__(path)
        self.home = home

    def run_git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _git(self.path, *args, home=self.home)

    def ok(self, *args: str) -> str:
        result = self.run_git(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    def blocked(self, *args: str) -> str:
        result = self.run_git(*args)
        assert result.returncode != 0, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        return result.stdout + result.stderr

    def tick(self, task: str) -> None:
        plan = self.path / PLAN
        text = plan.read_text(encoding="utf-8")
        assert f"- [ ] {task} " in text
        plan.write_text(text.replace(f"- [ ] {task} ", f"- [x] {task} "), encoding="utf-8")


@pytest.fixture(params=HOOK_KINDS)
def scratch(
    request: pytest.FixtureRequest,
    templates: dict[str, Path],
    pre_commit_home: Path,
    tmp_path: Path,
) -> Scratch:
    path = tmp_path / "repo"
    shutil.copytree(templates[request.param], path, symlinks=True)
    return Scratch(path, pre_commit_home)


def _planned_commit(scratch: Scratch, text: str, task: str, message: str) -> None:
    scratch.write("app.py", text)
    scratch.tick(task)
    scratch.ok("commit", "-qam", message)


def _conflicting_branches(scratch: Scratch) -> None:
    """`side` and `main` change app.py apart; both tick T001, as the same fix on two branches."""
    scratch.ok("checkout", "-qb", "side")
    _planned_commit(scratch, "def f():\n    return 'side'\n", "T001", "side: f")
    scratch.ok("checkout", "-q", "main")
    _planned_commit(scratch, "def f():\n    return 'main'\n", "T001", "main: f")


def test_amend_with_the_plan_in_the_commit_passes(scratch: Scratch) -> None:
    _planned_commit(scratch, "def f():\n    return 2\n", "T001", "f returns 2; T001 done")
    scratch.write("app.py", "def f():\n    return 3\n")
    scratch.ok("commit", "-qa", "--amend", "--no-edit")
    assert scratch.git("log", "--format=%s").splitlines() == ["f returns 2; T001 done", "base"]


def test_amend_without_the_plan_is_blocked(scratch: Scratch) -> None:
    scratch.write("app.py", "def f():\n    return 2\n")
    scratch.ok("commit", "-qam", "unplanned", "--no-verify")
    scratch.write("app.py", "def f():\n    return 3\n")
    output = scratch.blocked("commit", "-qa", "--amend", "--no-edit")
    assert f"{PLAN}: PK101 app.py changed but the plan was not updated [plan-updated]" in output


def test_empty_commit_with_an_untracked_todo_elsewhere_passes(scratch: Scratch) -> None:
    scratch.write("stray.py", f"# {TAG}: not in any plan\n")
    scratch.ok("commit", "-q", "--allow-empty", "-m", "empty")


def test_message_only_amend_with_an_untracked_todo_elsewhere_passes(scratch: Scratch) -> None:
    _planned_commit(scratch, "def f():\n    return 2\n", "T001", "typo in mesage")
    scratch.write("stray.py", f"# {TAG}: not in any plan\n")
    scratch.ok("commit", "-q", "--amend", "-m", "f returns 2")


def test_merge_with_a_resolved_conflict_passes(scratch: Scratch) -> None:
    _conflicting_branches(scratch)
    scratch.blocked("merge", "-q", "side")
    scratch.write("app.py", "def f():\n    return 'main and side'\n")
    scratch.ok("add", "app.py")
    scratch.ok("commit", "-q", "--no-edit")
    assert len(scratch.git("rev-list", "--parents", "-n1", "HEAD").split()) == 3


def test_merge_whose_resolution_adds_an_untracked_todo_is_blocked(scratch: Scratch) -> None:
    _conflicting_branches(scratch)
    scratch.blocked("merge", "-q", "side")
    scratch.write("app.py", f"def f():\n    # {TAG}: pick one of the two\n    return 'main'\n")
    scratch.ok("add", "app.py")
    output = scratch.blocked("commit", "-q", "--no-edit")
    assert f"app.py:2:7: PK201 {TAG} is not tracked by any open task: pick one of the two" in output


def test_cherry_pick_with_a_conflict_then_continue_passes(scratch: Scratch) -> None:
    _conflicting_branches(scratch)
    scratch.blocked("cherry-pick", "side")
    scratch.write("app.py", "def f():\n    return 'main and side'\n")
    scratch.ok("add", "app.py")
    scratch.ok("cherry-pick", "--continue")
    assert scratch.git("log", "-1", "--format=%s").strip() == "side: f"


def test_partial_commit_leaving_the_staged_plan_out_is_blocked(scratch: Scratch) -> None:
    scratch.write("app.py", "def f():\n    return 2\n")
    scratch.tick("T001")
    scratch.ok("add", PLAN)
    output = scratch.blocked("commit", "-q", "app.py", "-m", "f returns 2")
    assert (
        f"{PLAN}: PK101 app.py changed but the plan was not updated: the plan change is "
        f"staged but not part of this commit; name {PLAN} in `git commit` too [plan-updated]"
    ) in output
    scratch.ok("commit", "-q", "app.py", PLAN, "-m", "f returns 2")
    assert scratch.git("status", "--porcelain") == ""


def test_rebase_of_passing_commits_passes(scratch: Scratch) -> None:
    scratch.ok("checkout", "-qb", "topic")
    scratch.write("lib.py", "X = 1\n")
    scratch.tick("T002")
    scratch.ok("add", "-A")
    scratch.ok("commit", "-qm", "lib; T002 done")
    scratch.ok("checkout", "-q", "main")
    _planned_commit(scratch, "def f():\n    return 2\n", "T001", "f returns 2")
    scratch.ok("checkout", "-q", "topic")
    scratch.ok("rebase", "-q", "main")
    assert scratch.git("log", "--format=%s").splitlines()[:2] == ["lib; T002 done", "f returns 2"]


def test_tracked_todo_under_an_ignored_folder_is_found_in_the_whole_tree(
    scratch: Scratch,
) -> None:
    scratch.write("include/a.h", f"// {TAG}: x\n")
    scratch.write(".gitignore", "include/\n")
    scratch.git("add", "-f", "include/a.h", ".gitignore")
    scratch.git("commit", "-q", "--no-verify", "-m", "vendored header")
    expected = f"include/a.h:1:4: PK201 {TAG} is not tracked by any open task: x"
    if (scratch.path / ".pre-commit-config.yaml").exists():
        environ = git_environment()
        environ["PRE_COMMIT_HOME"] = str(scratch.home)
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=scratch.path,
            env=environ,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, result.stdout
        assert expected in result.stdout
    else:
        result_check = scratch.run("check", "--all-files")
        assert result_check.returncode == 1, result_check.stdout
        assert expected in result_check.stdout
        todos = scratch.run("todos")
        assert todos.returncode == 1
        assert f"include/a.h:1: {TAG} x -> untracked" in todos.stdout
