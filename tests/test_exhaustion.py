"""Hostile configuration, front matter and plans: bounded memory and time, no traceback."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, Repo, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
NOTES = "SESSION_HANDOFF.md"
MEMORY = 1 << 30  # 1 GiB of address space: far above a real run, far below a bomb
SECONDS = 20.0

# Each level holds nine of the one above: 9**9 strings at the bottom (the billion laughs).
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{','.join([f'*{chr(97 + level)}'] * 9)}]\n"
    for level in range(8)
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def bounded(repo: Repo, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """`python -m plankeeper ARGS` with its memory capped; fails the test past SECONDS."""
    environ = {**git_environment(), **(env or {})}
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-m", "plankeeper", *args],
        cwd=repo.path,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=SECONDS,
        preexec_fn=_limit_memory,
    )
    assert time.monotonic() - started < SECONDS
    assert "Traceback" not in process.stderr, process.stderr
    return process.returncode, process.stdout, process.stderr


@pytest.fixture
def planned(repo: Repo) -> Repo:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    return repo


# -- configuration --------------------------------------------------------------------------


def test_config_of_nested_aliases_is_refused_naming_file_and_line(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", BOMB)
    assert len(BOMB) < 500
    code, out, err = bounded(planned, "check", "--all-files")
    assert (code, out) == (2, "")
    assert err == (
        "plankeeper: error: .plankeeper.yaml:1: YAML anchors and aliases (&a) are not "
        "allowed in the configuration: write each value out\n"
    )


def test_config_alias_alone_is_refused(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "exempt:\n  - docs/**\nhandoff: *x\n")
    code, _, err = bounded(planned, "check", "--all-files")
    assert code == 2
    assert err.startswith("plankeeper: error: .plankeeper.yaml:3: YAML anchors and aliases")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".plankeeper.yaml", "exempt: " + "[" * 3000 + "]" * 3000 + "\n"),
        (".plankeeper.yaml", "exempt:\n" + "".join("  " * i + "- \n" for i in range(1500))),
        ("pyproject.toml", "[tool.plankeeper]\nexempt = " + "[" * 3000 + "]" * 3000 + "\n"),
    ],
    ids=["yaml-flow", "yaml-block", "toml"],
)
def test_deep_config_is_nested_too_deeply(planned: Repo, name: str, text: str) -> None:
    planned.write(name, text)
    code, out, err = bounded(planned, "check", "--all-files")
    assert (code, out) == (2, "")
    assert err.startswith(f"plankeeper: error: {name}")
    assert "nested too deeply" in err


def test_long_pyproject_line_is_read_in_linear_time(planned: Repo) -> None:
    # A line of a multi-line string starting with `[`: valid TOML, but read for headers.
    planned.write(
        "pyproject.toml",
        '[tool.plankeeper]\nexempt = ["build/**"]\n[tool.other]\nnote = """\n['
        + " " * 4000
        + "x"
        + '\n"""\n',
    )
    started = time.monotonic()
    code, _, err = bounded(planned, "check", "--all-files")
    assert (code, err) == (0, "")
    assert time.monotonic() - started < 5.0


def test_absurdly_long_config_and_skip_values_do_not_crash(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "exempt:\n  - '" + "*" * 300_000 + "'\n")
    code, _, _ = bounded(planned, "check", "--all-files", env={"PLANKEEPER_SKIP": "x," * 50_000})
    assert code in (0, 1, 2)


# -- front matter of the handoff notes ------------------------------------------------------


def notes(front: str) -> str:
    return f"---\n{front}---\n# Handoff\n\n## Changed files\n- `src/a.py`\n"


def test_front_matter_alias_bomb_is_an_error_naming_notes_and_line(planned: Repo) -> None:
    planned.write(NOTES, notes(BOMB + "base: *i\n"))
    planned.write("src/a.py", "x = 1\n")
    planned.stage(NOTES, "src/a.py")
    code, out, err = bounded(planned, "check", "handoff-matches")
    assert (code, out) == (2, "")
    assert err == (
        f"plankeeper: error: {NOTES}:2: YAML anchors and aliases (&a) are not allowed in "
        "the front matter: write each value out\n"
    )


@pytest.mark.parametrize("value", ["{sha: abc}", "[abc, def]"])
def test_front_matter_base_that_is_not_a_scalar_is_an_error(planned: Repo, value: str) -> None:
    planned.write(NOTES, notes(f"base: {value}\n"))
    planned.write("src/a.py", "x = 1\n")
    planned.stage(NOTES, "src/a.py")
    code, out, err = bounded(planned, "check", "handoff-matches")
    assert (code, out) == (2, "")
    assert err == (
        f"plankeeper: error: {NOTES}:2: front matter key 'base' must be a commit "
        "(a sha or a ref), not a mapping or a list\n"
    )


def test_deep_front_matter_is_nested_too_deeply(planned: Repo) -> None:
    planned.write(NOTES, notes("deep: " + "[" * 3000 + "]" * 3000 + "\n"))
    planned.write("src/a.py", "x = 1\n")
    planned.stage(NOTES, "src/a.py")
    code, _, err = bounded(planned, "check", "handoff-matches")
    assert code == 2
    assert err.startswith(f"plankeeper: error: {NOTES}:2: front matter nested too deeply")


# -- plans ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "- " * 246 + "[ ] T009 deep",
        ">" * 490 + " T009 deep",
        "> - " * 200 + "[ ] T009 deep",
    ],
    ids=["bullets", "quotes", "mixed"],
)
def test_deeply_nested_plan_line_degrades_to_text(planned: Repo, line: str) -> None:
    planned.write(
        PLAN, MINIMAL_PLAN.replace("- [x] T002 done task\n", f"- [x] T002 done\n{line}\n")
    )
    planned.write("src/a.py", "x = 1\n")
    planned.stage(PLAN, "src/a.py")
    code, out, err = bounded(planned, "check")
    assert (code, err) == (0, "")
    assert "0 errors" in out
    code, out, _ = bounded(planned, "status", "--json")
    assert code == 0


def test_deep_indentation_nesting_across_lines(planned: Repo, tmp_path: Path) -> None:
    deep = "".join("  " * level + f"- [ ] T1{level:03d} level\n" for level in range(400))
    planned.write(PLAN, MINIMAL_PLAN.replace("- [x] T002 done task\n", "- [x] T002 done\n" + deep))
    planned.stage(PLAN)
    code, _, err = bounded(planned, "status")
    assert (code, err) == (0, "")
