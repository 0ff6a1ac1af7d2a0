"""plankeeper's two hooks merged into, or taken out of, a runtime's JSON config file.

Pure functions of the parsed file: every key and every hook that is not plankeeper's stays
where it is, in its order. plankeeper's hooks are the ones whose command runs
`agent context|stop --runtime NAME`.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from typing import Any

from plankeeper.agent.runtimes import Runtime

_OURS = re.compile(r"\bagent (?:context|stop) --runtime [a-z]+\b")
# Seconds for Claude Code and Codex; Gemini CLI counts milliseconds.
TIMEOUT_SECONDS = 30


def hook_command(executable: str, event: str, runtime: str) -> str:
    """The shell command of one hook: nothing happens where plankeeper is not installed.

    `|| true`: an exit status of 2 blocks a stop in Claude Code and Gemini CLI, so a
    plankeeper too old to know `agent` must not answer with one.
    """
    program = shlex.quote(executable)
    return (
        f"command -v {program} >/dev/null 2>&1 && "
        f"{program} agent {event} --runtime {runtime} || true"
    )


def is_ours(command: object) -> bool:
    return isinstance(command, str) and _OURS.search(command) is not None


def entries(runtime: Runtime, executable: str, max_blocks: int) -> dict[str, dict[str, Any]]:
    """The entry to put in each event's list, as the runtime's config file spells it."""
    start = hook_command(executable, "context", runtime.name)
    stop = hook_command(executable, "stop", runtime.name)
    if runtime.name == "cursor":
        return {
            runtime.start_event: {"command": start},
            # Cursor's own bound on follow-ups; plankeeper keeps to agent.max_blocks too.
            runtime.stop_event: {"command": stop, "loop_limit": max(1, max_blocks)},
        }
    if runtime.name == "gemini":
        timeout = TIMEOUT_SECONDS * 1000
        return {
            runtime.start_event: {
                "hooks": [
                    {
                        "name": "plankeeper-context",
                        "type": "command",
                        "command": start,
                        "timeout": timeout,
                    }
                ]
            },
            runtime.stop_event: {
                "hooks": [
                    {
                        "name": "plankeeper-stop",
                        "type": "command",
                        "command": stop,
                        "timeout": timeout,
                    }
                ]
            },
        }
    return {
        runtime.start_event: {
            "hooks": [{"type": "command", "command": start, "timeout": TIMEOUT_SECONDS}]
        },
        runtime.stop_event: {
            "hooks": [{"type": "command", "command": stop, "timeout": TIMEOUT_SECONDS}]
        },
    }


def _is_our_entry(entry: object) -> bool:
    """A Cursor entry, or a matcher group, that holds only plankeeper's hooks."""
    if not isinstance(entry, dict):
        return False
    if "command" in entry:
        return is_ours(entry["command"])
    hooks = entry.get("hooks")
    return (
        isinstance(hooks, list)
        and bool(hooks)
        and all(isinstance(hook, dict) and is_ours(hook.get("command")) for hook in hooks)
    )


def _strip(entry: object) -> object | None:
    """The entry without plankeeper's hooks; None when nothing else was in it."""
    if _is_our_entry(entry):
        return None
    if isinstance(entry, dict) and isinstance(entry.get("hooks"), list):
        kept = [
            hook
            for hook in entry["hooks"]
            if not (isinstance(hook, dict) and is_ours(hook.get("command")))
        ]
        if len(kept) != len(entry["hooks"]):
            return {**entry, "hooks": kept} if kept else None
    return entry


def _hooks_table(data: dict[str, Any], where: str) -> dict[str, Any]:
    hooks = data.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise ValueError(f"{where}: `hooks` is not an object")
    return hooks


def installed(data: dict[str, Any], runtime: Runtime) -> list[str]:
    """The events of the runtime that run one of plankeeper's hooks."""
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return []
    found = []
    for event in (runtime.start_event, runtime.stop_event):
        groups = hooks.get(event)
        if isinstance(groups, list) and any(_strip(entry) != entry for entry in groups):
            found.append(event)
    return found


def merged(
    data: dict[str, Any], runtime: Runtime, executable: str, max_blocks: int, where: str
) -> dict[str, Any]:
    """`data` with exactly one plankeeper hook per event; unchanged when it already has it."""
    result = copy.deepcopy(data)
    if runtime.name == "cursor":
        result.setdefault("version", 1)
    hooks = _hooks_table(result, where)
    for event, entry in entries(runtime, executable, max_blocks).items():
        groups = hooks.setdefault(event, [])
        if not isinstance(groups, list):
            raise ValueError(f"{where}: `hooks.{event}` is not a list")
        ours = [item for item in groups if _strip(item) != item]
        if ours == [entry]:
            continue
        kept = [stripped for item in groups if (stripped := _strip(item)) is not None]
        hooks[event] = [*kept, entry]
    return result


def removed(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without any plankeeper hook; lists and tables that only held them go too."""
    result = copy.deepcopy(data)
    hooks = result.get("hooks")
    if not isinstance(hooks, dict):
        return result
    for event in list(hooks):
        groups = hooks[event]
        if not isinstance(groups, list):
            continue
        kept = [stripped for item in groups if (stripped := _strip(item)) is not None]
        if kept == groups:
            continue
        if kept:
            hooks[event] = kept
        else:
            del hooks[event]
    if not hooks:
        del result["hooks"]
    return result


def is_empty(data: dict[str, Any], runtime: Runtime) -> bool:
    """Nothing but what `merged` adds on its own (Cursor's `version`): a file to delete."""
    return data == {} or (runtime.name == "cursor" and data == {"version": 1})


def parse(text: str, where: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValueError(f"{where} is not JSON ({error}); nothing was changed") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where} does not hold a JSON object; nothing was changed")
    return data


def dump(data: dict[str, Any], original: str) -> str:
    """JSON in the original file's indentation and line endings (two spaces for a new one)."""
    indent: str | int = 2
    match = re.search(r"[\[{][ \t]*\r?\n([ \t]+)\S", original)
    if match:
        indent = match.group(1)
    text = json.dumps(data, indent=indent, ensure_ascii=False) + "\n"
    if original and not original.endswith("\n"):
        text = text[:-1]
    if "\r\n" in original:
        text = text.replace("\n", "\r\n")
    return text
