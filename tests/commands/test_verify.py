"""`verify`: every check on the work since the default branch, then the progress."""

from __future__ import annotations

import json

from tests.conftest import MINIMAL_PLAN, Repo, findings_of

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"
PROGRESS = (
    "\n"
    f"{PLAN} [##########----------] 1/2, current phase: Phase 1: Start\n"
    f"next: {PLAN}:10: [T001] first task\n"
)


def _feature_branch(repo: Repo) -> None:
    """main holds a plan and a resume file; the branch `feature` changes code only."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, f"# Resume\n\nRead `{PLAN}`.\n")
    repo.write("src/app.py", "x = 1\n")
    repo.commit("start")
    repo.git("switch", "-q", "-c", "feature")
    repo.write("src/app.py", "x = 2\n")


def test_verify_of_code_change_without_plan_update_fails(repo: Repo) -> None:
    _feature_branch(repo)
    result = repo.run("verify")
    assert (result.returncode, result.report, result.stderr) == (
        1,
        f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
        "plankeeper: 1 error, 0 warnings\n" + PROGRESS,
        "",
    )


def test_verify_passes_once_the_plan_moves_with_the_code(repo: Repo) -> None:
    _feature_branch(repo)
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    result = repo.run("verify")
    assert (result.returncode, result.report, result.stderr) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n"
        "\n"
        f"{PLAN} [####################] 2/2, all tasks done\n"
        "all tasks done\n",
        "",
    )


def test_verify_counts_committed_and_untracked_work_on_the_branch(repo: Repo) -> None:
    _feature_branch(repo)
    repo.commit("code")
    repo.write("src/new.py", "y = 1\n")
    result = repo.run("verify")
    assert (result.returncode, result.report.splitlines()[:2]) == (
        1,
        [
            f"{PLAN}: PK101 src/app.py, src/new.py changed but the plan was not updated "
            "[plan-updated]",
            "plankeeper: 1 error, 0 warnings",
        ],
    )


def test_verify_base_names_the_branch_to_compare_with(repo: Repo) -> None:
    _feature_branch(repo)
    repo.commit("code")
    repo.git("switch", "-q", "-c", "next")
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    repo.commit("plan")
    # Against main the plan moved with the code; against feature only the plan changed.
    result = repo.run("verify", "--base", "feature")
    assert (result.returncode, result.report.splitlines()[0]) == (
        0,
        "plankeeper: 0 errors, 0 warnings",
    )


def test_verify_unknown_base_is_exit_2(repo: Repo) -> None:
    _feature_branch(repo)
    result = repo.run("verify", "--base", "nope")
    assert (result.returncode, result.report, result.stderr) == (
        2,
        "",
        "plankeeper: error: --base: unknown revision 'nope'\n",
    )


def test_verify_runs_plan_structure_on_every_plan(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN + "- [v] T003 odd\n")
    repo.commit("plan without resume file")
    result = repo.run("verify")
    assert (result.returncode, result.report.splitlines()[:3]) == (
        0,
        [
            "PK404 no resume file names the masterplan: add skills/<name>-resume.md that "
            f"names {PLAN} (`plankeeper init` scaffolds one) [plan-structure]",
            f"{PLAN}:18:3: PK402 unknown task box `[v]` counts as open: write `[ ]`, `[x]` or "
            "`[-]` [plan-structure]",
            "plankeeper: 0 errors, 2 warnings",
        ],
    )


def test_verify_json_keeps_stdout_json_and_progress_on_stderr(repo: Repo) -> None:
    _feature_branch(repo)
    result = repo.run("verify", "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert (result.returncode, summary["errors"], summary["files_checked"], result.stderr) == (
        1,
        1,
        1,
        PROGRESS,
    )
    assert summary["judged"].startswith("the work since ")


def test_verify_annotate_mode_exits_0(repo: Repo) -> None:
    _feature_branch(repo)
    result = repo.run("verify", "--mode", "annotate")
    assert (result.returncode, result.report.splitlines()[1]) == (
        0,
        "plankeeper: 1 error, 0 warnings (annotate mode: not blocking)",
    )


def test_verify_output_file_gets_the_report(repo: Repo) -> None:
    _feature_branch(repo)
    result = repo.run("verify", "--output", "../report.txt")
    report = findings_of((repo.path.parent / "report.txt").read_text(encoding="utf-8"))
    assert (result.returncode, result.report, report, result.stderr) == (
        1,
        "",
        f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
        "plankeeper: 1 error, 0 warnings\n",
        PROGRESS,
    )


def test_verify_skip_from_environment_succeeds_and_says_so(repo: Repo) -> None:
    _feature_branch(repo)
    result = repo.run("verify", env={"PLANKEEPER_SKIP": "plan-updated"})
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (PLANKEEPER_SKIP=plan-updated)\n"
        "plankeeper: 0 errors, 0 warnings\n" + PROGRESS,
    )


def test_verify_without_plans_points_to_init(repo: Repo) -> None:
    repo.write("src/app.py", "x = 1\n")
    repo.commit("code")
    result = repo.run("verify")
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n"
        "\n"
        "plankeeper: no plans found: run `plankeeper init` to scaffold one\n",
    )
