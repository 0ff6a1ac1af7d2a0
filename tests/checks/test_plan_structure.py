"""plan-structure: PK401 sections, PK402 boxes, PK403 duplicate ids, PK404 the resume file."""

from __future__ import annotations

import pytest

from plankeeper.checks.plan_structure import missing_sections, names_masterplan
from plankeeper.plans.plan import parse_plan
from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"
RESUME_TEXT = f"# Resume\n\nRead `{PLAN}` first.\n"


def _headings(*titles: str) -> str:
    return "".join(f"## {title}\n\ntext\n\n" for title in titles)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(MINIMAL_PLAN, id="minimal-plan"),
        pytest.param(
            _headings(
                "Vision & Goals", "Design", "Roadmap", "Definition of done", "Session protocol"
            ),
            id="other-words",
        ),
        pytest.param(
            _headings("Goals", "Approach", "Phase 1: Start", "Success criteria", "Handoff"),
            id="phase-heading",
        ),
        pytest.param(
            "# GOALS\n# ARCHITECTURE\n# PHASES\n# SUCCESS CRITERIA\n# HAND-OFF\n",
            id="upper-case",
        ),
    ],
)
def test_masterplan_with_every_section_lacks_none(text: str) -> None:
    assert missing_sections(parse_plan(text, PLAN)) == []


def test_missing_sections_are_named_in_order() -> None:
    plan = parse_plan(_headings("Goals", "Notes"), PLAN)
    assert missing_sections(plan) == [
        "architecture/approach",
        "phases",
        "success criteria",
        "handoff",
    ]


def test_words_inside_other_words_do_not_count() -> None:
    plan = parse_plan(_headings("Goalkeeper", "Redesigned", "Phasers", "Sessionless"), PLAN)
    assert missing_sections(plan) == [
        "goals/vision",
        "architecture/approach",
        "phases",
        "success criteria",
        "handoff",
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"see {PLAN}", id="path"),
        pytest.param("see DEMO_MASTERPLAN.md", id="file-name"),
        pytest.param("see docs/plans/demo_masterplan.md", id="other-case"),
    ],
)
def test_resume_text_names_the_masterplan(text: str) -> None:
    assert names_masterplan(text, [PLAN])


def test_resume_text_without_the_name_names_no_masterplan() -> None:
    assert not names_masterplan("see the masterplan", [PLAN])


def _check(repo: Repo, *args: str) -> tuple[int, str]:
    result = repo.run("check", "plan-structure", *args)
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    return result.returncode, result.report


def test_masterplan_lacking_sections_is_one_pk401_per_section(repo: Repo) -> None:
    repo.write(PLAN, "# Demo\n\n## Goals\n\n## Phase 1\n\n- [ ] T1 do it\n")
    repo.write(RESUME, RESUME_TEXT)
    assert _check(repo, "--all-files") == (
        0,
        f"{PLAN}: PK401 the masterplan has no architecture/approach section "
        "(no heading names it) [plan-structure]\n"
        f"{PLAN}: PK401 the masterplan has no handoff section "
        "(no heading names it) [plan-structure]\n"
        f"{PLAN}: PK401 the masterplan has no success criteria section "
        "(no heading names it) [plan-structure]\n"
        "plankeeper: 0 errors, 3 warnings\n",
    )


def test_task_file_is_no_masterplan_and_needs_no_sections(repo: Repo) -> None:
    repo.write("specs/001-auth/tasks.md", "# Tasks\n\n- [ ] T001 do it\n")
    assert _check(repo, "--all-files") == (0, "plankeeper: 0 errors, 0 warnings\n")


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        pytest.param("- [ x] T9 odd", 3, "unknown task box `[ x]` counts as open", id="space-x"),
        pytest.param("- [] T9 odd", 3, "unknown task box `[]` counts as open", id="empty"),
        pytest.param("- [v] T9 odd", 3, "unknown task box `[v]` counts as open", id="v"),
        pytest.param("  * [xx] T9 odd", 5, "unknown task box `[xx]` counts as open", id="xx"),
    ],
)
def test_malformed_box_is_pk402_with_line_and_column(
    repo: Repo, line: str, column: int, message: str
) -> None:
    repo.write(PLAN, MINIMAL_PLAN + f"\n## Notes\n\n{line}\n")
    repo.write(RESUME, RESUME_TEXT)
    assert _check(repo, "--all-files") == (
        0,
        f"{PLAN}:21:{column}: PK402 {message}: write `[ ]`, `[x]` or `[-]` [plan-structure]\n"
        "plankeeper: 0 errors, 1 warning\n",
    )


def test_box_without_space_after_bullet_is_pk402(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN + "\n## Notes\n\n-[ ] T9 tight\n")
    repo.write(RESUME, RESUME_TEXT)
    assert _check(repo, "--all-files") == (
        0,
        f"{PLAN}:21:2: PK402 a task box needs a space after the bullet: `- [ ]` "
        "[plan-structure]\n"
        "plankeeper: 0 errors, 1 warning\n",
    )


def test_spec_kit_parallel_marker_is_no_box(repo: Repo) -> None:
    repo.write("specs/001-auth/tasks.md", "# Tasks\n\n- [P] tasks = different files\n")
    assert _check(repo, "--all-files") == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_same_id_twice_is_pk403_on_the_second_line(repo: Repo) -> None:
    repo.write(
        "specs/001-auth/tasks.md", "# Tasks\n\n- [ ] T001 one\n- [x] T002 two\n- [ ] T001 again\n"
    )
    assert _check(repo, "--all-files") == (
        0,
        "specs/001-auth/tasks.md:5:3: PK403 task id T001 is used again (first at line 3) "
        "[plan-structure]\n"
        "plankeeper: 0 errors, 1 warning\n",
    )


def test_same_id_in_two_files_is_no_finding(repo: Repo) -> None:
    repo.write("specs/001-auth/tasks.md", "# Tasks\n\n- [ ] T001 one\n")
    repo.write("specs/002-pay/tasks.md", "# Tasks\n\n- [ ] T001 one\n")
    assert _check(repo, "--all-files") == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_masterplan_without_resume_file_is_pk404_without_path(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    assert _check(repo, "--all-files") == (
        0,
        "PK404 no resume file names the masterplan: add skills/<name>-resume.md that names "
        f"{PLAN} (`plankeeper init` scaffolds one) [plan-structure]\n"
        "plankeeper: 0 errors, 1 warning\n",
    )


def test_resume_file_naming_no_masterplan_is_pk404(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, "# Resume\n\nRead the plan.\n")
    assert _check(repo, "--all-files") == (
        0,
        f"{RESUME}: PK404 the resume file names no masterplan: mention {PLAN} "
        "[plan-structure]\n"
        "plankeeper: 0 errors, 1 warning\n",
    )


def test_resume_file_naming_the_masterplan_by_file_name_passes(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".claude/skills/resume/SKILL.md", "# Resume\n\nRead DEMO_MASTERPLAN.md.\n")
    assert _check(repo, "--all-files") == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_only_task_files_need_no_resume_file(repo: Repo) -> None:
    repo.write("specs/001-auth/tasks.md", "# Tasks\n\n- [ ] T001 one\n")
    assert _check(repo, "--all-files") == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_staged_change_without_plan_or_resume_file_skips_pk404(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan without resume file")
    repo.write("src/app.py", "x = 1\n")
    repo.stage("src/app.py")
    assert _check(repo, "--staged") == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_staged_plan_change_checks_pk404(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan without resume file")
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 more\n")
    repo.stage(PLAN)
    code, out = _check(repo, "--staged")
    assert (code, out.splitlines()[0][:5]) == (0, "PK404")


def test_staged_mode_ignores_plans_that_did_not_change(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN + "- [v] T003 odd\n")
    repo.write(RESUME, RESUME_TEXT)
    repo.commit("plan with a bad box")
    repo.write(RESUME, RESUME_TEXT + "More.\n")
    repo.stage(RESUME)
    assert _check(repo, "--staged") == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_staged_plan_is_read_from_the_index(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, RESUME_TEXT)
    repo.commit("plan")
    repo.write(PLAN, MINIMAL_PLAN + "- [v] T003 odd\n")
    repo.stage(PLAN)
    repo.write(PLAN, MINIMAL_PLAN)  # the working tree is fixed, the index is not
    assert _check(repo, "--staged") == (
        0,
        f"{PLAN}:18:3: PK402 unknown task box `[v]` counts as open: write `[ ]`, `[x]` or "
        "`[-]` [plan-structure]\n"
        "plankeeper: 0 errors, 1 warning\n",
    )
