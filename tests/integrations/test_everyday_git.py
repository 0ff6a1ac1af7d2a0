"""Everyday git through the native hooks: sequencer work, partial commits, per push, old bases."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, Repo, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
CONFIG = "checks:\n  handoff-matches: off\n  plan-structure: off\n"
PER_PUSH = CONFIG + "plan-updated:\n  per: push\n"
TAG = "TO" + "DO"


def git(repo: Repo, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environ = git_environment()
    environ["GIT_EDITOR"] = ":"
    return subprocess.run(
        ["git", *args],
        cwd=repo.path,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def hooked(repo: Repo) -> Repo:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", CONFIG)
    repo.write("app.py", "def f():\n    return 1\n")
    repo.commit("base")
    assert repo.run("install-hooks").returncode == 0
    return repo


def tick(repo: Repo) -> None:
    text = (repo.path / PLAN).read_text(encoding="utf-8")
    repo.write(PLAN, text.replace("- [ ] T001", "- [x] T001"))


def test_rebase_edit_then_amend_of_judged_work_passes(hooked: Repo) -> None:
    hooked.write("app.py", "def f():\n    return 2\n")
    tick(hooked)
    assert git(hooked, "commit", "-qam", "f returns 2").returncode == 0
    editor = "sed -i 's/^pick/edit/'"
    environ = {**git_environment(), "GIT_SEQUENCE_EDITOR": editor}
    subprocess.run(
        ["git", "rebase", "-q", "-i", "HEAD~1"], cwd=hooked.path, env=environ, check=True
    )
    hooked.write("app.py", "def f():\n    return 3\n")
    result = git(hooked, "commit", "-qa", "--amend", "--no-edit")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped plan-updated (rebase in progress" in result.stdout + result.stderr


def test_sequencer_work_still_judges_new_todos(hooked: Repo) -> None:
    hooked.write("app.py", "def f():\n    return 2\n")
    tick(hooked)
    assert git(hooked, "commit", "-qam", "f returns 2").returncode == 0
    environ = {**git_environment(), "GIT_SEQUENCE_EDITOR": "sed -i 's/^pick/edit/'"}
    subprocess.run(
        ["git", "rebase", "-q", "-i", "HEAD~1"], cwd=hooked.path, env=environ, check=True
    )
    hooked.write("app.py", f"def f():\n    # {TAG}: later\n    return 3\n")
    result = git(hooked, "commit", "-qa", "--amend", "--no-edit")
    assert result.returncode == 1
    assert (
        f"app.py:2:7: PK201 {TAG} is not tracked by any open task: later"
        in result.stdout + result.stderr
    )


def test_revert_with_a_conflict_then_continue_passes(hooked: Repo) -> None:
    hooked.write("app.py", "def f():\n    return 2\n")
    tick(hooked)
    assert git(hooked, "commit", "-qam", "f returns 2").returncode == 0
    hooked.write("app.py", "def f():\n    return 3\n")
    assert git(hooked, "commit", "-qam", "f returns 3", "--no-verify").returncode == 0
    assert git(hooked, "revert", "--no-edit", "HEAD~1").returncode == 1
    hooked.write("app.py", "def f():\n    return 1\n")
    hooked.git("add", "app.py")
    result = git(hooked, "revert", "--continue")
    assert result.returncode == 0, result.stdout + result.stderr


def test_amend_of_the_root_commit_is_judged_against_nothing(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", CONFIG)
    repo.write("app.py", "X = 1\n")
    repo.commit("root")
    assert repo.run("install-hooks").returncode == 0
    repo.write("app.py", "X = 2\n")
    result = git(repo, "commit", "-qa", "--amend", "--no-edit")
    # The root commit records the plan: the amended root still does.
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("option", ["-a", "-i"])
def test_commit_all_or_include_records_the_plan_edit(hooked: Repo, option: str) -> None:
    hooked.write("app.py", "def f():\n    return 2\n")
    tick(hooked)
    args = ["commit", "-q", option, "-m", "f returns 2"]
    if option == "-i":
        args += ["app.py", PLAN]
    result = git(hooked, *args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_commit_patch_judges_the_chosen_hunks(hooked: Repo) -> None:
    hooked.write("app.py", "def f():\n    return 2\n")
    tick(hooked)
    # -p asks once per file: take app.py, leave the plan edit out.
    result = git(hooked, "commit", "-q", "-p", "-m", "f returns 2", stdin="y\nn\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"{PLAN}: PK101 app.py changed but the plan was not updated"
        in result.stdout + result.stderr
    )


def test_per_push_lets_a_commit_change_code_alone(hooked: Repo, tmp_path: Path) -> None:
    hooked.write(".plankeeper.yaml", PER_PUSH)
    hooked.commit("per push")
    bare = tmp_path / "remote.git"
    hooked.git("init", "-q", "--bare", str(bare))
    hooked.git("remote", "add", "origin", str(bare))
    assert git(hooked, "push", "-q", "origin", "main").returncode == 0
    hooked.write("app.py", "def f():\n    return 2\n")
    result = git(hooked, "commit", "-qam", "small step")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "plankeeper: skipped plan-updated (plan-updated.per: push" in result.stderr
    pushed = git(hooked, "push", "-q", "origin", "main")
    assert pushed.returncode == 1
    assert f"{PLAN}: PK101 app.py changed but the plan was not updated" in pushed.stdout
    tick(hooked)
    assert git(hooked, "commit", "-qam", "T001 done").returncode == 0
    pushed = git(hooked, "push", "-q", "origin", "main")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr


def test_per_push_still_judges_a_range(hooked: Repo) -> None:
    hooked.write(".plankeeper.yaml", PER_PUSH)
    base = hooked.commit("per push")
    hooked.write("app.py", "def f():\n    return 2\n")
    hooked.commit("small step")
    result = hooked.run("check", "--base", base)
    assert result.returncode == 1
    assert f"{PLAN}: PK101 app.py changed but the plan was not updated" in result.stdout


def test_branch_made_before_adoption_is_told_the_plan_of_its_base(repo: Repo) -> None:
    repo.write("app.py", "X = 1\n")
    repo.commit("before adoption")
    repo.git("checkout", "-qb", "feature")
    repo.write("app.py", "X = 2\n")
    repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("adopt plankeeper")
    result = repo.run("check", "--base", "main", "--head", "feature", "plan-updated")
    assert result.returncode == 1
    assert result.stdout == (
        f"{PLAN}: PK101 app.py changed but the plan was not updated: this branch was made "
        f"before its base added {PLAN}; merge the base branch in and update that plan "
        "[plan-updated]\n"
        "plankeeper: 1 error, 0 warnings, 1 file checked\n"
    )


def test_verify_on_a_branch_made_before_adoption_names_the_plan_of_main(repo: Repo) -> None:
    repo.write("app.py", "X = 1\n")
    repo.commit("before adoption")
    repo.git("checkout", "-qb", "feature")
    repo.git("checkout", "-q", "main")
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("adopt plankeeper")
    repo.git("checkout", "-q", "feature")
    repo.write("app.py", "X = 2\n")
    result = repo.run("verify")
    assert result.returncode == 1
    assert (
        f"{PLAN}: PK101 app.py changed but the plan was not updated: this branch was made "
        f"before its base added {PLAN}"
    ) in result.stdout


def test_amend_at_a_shallow_boundary_is_judged_against_head(repo: Repo, tmp_path: Path) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", CONFIG)
    repo.write("app.py", "X = 1\n")
    repo.commit("base")
    repo.write("other.py", f"# {TAG}: judged long ago, before a plan tracked it\n")
    repo.commit("older work")
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    shallow = Repo(clone)
    assert shallow.run("install-hooks").returncode == 0
    shallow.write("app.py", "X = 2\n")
    tick(shallow)
    result = git(shallow, "commit", "-qa", "--amend", "--no-edit")
    assert result.returncode == 0, result.stdout + result.stderr
