"""action.yml run locally: its steps in bash with a realistic GITHUB_* environment."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import MINIMAL_PLAN, ROOT, Repo, findings_of, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
CONFIG = "checks:\n  todos-tracked: off\n  handoff-matches: off\n  plan-structure: off\n"
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "examples" / "plankeeper-workflow.yml"
ANNOTATION = (
    f"file={PLAN},title=PK101::{PLAN}: src/app.py changed but the plan was not updated "
    "[plan-updated]%0Ahelp: tick or add a task in docs/plans/DEMO_MASTERPLAN.md that covers "
    "src/app.py\n"
)
SUMMARY_LINE = "plankeeper: 1 error, 0 warnings\n"
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def headline_cut(summary: str) -> str:
    """The job summary with its headline cut after the counts (what was judged varies)."""
    return re.sub(r"^(\d+ errors?, \d+ warnings?) in .*$", r"\1", summary, flags=re.MULTILINE)


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def run_scripts() -> list[tuple[str, str]]:
    return [(step["name"], step["run"]) for step in action()["runs"]["steps"] if "run" in step]


@dataclass
class Origin:
    """The GitHub side: main with a plan, a pull request that adds code, its merge commit."""

    repo: Repo
    fork: str
    base: str
    head: str


@pytest.fixture
def origin(repo: Repo) -> Origin:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", CONFIG)
    fork = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hi')\n")
    head = repo.commit("code")
    repo.git("checkout", "-q", "main")
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 later on main\n")
    base = repo.commit("main moves on")
    # What actions/checkout checks out for a pull request: refs/pull/7/merge.
    repo.git("checkout", "-q", "-b", "pull-7-merge")
    repo.git("merge", "-q", "--no-edit", "--no-verify", "feature")
    repo.git("checkout", "-q", "main")
    return Origin(repo, fork, base, head)


@dataclass
class ActionRun:
    status: int
    stdout: dict[str, str] = field(default_factory=dict)
    stderr: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""


@dataclass
class Runner:
    """A runner's environment for one job: workspace, temp folder, event payload."""

    tmp_path: Path
    workspace: Path
    event_name: str
    payload: dict[str, Any]
    reuse_venv: bool = True

    def run(self, **inputs: str) -> ActionRun:
        temp = self.tmp_path / "runner-temp"
        temp.mkdir(exist_ok=True)
        if self.reuse_venv and not (temp / "plankeeper").exists():
            # What the install step leaves behind: reused instead of installing again.
            (temp / "plankeeper").mkdir()
            (temp / "plankeeper" / "venv").symlink_to(Path(sys.executable).parent.parent)
            (temp / "plankeeper" / "installed-from").write_text(str(ROOT))
        event_path = self.tmp_path / "event.json"
        event_path.write_text(json.dumps(self.payload), encoding="utf-8")
        summary = self.tmp_path / "step-summary.md"
        summary.touch()
        base_env = git_environment()
        base_env.update(
            GITHUB_ACTIONS="true",
            GITHUB_EVENT_NAME=self.event_name,
            GITHUB_EVENT_PATH=str(event_path),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_REPOSITORY="octo/demo",
            GITHUB_API_URL="http://127.0.0.1:9",
            RUNNER_TEMP=str(temp),
        )
        definition = action()
        values = {name: spec.get("default", "") for name, spec in definition["inputs"].items()}
        values.update({name.replace("_", "-"): value for name, value in inputs.items()})
        steps: dict[str, dict[str, str]] = {}
        context = {"github.token": ""}

        def evaluate(text: str) -> str:
            def one(match: re.Match[str]) -> str:
                expression = match.group(1)
                if expression.startswith("inputs."):
                    return str(values[expression.removeprefix("inputs.")])
                if expression.startswith("steps."):
                    step_id, _, name = expression.removeprefix("steps.").split(".")
                    return steps.get(step_id, {}).get(name, "")
                return context[expression]

            return EXPRESSION.sub(one, str(text))

        result = ActionRun(0)
        for index, step in enumerate(definition["runs"]["steps"]):
            output = self.tmp_path / f"output-{index}"
            output.touch()
            env = dict(base_env, GITHUB_OUTPUT=str(output))
            env.update({key: evaluate(value) for key, value in step.get("env", {}).items()})
            script = self.tmp_path / f"step-{index}.sh"
            script.write_text(step["run"], encoding="utf-8")
            # How the runner runs `shell: bash`.
            process = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            name = step.get("id", str(index))
            result.stdout[name], result.stderr[name] = process.stdout, process.stderr
            steps[name] = dict(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
            if process.returncode != 0:
                result.status = process.returncode
                break
        result.outputs = {
            name: evaluate(spec["value"]) for name, spec in definition["outputs"].items()
        }
        result.summary = summary.read_text(encoding="utf-8")
        return result


def clone(origin: Origin, tmp_path: Path, branch: str, *, shallow: bool = True) -> Path:
    workspace = tmp_path / "workspace"
    depth = ["--depth", "1"] if shallow else []
    origin.repo.git(
        "clone", "-q", *depth, "--branch", branch, f"file://{origin.repo.path}", str(workspace)
    )
    return workspace


def pr_payload(origin: Origin, labels: list[str] | None = None) -> dict[str, Any]:
    return {
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"sha": origin.base, "ref": "main"},
            "head": {"sha": origin.head, "ref": "feature"},
            "labels": [{"name": name} for name in labels or []],
        },
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }


@pytest.fixture
def pull_request_runner(origin: Origin, tmp_path: Path) -> Runner:
    return Runner(
        tmp_path, clone(origin, tmp_path, "pull-7-merge"), "pull_request", pr_payload(origin)
    )


def test_action_blocks_pull_request_without_plan_update(pull_request_runner: Runner) -> None:
    run = pull_request_runner.run()
    assert run.status == 1
    assert findings_of(run.stdout["check"]) == "::error " + ANNOTATION + SUMMARY_LINE
    assert run.stderr["check"] == ""
    assert run.outputs == {"findings": "1", "result": "fail"}
    assert headline_cut(run.summary) == (
        "### plankeeper: fail\n\n1 error, 0 warnings\n\n"
        "| Severity | Code | Check | Where | Message |\n| --- | --- | --- | --- | --- |\n"
        "| error | PK101 | plan-updated | docs/plans/DEMO\\_MASTERPLAN.md | src/app.py changed "
        "but the plan was not updated |\n\n"
    )


def test_action_in_annotate_mode_warns_and_passes(pull_request_runner: Runner) -> None:
    run = pull_request_runner.run(mode="annotate")
    assert run.status == 0
    assert findings_of(run.stdout["check"]) == (
        "::warning " + ANNOTATION + "plankeeper: 1 error, 0 warnings "
        "(annotate mode: not blocking)\n"
    )
    assert run.outputs == {"findings": "1", "result": "pass"}


def test_action_fetches_the_base_into_a_shallow_clone(
    pull_request_runner: Runner, origin: Origin
) -> None:
    pull_request_runner.run()
    merge_base = subprocess.run(
        ["git", "merge-base", origin.base, origin.head],
        cwd=pull_request_runner.workspace,
        capture_output=True,
        text=True,
        check=False,
        env=git_environment(),
    )
    assert merge_base.stdout.strip() == origin.fork


def test_action_with_full_clone_fetches_nothing(origin: Origin, tmp_path: Path) -> None:
    workspace = clone(origin, tmp_path, "pull-7-merge", shallow=False)
    run = Runner(tmp_path, workspace, "pull_request", pr_payload(origin)).run()
    assert run.status == 1
    assert not (workspace / ".git" / "FETCH_HEAD").exists()


def test_action_skip_label_passes(origin: Origin, tmp_path: Path) -> None:
    workspace = clone(origin, tmp_path, "pull-7-merge")
    runner = Runner(tmp_path, workspace, "pull_request", pr_payload(origin, ["no-plan-needed"]))
    run = runner.run(skip_label="no-plan-needed")
    assert run.status == 0
    assert run.outputs == {"findings": "0", "result": "pass"}
    assert headline_cut(run.summary).endswith(
        "| Skipped check | Why |\n| --- | --- |\n"
        "| plan-updated | label no-plan-needed, from the event payload |\n"
        "| todos-tracked | label no-plan-needed, from the event payload |\n"
        "| handoff-matches | label no-plan-needed, from the event payload |\n"
        "| plan-structure | label no-plan-needed, from the event payload |\n\n"
    )


def test_action_checks_a_push_in_a_shallow_clone(origin: Origin, tmp_path: Path) -> None:
    workspace = clone(origin, tmp_path, "feature")
    payload = {
        "before": origin.fork,
        "after": origin.head,
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }
    run = Runner(tmp_path, workspace, "push", payload).run()
    assert (run.status, findings_of(run.stdout["check"])) == (
        1,
        "::error " + ANNOTATION + SUMMARY_LINE,
    )


def test_action_checks_a_new_branch_push_against_the_default_branch(
    origin: Origin, tmp_path: Path
) -> None:
    workspace = clone(origin, tmp_path, "feature")
    payload = {
        "before": "0" * 40,
        "after": origin.head,
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }
    run = Runner(tmp_path, workspace, "push", payload).run()
    assert (run.status, findings_of(run.stdout["check"])) == (
        1,
        "::error " + ANNOTATION + SUMMARY_LINE,
    )


def test_action_writes_sarif_file(pull_request_runner: Runner) -> None:
    run = pull_request_runner.run(sarif_file="plankeeper.sarif")
    assert run.status == 1
    document = json.loads((pull_request_runner.workspace / "plankeeper.sarif").read_text())
    assert [item["ruleId"] for item in document["runs"][0]["results"]] == ["PK101"]


def test_action_rejects_an_unknown_check(pull_request_runner: Runner) -> None:
    run = pull_request_runner.run(checks="plan-updated, plan-update")
    assert run.status == 2
    assert run.stderr["check"] == (
        "plankeeper: error: the action's checks input: unknown check 'plan-update' (use all, "
        "or plan-updated, todos-tracked, handoff-matches, plan-structure)\n"
    )
    assert run.outputs["result"] == "error"


# -- the edges: a branch name as base in a shallow clone, exit 2, a huge summary --------------


def push_payload(origin: Origin) -> dict[str, Any]:
    return {
        "before": origin.fork,
        "after": origin.head,
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }


def test_base_main_in_a_shallow_clone_compares_with_origin_main(
    origin: Origin, tmp_path: Path
) -> None:
    workspace = clone(origin, tmp_path, "feature")
    run = Runner(tmp_path, workspace, "push", push_payload(origin)).run(base="main")
    assert run.status == 1, run.stderr
    assert findings_of(run.stdout["check"]) == "::error " + ANNOTATION + SUMMARY_LINE
    assert (
        run.stdout["check"]
        .splitlines()[-1]
        .startswith(f"plankeeper: 1 error, 0 warnings in origin/main..HEAD ({origin.fork[:7]}..")
    )
    assert run.outputs == {"findings": "1", "result": "fail"}


def test_a_base_that_names_nothing_fails_naming_the_action_input(
    origin: Origin, tmp_path: Path
) -> None:
    workspace = clone(origin, tmp_path, "feature")
    run = Runner(tmp_path, workspace, "push", push_payload(origin)).run(base="mian")
    assert run.status == 2
    message = (
        "plankeeper: error: the action's base input 'mian' is no commit, tag or branch of "
        "origin; use auto, or a branch of origin such as main\n"
    )
    assert run.stderr["check"] == message
    assert run.outputs["result"] == "error"
    assert run.summary == "### plankeeper: error\n\n    " + message + "\n"


def test_an_exit_2_of_plankeeper_sets_result_and_writes_the_error_to_the_summary(
    pull_request_runner: Runner,
) -> None:
    run = pull_request_runner.run(config="missing.yaml")
    assert run.status == 2
    [line] = run.stderr["check"].splitlines()
    assert line.startswith("plankeeper: error: ")
    assert "missing.yaml" in line
    assert run.outputs["result"] == "error"
    assert run.summary == f"### plankeeper: error\n\n    {line}\n\n"


def test_action_installs_into_its_own_venv(origin: Origin, tmp_path: Path) -> None:
    workspace = clone(origin, tmp_path, "pull-7-merge")
    runner = Runner(tmp_path, workspace, "pull_request", pr_payload(origin), reuse_venv=False)
    run = runner.run()
    venv = tmp_path / "runner-temp" / "plankeeper" / "venv"
    assert run.status == 1, run.stderr
    assert findings_of(run.stdout["check"]) == "::error " + ANNOTATION + SUMMARY_LINE
    assert not venv.is_symlink()
    assert (venv / "pyvenv.cfg").exists()
    assert (tmp_path / "runner-temp" / "plankeeper" / "installed-from").read_text() == str(ROOT)
    # A second use of the action in the job reuses the environment.
    again = runner.run()
    assert again.stdout["install"] == f"plankeeper: reusing {venv}\n"


def test_no_run_script_holds_an_expression() -> None:
    assert [name for name, script in run_scripts() if "${{" in script] == []


@pytest.mark.parametrize(("name", "script"), run_scripts(), ids=[name for name, _ in run_scripts()])
def test_run_script_is_shellcheck_clean(name: str, script: str, tmp_path: Path) -> None:
    path = tmp_path / "step.sh"
    path.write_text("#!/usr/bin/env bash\n" + script, encoding="utf-8")
    result = subprocess.run(
        ["shellcheck", "--shell=bash", str(path)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        pytest.param("vendor.github-actions", ACTION, id="action"),
        pytest.param("vendor.github-workflows", WORKFLOW, id="workflow-example"),
    ],
)
def test_check_jsonschema_accepts(schema: str, path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n")


def test_action_has_the_documented_inputs_and_outputs() -> None:
    definition = action()
    defaults = {name: spec.get("default") for name, spec in definition["inputs"].items()}
    assert defaults == {
        "mode": "block",
        "checks": "all",
        "config": "",
        "base": "auto",
        "head": "",
        "skip-label": "plankeeper:skip",
        "sarif-file": "none",
        "comment": "false",
    }
    assert list(definition["outputs"]) == ["findings", "result"]
    assert definition["runs"]["using"] == "composite"


def test_workflow_example_uses_only_the_action_inputs() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["plankeeper"]["steps"]
    used = [step for step in steps if "plankeeper" in step.get("uses", "")]
    assert len(used) == 1
    assert set(used[0].get("with", {})) <= set(action()["inputs"])
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "read"}


# -- a pull request's Python never runs ----------------------------------------------------

# Modules that a Python started in the checkout would import from it: plankeeper itself,
# what it imports, what `-m venv`, `-m pip`, the build and `-m` import, what site imports.
SHADOWED = (
    "plankeeper",
    "git",
    "yaml",
    "marko",
    "venv",
    "ensurepip",
    "pip",
    "setuptools",
    "runpy",
    "site",
    "sitecustomize",
    "usercustomize",
    "encodings",
)


def plant_shadows(repo: Repo, markers: Path, *, as_packages: bool) -> None:
    """Each module of SHADOWED at the root, as a file or a package, leaving a marker if run."""
    for name in SHADOWED:
        code = f"open({str(markers / name)!r}, 'w').write('ran')\n"
        repo.write(f"{name}/__init__.py" if as_packages else f"{name}.py", code)


@pytest.mark.parametrize("as_packages", [False, True], ids=["modules", "packages"])
def test_action_never_imports_python_from_the_checkout(
    repo: Repo, tmp_path: Path, as_packages: bool
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", CONFIG)
    fork = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hi')\n")
    plant_shadows(repo, markers, as_packages=as_packages)
    head = repo.commit("code and a hostile root")
    repo.git("checkout", "-q", "-b", "pull-7-merge")
    repo.git("checkout", "-q", "main")
    origin = Origin(repo, fork, fork, head)
    workspace = clone(origin, tmp_path, "pull-7-merge")
    prebuilt = tmp_path / "prebuilt"
    prebuilt.mkdir()
    fresh = Runner(tmp_path, workspace, "pull_request", pr_payload(origin), reuse_venv=False)
    runners = {
        # The reuse check, the fetch and the run, with a venv that is already there.
        "prebuilt": Runner(prebuilt, workspace, "pull_request", pr_payload(origin)),
        # Every step: a fresh install (venv, pip, the build), the fetch, the run.
        "install": fresh,
        # A second use of the action in the job: the venv this job installed.
        "reuse": fresh,
    }
    for attempt, runner in runners.items():
        subprocess.run(["git", "clean", "-qfdx"], cwd=workspace, check=True)
        run = runner.run(sarif_file="plankeeper.sarif")
        assert sorted(path.name for path in markers.iterdir()) == [], attempt
        assert run.status == 1, (attempt, run.stderr)
        assert "title=PK101::" in run.stdout["check"]
    assert run.stdout["install"].startswith("plankeeper: reusing ")
