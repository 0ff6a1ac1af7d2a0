"""`plankeeper todos` on a whole large tree against `git grep` for the same tags.

    python benchmarks/todos_benchmark.py [--files 10000] [--rounds 7] [--max-ratio 5]
    python benchmarks/todos_benchmark.py --strings      # `check --all-files`, string-heavy tree
    python benchmarks/todos_benchmark.py --smoke        # a small tree, quickly (CI)

`--strings` builds the harder tree shape: about half of the files hold a tag word only
inside string literals, so `git grep` lists them and the lexer must read every one of them
(to find nothing), and it times `plankeeper check --all-files` instead of `todos`.

Both run as whole processes, alternately, round after round, on the repository that
generators.py builds for run.py (once per size and seed) under benchmarks/.work/. It
prints the median of each and their ratio; with --max-ratio it fails when it is higher.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generators

WORK = Path(__file__).resolve().parent / ".work"
GREP = ["git", "grep", "-n", "-I", "-w", "-E", "TODO|FIXME|XXX|HACK"]
TODOS = [sys.executable, "-m", "plankeeper", "todos"]
CHECK_ALL = [sys.executable, "-m", "plankeeper", "check", "--all-files"]


def repository(files: int, seed: int, *, strings: bool = False) -> Path:
    """The generated repository of this size and seed (shared with run.py), built when missing."""
    return generators.build_repo(WORK, files, seed=seed, strings=strings).root


def timed(command: list[str], cwd: Path) -> float:
    """Seconds the command took; it must succeed or find something (exit 1), print, and
    never crash."""
    started = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 1) or not process.stdout or b"Traceback" in process.stderr:
        raise SystemExit(
            f"{' '.join(command[:4])} failed ({process.returncode}): {process.stderr.decode()}"
        )
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=generators.SEED)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=None)
    parser.add_argument("--strings", action="store_true", help="the string-heavy tree shape")
    parser.add_argument("--smoke", action="store_true", help="300 files, 2 rounds")
    args = parser.parse_args(argv)
    if args.smoke:
        args.files, args.rounds = 300, 2
    path = repository(args.files, args.seed, strings=args.strings)
    subject = CHECK_ALL if args.strings else TODOS
    environ = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    os.environ.clear()
    os.environ.update(environ)
    # One unmeasured run each warms the file system cache and Python's bytecode cache.
    timed(GREP, path)
    timed(subject, path)
    grep, todos = [], []
    for _ in range(args.rounds):
        grep.append(timed(GREP, path))
        todos.append(timed(subject, path))
    grep_median, todos_median = statistics.median(grep), statistics.median(todos)
    ratio = todos_median / grep_median
    print(f"tree: {path} ({args.files} files, seed {args.seed}), {args.rounds} rounds")
    print(f"git grep         median {grep_median * 1000:8.1f} ms")
    print(f"{' '.join(subject[3:]):16} median {todos_median * 1000:8.1f} ms")
    print(f"ratio {ratio:.2f}")
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"ratio {ratio:.2f} is above {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
