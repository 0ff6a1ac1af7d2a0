"""Native git hooks: `install-hooks`, then real `git commit` and `git push` through them."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from plankeeper.changes import RefUpdate, parse_lines
from tests.conftest import MINIMAL_PLAN, ROOT, Repo, findings_of, git_environment
from tests.conftest import user_git as git

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
# Only plan-updated, so that outputs are exact whatever the other checks find.
CONFIG = "checks:\n  todos-tracked: off\n  handoff-matches: off\n  plan-structure: off\n"
FAIL = (
    f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
    "plankeeper: 1 error, 0 warnings\n"
)
ZERO = "0" * 40
HOOK_NAMES = ("pre-commit", "pre-push")


def shipped(name: str) -> str:
    return (ROOT / "hooks" / name).read_text(encoding="utf-8")


@pytest.fixture
def planned(repo: Repo) -> Repo:
    """A repository with a plan and hooks installed; the plan commit skipped the hooks."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", CONFIG)
    repo.commit("plan")
    result = repo.run("install-hooks")
    assert result.returncode == 0, findings_of(result.stderr)
    return repo


@pytest.fixture
def remote(planned: Repo, tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    planned.git("init", "-q", "--bare", str(bare))
    planned.git("remote", "add", "origin", str(bare))
    return bare


def remote_refs(bare: Path) -> list[str]:
    out = subprocess.run(
        ["git", "for-each-ref", "--format=%(refname)"],
        cwd=bare,
        capture_output=True,
        text=True,
        check=True,
        env=git_environment(),
    ).stdout
    return out.split()


# -- install-hooks ---------------------------------------------------------------------------


def test_install_hooks_writes_both_hooks(repo: Repo) -> None:
    result = repo.run("install-hooks")
    assert (result.returncode, findings_of(result.stdout), findings_of(result.stderr)) == (
        0,
        "plankeeper: installed .git/hooks/pre-commit\nplankeeper: installed .git/hooks/pre-push\n",
        "",
    )
    for name in HOOK_NAMES:
        path = repo.path / ".git" / "hooks" / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o755
        expected = shipped(name).replace("INSTALL_PYTHON=''", f"INSTALL_PYTHON={sys.executable}")
        assert path.read_text(encoding="utf-8") == expected


def test_install_hooks_honours_core_hooks_path(repo: Repo) -> None:
    repo.git("config", "core.hooksPath", ".githooks")
    result = repo.run("install-hooks")
    assert findings_of(result.stdout) == (
        "plankeeper: installed .githooks/pre-commit\nplankeeper: installed .githooks/pre-push\n"
    )
    assert sorted(path.name for path in (repo.path / ".githooks").iterdir()) == list(HOOK_NAMES)


def test_install_hooks_works_from_a_subdirectory(repo: Repo) -> None:
    (repo.path / "src").mkdir()
    result = repo.run("install-hooks", cwd=repo.path / "src")
    assert result.returncode == 0
    assert (repo.path / ".git" / "hooks" / "pre-push").exists()


def test_install_hooks_leaves_a_foreign_hook_alone(repo: Repo) -> None:
    foreign = repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n")
    result = repo.run("install-hooks")
    assert (result.returncode, findings_of(result.stdout), findings_of(result.stderr)) == (
        1,
        "plankeeper: installed .git/hooks/pre-push\n",
        "plankeeper: left .git/hooks/pre-commit alone: plankeeper did not install it "
        "(--force replaces it)\n",
    )
    assert foreign.read_text() == "#!/bin/sh\necho mine\n"


def test_install_hooks_force_replaces_a_foreign_hook(repo: Repo) -> None:
    foreign = repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n")
    result = repo.run("install-hooks", "--force")
    assert (result.returncode, findings_of(result.stderr)) == (0, "")
    assert "# plankeeper-hook: installed by `plankeeper install-hooks`" in foreign.read_text()


def test_install_hooks_again_updates_its_own_hooks(repo: Repo) -> None:
    repo.run("install-hooks")
    result = repo.run("install-hooks")
    assert (result.returncode, findings_of(result.stderr)) == (0, "")


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_package_ships_the_same_hooks(name: str) -> None:
    packaged = ROOT / "src" / "plankeeper" / "hooks" / name
    assert packaged.read_bytes() == (ROOT / "hooks" / name).read_bytes()
    assert os.access(ROOT / "hooks" / name, os.X_OK)


def test_hooks_are_shellcheck_clean() -> None:
    result = subprocess.run(
        ["shellcheck", "--shell=sh", *(str(ROOT / "hooks" / name) for name in HOOK_NAMES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, findings_of(result.stdout)) == (0, "")


# -- native pre-commit -----------------------------------------------------------------------


def test_commit_without_plan_update_is_rejected(planned: Repo) -> None:
    before = planned.git("rev-parse", "HEAD")
    planned.write("src/app.py", "print('hi')\n")
    planned.stage()
    result = git(planned, "commit", "-q", "-m", "code")
    assert (result.returncode, findings_of(result.stdout), findings_of(result.stderr)) == (
        1,
        "",
        FAIL,
    )
    assert planned.git("rev-parse", "HEAD") == before


def test_commit_with_plan_update_is_accepted(planned: Repo) -> None:
    planned.write("src/app.py", "print('hi')\n")
    planned.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    planned.stage()
    result = git(planned, "commit", "-q", "-m", "code and plan")
    assert (result.returncode, findings_of(result.stderr)) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


# -- native pre-push -------------------------------------------------------------------------


def test_first_push_reaching_the_root_commit_is_checked_from_the_empty_tree(
    planned: Repo, remote: Path
) -> None:
    result = git(planned, "push", "-q", "origin", "main")
    assert (result.returncode, findings_of(result.stdout)) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )
    assert remote_refs(remote) == ["refs/heads/main"]


def feature_with_code(repo: Repo) -> None:
    assert git(repo, "push", "-q", "--no-verify", "origin", "main").returncode == 0
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hi')\n")
    repo.commit("code")


def test_new_branch_push_without_plan_update_is_rejected(planned: Repo, remote: Path) -> None:
    feature_with_code(planned)
    result = git(planned, "push", "-q", "origin", "feature")
    assert (result.returncode, findings_of(result.stdout)) == (1, FAIL)
    assert findings_of(result.stderr).startswith("error: failed to push some refs to ")
    assert remote_refs(remote) == ["refs/heads/main"]


def test_new_branch_push_counts_every_unpushed_commit(planned: Repo, remote: Path) -> None:
    feature_with_code(planned)
    planned.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    planned.commit("plan")
    result = git(planned, "push", "-q", "origin", "feature")
    assert (result.returncode, findings_of(result.stdout)) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_second_push_is_checked_from_the_remote_sha(planned: Repo, remote: Path) -> None:
    feature_with_code(planned)
    planned.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    planned.commit("plan")
    assert git(planned, "push", "-q", "origin", "feature").returncode == 0
    planned.write("src/app.py", "print('again')\n")
    planned.commit("more code")
    result = git(planned, "push", "-q", "origin", "feature")
    assert (result.returncode, findings_of(result.stdout)) == (1, FAIL)


def test_deleted_branch_push_is_skipped(planned: Repo, remote: Path) -> None:
    feature_with_code(planned)
    assert git(planned, "push", "-q", "--no-verify", "origin", "feature").returncode == 0
    result = git(planned, "push", "-q", "origin", "--delete", "feature")
    assert (result.returncode, findings_of(result.stdout), findings_of(result.stderr)) == (
        0,
        "",
        "",
    )
    assert remote_refs(remote) == ["refs/heads/main"]


def test_tag_of_pushed_commits_brings_nothing_to_check(planned: Repo, remote: Path) -> None:
    assert git(planned, "push", "-q", "--no-verify", "origin", "main").returncode == 0
    planned.git("tag", "-a", "-m", "release", "v1")
    result = git(planned, "push", "-q", "origin", "v1")
    assert (result.returncode, findings_of(result.stdout), findings_of(result.stderr)) == (
        0,
        "",
        "",
    )


def test_push_of_several_refs_reports_once(planned: Repo, remote: Path) -> None:
    feature_with_code(planned)
    planned.git("branch", "other")
    result = git(planned, "push", "-q", "origin", "feature", "other")
    # One report for both refs; the same finding of both is listed once.
    assert (result.returncode, findings_of(result.stdout)) == (
        1,
        f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
        "plankeeper: 1 error, 0 warnings\n",
    )


def test_pre_commit_remote_branch_alone_uses_the_new_branch_rule(planned: Repo) -> None:
    # pre-commit sets only PRE_COMMIT_REMOTE_* when a push reaches a root commit.
    planned.write("src/app.py", "print('hi')\n")
    planned.commit("code")
    env = {
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main",
    }
    result = planned.run("hook", env=env)
    assert (result.returncode, findings_of(result.stdout)) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f"refs/heads/a {'1' * 40} refs/heads/a {ZERO}\n",
            [RefUpdate("refs/heads/a", "1" * 40, "refs/heads/a", ZERO)],
            id="new-branch",
        ),
        pytest.param(
            f"(delete) {ZERO} refs/heads/b {'2' * 40}\n\n",
            [RefUpdate("(delete)", ZERO, "refs/heads/b", "2" * 40)],
            id="deleted-branch",
        ),
        pytest.param(
            f"refs/heads/a {'1' * 40} refs/heads/a {'3' * 40}\n"
            f"refs/tags/v1 {'4' * 40} refs/tags/v1 {ZERO}\n",
            [
                RefUpdate("refs/heads/a", "1" * 40, "refs/heads/a", "3" * 40),
                RefUpdate("refs/tags/v1", "4" * 40, "refs/tags/v1", ZERO),
            ],
            id="several-refs",
        ),
        pytest.param("", [], id="nothing"),
    ],
)
def test_parse_pre_push_lines(text: str, expected: list[RefUpdate]) -> None:
    assert parse_lines(text) == expected


# -- the repository's Python never runs ------------------------------------------------------


@pytest.mark.parametrize("installed", [True, False], ids=["install-hooks", "shipped-copy"])
@pytest.mark.parametrize("as_packages", [False, True], ids=["modules", "packages"])
def test_hooks_never_import_python_from_the_repository(
    planned: Repo, remote: Path, tmp_path: Path, installed: bool, as_packages: bool
) -> None:
    from tests.integrations.test_action import plant_shadows

    markers = tmp_path / "markers"
    markers.mkdir()
    plant_shadows(planned, markers, as_packages=as_packages)
    planned.commit("a hostile root")
    environ = git_environment()
    if not installed:
        # The copy in hooks/ finds no interpreter of its own: python3 on PATH, with no
        # `plankeeper` command there, is its last resort.
        for name in HOOK_NAMES:
            target = planned.path / ".git" / "hooks" / name
            target.write_text(shipped(name), encoding="utf-8")
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        python3 = bin_dir / "python3"
        python3.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n', encoding="utf-8")
        python3.chmod(0o755)
        environ["PATH"] = f"{bin_dir}:{Path(shutil.which('git') or 'git').parent}"
    planned.write("src/app.py", "print('hi')\n")
    planned.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    planned.stage()
    results = [
        subprocess.run(
            ["git", *args], cwd=planned.path, env=environ, capture_output=True, text=True
        )
        for args in (["commit", "-q", "-m", "code and plan"], ["push", "-q", "origin", "main"])
    ]
    assert sorted(path.name for path in markers.iterdir()) == []
    assert [result.returncode for result in results] == [0, 0], results
    # Both hooks ran plankeeper: the commit reports on stderr, the push on stdout.
    assert "plankeeper: 0 errors" in results[0].stderr
    assert "plankeeper: 0 errors" in results[1].stdout


@pytest.mark.parametrize("kind", ["blob", "tree"])
def test_tag_of_a_blob_or_tree_brings_nothing_to_check(
    planned: Repo, remote: Path, kind: str
) -> None:
    assert git(planned, "push", "-q", "--no-verify", "origin", "main").returncode == 0
    target = planned.git("rev-parse", f"HEAD:{PLAN}" if kind == "blob" else "HEAD^{tree}")
    planned.git("tag", f"only-a-{kind}", target.strip())
    result = git(planned, "push", "-q", "origin", f"only-a-{kind}")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
