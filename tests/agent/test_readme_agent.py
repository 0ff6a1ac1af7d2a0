"""The README's "In your coding agent" shows, verbatim, what a real session's hooks print."""

from __future__ import annotations

import re

import pytest

from tests.agent.helpers import PLAN, answer, blocked, hook, injected, project
from tests.conftest import ROOT, Repo

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_block(name: str) -> str:
    """The fenced block that follows `<!-- name -->` in the README."""
    match = re.search(rf"<!-- {name} -->\n```[a-z]*\n(.*?)```", README, flags=re.DOTALL)
    assert match is not None, f"no block marked {name} in README.md"
    return match.group(1)


@pytest.fixture
def session(repo: Repo) -> tuple[str, str]:
    """A Claude Code session: what it is told at the start, and why its first stop is blocked."""
    project(repo)
    repo.git("checkout", "-q", "-b", "feature")
    # The session before: a change to the code, its task, its handoff notes.
    repo.write("src/app.py", "print('hello')\nprint('bye')\n")
    plan = repo.read(PLAN).decode().replace("- [x] T002", "- [x] T003 say goodbye\n- [x] T002")
    repo.write(PLAN, plan)
    repo.write("SESSION_HANDOFF.md", "# Session handoff\n\n## Changed files\n\n- `src/app.py`\n")
    repo.commit("say goodbye")
    start = injected("claude", answer("claude", hook(repo, "claude", "start")))
    tag = "TO" + "DO"
    repo.write("src/app.py", "print('hello, world')\n")
    repo.write("src/parser.py", f"# {tag}: handle empty files\n")
    reason = blocked("claude", answer("claude", hook(repo, "claude", "stop")))
    assert start is not None
    assert reason is not None
    return start, reason


def test_readme_shows_the_context_a_session_starts_with(session: tuple[str, str]) -> None:
    assert readme_block("agent-context") == session[0] + "\n"


def test_readme_shows_the_reason_a_stop_is_blocked(session: tuple[str, str]) -> None:
    assert readme_block("agent-stop") == session[1] + "\n"


def test_readme_names_each_runtime_and_its_install_command() -> None:
    from plankeeper.agent.runtimes import RUNTIMES

    for runtime in RUNTIMES.values():
        assert f"plankeeper install-hooks --agent {runtime.name}" in README
        assert f"`{runtime.config_file}`" in README
