"""Every finding carries its fix: text `help:` lines, JSON `fix`, SARIF and GitHub output."""

from __future__ import annotations

import io
import json
from pathlib import Path

from plankeeper.findings import CODES, fill, finding
from plankeeper.report import REPORTERS
from tests.conftest import MINIMAL_PLAN, Repo
from tests.report.test_github import fixed_result

GOLDEN = Path(__file__).parent / "golden"
PLAN = "docs/plans/DEMO_MASTERPLAN.md"


def render(name: str) -> str:
    stream = io.StringIO()
    REPORTERS[name](fixed_result(), stream)
    return stream.getvalue()


def test_text_format_with_fixes_matches_golden_file() -> None:
    assert render("text") == (GOLDEN / "text.txt").read_text(encoding="utf-8")


def test_json_format_with_fixes_matches_golden_file() -> None:
    assert render("json") == (GOLDEN / "json.json").read_text(encoding="utf-8")


def test_a_fix_template_field_without_a_value_stays_a_placeholder() -> None:
    assert fill("add {task} to {plan}", {"task": "T4"}) == "add T4 to <plan>"


def test_a_finding_takes_its_fix_from_the_codes_template() -> None:
    item = finding("PK202", "m", path="a.py", task="T4", where=f"{PLAN}:12")
    assert item.fix == fill(CODES["PK202"].fix, {"task": "T4", "where": f"{PLAN}:12"})
    assert item.fix == f"finish and delete the TODO, or reopen task T4 at {PLAN}:12"


def start(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("skills/demo-resume.md", f"Read {PLAN}.\n")
    repo.write("src/app.py", "x = 1\n")
    repo.commit("initial")


def test_pk101_fix_names_the_plan_and_the_file(repo: Repo) -> None:
    start(repo)
    repo.write("src/app.py", "x = 2\n")
    repo.stage()
    result = repo.run("check", "plan-updated")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]",
        f"  help: tick or add a task in {PLAN} that covers src/app.py",
    ]


def test_pk201_fix_offers_todos_fix_a_reference_and_the_baseline(repo: Repo) -> None:
    start(repo)
    repo.write("src/app.py", "x = 2  # " + "TODO" + ": retry on timeout\n")
    repo.stage()
    result = repo.run("check", "todos-tracked", "--format", "json")
    [item] = json.loads(result.stdout)["findings"]
    assert item["fix"] == (
        "run `plankeeper todos --fix`, reference a task `TODO(T001)`, "
        "or `plankeeper baseline` when adopting"
    )


def test_pk202_fix_names_the_done_tasks_line(repo: Repo) -> None:
    start(repo)
    repo.write("src/app.py", "x = 2  # " + "TODO" + "(T002): polish\n")
    repo.stage()
    result = repo.run("check", "todos-tracked")
    assert result.stdout.splitlines()[1] == (
        f"  help: finish and delete the TODO, or reopen task T002 at {PLAN}:11"
    )


def test_pk301_fix_names_the_handoff_base(repo: Repo) -> None:
    start(repo)
    repo.write("SESSION_HANDOFF.md", "# Handoff\n\nNothing yet.\n")
    base = repo.commit("notes")
    repo.write("src/app.py", "x = 2\n")
    repo.write("SESSION_HANDOFF.md", "# Handoff\n\nWork in progress.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert result.stdout.splitlines()[:2] == [
        f"SESSION_HANDOFF.md: PK301 src/app.py changed since {base[:7]} (the notes' previous "
        "version) but the handoff notes do not mention it [handoff-matches]",
        f"  help: mention src/app.py in SESSION_HANDOFF.md: it changed since the handoff base "
        f"{base[:7]} (the notes' previous version) (`plankeeper handoff` lists every such file)",
    ]


def test_sarif_results_carry_the_fix() -> None:
    results = json.loads(render("sarif"))["runs"][0]["results"]
    assert all(result["properties"]["fix"] for result in results)
