"""`agent context` and `agent stop` end to end: recorded payloads of each runtime, real git."""

from __future__ import annotations

import json

import pytest

from tests.agent.helpers import (
    PLAN,
    RESUME,
    RUNTIME_NAMES,
    answer,
    blocked,
    change_code,
    continued,
    hook,
    injected,
    project,
    tick_plan,
    told_user,
)
from tests.conftest import Repo

runtimes = pytest.mark.parametrize("runtime", RUNTIME_NAMES)


@runtimes
def test_start_injects_progress_next_task_and_resume_file(repo: Repo, runtime: str) -> None:
    project(repo)
    text = injected(runtime, answer(runtime, hook(repo, runtime, "start")))
    assert text is not None
    head = repo.git("rev-parse", "HEAD").strip()[:12]
    assert text.splitlines() == [
        "plankeeper: the state of this repository's plan (data read from its files)",
        f"plan: {PLAN}: 1/2 tasks done; current phase: Phase 1: Start",
        f"next task: {PLAN}:10: [T001] first task",
        f"resume file: {RESUME}",
        f"handoff notes: none; 0 code files changed since {head}",
    ]


@runtimes
def test_stop_blocks_when_code_changed_without_its_plan(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    change_code(repo)
    reason = blocked(runtime, answer(runtime, hook(repo, runtime, "stop")))
    assert reason is not None
    assert f"- tick or add a task in {PLAN} that covers src/app.py" in reason.splitlines()


@runtimes
def test_stop_allows_silently_after_the_plan_is_updated(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    change_code(repo)
    tick_plan(repo)
    result = hook(repo, runtime, "stop")
    data = answer(runtime, result)
    assert (blocked(runtime, data), told_user(runtime, data, result)) == (None, None)


@runtimes
def test_stop_hook_active_allows_and_tells_the_user(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    change_code(repo)
    result = hook(repo, runtime, "stop", **continued(runtime))
    data = answer(runtime, result)
    message = told_user(runtime, data, result)
    assert blocked(runtime, data) is None
    assert message is not None
    assert message.startswith("plankeeper: the session stopped with 1 error against the plan")
    assert f"tick or add a task in {PLAN} that covers src/app.py" in message


@runtimes
def test_a_session_is_blocked_once_then_allowed(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    change_code(repo)
    first = answer(runtime, hook(repo, runtime, "stop"))
    second = hook(repo, runtime, "stop")
    assert blocked(runtime, first) is not None
    assert blocked(runtime, answer(runtime, second)) is None
    message = told_user(runtime, answer(runtime, second), second)
    assert message is not None
    assert "agent.max_blocks" in message


@runtimes
def test_stop_of_a_clean_session_allows_silently(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    result = hook(repo, runtime, "stop")
    assert result.stdout == ("" if runtime in ("claude", "codex") else "{}\n")
    assert result.stderr == ""


@runtimes
def test_resume_injects_nothing_a_second_time(repo: Repo, runtime: str) -> None:
    project(repo)
    first = injected(runtime, answer(runtime, hook(repo, runtime, "start")))
    again = hook(repo, runtime, "start", source="resume")
    assert first is not None
    assert again.stdout == ("" if runtime in ("claude", "codex") else "{}\n")


@runtimes
def test_resume_injects_only_what_changed(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    tick_plan(repo)
    text = injected(runtime, answer(runtime, hook(repo, runtime, "start", source="compact")))
    assert text is not None
    assert text.splitlines()[1:] == [f"plan: {PLAN}: 2/2 tasks done"]


@runtimes
def test_committed_work_since_the_session_start_counts(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    change_code(repo)
    repo.commit("work of the session")
    reason = blocked(runtime, answer(runtime, hook(repo, runtime, "stop")))
    assert reason is not None
    assert f"tick or add a task in {PLAN} that covers src/app.py" in reason


@runtimes
def test_work_committed_before_the_session_is_not_its_work(repo: Repo, runtime: str) -> None:
    project(repo)
    change_code(repo)
    repo.commit("an earlier session's work, without its plan")
    hook(repo, runtime, "start")
    result = hook(repo, runtime, "stop")
    assert blocked(runtime, answer(runtime, result)) is None


@runtimes
def test_untracked_todo_blocks_with_its_fix(repo: Repo, runtime: str) -> None:
    project(repo)
    hook(repo, runtime, "start")
    tag = "TO" + "DO"
    repo.write("src/app.py", f"# {tag}: handle empty files\nprint('hello')\n")
    tick_plan(repo)
    reason = blocked(runtime, answer(runtime, hook(repo, runtime, "stop")))
    assert reason is not None
    assert (
        f"- src/app.py:1: {tag} is not tracked by any open task: handle empty files: "
        "run `plankeeper todos --fix` or reference a task, as in TODO(ID)" in reason.splitlines()
    )


@runtimes
def test_the_byte_cap_holds(repo: Repo, runtime: str) -> None:
    project(repo)
    repo.write(".plankeeper.yaml", "agent:\n  context_max_bytes: 300\n")
    tag = "FIX" + "ME"
    for number in range(40):
        repo.write(f"src/module_{number:02}.py", f"# {tag}: a rather long note number {number}\n")
    text = injected(runtime, answer(runtime, hook(repo, runtime, "start")))
    assert text is not None
    assert len(text.encode()) <= 300
    assert text.splitlines()[-1].endswith(
        "more lines left out: `plankeeper status`, `plankeeper verify`)"
    )


MALFORMED = [
    *(pytest.param(runtime, "not json", id=f"{runtime}-not-json") for runtime in RUNTIME_NAMES),
    pytest.param("claude", "[1, 2]", id="claude-a-list"),
    pytest.param("claude", "", id="claude-empty"),
]


@pytest.mark.parametrize(("runtime", "stdin"), MALFORMED)
@pytest.mark.parametrize("event", ["start", "stop"])
def test_malformed_stdin_allows_without_traceback(
    repo: Repo, runtime: str, event: str, stdin: str
) -> None:
    project(repo)
    change_code(repo)
    result = hook(repo, runtime, event, stdin=stdin)
    assert result.returncode == 0
    assert result.stdout == ("" if runtime in ("claude", "codex") else "{}\n")
    command = "context" if event == "start" else "stop"
    assert result.stderr.startswith(f"plankeeper: agent {command}: allowed (")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@runtimes
def test_a_folder_outside_any_repository_allows(
    repo: Repo, runtime: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    stdin = json.dumps({"session_id": "x", "cwd": str(outside), "workspace_roots": [str(outside)]})
    result = repo.run("agent", "stop", "--runtime", runtime, cwd=outside, input=stdin)
    assert (result.returncode, result.stdout) == (
        0,
        "" if runtime in ("claude", "codex") else "{}\n",
    )
    assert result.stderr.startswith("plankeeper: agent stop: allowed (not a git repository")


def test_a_bad_configuration_allows_and_names_it(repo: Repo) -> None:
    project(repo)
    repo.write(".plankeeper.yaml", "agent:\n  stp: block\n")
    change_code(repo)
    result = hook(repo, "claude", "stop")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == (
        "plankeeper: agent stop: allowed (.plankeeper.yaml:2: unknown key 'stp' "
        "(did you mean 'stop'?))\n"
    )


def test_warn_mode_allows_and_tells_the_user(repo: Repo) -> None:
    project(repo)
    repo.write(".plankeeper.yaml", "agent:\n  stop: warn\n")
    repo.commit("config")
    hook(repo, "claude", "start")
    change_code(repo)
    result = hook(repo, "claude", "stop")
    data = answer("claude", result)
    assert blocked("claude", data) is None
    message = told_user("claude", data, result)
    assert message is not None
    assert "(stop.warn)" in message


def test_off_mode_never_judges(repo: Repo) -> None:
    project(repo)
    repo.write(".plankeeper.yaml", "agent:\n  stop: off\n")
    repo.commit("config")
    hook(repo, "claude", "start")
    change_code(repo)
    assert hook(repo, "claude", "stop").stdout == ""


def test_branch_baseline_judges_the_whole_branch(repo: Repo) -> None:
    project(repo)
    repo.git("checkout", "-q", "-b", "feature")
    change_code(repo)
    repo.commit("work before the session")
    repo.write(".plankeeper.yaml", "agent:\n  baseline: branch\n")
    hook(repo, "claude", "start")
    reason = blocked("claude", answer("claude", hook(repo, "claude", "stop")))
    assert reason is not None
    assert "src/app.py" in reason


def test_without_a_session_record_the_handoff_base_is_the_old_state(repo: Repo) -> None:
    project(repo)
    repo.write("SESSION_HANDOFF.md", "# Session handoff\n\n## Changed files\n\n- `src/app.py`\n")
    repo.commit("handoff")
    change_code(repo)
    reason = blocked("claude", answer("claude", hook(repo, "claude", "stop", session_id="unseen")))
    assert reason is not None
    assert f"tick or add a task in {PLAN} that covers src/app.py" in reason
