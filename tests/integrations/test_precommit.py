"""The real pre-commit: `try-repo` for each hook id, `install` for commits and pushes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINIMAL_PLAN, ROOT, Repo, findings_of, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"
FAIL = (
    "- hook id: plan-updated\n"
    "- exit code: 1\n"
    "\n"
    f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
    "plankeeper: 1 error, 0 warnings\n"
)
HOOK_IDS = [
    "plankeeper",
    "plan-updated",
    "todos-tracked",
    "handoff-matches",
    "plankeeper-fix-todos",
]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=git_environment(), capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the session: pre-commit installs the hook environment once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree as one commit: the hooks as they are now, committed or not.

    try-repo's own snapshot adds only tracked files, and new files are not tracked yet.
    """
    snapshot = tmp_path_factory.mktemp("plankeeper-snapshot")
    names = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, names.split("\0")):
        source = ROOT / name
        if source.is_file() or source.is_symlink():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name, follow_symlinks=False)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "--no-verify", "-m", "snapshot")
    return snapshot, _git(snapshot, "rev-parse", "HEAD").strip()


def pre_commit(repo: Repo, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = git_environment()
    environ["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo.path,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def git(repo: Repo, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = git_environment()
    environ["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        ["git", *args], cwd=repo.path, env=environ, capture_output=True, text=True, check=False
    )


@pytest.fixture
def planned(repo: Repo) -> Repo:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, f"# Resume\n\nRead {PLAN} first.\n")
    repo.commit("plan")
    return repo


def configure(repo: Repo, hook_repo: tuple[Path, str], hook_id: str = "plan-updated") -> None:
    path, rev = hook_repo
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [{"id": hook_id}]}]}
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    repo.commit("pre-commit config")


def status_of(output: str, hook_name: str) -> str:
    match = re.search(rf"^{re.escape(hook_name)}\.+(Passed|Failed)$", output, re.MULTILINE)
    assert match is not None, output
    return match.group(1)


@pytest.mark.parametrize(
    ("hook_id", "name", "expected"),
    [
        pytest.param("plankeeper", "plankeeper", "Failed", id="plankeeper"),
        pytest.param("plan-updated", "plankeeper plan-updated", "Failed", id="plan-updated"),
        pytest.param("todos-tracked", "plankeeper todos-tracked", "Passed", id="todos-tracked"),
        pytest.param(
            "handoff-matches", "plankeeper handoff-matches", "Passed", id="handoff-matches"
        ),
        pytest.param(
            "plankeeper-fix-todos", "plankeeper fix TODOs", "Passed", id="plankeeper-fix-todos"
        ),
    ],
)
def test_try_repo_runs_each_hook_id(
    planned: Repo,
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
    hook_id: str,
    name: str,
    expected: str,
) -> None:
    # Staged code without a plan update and without TODOs: only plan-updated objects.
    planned.write("src/app.py", "print('hi')\n")
    planned.stage()
    result = pre_commit(planned, pre_commit_home, "try-repo", str(hook_repo[0]), hook_id)
    assert result.returncode == (1 if expected == "Failed" else 0), findings_of(
        result.stdout
    ) + findings_of(result.stderr)
    assert status_of(findings_of(result.stdout), name) == expected
    assert "Traceback" not in findings_of(result.stdout) + findings_of(result.stderr)
    if hook_id == "plan-updated":
        assert FAIL in findings_of(result.stdout)


def test_hooks_file_ids_are_the_documented_ones() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == HOOK_IDS
    main = hooks[0]
    assert (main["entry"], main["pass_filenames"], main["always_run"], main["stages"]) == (
        "plankeeper hook",
        False,
        True,
        ["pre-commit", "pre-push"],
    )
    assert hooks[-1]["entry"] == "plankeeper todos --fix --"
    assert {hook["language"] for hook in hooks} == {"python"}
    assert {hook["minimum_pre_commit_version"] for hook in hooks} == {"3.2.0"}


def test_installed_pre_commit_rejects_commit_without_plan_update(
    planned: Repo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    configure(planned, hook_repo)
    assert pre_commit(planned, pre_commit_home, "install").returncode == 0
    before = planned.git("rev-parse", "HEAD")
    planned.write("src/app.py", "print('hi')\n")
    planned.stage()
    result = git(planned, pre_commit_home, "commit", "-q", "-m", "code")
    assert result.returncode == 1
    assert (
        status_of(
            findings_of(result.stdout) + findings_of(result.stderr), "plankeeper plan-updated"
        )
        == "Failed"
    )
    assert FAIL in findings_of(result.stdout) + findings_of(result.stderr)
    assert planned.git("rev-parse", "HEAD") == before


def test_installed_pre_commit_accepts_commit_with_plan_update(
    planned: Repo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    configure(planned, hook_repo)
    assert pre_commit(planned, pre_commit_home, "install").returncode == 0
    planned.write("src/app.py", "print('hi')\n")
    planned.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    planned.stage()
    result = git(planned, pre_commit_home, "commit", "-q", "-m", "code and plan")
    assert result.returncode == 0, findings_of(result.stdout) + findings_of(result.stderr)
    assert (
        status_of(
            findings_of(result.stdout) + findings_of(result.stderr), "plankeeper plan-updated"
        )
        == "Passed"
    )


@pytest.fixture
def pushing(
    planned: Repo, hook_repo: tuple[Path, str], pre_commit_home: Path, tmp_path: Path
) -> tuple[Repo, Path]:
    configure(planned, hook_repo)
    installed = pre_commit(planned, pre_commit_home, "install", "--hook-type", "pre-push")
    assert installed.returncode == 0
    bare = tmp_path / "remote.git"
    planned.git("init", "-q", "--bare", str(bare))
    planned.git("remote", "add", "origin", str(bare))
    return planned, bare


def test_pre_push_through_pre_commit_checks_the_pushed_commits(
    pushing: tuple[Repo, Path], pre_commit_home: Path
) -> None:
    repo, bare = pushing
    # The first push reaches the root commit: pre-commit sets only PRE_COMMIT_REMOTE_*.
    first = git(repo, pre_commit_home, "push", "-q", "origin", "main")
    assert first.returncode == 0, findings_of(first.stdout) + findings_of(first.stderr)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hi')\n")
    repo.commit("code")
    rejected = git(repo, pre_commit_home, "push", "-q", "origin", "feature")
    assert rejected.returncode == 1
    assert FAIL in findings_of(rejected.stdout) + findings_of(rejected.stderr)
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    repo.commit("plan")
    accepted = git(repo, pre_commit_home, "push", "-q", "origin", "feature")
    assert accepted.returncode == 0, findings_of(accepted.stdout) + findings_of(accepted.stderr)
    refs = _git(bare, "for-each-ref", "--format=%(refname)").split()
    assert refs == ["refs/heads/feature", "refs/heads/main"]


def test_pre_commit_run_all_files_checks_the_whole_tree(
    planned: Repo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    configure(planned, hook_repo, "plankeeper")
    result = pre_commit(planned, pre_commit_home, "run", "--all-files")
    assert result.returncode == 0, findings_of(result.stdout) + findings_of(result.stderr)
    assert status_of(findings_of(result.stdout), "plankeeper") == "Passed"


def test_pre_commit_runs_the_hook_from_its_own_environment_only(
    planned: Repo, hook_repo: tuple[Path, str], pre_commit_home: Path, tmp_path: Path
) -> None:
    # pre-commit runs `entry` as the console script of the environment it built: the
    # script's folder, not the repository, is first on sys.path.
    from tests.integrations.test_action import plant_shadows

    markers = tmp_path / "markers"
    markers.mkdir()
    plant_shadows(planned, markers, as_packages=False)
    configure(planned, hook_repo, "plankeeper")
    planned.write("src/app.py", "print('hi')\n")
    planned.stage()
    # pre-commit itself, isolated: its own git hook runs `python -mpre_commit` in the
    # repository, and what that imports is pre-commit's affair, not the hook's.
    environ = git_environment()
    environ["PRE_COMMIT_HOME"] = str(pre_commit_home)
    result = subprocess.run(
        [sys.executable, "-I", "-m", "pre_commit", "run"],
        cwd=planned.path,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert status_of(result.stdout, "plankeeper") == "Failed", result.stdout + result.stderr
    assert sorted(path.name for path in markers.iterdir()) == []


def test_fixer_hook_takes_a_file_named_like_an_option_as_a_file(
    planned: Repo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    tag = "TO" + "DO"
    planned.write("-h.py", f"# {tag} check the odd name\n")
    planned.stage()
    result = pre_commit(
        planned, pre_commit_home, "try-repo", str(hook_repo[0]), "plankeeper-fix-todos"
    )
    assert "usage:" not in result.stdout, result.stdout
    assert "- [ ] check the odd name (-h.py)" in planned.read(PLAN).decode(), result.stdout
