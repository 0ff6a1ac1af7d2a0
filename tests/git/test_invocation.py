"""The `git commit` above a hook: its arguments from the process tree, and `--amend` in them."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankeeper.git.invocation import commit_arguments, is_amend


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--amend", "--no-edit"], True, id="amend"),
        pytest.param(["-qa", "--am"], True, id="abbreviated"),
        pytest.param(["--amend", "--no-amend"], False, id="negated"),
        pytest.param(["-m", "--amend"], False, id="message-value"),
        pytest.param(["-am", "--amend"], False, id="clustered-message-value"),
        pytest.param(["--message", "--amend"], False, id="long-message-value"),
        pytest.param(["--message=x", "--amend"], True, id="attached-value"),
        pytest.param(["--", "--amend"], False, id="pathspec"),
        pytest.param(["-C", "HEAD"], False, id="reuse-message"),
        pytest.param([], False, id="plain"),
        pytest.param(None, False, id="unknowable"),
    ],
)
def test_is_amend(args: list[str] | None, expected: bool) -> None:
    assert is_amend(args) is expected


def _process(proc: Path, pid: int, parent: int, *argv: str) -> None:
    folder = proc / str(pid)
    folder.mkdir(parents=True)
    (folder / "cmdline").write_bytes(b"\0".join(arg.encode() for arg in argv) + b"\0")
    (folder / "stat").write_bytes(f"{pid} (a (b) c) S {parent} 1 1 0".encode())


def test_commit_arguments_climb_to_the_nearest_git(tmp_path: Path) -> None:
    # plankeeper <- pre-commit <- git: the hook script exec'd into pre-commit.
    _process(tmp_path, 30, 20, "/venv/bin/python", "-m", "pre_commit", "hook-impl")
    _process(tmp_path, 20, 1, "/usr/bin/git", "-C", "x", "-c", "a=b", "commit", "--amend")
    assert commit_arguments(tmp_path, pid=30) == ["--amend"]


def test_commit_arguments_of_another_git_command_are_unknown(tmp_path: Path) -> None:
    _process(tmp_path, 20, 1, "git", "merge", "side")
    assert commit_arguments(tmp_path, pid=20) is None


def test_commit_arguments_without_proc_are_unknown(tmp_path: Path) -> None:
    assert commit_arguments(tmp_path / "missing", pid=20) is None
