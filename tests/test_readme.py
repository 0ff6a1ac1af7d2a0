"""Contract tests: the README names every code, check and hook id; it opens with two commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from plankeeper.checks import CHECKS
from plankeeper.findings import CODES
from tests.conftest import ROOT, Repo, git_environment

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_code_is_in_the_readme_code_table() -> None:
    for entry in CODES.values():
        row = f"| {entry.code} | {entry.check} | {entry.default_severity.value} | {entry.summary} |"
        assert row in README


def test_every_check_is_in_the_readme() -> None:
    for name in CHECKS:
        assert f"`{name}`" in README


def test_every_hook_id_is_in_the_readme() -> None:
    hooks_file = ROOT / ".pre-commit-hooks.yaml"
    for hook in yaml.safe_load(hooks_file.read_text(encoding="utf-8")):
        assert f"id: {hook['id']}" in README or f"`{hook['id']}`" in README


def test_readme_starts_with_exactly_two_commands() -> None:
    head = README.split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", head, flags=re.DOTALL)
    assert len(blocks) == 2
    assert all(block.count("\n") == 1 for block in blocks)
    assert "pytest" in blocks[1]
    assert "plankeeper verify" in blocks[0]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)
    assert blocks[1].strip() in ci


GETTING_STARTED = "https://github.com/plankeeper/plankeeper#getting-started"


def test_install_pointers_lead_to_the_readmes_install_command() -> None:
    from plankeeper.findings import RunResult, Summary
    from plankeeper.report.sarif import as_dict

    assert "\n## Getting started\n\n```sh\npip install .  " in README
    driver = as_dict(RunResult((), Summary(0, 0, 0)))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == GETTING_STARTED
    for hook in ("pre-commit", "pre-push"):
        text = (ROOT / "src" / "plankeeper" / "hooks" / hook).read_text(encoding="utf-8")
        [line] = [line for line in text.splitlines() if "not found" in line]
        assert GETTING_STARTED in line
        assert "pip install plankeeper" not in text


def test_readme_says_pre_commits_file_filters_do_not_apply() -> None:
    section = README.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    assert "`files:`" in section
    assert "`todo.exclude`" in section
    assert "`exempt`" in section


def test_adopting_section_commands_end_in_a_green_verify(repo: Repo) -> None:
    """The README's adoption commands, run as written on a repository with 300 TODOs."""
    section = README.split("\n## Adopting on an existing codebase\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    tag = "TO" + "DO"  # built, so that the scan of this file does not read it as ours
    for number in range(60):
        repo.write(
            f"src/pkg{number % 6}/mod{number}.py",
            "".join(f"# {tag}: legacy {item} of {number}\nx = {item}\n" for item in range(5)),
        )
    repo.commit("legacy code")
    environ = git_environment()
    # `plankeeper` is the one installed next to the interpreter that runs the tests.
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ['PATH']}"
    results = [
        subprocess.run(
            ["bash", "-c", line], cwd=repo.path, env=environ, capture_output=True, text=True
        )
        for line in block.splitlines()
    ]
    assert [
        (line.split()[:2], result.returncode)
        for line, result in zip(block.splitlines(), results, strict=True)
    ] == [
        (["plankeeper", "init"], 0),
        (["plankeeper", "baseline"], 0),
        (["git", "add"], 0),
        (["plankeeper", "verify"], 0),
    ]
    assert "plankeeper: recorded 300 TODOs in .plankeeper-baseline" in results[1].stdout


def test_ci_runs_the_readme_test_command_as_written() -> None:
    head = README.split("\n## ", 1)[0]
    test_command = re.findall(r"```sh\n(.*?)```", head, flags=re.DOTALL)[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
