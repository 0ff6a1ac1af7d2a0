"""The benchmark runs end to end at its smallest size; no time is ever asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "scenario"


def test_benchmark_smoke_run_exits_0_and_prints_the_table_header() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    header = [line for line in result.stdout.splitlines() if line.startswith(HEADER)]
    assert header == [
        f"{'scenario':<44} {'input':>14} {'median ms':>10} {'baseline ms':>12} "
        f"{'ratio':>7} {'peak MB':>8}  target"
    ]
