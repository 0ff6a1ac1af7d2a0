"""`init`: the scaffold, its names, what it keeps, and that it passes every check."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from plankeeper import __version__
from plankeeper.commands.init import masterplan_name, resume_name, scaffold
from plankeeper.config import default_config, load_config
from plankeeper.findings import CODES
from plankeeper.plans.plan import parse_plan
from tests.conftest import ROOT, Repo

SCAFFOLD = (
    "docs/plans/REPO_MASTERPLAN.md",
    "skills/repo-resume.md",
    ".plankeeper.yaml",
)
WORKFLOW = ".github/workflows/plankeeper.yml"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.mark.parametrize(
    ("name", "masterplan", "resume"),
    [
        pytest.param("shop-front", "SHOP_FRONT_MASTERPLAN.md", "shop-front-resume.md", id="dash"),
        pytest.param("Shop Front", "SHOP_FRONT_MASTERPLAN.md", "shop-front-resume.md", id="space"),
        pytest.param("my__app", "MY_APP_MASTERPLAN.md", "my-app-resume.md", id="underscores"),
        pytest.param("a.b -- c", "A_B_C_MASTERPLAN.md", "a-b-c-resume.md", id="runs"),
        pytest.param("-api2-", "API2_MASTERPLAN.md", "api2-resume.md", id="edges"),
        pytest.param("Café", "CAFÉ_MASTERPLAN.md", "café-resume.md", id="unicode-letter"),
    ],
)
def test_names_follow_the_separator_rules(name: str, masterplan: str, resume: str) -> None:
    assert (masterplan_name(name), resume_name(name)) == (masterplan, resume)


def test_init_scaffolds_files_named_after_the_folder(repo: Repo) -> None:
    result = repo.run("init")
    assert (result.returncode, result.report, result.stderr) == (
        0,
        "".join(f"created {path}\n" for path in SCAFFOLD),
        "",
    )


def test_init_name_argument_names_the_files(repo: Repo) -> None:
    result = repo.run("init", "shop-front")
    assert (result.returncode, result.report) == (
        0,
        "created docs/plans/SHOP_FRONT_MASTERPLAN.md\n"
        "created skills/shop-front-resume.md\n"
        "created .plankeeper.yaml\n",
    )


def test_init_ci_adds_the_workflow(repo: Repo) -> None:
    result = repo.run("init", "--ci")
    assert (result.returncode, result.report) == (
        0,
        "".join(f"created {path}\n" for path in (*SCAFFOLD, WORKFLOW)),
    )


def test_init_ci_in_an_adopted_repository_adds_only_the_workflow(repo: Repo) -> None:
    repo.write("docs/plans/SHOP_MASTERPLAN.md", "# Shop\n\n## Phase 1\n- [ ] T1 a\n")
    repo.commit("adopted")
    result = repo.run("init", "--ci")
    assert (result.returncode, result.report, result.stderr) == (0, f"created {WORKFLOW}\n", "")
    assert sorted(_snapshot(repo.path)) == [WORKFLOW, "docs/plans/SHOP_MASTERPLAN.md"]


def test_readme_and_the_ci_workflow_use_one_reference_and_the_same_permissions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    template = _workflow()
    uses = {
        line.split("uses: ", 1)[1]
        for line in readme.splitlines()
        if line.strip().startswith(("- uses: plankeeper/", "uses: plankeeper/"))
    }
    assert uses == {f"plankeeper/plankeeper@v{__version__}"}
    assert f"    rev: v{__version__}\n" in readme
    assert template["jobs"]["plankeeper"]["steps"][-1]["uses"] in uses
    assert "permissions:\n  contents: read\n  pull-requests: read\n" in readme


def test_init_twice_changes_nothing_and_names_the_kept_files(repo: Repo) -> None:
    repo.run("init", "--ci")
    before = _snapshot(repo.path)
    result = repo.run("init", "--ci")
    assert (result.returncode, result.report, _snapshot(repo.path)) == (
        1,
        "".join(f"kept {path} (it exists; left untouched)\n" for path in (*SCAFFOLD, WORKFLOW)),
        before,
    )


def test_init_creates_missing_files_when_others_exist(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "exempt: [docs/**]\n")
    result = repo.run("init")
    assert (result.returncode, result.report, repo.read(".plankeeper.yaml")) == (
        1,
        "created docs/plans/REPO_MASTERPLAN.md\n"
        "created skills/repo-resume.md\n"
        "kept .plankeeper.yaml (it exists; left untouched)\n",
        b"exempt: [docs/**]\n",
    )


def test_init_adds_no_second_config_next_to_pyproject(repo: Repo) -> None:
    repo.write("pyproject.toml", "[tool.plankeeper]\nexempt = ['docs/**']\n")
    result = repo.run("init")
    assert (result.returncode, result.report.splitlines()[-1]) == (
        1,
        "kept pyproject.toml (it exists; left untouched)",
    )
    assert not (repo.path / ".plankeeper.yaml").exists()


def test_init_warns_when_the_config_misses_the_scaffold(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "plans: [plans/*.md]\n")
    result = repo.run("init")
    assert (result.returncode, result.stderr) == (
        1,
        "plankeeper: warning: docs/plans/REPO_MASTERPLAN.md is not a masterplan under the "
        "configuration in .plankeeper.yaml\n",
    )


def test_init_from_a_subdirectory_scaffolds_at_the_root(repo: Repo) -> None:
    (repo.path / "src").mkdir()
    result = repo.run("init", "app", cwd=repo.path / "src")
    assert (result.returncode, sorted(_snapshot(repo.path))) == (
        0,
        [".plankeeper.yaml", "docs/plans/APP_MASTERPLAN.md", "skills/app-resume.md"],
    )


def test_init_name_without_letter_or_digit_is_exit_2(repo: Repo) -> None:
    result = repo.run("init", "--", "--")
    assert (result.returncode, result.report, result.stderr) == (
        2,
        "",
        "plankeeper: error: init: NAME '--' has no letter or digit\n",
    )


def test_init_files_get_the_umask_mode(repo: Repo) -> None:
    repo.run("init")
    mask = os.umask(0o022)
    os.umask(mask)
    assert (repo.path / SCAFFOLD[0]).stat().st_mode & 0o777 == 0o666 & ~mask


def test_config_template_loads_as_the_defaults(repo: Repo) -> None:
    repo.run("init")
    loaded = load_config(repo.path)
    defaults = default_config()
    assert replace(loaded, path=None, severities={}) == defaults
    assert all(
        loaded.severity_of(code, entry.check) == defaults.severity_of(code, entry.check)
        for code, entry in CODES.items()
    )


def test_config_template_writes_out_every_code() -> None:
    text = scaffold("demo", ci=False)[".plankeeper.yaml"]
    assert sorted(yaml.safe_load(text)["checks"]) == sorted(CODES)


def test_resume_file_has_front_matter_and_names_the_masterplan() -> None:
    text = scaffold("Shop Front", ci=False)["skills/shop-front-resume.md"]
    front = yaml.safe_load(text.split("---\n")[1])
    assert (sorted(front), front["name"], "`docs/plans/SHOP_FRONT_MASTERPLAN.md`" in text) == (
        ["description", "name"],
        "shop-front-resume",
        True,
    )


def test_masterplan_has_two_phases_of_open_tasks() -> None:
    text = scaffold("demo", ci=False)["docs/plans/DEMO_MASTERPLAN.md"]
    plan = parse_plan(text, "docs/plans/DEMO_MASTERPLAN.md")
    assert [(phase.title, phase.total) for phase in plan.phases] == [
        ("Phase 1: Foundation", 3),
        ("Phase 2: First release", 2),
    ]


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(scaffold("demo", ci=True)[WORKFLOW])
    return data


def test_workflow_runs_on_pull_request_label_changes_and_merge_group() -> None:
    triggers = _workflow()[True]  # YAML 1.1 reads the key `on` as true
    assert triggers == {
        "pull_request": {"types": ["opened", "synchronize", "reopened", "labeled", "unlabeled"]},
        "merge_group": None,
    }


def test_workflow_has_least_permissions() -> None:
    assert _workflow()["permissions"] == {"contents": "read", "pull-requests": "read"}


def test_workflow_uses_the_action_with_its_inputs() -> None:
    steps = _workflow()["jobs"]["plankeeper"]["steps"]
    assert steps[-1] == {
        "uses": f"plankeeper/plankeeper@v{__version__}",
        "with": {"mode": "block", "checks": "all", "base": "auto", "skip-label": "plankeeper:skip"},
    }


def test_workflow_has_no_paths_filter_and_no_inline_expressions_in_scripts() -> None:
    workflow = _workflow()
    filters = [key for key in workflow[True]["pull_request"] if key.startswith("paths")]
    scripts = [step for step in workflow["jobs"]["plankeeper"]["steps"] if "run" in step]
    assert (filters, scripts) == ([], [])


def test_scaffold_passes_every_check(repo: Repo) -> None:
    assert repo.run("init", "--ci").returncode == 0
    repo.commit("scaffold")
    result = repo.run("verify")
    assert (result.returncode, result.report, result.stderr) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n"
        "\n"
        "docs/plans/REPO_MASTERPLAN.md [--------------------] 0/5, "
        "current phase: Phase 1: Foundation\n"
        "next: docs/plans/REPO_MASTERPLAN.md:26: [P1.1] Write the vision and goals of repo "
        "above\n",
        "",
    )


def test_scaffold_passes_every_check_on_the_whole_tree(repo: Repo) -> None:
    repo.run("init", "--ci")
    result = repo.run("check", "--all-files")
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_scaffold_commit_passes_the_staged_checks(repo: Repo) -> None:
    repo.run("init", "--ci")
    repo.stage()
    result = repo.run("check", "--staged")
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_newcomer_path_init_commit_status_next_verify(repo: Repo) -> None:
    plan = "docs/plans/SHOP_MASTERPLAN.md"
    outputs = [repo.run("init", "shop")]
    repo.commit("plankeeper init")
    outputs += [repo.run("status"), repo.run("next"), repo.run("verify")]
    assert [(result.returncode, result.stderr) for result in outputs] == [(0, "")] * 4
    assert [result.report for result in outputs[1:]] == [
        f"{plan}: 0/5 tasks done\n"
        "  [--------------------] 0/3  Phase 1: Foundation  <- current\n"
        "  [--------------------] 0/2  Phase 2: First release\n"
        f"  next: {plan}:26: [P1.1] Write the vision and goals of shop above\n",
        f"{plan}:26: [P1.1] Write the vision and goals of shop above\n",
        "plankeeper: 0 errors, 0 warnings\n"
        "\n"
        f"{plan} [--------------------] 0/5, current phase: Phase 1: Foundation\n"
        f"next: {plan}:26: [P1.1] Write the vision and goals of shop above\n",
    ]
