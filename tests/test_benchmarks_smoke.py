"""The benchmark runs end to end at its smallest size; no time is ever asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADER = "scenario"


def _benchmark(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A script of benchmarks/ run as a user runs it, without the caller's git environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_benchmark_smoke_run_exits_0_and_prints_the_table_header() -> None:
    result = _benchmark("run.py", "--smoke")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    header = [line for line in result.stdout.splitlines() if line.startswith(HEADER)]
    assert header == [
        f"{'scenario':<44} {'input':>14} {'median ms':>10} {'baseline ms':>12} "
        f"{'ratio':>7} {'peak MB':>8}  target"
    ]


def test_every_row_and_growth_line_names_a_timed_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The smoke run has one size: the growth table, printed for two or more, is not run.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generators
        import run
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    sizes, ranges = (1000, 10_000), (10, 1000)
    commands = [
        command
        for size in sizes
        for command in run.repo_commands(
            generators.BenchRepo(tmp_path, size, ranges, tmp_path / "a", tmp_path / "b")
        )
    ]
    samples = {command.key: run.Sample(seconds=[0.1]) for command in commands}
    rows = [row for size in sizes for row in run.repo_rows(size, ranges)]
    assert {row.subject for row in rows} | {row.baseline for row in rows if row.baseline} <= set(
        samples
    )
    run.print_growth(sizes, ranges, samples)
    assert "growth with the repository" in capsys.readouterr().out


def test_plan_benchmark_prints_every_one_line_shape() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generators
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    result = _benchmark("plan_benchmark.py", "--size", "3000", "--repeat", "1", "--one-line")
    assert result.returncode == 0, result.stderr
    rows = [line.split()[0] for line in result.stdout.splitlines() if line.startswith(("'", '"'))]
    assert rows == [name.split()[0] for name in generators.ONE_LINE_SHAPES]
