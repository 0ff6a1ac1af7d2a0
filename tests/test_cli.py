"""The command line as a user meets it: help, version, and one-line errors with exit 2."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from plankeeper import __version__
from plankeeper.cli import build_parser
from plankeeper.findings import CODES
from tests.conftest import Repo


def test_help_lists_every_command(repo: Repo) -> None:
    result = repo.run("--help")
    assert result.returncode == 0
    for command in (
        "check",
        "hook",
        "verify",
        "status",
        "next",
        "todos",
        "handoff",
        "init",
        "install-hooks",
        "explain",
    ):
        assert command in result.report


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [action] = [
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    ]
    return dict(action.choices)


@pytest.mark.parametrize("name", list(_subcommands()))
def test_every_subcommand_has_a_description_and_an_example(name: str) -> None:
    sub = _subcommands()[name]
    assert sub.description is not None
    assert len(sub.description.split()) >= 10
    assert sub.epilog is not None
    assert sub.epilog.startswith("examples:\n  plankeeper " if name != "hook" else "examples:\n")
    assert "\n  plankeeper " in sub.format_help() or "\n  pre-commit " in sub.format_help()


def test_subcommand_help_shows_the_description_wrapped_and_the_examples(repo: Repo) -> None:
    result = repo.run("verify", "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0
    assert "\nRun every check on the work since the default branch (its merge-base with\n" in (
        result.report
    )
    assert result.report.endswith(
        "examples:\n  plankeeper verify\n  plankeeper verify --base origin/release\n"
    )


def test_check_help_lists_every_code(repo: Repo) -> None:
    result = repo.run("check", "--help")
    assert result.returncode == 0
    for code in CODES:
        assert code in result.report


def test_version(repo: Repo) -> None:
    result = repo.run("--version")
    assert (result.returncode, result.report) == (0, f"plankeeper {__version__}\n")


def test_format_choices_come_from_the_registry() -> None:
    from plankeeper.report import REPORTERS

    parser = build_parser()
    args = parser.parse_args(["check", "--format", "json"])
    assert args.format == "json"
    assert set(REPORTERS) >= {"text", "json"}


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["hook", "--format", "json", "todos-tracked"], id="hook"),
        pytest.param(["check", "--base", "main", "--mode", "annotate"], id="check"),
        pytest.param(["install-hooks", "--force"], id="install-hooks"),
        pytest.param(["status", "--config", "x.yaml", "--json"], id="status"),
    ],
)
def test_the_parser_of_one_command_parses_as_the_whole_parser(argv: list[str]) -> None:
    from plankeeper.cli import command_named

    assert command_named(argv) == argv[0]
    assert build_parser(argv[0]).parse_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="nothing"),
        pytest.param(["--help"], id="help"),
        pytest.param(["frobnicate", "hook"], id="unknown-word-first"),
    ],
)
def test_a_command_line_naming_no_command_first_gets_the_whole_parser(argv: list[str]) -> None:
    from plankeeper.cli import command_named

    assert command_named(argv) is None


def assert_one_line_error(result_stderr: str, expected: str) -> None:
    assert "Traceback" not in result_stderr
    assert result_stderr == f"plankeeper: error: {expected}\n"


def test_not_a_git_repository(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    result = repo.run("check", cwd=outside)
    assert result.returncode == 2
    assert_one_line_error(result.stderr, f"not a git repository: {outside} (or any parent)")


def test_unknown_revision(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    repo.commit("first")
    result = repo.run("check", "--base", "no-such-branch")
    assert result.returncode == 2
    assert_one_line_error(result.stderr, "--base: unknown revision 'no-such-branch'")


def test_unknown_flag(repo: Repo) -> None:
    result = repo.run("check", "--bogus")
    assert result.returncode == 2
    assert_one_line_error(
        result.stderr, "unrecognized arguments: --bogus (see `plankeeper --help`)"
    )


def test_unknown_command(repo: Repo) -> None:
    result = repo.run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "plankeeper: error: argument COMMAND: invalid choice: 'frobnicate'"
    )


def test_bad_config(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "plns: []\n")
    result = repo.run("check")
    assert result.returncode == 2
    assert_one_line_error(
        result.stderr, ".plankeeper.yaml:1: unknown key 'plns' (did you mean 'plans'?)"
    )


def test_head_without_base(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    repo.commit("first")
    result = repo.run("check", "--head", "HEAD")
    assert result.returncode == 2
    assert_one_line_error(result.stderr, "--head needs --base")


def test_base_and_all_files_exclude_each_other(repo: Repo) -> None:
    result = repo.run("check", "--base", "main", "--all-files")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_file_outside_the_repository(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.py", "1\n")
    repo.commit("first")
    result = repo.run("check", "todos-tracked", str(tmp_path))
    assert result.returncode == 2
    assert_one_line_error(result.stderr, f"{tmp_path} is outside the repository {repo.path}")


def test_bare_repository(tmp_path: Path, repo: Repo) -> None:
    bare = tmp_path / "bare.git"
    repo.git("init", "-q", "--bare", str(bare))
    result = repo.run("check", cwd=bare)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "bare repository" in result.stderr


@pytest.mark.parametrize(
    "module", [pytest.param(True, id="python-m"), pytest.param(False, id="script")]
)
def test_entry_points_run(repo: Repo, module: bool) -> None:
    import shutil
    import subprocess
    import sys

    command = (
        [sys.executable, "-m", "plankeeper"]
        if module
        else [shutil.which("plankeeper", path=str(Path(sys.executable).parent)) or "plankeeper"]
    )
    process = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    assert (process.returncode, process.stdout) == (0, f"plankeeper {__version__}\n")


def test_every_registry_entry_resolves() -> None:
    from plankeeper.checks import CHECKS
    from plankeeper.report import REPORTERS

    assert list(CHECKS) == ["plan-updated", "todos-tracked", "handoff-matches", "plan-structure"]
    assert list(REPORTERS) == ["text", "json", "github", "sarif", "markdown"]
    assert all(callable(CHECKS[name]) for name in CHECKS)
    assert all(callable(REPORTERS[name]) for name in REPORTERS)
