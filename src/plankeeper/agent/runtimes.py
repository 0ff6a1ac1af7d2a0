"""Each agent runtime's hook protocol: what its JSON on stdin says, what stdout must hold.

What each adapter relies on, from the runtimes' own hook references (README, "In your
coding agent"):

- Claude Code: `.claude/settings.json` `hooks`; input `session_id`, `cwd`, `source`
  (SessionStart), `stop_hook_active` (Stop); output `hookSpecificOutput.additionalContext`,
  `{"decision": "block", "reason": ...}`, `systemMessage` shown to the user.
- Codex: `.codex/hooks.json`, the same event names and output fields as Claude Code
  (its generated `stop.command.output` schema allows no other keys).
- Gemini CLI: `.gemini/settings.json` `hooks`, events SessionStart and AfterAgent; stdout
  must be JSON only, so an empty answer is `{}`; `decision: "deny"` retries the turn with
  `reason` as the new prompt.
- Cursor: `.cursor/hooks.json` (version 1), events sessionStart and stop; input
  `conversation_id`, `workspace_roots`, `loop_count`; output `additional_context` and
  `followup_message` (sent as the next user message); stop has no field for the user.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple


class MalformedInput(ValueError):
    """The hook's stdin is not the JSON object the runtime documents."""


class HookInput(NamedTuple):
    """What plankeeper needs of a hook's payload, whatever the runtime named it."""

    session_id: str | None
    cwd: str | None = None
    # SessionStart: startup, resume, clear or compact; "" where the runtime sends none.
    source: str = ""
    # The stop already continued the session once (a loop in progress).
    stop_hook_active: bool = False


class Output(NamedTuple):
    """What the hook prints: stdout (JSON where the runtime reads it) and stderr."""

    stdout: str = ""
    stderr: str = ""


def _json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def _object(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedInput(f"stdin is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise MalformedInput("stdin is not a JSON object")
    return data


def _text(data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _claude_input(raw: bytes) -> HookInput:
    data = _object(raw)
    return HookInput(
        _text(data, "session_id"),
        _text(data, "cwd"),
        _text(data, "source", "trigger") or "",
        data.get("stop_hook_active") is True,
    )


def _cursor_input(raw: bytes) -> HookInput:
    data = _object(raw)
    roots = data.get("workspace_roots")
    cwd = _text(data, "cwd")
    if cwd is None and isinstance(roots, list) and roots and isinstance(roots[0], str):
        cwd = roots[0]
    loop_count = data.get("loop_count")
    # Cursor counts the follow-ups it already sent instead of a stop_hook_active flag.
    active = isinstance(loop_count, int) and not isinstance(loop_count, bool) and loop_count > 0
    return HookInput(
        _text(data, "session_id", "conversation_id"), cwd, _text(data, "source") or "", active
    )


@dataclass(frozen=True)
class Runtime:
    """One runtime: its config file, its event names, and how it reads our answers."""

    name: str
    title: str
    config_file: str
    start_event: str
    stop_event: str
    parse: Callable[[bytes], HookInput]
    # An answer with nothing to say: empty, or `{}` where stdout must be JSON.
    nothing: str
    context: Callable[[str], str]
    block: Callable[[str], Output]
    tell_user: Callable[[str], Output]

    def silent(self) -> Output:
        return Output(self.nothing)


def _claude_context(text: str) -> str:
    return _json(
        {"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": text}}
    )


def _claude_block(reason: str) -> Output:
    return Output(_json({"decision": "block", "reason": reason}))


def _system_message(message: str) -> Output:
    return Output(_json({"systemMessage": message}))


def _gemini_block(reason: str) -> Output:
    return Output(_json({"decision": "deny", "reason": reason}))


def _cursor_context(text: str) -> str:
    return _json({"additional_context": text})


def _cursor_block(reason: str) -> Output:
    return Output(_json({"followup_message": reason}))


def _cursor_tell_user(message: str) -> Output:
    # Cursor's stop output has no field for the user: its hook log shows stderr.
    return Output("{}\n", message + "\n")


RUNTIMES: dict[str, Runtime] = {
    "claude": Runtime(
        "claude",
        "Claude Code",
        ".claude/settings.json",
        "SessionStart",
        "Stop",
        _claude_input,
        "",
        _claude_context,
        _claude_block,
        _system_message,
    ),
    "codex": Runtime(
        "codex",
        "OpenAI Codex",
        ".codex/hooks.json",
        "SessionStart",
        "Stop",
        _claude_input,
        "",
        _claude_context,
        _claude_block,
        _system_message,
    ),
    "gemini": Runtime(
        "gemini",
        "Gemini CLI",
        ".gemini/settings.json",
        "SessionStart",
        "AfterAgent",
        _claude_input,
        "{}\n",
        _claude_context,
        _gemini_block,
        _system_message,
    ),
    "cursor": Runtime(
        "cursor",
        "Cursor",
        ".cursor/hooks.json",
        "sessionStart",
        "stop",
        _cursor_input,
        "{}\n",
        _cursor_context,
        _cursor_block,
        _cursor_tell_user,
    ),
}
