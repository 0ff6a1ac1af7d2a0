"""`install-hooks --agent`: merged into the runtime's file, idempotent, removable, repo only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.agent.helpers import RUNTIME_NAMES, payload, project
from tests.conftest import ROOT, Repo, git_environment

CONFIG_FILES = {
    "claude": ".claude/settings.json",
    "codex": ".codex/hooks.json",
    "gemini": ".gemini/settings.json",
    "cursor": ".cursor/hooks.json",
}
EVENTS = {
    "claude": ("SessionStart", "Stop"),
    "codex": ("SessionStart", "Stop"),
    "gemini": ("SessionStart", "AfterAgent"),
    "cursor": ("sessionStart", "stop"),
}
USER_SETTINGS = """{
  "permissions": {
    "allow": [
      "Bash(npm run test:*)"
    ],
    "deny": [
      "Read(./.env)"
    ]
  },
  "hooks": {
    "Stop": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "npx other-tool notify"
          }
        ]
      }
    ]
  },
  "model": "opus"
}
"""


def commands_of(runtime: str, data: dict[str, object]) -> dict[str, list[str]]:
    """Every hook command of each event, as the runtime's file lists them."""
    hooks = data["hooks"]
    assert isinstance(hooks, dict)
    found: dict[str, list[str]] = {}
    for event, entries in hooks.items():
        for entry in entries:
            if runtime == "cursor":
                found.setdefault(event, []).append(entry["command"])
            else:
                found.setdefault(event, []).extend(hook["command"] for hook in entry["hooks"])
    return found


def test_install_keeps_permissions_and_another_tools_stop_hook(repo: Repo) -> None:
    project(repo)
    repo.write(".claude/settings.json", USER_SETTINGS)
    result = repo.run("install-hooks", "--agent", "claude")
    data = json.loads(repo.read(".claude/settings.json"))
    assert (result.returncode, result.stdout) == (
        0,
        "plankeeper: installed SessionStart and Stop hooks in .claude/settings.json "
        "(Claude Code)\n",
    )
    assert list(data) == ["permissions", "hooks", "model"]
    assert data["permissions"] == json.loads(USER_SETTINGS)["permissions"]
    assert commands_of("claude", data) == {
        "Stop": [
            "npx other-tool notify",
            "command -v plankeeper >/dev/null 2>&1 && plankeeper agent stop --runtime claude "
            "|| true",
        ],
        "SessionStart": [
            "command -v plankeeper >/dev/null 2>&1 && plankeeper agent context --runtime claude "
            "|| true"
        ],
    }


def test_second_install_leaves_the_bytes_identical(repo: Repo) -> None:
    project(repo)
    repo.write(".claude/settings.json", USER_SETTINGS)
    repo.run("install-hooks", "--agent", "claude")
    first = repo.read(".claude/settings.json")
    result = repo.run("install-hooks", "--agent", "claude")
    assert repo.read(".claude/settings.json") == first
    assert result.stdout == (
        "plankeeper: .claude/settings.json: SessionStart and Stop hooks already installed\n"
    )


def test_remove_restores_the_original_bytes(repo: Repo) -> None:
    project(repo)
    repo.write(".claude/settings.json", USER_SETTINGS)
    repo.run("install-hooks", "--agent", "claude")
    result = repo.run("install-hooks", "--agent", "claude", "--remove")
    assert result.returncode == 0
    assert repo.read(".claude/settings.json") == USER_SETTINGS.encode()


@pytest.mark.parametrize("indent", ["    ", "\t"], ids=["four-spaces", "tab"])
def test_remove_restores_a_file_of_another_indentation(repo: Repo, indent: str) -> None:
    project(repo)
    original = json.dumps(json.loads(USER_SETTINGS), indent=indent) + "\n"
    repo.write(".claude/settings.json", original)
    repo.run("install-hooks", "--agent", "claude")
    repo.run("install-hooks", "--agent", "claude", "--remove")
    assert repo.read(".claude/settings.json") == original.encode()


@pytest.mark.parametrize("runtime", RUNTIME_NAMES)
def test_remove_deletes_a_file_that_install_created(repo: Repo, runtime: str) -> None:
    project(repo)
    repo.run("install-hooks", "--agent", runtime)
    assert (repo.path / CONFIG_FILES[runtime]).is_file()
    repo.run("install-hooks", "--agent", runtime, "--remove")
    assert not (repo.path / CONFIG_FILES[runtime]).exists()
    assert not (repo.path / CONFIG_FILES[runtime]).parent.exists()


@pytest.mark.parametrize("runtime", RUNTIME_NAMES)
def test_each_runtime_gets_its_two_events(repo: Repo, runtime: str) -> None:
    project(repo)
    repo.run("install-hooks", "--agent", runtime)
    data = json.loads(repo.read(CONFIG_FILES[runtime]))
    start, stop = EVENTS[runtime]
    assert sorted(commands_of(runtime, data)) == sorted([start, stop])
    if runtime == "cursor":
        assert data["version"] == 1
        assert data["hooks"]["stop"][0]["loop_limit"] == 1


def test_cursor_keeps_the_users_hooks(repo: Repo) -> None:
    project(repo)
    original = (
        '{\n  "version": 1,\n  "hooks": {\n    "afterFileEdit": [\n'
        '      {\n        "command": "./format.sh"\n      }\n    ]\n  }\n}\n'
    )
    repo.write(".cursor/hooks.json", original)
    repo.run("install-hooks", "--agent", "cursor")
    data = json.loads(repo.read(".cursor/hooks.json"))
    assert data["hooks"]["afterFileEdit"] == [{"command": "./format.sh"}]
    repo.run("install-hooks", "--agent", "cursor", "--remove")
    assert repo.read(".cursor/hooks.json") == original.encode()


def test_check_says_what_is_installed(repo: Repo) -> None:
    project(repo)
    repo.run("install-hooks", "--agent", "claude", "--agent", "cursor")
    result = repo.run("install-hooks", "--check")
    assert (result.returncode, result.stdout) == (
        1,
        "claude: .claude/settings.json: SessionStart and Stop hooks installed\n"
        "codex: .codex/hooks.json: no SessionStart and Stop hook "
        "(run `plankeeper install-hooks --agent codex`)\n"
        "gemini: .gemini/settings.json: no SessionStart and AfterAgent hook "
        "(run `plankeeper install-hooks --agent gemini`)\n"
        "cursor: .cursor/hooks.json: sessionStart and stop hooks installed\n",
    )
    assert repo.run("install-hooks", "--check", "--agent", "claude").returncode == 0


def test_a_file_that_is_not_json_is_left_alone(repo: Repo) -> None:
    project(repo)
    repo.write(".claude/settings.json", "{ not json")
    result = repo.run("install-hooks", "--agent", "claude")
    assert result.returncode == 2
    assert result.stderr.startswith("plankeeper: error: .claude/settings.json is not JSON (")
    assert result.stderr.endswith("; nothing was changed\n")
    assert repo.read(".claude/settings.json") == b"{ not json"


def test_home_is_never_touched(repo: Repo, tmp_path: Path) -> None:
    project(repo)
    home = tmp_path / "home"
    home.mkdir()
    for runtime in RUNTIME_NAMES:
        repo.run("install-hooks", "--agent", runtime, env={"HOME": str(home)})
    assert list(home.iterdir()) == []


def test_init_installs_the_agent_hooks(repo: Repo) -> None:
    result = repo.run("init", "app", "--agent", "claude")
    assert result.returncode == 0
    data = json.loads(repo.read(".claude/settings.json"))
    assert sorted(commands_of("claude", data)) == ["SessionStart", "Stop"]


def _shell(command: str, repo: Repo, stdin: str, path: str) -> subprocess.CompletedProcess[str]:
    environ = {**git_environment(), "PATH": path}
    return subprocess.run(
        ["sh", "-c", command],
        cwd=repo.path,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_installed_command_runs_plankeeper(repo: Repo) -> None:
    project(repo)
    repo.run("install-hooks", "--agent", "claude")
    data = json.loads(repo.read(".claude/settings.json"))
    command = commands_of("claude", data)["SessionStart"][0]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    result = _shell(command, repo, payload("claude", "start", repo), path)
    assert result.returncode == 0
    assert json.loads(result.stdout)["hookSpecificOutput"]["hookEventName"] == "SessionStart"


def test_the_installed_command_does_nothing_without_plankeeper(repo: Repo) -> None:
    project(repo)
    repo.run("install-hooks", "--agent", "claude", "--executable", "no-such-plankeeper")
    data = json.loads(repo.read(".claude/settings.json"))
    command = commands_of("claude", data)["Stop"][0]
    result = _shell(command, repo, payload("claude", "stop", repo), os.environ["PATH"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_this_repository_runs_its_own_claude_hooks(repo: Repo) -> None:
    repo.run("install-hooks", "--agent", "claude", "--executable", ".venv/bin/plankeeper")
    assert (ROOT / ".claude" / "settings.json").read_bytes() == repo.read(".claude/settings.json")


def test_a_folder_linked_out_of_the_repository_is_refused(repo: Repo, tmp_path: Path) -> None:
    project(repo)
    outside = tmp_path / "home-claude"
    outside.mkdir()
    (outside / "settings.json").write_text("{}\n")
    (repo.path / ".claude").symlink_to(outside)
    result = repo.run("install-hooks", "--agent", "claude")
    assert (result.returncode, result.stderr) == (
        2,
        "plankeeper: error: .claude/settings.json is a link out of the work tree; "
        "nothing was changed\n",
    )
    assert (outside / "settings.json").read_text() == "{}\n"
