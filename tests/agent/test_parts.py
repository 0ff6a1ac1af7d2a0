"""The parts on their own: the byte cap, the stop decision, the fixes, the `agent:` config."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankeeper.agent.context import HEADER, render
from plankeeper.agent.runtimes import RUNTIMES, MalformedInput
from plankeeper.agent.session import Session, load, record_path, save
from plankeeper.agent.stop import decide, fix_lines, fix_of
from plankeeper.config import AgentConfig, load_config
from plankeeper.errors import ConfigError
from plankeeper.findings import finding


def test_render_keeps_every_line_that_fits() -> None:
    assert render(["a", "b"], 2000) == f"{HEADER}\na\nb"


@pytest.mark.parametrize("cap", [200, 257, 300, 411, 1000])
def test_render_never_exceeds_the_cap(cap: int) -> None:
    lines = [f"untracked TODO: src/m{number}.py:1: é note {'x' * number}" for number in range(60)]
    text = render(lines, cap)
    assert len(text.encode()) <= cap
    assert text.splitlines()[-1].startswith("(")


def test_render_cuts_one_long_line_and_counts_the_rest() -> None:
    text = render(["x" * 500, "second"], 300)
    lines = text.splitlines()
    assert (lines[1].endswith("…"), lines[2], len(text.encode()) <= 300) == (
        True,
        "(1 more line left out: `plankeeper status`, `plankeeper verify`)",
        True,
    )


ERROR = finding("PK101", "src/app.py changed but the plan was not updated", path="docs/P.md")
WARNING = finding("PK300", "src/app.py changed but the handoff notes were not updated", path="H.md")


def test_decide_blocks_on_an_error() -> None:
    decision = decide([ERROR], AgentConfig(), stop_hook_active=False, blocks_spent=0)
    assert decision.action == "block"
    assert decision.reason.splitlines() == [
        "plankeeper: this session's work has 1 error against the plan. Before you stop:",
        "- tick or add a task in docs/P.md that covers src/app.py",
        "Then stop again (`plankeeper verify` shows the findings).",
    ]


def test_decide_allows_warnings_silently() -> None:
    assert decide([WARNING], AgentConfig(), stop_hook_active=False, blocks_spent=0) == (
        "allow",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("config", "active", "spent"),
    [
        pytest.param(AgentConfig(), True, 0, id="stop-hook-active"),
        pytest.param(AgentConfig(), False, 1, id="blocks-spent"),
        pytest.param(AgentConfig(max_blocks=0), False, 0, id="max-blocks-0"),
        pytest.param(AgentConfig(stop="warn"), False, 0, id="warn"),
    ],
)
def test_decide_allows_and_tells_the_user(config: AgentConfig, active: bool, spent: int) -> None:
    decision = decide([ERROR, WARNING], config, stop_hook_active=active, blocks_spent=spent)
    assert (decision.action, decision.reason) == ("allow", "")
    assert decision.message.splitlines()[1:] == [
        "- tick or add a task in docs/P.md that covers src/app.py",
        "- run `plankeeper handoff` (H.md: src/app.py changed but the handoff notes were not "
        "updated)",
    ]


def test_decide_off_says_nothing() -> None:
    assert decide([ERROR], AgentConfig(stop="off"), stop_hook_active=False, blocks_spent=0) == (
        "allow",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("code", "message", "path", "line", "fix"),
    [
        (
            "PK101",
            "3 files (a.py, ...) changed but the plan was not updated",
            "P.md",
            None,
            "tick or add a task in P.md that covers 3 files (a.py, ...)",
        ),
        (
            "PK101",
            "2 code file(s) changed but this repository has no plan: run `plankeeper init`",
            None,
            None,
            "2 code file(s) changed but this repository has no plan: run `plankeeper init`",
        ),
        (
            "PK301",
            "a.py changed but the handoff notes do not mention it",
            "H.md",
            None,
            "run `plankeeper handoff` (H.md: a.py changed but the handoff notes do not mention it)",
        ),
        (
            "PK302",
            "b.py is listed as changed but did not change",
            "H.md",
            4,
            "H.md:4: b.py is listed as changed but did not change: remove the line, then run "
            "`plankeeper handoff`",
        ),
        (
            "PK303",
            "c/d.py does not exist",
            "H.md",
            5,
            "H.md:5: c/d.py does not exist: correct or remove the path",
        ),
        (
            "PK202",
            "x references task T1, which is done (P.md:3)",
            "a.py",
            2,
            "a.py:2: x references task T1, which is done (P.md:3): reference an open task or "
            "remove the comment",
        ),
    ],
)
def test_each_code_has_its_fix(
    code: str, message: str, path: str | None, line: int | None, fix: str
) -> None:
    assert fix_of(finding(code, message, path=path, line=line)) == fix


def test_fixes_are_capped() -> None:
    findings = [
        finding("PK303", f"p/{number}.py does not exist", path="H.md", line=number)
        for number in range(1, 20)
    ]
    lines = fix_lines(findings)
    assert (len(lines), lines[-1]) == (13, "and 7 more: run `plankeeper verify`")


@pytest.mark.parametrize("runtime", list(RUNTIMES))
@pytest.mark.parametrize("raw", [b"nope", b"[]", b"\xff\xfe", b"null"])
def test_malformed_input_is_refused(runtime: str, raw: bytes) -> None:
    with pytest.raises(MalformedInput):
        RUNTIMES[runtime].parse(raw)


def test_cursor_loop_count_is_a_continued_stop() -> None:
    parsed = RUNTIMES["cursor"].parse(b'{"conversation_id": "c", "loop_count": 2}')
    assert (parsed.session_id, parsed.stop_hook_active) == ("c", True)


def test_session_record_round_trips(tmp_path: Path) -> None:
    save(tmp_path, Session("../../etc/passwd", "a" * 40, ("one",), 1))
    assert load(tmp_path, "../../etc/passwd") == Session("../../etc/passwd", "a" * 40, ("one",), 1)
    assert record_path(tmp_path, "../../etc/passwd").parent == tmp_path / "plankeeper" / (
        "agent-sessions"
    )


def test_a_damaged_record_is_a_new_session(tmp_path: Path) -> None:
    path = record_path(tmp_path, "s")
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    assert load(tmp_path, "s") == Session("s")


def test_agent_config_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path).agent == AgentConfig("block", 1, "session", 2000)


def test_agent_config_is_read(tmp_path: Path) -> None:
    (tmp_path / ".plankeeper.yaml").write_text(
        "agent:\n  stop: off\n  max_blocks: 2\n  baseline: branch\n  context_max_bytes: 500\n"
    )
    assert load_config(tmp_path).agent == AgentConfig("off", 2, "branch", 500)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agent:\n  stp: block\n", ".plankeeper.yaml:2: unknown key 'stp' (did you mean 'stop'?)"),
        (
            "agent:\n  stop: stop\n",
            ".plankeeper.yaml:2: 'agent.stop' must be block, warn or off, not 'stop'",
        ),
        (
            "agent:\n  baseline: main\n",
            ".plankeeper.yaml:2: 'agent.baseline' must be session, handoff or branch, not 'main'",
        ),
        (
            "agent:\n  max_blocks: yes\n",
            ".plankeeper.yaml:2: 'agent.max_blocks' must be a whole number of at least 0, not True",
        ),
        (
            "agent:\n  context_max_bytes: 10\n",
            ".plankeeper.yaml:2: 'agent.context_max_bytes' must be a whole number of at least 200, "
            "not 10",
        ),
        (
            "agent: [stop]\n",
            ".plankeeper.yaml:1: 'agent' must be a mapping (stop, max_blocks, baseline, "
            "context_max_bytes)",
        ),
    ],
)
def test_agent_config_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".plankeeper.yaml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert str(raised.value) == message


def test_files_the_notes_do_not_mention_make_one_fix() -> None:
    findings = [
        finding(
            "PK301", f"src/m{n}.py changed but the handoff notes do not mention it", path="H.md"
        )
        for n in range(5)
    ]
    assert fix_lines(findings) == [
        "run `plankeeper handoff`: H.md does not mention 5 changed files "
        "(src/m0.py, src/m1.py, src/m2.py, ...)"
    ]
