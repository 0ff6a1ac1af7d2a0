"""Time of handoff-matches on notes that mention 10,000 paths.

    .venv/bin/python benchmarks/handoff_benchmark.py              # 10,000 mentions
    .venv/bin/python benchmarks/handoff_benchmark.py --mentions 50000
    .venv/bin/python benchmarks/handoff_benchmark.py --end-to-end  # also `check` in a repo
    .venv/bin/python benchmarks/handoff_benchmark.py --shape list  # one list of code spans

The model figure is parse_notes plus everything the check does with the mentions
(coverage of every changed file, PK302 and PK303 for every mention), without git. With
`--end-to-end`, a scratch repository holds one file per mention, a branch changes them all
and rewrites the notes, and `plankeeper check handoff-matches --base main` runs as a process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def notes_text(count: int, shape: str = "mixed") -> str:
    """Notes in the shapes agents write: a changed-files list, a table and prose.

    The `list` shape is one changed-files list of code spans, a line per path.
    """
    if shape == "list":
        items = [f"- `{path(i)}`" for i in range(count)]
        return "\n".join(["# Session handoff", "", "## Changed files", "", *items]) + "\n"
    lines = ["# Session handoff", "", "## Changed files", ""]
    third = count // 3
    lines += [f"- `{path(i)}:{i % 90 + 1}` updated the parser ({i})" for i in range(third)]
    lines += ["", "## Files modified", "", "| File | Status |", "| --- | --- |"]
    lines += [f"| [{path(i)}]({path(i)}) | Modified |" for i in range(third, 2 * third)]
    lines += ["", "## Notes", ""]
    lines += [
        f"Moved the helpers into {path(i)} and @{path(i)} keeps the **old** name, and/or not."
        for i in range(2 * third, count)
    ]
    return "\n".join(lines) + "\n"


def path(index: int) -> str:
    return f"src/pkg{index % 100}/module_{index}.py"


def time_model(count: int, rounds: int, shape: str) -> list[float]:
    from plankeeper.checks.handoff_matches import Work, did_change, exists, is_path
    from plankeeper.git.states import EMPTY
    from plankeeper.handoff import Coverage, parse_notes

    text = notes_text(count, shape)
    files = frozenset(path(i) for i in range(count))
    work = Work(EMPTY, files, frozenset(), frozenset(), files)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        notes = parse_notes(text, "SESSION_HANDOFF.md")
        coverage = Coverage(notes.mentions, notes.names)
        missing = [name for name in work.changed if not coverage.covers(name)]
        problems = [
            mention
            for mention in notes.mentions
            if is_path(mention, work)
            and (not exists(mention, work) or (mention.listed and not did_change(mention, work)))
        ]
        times.append(time.perf_counter() - start)
        # "and/or" is no path; every file is mentioned and exists.
        assert not missing, missing[:3]
        assert not problems, problems[:3]
    return times


def time_end_to_end(count: int, rounds: int, shape: str) -> list[float]:
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PLANKEEPER"))},
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.com",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.com",
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)

        def git(*args: str) -> None:
            subprocess.run(["git", *args], cwd=root, env=environ, check=True, capture_output=True)

        git("init", "-q", "-b", "main")
        for index in range(count):
            target = root / path(index)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("x = 1\n")
        git("add", "-A")
        git("commit", "-q", "-m", "base")
        git("checkout", "-q", "-b", "work")
        for index in range(count):
            (root / path(index)).write_text("x = 2\n")
        (root / "SESSION_HANDOFF.md").write_text(notes_text(count, shape))
        git("add", "-A")
        git("commit", "-q", "-m", "work")
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            process = subprocess.run(
                [sys.executable, "-m", "plankeeper", "check", "handoff-matches", "--base", "main"],
                cwd=root,
                env=environ,
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - start)
            assert process.returncode == 0, process.stdout[-2000:] + process.stderr[-2000:]
        return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--end-to-end", action="store_true")
    parser.add_argument("--shape", choices=["mixed", "list"], default="mixed")
    args = parser.parse_args(argv)
    model = time_model(args.mentions, args.rounds, args.shape)
    print(
        f"handoff model, {args.mentions:,} mentions ({args.shape}): "
        f"median {statistics.median(model):.3f} s, best {min(model):.3f} s ({args.rounds} rounds)"
    )
    if args.end_to_end:
        whole = time_end_to_end(args.mentions, max(1, args.rounds // 2), args.shape)
        print(
            f"check handoff-matches, {args.mentions:,} changed files and mentions: "
            f"median {statistics.median(whole):.3f} s (process, git included)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
