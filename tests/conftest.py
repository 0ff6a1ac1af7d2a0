"""Shared fixtures: scratch repositories made with the real git, and the CLI as a process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GIT_DATE = "2026-01-01T12:00:00+00:00"


def git_environment() -> dict[str, str]:
    """A git environment that ignores the user's and the machine's configuration."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "PLANKEEPER", "GITHUB_"))
    }
    environ.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.com",
        GIT_COMMITTER_NAME="Test Committer",
        GIT_COMMITTER_EMAIL="committer@example.com",
        GIT_AUTHOR_DATE=GIT_DATE,
        GIT_COMMITTER_DATE=GIT_DATE,
    )
    return environ


_SCOPE = re.compile(
    r"^(plankeeper: \d+ errors?, \d+ warnings?) in [^\n]*?( \(annotate mode: not blocking\))?$",
    re.MULTILINE,
)
_HELP = re.compile(r"^  help: [^\n]*\n", re.MULTILINE)


def findings_of(report: str) -> str:
    """A text report without its `help:` lines and with the summary cut after the counts.

    For tests of the findings themselves: test_fixes.py and test_scope.py test the fixes
    and the summary's account of what was judged.
    """
    return _SCOPE.sub(r"\1\2", _HELP.sub("", report))


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def report(self) -> str:
        """stdout as `findings_of` shortens it."""
        return findings_of(self.stdout)


class Repo:
    """A scratch repository under tmp_path; every git call is the real git."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def git(self, *args: str, input: bytes | None = None, check: bool = True) -> str:
        process = subprocess.run(
            ["git", *args],
            cwd=self.path,
            input=input,
            capture_output=True,
            check=False,
        )
        if check and process.returncode != 0:
            raise AssertionError(
                f"git {' '.join(args)} failed: {process.stderr.decode(errors='replace')}"
            )
        return process.stdout.decode("utf-8", "surrogateescape")

    def write(self, path: str, text: str | bytes) -> Path:
        full = self.path / path
        full.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            full.write_bytes(text.encode("utf-8"))
        else:
            full.write_bytes(text)
        return full

    def read(self, path: str) -> bytes:
        return (self.path / path).read_bytes()

    def stage(self, *paths: str) -> None:
        self.git("add", "-A", "--", *(paths or (".",)))

    def commit(self, message: str = "commit", *, all: bool = True) -> str:
        if all:
            self.stage()
        self.git("commit", "-q", "--no-verify", "--no-gpg-sign", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def run(
        self,
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
    ) -> Result:
        """`python -m plankeeper ARGS` as a real process."""
        environ = git_environment()
        if env:
            environ.update(env)
        process = subprocess.run(
            [sys.executable, "-m", "plankeeper", *args],
            cwd=cwd or self.path,
            env=environ,
            input=input,
            capture_output=True,
            text=True,
            check=False,
        )
        return Result(process.returncode, process.stdout, process.stderr)


MINIMAL_PLAN = """# Demo masterplan

## Vision and goals
Ship it.

## Architecture
One module.

## Phase 1: Start
- [ ] T001 first task
- [x] T002 done task

## Success criteria
- It works.

## Handoff protocol
Update SESSION_HANDOFF.md.
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """An empty repository on branch main, the current directory for the test."""
    path = tmp_path / "repo"
    path.mkdir()
    for key in list(os.environ):
        if key.startswith(("GIT_", "PRE_COMMIT", "PLANKEEPER", "GITHUB_")):
            monkeypatch.delenv(key)
    for key, value in git_environment().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(path)
    scratch = Repo(path)
    scratch.git("init", "-q", "-b", "main")
    return scratch


def parse_cut(text: str, size: int | None = None, path: str = "p.md") -> dict[str, object]:
    """The plan of `text` cut by `split_sections` (size 0: at every line that may start a
    section; None: not cut), each part parsed alone, as JSON to compare with another."""
    from plankeeper.plans.cache import to_json
    from plankeeper.plans.markdown import normalize_newlines
    from plankeeper.plans.plan import assemble, parse_section
    from plankeeper.plans.sections import split_sections

    text = normalize_newlines(text)
    sections = [(1, text)] if size is None else split_sections(text, size)
    assert "".join(section for _, section in sections) == text
    parts = [(first, *parse_section(section)) for first, section in sections]
    return to_json(assemble(path, parts, text.count("\n") + 1, True))


def user_git(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    """git as a user runs it: hooks and all."""
    return subprocess.run(
        ["git", *args],
        cwd=repo.path,
        env=git_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
