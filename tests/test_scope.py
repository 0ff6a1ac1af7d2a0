"""Honest summaries: the change judged, the files and plans read, the checks run and skipped."""

from __future__ import annotations

from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"


def summary_of(stdout: str) -> str:
    return stdout.splitlines()[-1]


def planned(repo: Repo) -> str:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, f"Read {PLAN}.\n")
    repo.write("src/app.py", "x = 1\n")
    return repo.commit("initial")


def test_a_staged_check_names_the_staged_change(repo: Repo) -> None:
    planned(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 more\n")
    repo.stage()
    result = repo.run("check")
    assert summary_of(result.stdout) == (
        "plankeeper: 0 errors, 0 warnings in the staged change: 2 files changed, "
        "1 plan read; 4 checks run"
    )


def test_a_range_check_names_the_refs_and_the_commits(repo: Repo) -> None:
    base = planned(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 more\n")
    head = repo.commit("plan")
    result = repo.run("check", "--base", "main")
    assert summary_of(result.stdout) == (
        f"plankeeper: 0 errors, 0 warnings in main..HEAD ({base[:7]}..{head[:7]}): "
        "1 file changed, 1 plan read; 4 checks run"
    )


def test_verify_on_a_fresh_clone_says_it_scanned_the_whole_tree(repo: Repo) -> None:
    base = planned(repo)
    result = repo.run("verify")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        f"plankeeper: 0 errors, 0 warnings in the work since {base[:7]} up to the working "
        "tree: 0 files changed, the whole tree scanned for TODOs, 1 plan read; 4 checks run"
    )


def test_a_run_whose_checks_were_all_skipped_says_so(repo: Repo) -> None:
    planned(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", env={"PLANKEEPER_SKIP": "all"})
    assert result.returncode == 0
    assert summary_of(result.stdout) == (
        "plankeeper: 0 errors, 0 warnings in the staged change: 1 file changed, 0 plans read; "
        "0 checks run, 4 skipped"
    )


def test_all_files_counts_the_files_of_the_tree(repo: Repo) -> None:
    planned(repo)
    result = repo.run("check", "--all-files")
    assert summary_of(result.stdout) == (
        "plankeeper: 0 errors, 0 warnings in the whole tree: 3 files, 1 plan read; 4 checks run"
    )


def test_a_native_pre_push_names_the_refs_and_the_range(repo: Repo) -> None:
    base = planned(repo)
    remote = repo.path.parent / "remote.git"
    repo.git("init", "-q", "--bare", str(remote))
    repo.git("push", "-q", str(remote), "main")
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 more\n")
    head = repo.commit("plan")
    line = f"refs/heads/main {head} refs/heads/main {base}\n"
    result = repo.run("hook", env={"PLANKEEPER_HOOK": "pre-push"}, input=line)
    assert summary_of(result.stdout) == (
        f"plankeeper: 0 errors, 0 warnings in the push of refs/heads/main to refs/heads/main "
        f"({base[:7]}..{head[:7]}): 1 file changed, 1 plan read; 4 checks run"
    )


def test_pre_commits_pre_push_stage_names_the_refs_and_the_range(repo: Repo) -> None:
    base = planned(repo)
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 more\n")
    head = repo.commit("plan")
    environ = {
        "PRE_COMMIT_FROM_REF": base,
        "PRE_COMMIT_TO_REF": head,
        "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main",
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        "PRE_COMMIT_REMOTE_NAME": "origin",
    }
    result = repo.run("hook", env=environ)
    assert summary_of(result.stdout) == (
        f"plankeeper: 0 errors, 0 warnings in the push of refs/heads/main to refs/heads/main "
        f"on origin ({base[:7]}..{head[:7]}): 1 file changed, 1 plan read; 4 checks run"
    )
