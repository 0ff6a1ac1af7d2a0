"""Recorded hook payloads (written from each runtime's hook reference) and their answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import MINIMAL_PLAN, Repo, Result

PAYLOADS = Path(__file__).resolve().parent / "payloads"
RUNTIME_NAMES = ("claude", "codex", "gemini", "cursor")
PLAN = "docs/plans/APP_MASTERPLAN.md"
RESUME = "skills/app-resume.md"


def payload(runtime: str, event: str, repo: Repo, **changes: Any) -> str:
    """The recorded payload of `event` (start or stop), pointed at `repo`, with `changes`."""
    data = json.loads((PAYLOADS / f"{runtime}_{event}.json").read_text(encoding="utf-8"))

    def place(value: Any) -> Any:
        if value == "__CWD__":
            return str(repo.path)
        if isinstance(value, list):
            return [place(item) for item in value]
        return value

    data = {key: place(value) for key, value in data.items()}
    data.update(changes)
    return json.dumps(data)


def continued(runtime: str) -> dict[str, Any]:
    """The fields that say the stop already continued the session once."""
    return {"loop_count": 1} if runtime == "cursor" else {"stop_hook_active": True}


def hook(repo: Repo, runtime: str, event: str, stdin: str | None = None, **changes: Any) -> Result:
    """`plankeeper agent context|stop --runtime RUNTIME` with the recorded payload."""
    command = "context" if event == "start" else "stop"
    text = payload(runtime, event, repo, **changes) if stdin is None else stdin
    return repo.run("agent", command, "--runtime", runtime, input=text)


def answer(runtime: str, result: Result) -> dict[str, Any]:
    """The hook's stdout as the runtime reads it: exit 0, JSON only (or nothing)."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if runtime in ("gemini", "cursor"):
        # Both read stdout as JSON whatever the hook has to say.
        data = json.loads(result.stdout)
    elif not result.stdout:
        return {}
    else:
        data = json.loads(result.stdout)
    assert isinstance(data, dict)
    assert result.stdout.count("\n") == 1
    return data


def injected(runtime: str, data: dict[str, Any]) -> str | None:
    """The context a SessionStart answer injects, checking the runtime's documented shape."""
    if not data:
        return None
    if runtime == "cursor":
        assert set(data) == {"additional_context"}
        text = data["additional_context"]
    else:
        assert set(data) == {"hookSpecificOutput"}
        specific = data["hookSpecificOutput"]
        assert set(specific) == {"hookEventName", "additionalContext"}
        assert specific["hookEventName"] == "SessionStart"
        text = specific["additionalContext"]
    assert isinstance(text, str)
    return text


def blocked(runtime: str, data: dict[str, Any]) -> str | None:
    """The reason a stop answer gives the agent to go on, or None when it allows."""
    if runtime == "cursor":
        if "followup_message" not in data:
            return None
        assert set(data) == {"followup_message"}
        reason = data["followup_message"]
    else:
        if "decision" not in data:
            return None
        assert set(data) == {"decision", "reason"}
        assert data["decision"] == ("deny" if runtime == "gemini" else "block")
        reason = data["reason"]
    assert isinstance(reason, str)
    return reason


def told_user(runtime: str, data: dict[str, Any], result: Result) -> str | None:
    """The message an allowing stop shows the user (Cursor has no field: stderr)."""
    if runtime == "cursor":
        assert data == {}
        return result.stderr or None
    if not data:
        return None
    assert set(data) == {"systemMessage"}
    message = data["systemMessage"]
    assert isinstance(message, str)
    return message


def project(repo: Repo) -> None:
    """A repository with a plan, a resume file and code, all committed."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, f"# Resume\n\nRead {PLAN}.\n")
    repo.write("src/app.py", "print('hello')\n")
    repo.commit("start")


def change_code(repo: Repo) -> None:
    repo.write("src/app.py", "print('hello, world')\n")


def tick_plan(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001 first task", "- [x] T001 first task"))
