"""The benchmark: every scenario beside its baseline, in one run, as a table of medians.

    .venv/bin/python benchmarks/run.py                 # sizes 1,000, 10,000 and 100,000
    .venv/bin/python benchmarks/run.py --smoke         # 1,000 files, one round (CI)
    .venv/bin/python benchmarks/run.py --sizes 10000   # choose the repository sizes

Each round runs every command of a repository size once, in a shuffled (seeded) order, so a
baseline and the scenario it is compared with share the machine's state; the table shows
medians. Peak memory is the maximum resident set of one more run under /usr/bin/time
(os.wait4 where it is missing), which on Linux also covers the git processes it waited for.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generators

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
GREP = ["git", "grep", "-n", "-I", "-w", "-E", "TODO|FIXME|XXX|HACK"]
IMPORT_FLOOR = "import git, marko, yaml"
MEMORY_LIMIT_MB = 150.0
TIME = "/usr/bin/time"
PLAN_SIZES = (50_000, 1_000_000)


@dataclass(frozen=True)
class Command:
    """One process to time: what it runs, where, and the exit codes that are not a failure."""

    key: str
    argv: tuple[str, ...]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    ok_codes: tuple[int, ...] = (0,)
    # Run before each run, untimed: what puts the machine in the scenario's state.
    prepare: Callable[[], None] | None = field(default=None, hash=False, compare=False)
    # What the command reads on stdin (a hook's JSON payload), else nothing.
    stdin: bytes | None = field(default=None, hash=False, compare=False)


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0
    stdout: bytes = b""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


@dataclass(frozen=True)
class Row:
    """A scenario beside its baseline; the target, when set, bounds subject/baseline."""

    scenario: str
    size: str
    subject: str
    baseline: str | None
    target: float | None = None
    target_text: str = ""


def measure(command: Command) -> tuple[float, int, bytes]:
    """Wall time, peak RSS (KB) and stdout of one run; a failed run stops the benchmark."""
    WORK.mkdir(parents=True, exist_ok=True)
    if command.prepare is not None:
        command.prepare()
    out_path = WORK / "stdout"
    err_path = WORK / "stderr"
    in_path = WORK / "stdin"
    in_path.write_bytes(command.stdin or b"")
    # Output goes to a real file: `git grep` (and others) may short-cut writes to /dev/null.
    with out_path.open("wb") as out, err_path.open("wb") as err, in_path.open("rb") as into:
        start = time.perf_counter()
        process = subprocess.Popen(
            command.argv, cwd=command.cwd, env=command.env, stdin=into, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = err_path.read_bytes()
    if process.returncode not in command.ok_codes or b"Traceback" in stderr:
        sys.stderr.write(stderr.decode(errors="replace"))
        raise SystemExit(
            f"benchmark command failed ({process.returncode}): "
            f"{' '.join(command.argv)} in {command.cwd}"
        )
    return elapsed, usage.ru_maxrss, out_path.read_bytes()


def peak_kb(command: Command) -> int:
    """Peak RSS (KB) of one run under /usr/bin/time, whose own small process is what forks.

    A child forked from this benchmark would start with this process's resident pages
    counted in its high-water mark (Linux keeps it across exec), hence the wrapper; it is
    a separate run so that the timed rounds carry no wrapper overhead.
    """
    report = WORK / "time"
    wrapped = Command(
        command.key,
        (TIME, "-f", "%M", "-o", str(report), *command.argv),
        command.cwd,
        command.env,
        command.ok_codes,
        command.prepare,
        command.stdin,
    )
    measure(wrapped)
    return int(report.read_text().split()[-1])


def run_rounds(commands: Sequence[Command], rounds: int, seed: int) -> dict[str, Sample]:
    """One warm-up run each, then `rounds` rounds in a shuffled order per round."""
    samples = {command.key: Sample() for command in commands}
    for command in commands:
        measure(command)
        if Path(TIME).is_file():
            samples[command.key].peak_kb = peak_kb(command)
    rng = random.Random(seed)
    for _ in range(rounds):
        order = list(commands)
        rng.shuffle(order)
        for command in order:
            seconds, peak, stdout = measure(command)
            sample = samples[command.key]
            sample.seconds.append(seconds)
            if not Path(TIME).is_file():
                sample.peak_kb = max(sample.peak_kb, peak)
            sample.stdout = stdout
    return samples


def plankeeper_argv() -> tuple[str, ...]:
    script = Path(sys.executable).parent / "plankeeper"
    return (str(script),) if script.is_file() else (sys.executable, "-m", "plankeeper")


def python_environ() -> dict[str, str]:
    """The environment of every timed command: git's scratch settings, byte code cached.

    Installed packages run from cached byte code; a session with PYTHONDONTWRITEBYTECODE
    would recompile plankeeper on every run (and GitPython not), so the cache is kept in
    the work folder, away from the source tree.
    """
    env = generators.git_environ()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    return env


def repo_commands(repo: generators.BenchRepo) -> list[Command]:
    env = python_environ()
    size = repo.size
    plankeeper = plankeeper_argv()
    commands = [
        Command(f"pass@{size}", (sys.executable, "-c", "pass"), repo.root, env),
        Command(f"floor@{size}", (sys.executable, "-c", IMPORT_FLOOR), repo.root, env),
        Command(
            f"hook-plan@{size}",
            (*plankeeper, "hook"),
            repo.root,
            {**env, "GIT_INDEX_FILE": str(repo.index_with_plan)},
            (0, 1),
        ),
        Command(
            f"hook-plan-edit@{size}",
            (*plankeeper, "hook"),
            repo.root,
            {**env, "GIT_INDEX_FILE": str(repo.index_with_plan)},
            (0, 1),
            # A commit that changes a plan brings a text that no run has parsed yet; the
            # hook of the commit before parsed the plan as it was.
            lambda: _forget_plans(repo, keep_committed=True),
        ),
        Command(
            f"hook-plan-first@{size}",
            (*plankeeper, "hook"),
            repo.root,
            {**env, "GIT_INDEX_FILE": str(repo.index_with_plan)},
            (0, 1),
            lambda: _forget_plans(repo),
        ),
        Command(
            f"hook-plain@{size}",
            (*plankeeper, "hook"),
            repo.root,
            {**env, "GIT_INDEX_FILE": str(repo.index_plain)},
            (0, 1),
        ),
        Command(f"grep@{size}", (*GREP,), repo.root, env, (0, 1)),
        Command(f"all-files@{size}", (*plankeeper, "check", "--all-files"), repo.root, env, (0, 1)),
    ]
    session = agent_session(repo)
    commands.append(
        Command(
            f"agent-stop@{size}",
            (*plankeeper, "agent", "stop", "--runtime", "claude"),
            session.root,
            env,
            prepare=session.prepare,
            stdin=session.payload,
        )
    )
    for count in repo.ranges:
        commands.append(
            Command(
                f"range-{count}@{size}",
                (*plankeeper, "check", "--base", "main", "--head", repo.range_branch(count)),
                repo.root,
                env,
                (0, 1),
            )
        )
    return commands


@dataclass(frozen=True)
class AgentSession:
    """A coding agent's session in a worktree of the repository at `feature-10`.

    The session started at `main` (its record says so), so its work is the branch's ten
    changed files, the plan among them. The payload says the stop already continued the
    session once: every run runs every check, and none changes the record.
    """

    repository: generators.BenchRepo
    root: Path
    session_id: str = "bench-session"

    @property
    def payload(self) -> bytes:
        return (
            f'{{"session_id": "{self.session_id}", "cwd": "{self.root}", '
            '"hook_event_name": "Stop", "stop_hook_active": true}'
        ).encode()

    def prepare(self) -> None:
        """Create the worktree and the session's record once; later runs find them."""
        link = self.root / ".git"
        if link.is_file():
            gitdir = Path(link.read_text().removeprefix("gitdir:").strip())
            if gitdir.is_dir():
                return
            # The repository was rebuilt (a new generators.VERSION): so is its worktree.
            shutil.rmtree(self.root)
        from plankeeper.agent.session import Session, save

        env = generators.git_environ()
        branch = self.repository.range_branch(self.repository.ranges[0])
        subprocess.run(
            ["git", "worktree", "add", "-q", "-f", str(self.root), branch],
            cwd=self.repository.root,
            env=env,
            check=True,
        )

        def git(*args: str) -> str:
            out = subprocess.run(
                ["git", *args], cwd=self.root, env=env, capture_output=True, check=True
            )
            return out.stdout.decode().strip()

        save(
            Path(git("rev-parse", "--absolute-git-dir")),
            Session(self.session_id, git("rev-parse", "main")),
        )


def agent_session(repo: generators.BenchRepo) -> AgentSession:
    return AgentSession(repo, repo.root.parent / f"{repo.root.name}-agent")


def _forget_plans(repo: generators.BenchRepo, *, keep_committed: bool = False) -> None:
    """Empty the plan cache; with `keep_committed`, then parse the committed plan into it.

    The parse runs here, not in a child process: a plankeeper process run just before the
    timed one would leave the machine's caches warm for it.
    """
    folder = repo.root / ".git" / "plankeeper" / "plans"
    shutil.rmtree(folder, ignore_errors=True)
    if keep_committed:
        from plankeeper.plans.cache import parse_cached

        committed = subprocess.run(
            ["git", "show", f"HEAD:{generators.PLAN_PATH}"],
            cwd=repo.root,
            env=generators.git_environ(),
            capture_output=True,
            check=True,
        ).stdout
        parse_cached(folder, committed, generators.PLAN_PATH, True)
    # What was written and deleted reaches the disk now, not during the timed run.
    os.sync()


def plan_commands(sizes: Sequence[int]) -> list[Command]:
    """Parse each plan shape in a child process that prints its own parse time."""
    script = HERE / "plan_benchmark.py"
    return [
        Command(
            f"plan-{shape}@{size}",
            (sys.executable, str(script), "--parse-one", shape, str(size)),
            HERE.parent,
            python_environ(),
        )
        for shape in generators.PLAN_SHAPES
        for size in sizes
    ]


def baseline_commands(root: Path) -> list[Command]:
    """`check --all-files` on 5,000 legacy TODOs: absorbed by the baseline, or, without
    one, found and then dropped as `off`. Both report nothing, so the difference is what
    reading and matching the baseline costs."""
    without = WORK / "no-baseline.yaml"
    without.write_text(
        "todo:\n  baseline: .no-baseline\nchecks:\n  PK201: off\n  PK202: off\n  PK203: off\n"
    )
    plankeeper = plankeeper_argv()
    env = python_environ()
    return [
        Command("all-files-baseline", (*plankeeper, "check", "--all-files"), root, env),
        Command(
            "all-files-no-baseline",
            (*plankeeper, "check", "--all-files", "--config", str(without)),
            root,
            env,
        ),
    ]


def baseline_rows() -> list[Row]:
    return [
        Row(
            f"check --all-files, {generators.BASELINE_ENTRIES:,}-entry baseline",
            f"{generators.BASELINE_ENTRIES // 2:,} files",
            "all-files-baseline",
            "all-files-no-baseline",
            1.1,
            "<= 1.1x without a baseline",
        )
    ]


def human_size(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000} MB"
    return f"{size // 1000} KB"


def repo_rows(size: int, ranges: Sequence[int]) -> list[Row]:
    def at(target_size: int, value: float) -> float | None:
        return value if size == target_size else None

    rows = [
        Row("python -c pass", f"{size:,} files", f"pass@{size}", None),
        Row(f"python -c '{IMPORT_FLOOR}'", f"{size:,} files", f"floor@{size}", None),
        Row(
            "hook: 5-file commit with plan + tags",
            f"{size:,} files",
            f"hook-plan-edit@{size}",
            f"floor@{size}",
            at(10_000, 1.3),
            "<= 1.3x import floor (10,000 files)",
        ),
        Row(
            "  the same, no plan ever parsed",
            f"{size:,} files",
            f"hook-plan-first@{size}",
            f"floor@{size}",
        ),
        Row(
            "  the same, this plan parsed before",
            f"{size:,} files",
            f"hook-plan@{size}",
            f"floor@{size}",
        ),
        Row(
            "hook: 5 files, no plan, no tag",
            f"{size:,} files",
            f"hook-plain@{size}",
            f"floor@{size}",
            at(10_000, 1.0),
            "< 1.0x import floor (10,000 files)",
        ),
        Row(
            "check --all-files",
            f"{size:,} files",
            f"all-files@{size}",
            f"grep@{size}",
            at(100_000, 5.0),
            "<= 5x git grep (100,000 files)",
        ),
    ]
    rows.append(
        Row(
            "agent stop: 10-file session, every check",
            f"{size:,} files",
            f"agent-stop@{size}",
            f"floor@{size}",
            at(10_000, 3.0),
            "<= 3x import floor (10,000 files)",
        )
    )
    for count in ranges:
        rows.append(
            Row(
                f"check --base main ({count:,}-file range)",
                f"{size:,} files",
                f"range-{count}@{size}",
                f"hook-plan@{size}",
                at(10_000, 3.0) if count == 1000 else None,
                "<= 3x hook (1,000-file range)" if count == 1000 else "",
            )
        )
    return rows


def plan_rows(sizes: Sequence[int]) -> list[Row]:
    return [
        Row(
            f"plan parse: {shape} (in-process)",
            human_size(size),
            f"plan-{shape}@{size}",
            None,
            2.0 if size == 1_000_000 else None,
            "< 2 s (1 MB)" if size == 1_000_000 else "",
        )
        for shape in generators.PLAN_SHAPES
        for size in sizes
    ]


def round_ratio(subject: Sample, baseline: Sample) -> float:
    """The median of each round's ratio: both ran in that round, so a burst of load on the
    shared machine that slows the round slows both (a ratio of medians would mix rounds)."""
    return statistics.median(
        mine / theirs for mine, theirs in zip(subject.seconds, baseline.seconds, strict=True)
    )


def parse_seconds(sample: Sample) -> float:
    return float(sample.stdout.decode().split()[0])


def print_table(rows: Sequence[Row], samples: dict[str, Sample]) -> list[str]:
    """Print the table; return the targets that were missed."""
    header = (
        f"{'scenario':<44} {'input':>14} {'median ms':>10} {'baseline ms':>12} "
        f"{'ratio':>7} {'peak MB':>8}  target"
    )
    print(header)
    print("-" * len(header))
    missed: list[str] = []
    for row in rows:
        sample = samples[row.subject]
        is_plan = row.subject.startswith("plan-")
        value = parse_seconds(sample) * 1000 if is_plan else sample.median_ms
        base = samples[row.baseline].median_ms if row.baseline else None
        ratio = round_ratio(sample, samples[row.baseline]) if row.baseline else None
        verdict = ""
        if row.target is not None:
            measured = value / 1000 if is_plan else ratio
            assert measured is not None
            holds = measured <= row.target if row.target != 1.0 else measured < row.target
            verdict = f"{row.target_text}: {'holds' if holds else 'MISSED'}"
            if not holds:
                missed.append(f"{row.scenario} @ {row.size}: {measured:.2f} vs {row.target_text}")
        if sample.peak_mb >= MEMORY_LIMIT_MB:
            verdict += f" memory >= {MEMORY_LIMIT_MB:.0f} MB: MISSED"
            missed.append(f"{row.scenario} @ {row.size}: peak {sample.peak_mb:.0f} MB")
        print(
            f"{row.scenario:<44} {row.size:>14} {value:>10.1f} "
            f"{'' if base is None else f'{base:.1f}':>12} "
            f"{'' if ratio is None else f'{ratio:.2f}x':>7} {sample.peak_mb:>8.1f}  {verdict}"
        )
    return missed


def print_growth(sizes: Sequence[int], ranges: Sequence[int], samples: dict[str, Sample]) -> None:
    """Each cost at every size, and its growth per 10x of input: about 10x means linear."""
    if len(sizes) < 2:
        return
    keys = [
        "hook-plan-edit",
        "hook-plan",
        "hook-plain",
        "grep",
        "all-files",
        "agent-stop",
        *(f"range-{c}" for c in ranges),
    ]
    print()
    print("growth with the repository (median ms; x = growth from the previous size)")
    print(f"{'command':<16}" + "".join(f"{f'{size:,} files':>22}" for size in sizes))
    for key in keys:
        cells = []
        previous: float | None = None
        for size in sizes:
            value = samples[f"{key}@{size}"].median_ms
            growth = f" ({value / previous:.1f}x)" if previous else ""
            cells.append(f"{value:.1f}{growth}")
            previous = value
        print(f"{key:<16}" + "".join(f"{cell:>22}" for cell in cells))
    for count_low, count_high in itertools.pairwise(ranges):
        for size in sizes:
            low = samples[f"range-{count_low}@{size}"].median_ms
            high = samples[f"range-{count_high}@{size}"].median_ms
            print(
                f"range {count_low:,} -> {count_high:,} files at {size:,}: "
                f"{low:.1f} -> {high:.1f} ms ({high / low:.1f}x)"
            )


def machine() -> str:
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {git}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="smallest size, one round (CI)")
    parser.add_argument(
        "--sizes", help="comma-separated repository sizes (default 1000,10000,100000)"
    )
    parser.add_argument("--rounds", type=int, help="timed rounds per command (default 9; smoke 1)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    if args.sizes:
        sizes = sorted(
            {int(part.replace("_", "").replace(",", "")) for part in args.sizes.split(",")}
        )
    else:
        sizes = [1000] if args.smoke else [1000, 10_000, 100_000]
    rounds = args.rounds or (1 if args.smoke else 9)
    plan_sizes = PLAN_SIZES[:1] if args.smoke else PLAN_SIZES
    ranges = (10, 1000)

    print(f"plankeeper benchmark: {machine()}; {rounds} round(s), medians", flush=True)
    samples: dict[str, Sample] = {}
    rows: list[Row] = []
    for size in sizes:
        started = time.perf_counter()
        repo = generators.build_repo(WORK, size, ranges)
        built = time.perf_counter() - started
        print(
            f"repository of {size:,} files ready ({built:.1f} s); measuring",
            file=sys.stderr,
            flush=True,
        )
        samples.update(run_rounds(repo_commands(repo), rounds, seed=size))
        rows.extend(repo_rows(size, ranges))
    samples.update(run_rounds(plan_commands(plan_sizes), rounds, seed=1))
    rows.extend(plan_rows(plan_sizes))
    legacy = generators.build_baseline_repo(WORK, plankeeper_argv())
    samples.update(run_rounds(baseline_commands(legacy), rounds, seed=2))
    rows.extend(baseline_rows())
    print()
    missed = print_table(rows, samples)
    print_growth(sizes, ranges, samples)
    print()
    if missed:
        print("targets missed:")
        for line in missed:
            print(f"  {line}")
    else:
        print("every target that applies to the sizes run holds")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
