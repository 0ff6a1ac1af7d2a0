"""plan-updated (PK101, PK102), covers, exempt, and skipping, through the real CLI."""

from __future__ import annotations

import json

import pytest

from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"


def with_plan(repo: Repo) -> str:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/app.py", "x = 1\n")
    return repo.commit("initial")


def test_code_change_without_plan_change_is_pk101(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert result.returncode == 1
    assert result.stdout == (
        f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
        "plankeeper: 1 error, 0 warnings, 1 file checked\n"
    )
    assert result.stderr == ""


def test_code_change_with_plan_change_passes(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert (result.returncode, result.stdout) == (
        0,
        "plankeeper: 0 errors, 0 warnings, 2 files checked\n",
    )


def test_whitespace_only_plan_change_is_pk102(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.write(PLAN, MINIMAL_PLAN.replace("## Phase 1", "\n## Phase 1"))
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert result.returncode == 0
    assert result.stdout == (
        f"{PLAN}: PK102 src/app.py changed but the plan changed only in whitespace [plan-updated]\n"
        "plankeeper: 0 errors, 1 warning, 2 files checked\n"
    )


def test_no_plan_at_all_says_run_init(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert result.returncode == 1
    assert result.stdout == (
        "PK101 1 code file(s) changed but this repository has no plan: run `plankeeper init` "
        "[plan-updated]\nplankeeper: 1 error, 0 warnings, 1 file checked\n"
    )


def test_only_non_code_files_changed_needs_no_plan_update(repo: Repo) -> None:
    with_plan(repo)
    repo.write("SESSION_HANDOFF.md", "# Handoff\n")
    repo.write(".plankeeper.yaml", "exempt: ['*.lock']\n")
    repo.write("skills/demo-resume.md", "see docs/plans/DEMO_MASTERPLAN.md\n")
    repo.write("poetry.lock", "x\n")
    repo.stage()
    assert repo.run("check", "plan-updated").returncode == 0


def test_exempt_globs_need_no_plan_update(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "exempt: ['docs/**']\n")
    with_plan(repo)
    repo.write("docs/guide.md", "new\n")
    repo.stage()
    assert repo.run("check", "plan-updated").returncode == 0


def test_a_spec_kit_tasks_file_counts_as_a_plan_update(repo: Repo) -> None:
    with_plan(repo)
    repo.write("specs/001-auth/tasks.md", "- [ ] T001 login\n")
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    assert repo.run("check", "plan-updated").returncode == 0


def test_covers_route_files_to_their_plan(repo: Repo) -> None:
    repo.write(
        ".plankeeper.yaml",
        "plans:\n"
        "  - {path: docs/plans/API_MASTERPLAN.md, covers: ['services/api/**']}\n"
        "  - {path: docs/plans/WEB_MASTERPLAN.md, covers: ['web/**']}\n",
    )
    repo.write("docs/plans/API_MASTERPLAN.md", MINIMAL_PLAN)
    repo.write("docs/plans/WEB_MASTERPLAN.md", MINIMAL_PLAN)
    repo.write("services/api/main.py", "1\n")
    repo.write("web/app.js", "1\n")
    repo.write("tools/script.sh", "1\n")
    repo.commit("initial")
    repo.write("services/api/main.py", "2\n")
    repo.write("web/app.js", "2\n")
    repo.write("tools/script.sh", "2\n")
    repo.write("docs/plans/WEB_MASTERPLAN.md", MINIMAL_PLAN + "- [ ] web task\n")
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert result.returncode == 1
    assert result.stdout == (
        "docs/plans/API_MASTERPLAN.md: PK101 services/api/main.py changed but the plan was not "
        "updated [plan-updated]\nplankeeper: 1 error, 0 warnings, 4 files checked\n"
    )


def test_one_finding_per_plan_names_several_files(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.write("src/b.py", "1\n")
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert result.stdout.splitlines()[0] == (
        f"{PLAN}: PK101 src/app.py, src/b.py changed but the plan was not updated [plan-updated]"
    )


def test_json_format(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "version": 1,
        "findings": [
            {
                "code": "PK101",
                "check": "plan-updated",
                "severity": "error",
                "path": PLAN,
                "line": None,
                "column": None,
                "message": "src/app.py changed but the plan was not updated",
            }
        ],
        "summary": {"errors": 1, "warnings": 0, "files_checked": 1},
        "skipped": [],
    }


def test_annotate_mode_exits_zero_with_errors(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated", "--mode", "annotate")
    assert result.returncode == 0
    assert result.stdout.endswith(
        "plankeeper: 1 error, 0 warnings, 1 file checked (annotate mode: not blocking)\n"
    )


def test_output_file_receives_the_report(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated", "--output", "report.txt")
    assert (result.returncode, result.stdout) == (1, "")
    assert (repo.path / "report.txt").read_text(encoding="utf-8").startswith(f"{PLAN}: PK101 ")


def test_check_turned_off_in_config_reports_nothing(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "checks:\n  plan-updated: off\n")
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    assert repo.run("check", "plan-updated").returncode == 0


def test_severity_override_to_warning_does_not_block(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "checks:\n  PK101: warning\n")
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["findings"][0]["severity"] == "warning"


def test_range_mode_sees_every_commit_since_the_merge_base(repo: Repo) -> None:
    with_plan(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "x = 2\n")
    repo.commit("code")
    result = repo.run("check", "plan-updated", "--base", "main")
    assert result.returncode == 1
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    repo.commit("plan")
    assert repo.run("check", "plan-updated", "--base", "main").returncode == 0


def test_skip_environment_variable_skips_and_says_so(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated", env={"PLANKEEPER_SKIP": "plan-updated"})
    assert result.returncode == 0
    assert result.stdout == (
        "plankeeper: skipped plan-updated (PLANKEEPER_SKIP=plan-updated)\n"
        "plankeeper: 0 errors, 0 warnings, 1 file checked\n"
    )


def test_skip_all(repo: Repo) -> None:
    with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    assert repo.run("check", env={"PLANKEEPER_SKIP": "all"}).returncode == 0


def test_trailer_in_the_range_skips_the_check(repo: Repo) -> None:
    with_plan(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "x = 2\n")
    repo.commit("Fix typo\n\nNo plan change needed.\n\nplankeeper-skip: plan-updated\n")
    result = repo.run("check", "plan-updated", "--base", "main")
    assert result.returncode == 0
    assert "plankeeper: skipped plan-updated (Plankeeper-Skip trailer)\n" in result.stdout


def test_trailer_outside_the_trailer_block_does_not_count(repo: Repo) -> None:
    with_plan(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "x = 2\n")
    repo.commit("Plankeeper-Skip: plan-updated is what I will not write\n\nBody text here.\n")
    assert repo.run("check", "plan-updated", "--base", "main").returncode == 1


def test_hook_uses_pre_commit_push_refs(repo: Repo) -> None:
    base = with_plan(repo)
    repo.write("src/app.py", "x = 2\n")
    head = repo.commit("code")
    result = repo.run("hook", env={"PRE_COMMIT_FROM_REF": base, "PRE_COMMIT_TO_REF": head})
    assert result.returncode == 1
    assert "PK101 src/app.py changed but the plan was not updated" in result.stdout


def test_hook_with_nothing_staged_runs_state_checks_only(repo: Repo) -> None:
    with_plan(repo)
    result = repo.run("hook")
    assert result.returncode == 0
    assert "PK101" not in result.stdout


# -- lockfiles (issue 16) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["poetry.lock", "web/package-lock.json", "uv.lock", "go.sum", "Cargo.lock"]
)
def test_a_lockfile_alone_asks_for_no_plan_update_and_says_so(repo: Repo, path: str) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    repo.write(path, "version = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert (result.returncode, result.stdout) == (
        0,
        f"plankeeper: skipped plan-updated (lockfiles are not code: {path})\n"
        "plankeeper: 0 errors, 0 warnings, 1 file checked\n",
    )


def test_lockfiles_empty_makes_them_code(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", "lockfiles: []\n")
    repo.commit("plan")
    repo.write("poetry.lock", "x\n")
    repo.stage()
    assert repo.run("check", "plan-updated").returncode == 1
