"""Parse time of the 1 MB plan shapes: plankeeper's parser beside stock marko.

    .venv/bin/python benchmarks/plan_benchmark.py            # 1 MB, the four shapes
    .venv/bin/python benchmarks/plan_benchmark.py --one-line # and plans of one line repeated
    .venv/bin/python benchmarks/plan_benchmark.py --size 50000

Stock marko (`marko.Markdown().parse`) is quadratic on a long list of `[ ]` items (its
link reference definition rule scans ahead on every such line). When a shape would take
longer than the budget, stock marko parses growing prefixes of the text instead, and the
full-size figure is extrapolated from the growth between the last two prefixes; the
table says so.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generators

BUDGET_SECONDS = 4.0


def plankeeper_parse(text: str) -> object:
    from plankeeper.plans.plan import parse_plan

    return parse_plan(text, generators.PLAN_PATH)


def stock_parse(text: str) -> object:
    import marko

    return marko.Markdown().parse(text)


def best_of(parse: Callable[[str], object], text: str, repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds (imports are done by a first call)."""
    parse("- [ ] warm\n")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse(text)
        times.append(time.perf_counter() - start)
    return min(times)


def _prefix(text: str, size: int) -> str:
    """The text cut at the last line end before `size` characters."""
    cut = text.rfind("\n", 0, size)
    return text[: cut + 1] if cut > 0 else text[:size]


def stock_figure(text: str, budget: float = BUDGET_SECONDS) -> tuple[float, str]:
    """Stock marko's time on `text`, or an extrapolation from prefixes when over budget."""
    size = 25_000
    points: list[tuple[int, float]] = []
    while True:
        part = _prefix(text, size)
        seconds = best_of(stock_parse, part, 1)
        points.append((len(part), seconds))
        if len(part) >= len(text):
            return seconds, "measured"
        # The next prefix doubles; stop before it would break the budget.
        if seconds * 4 > budget:
            break
        size *= 2
    (small, small_time), (large, large_time) = points[-2], points[-1]
    exponent = math.log(large_time / small_time) / math.log(large / small) if small_time else 1.0
    exponent = max(exponent, 1.0)
    estimate = large_time * (len(text) / large) ** exponent
    return estimate, f"extrapolated from a {large // 1000} KB prefix, growth ~n^{exponent:.1f}"


def compare(size: int, repeat: int) -> None:
    print(f"plan parse, {size:,} bytes per shape (best of {repeat} for plankeeper)")
    header = f"{'shape':<10} {'tasks':>7} {'plankeeper s':>13} {'stock marko s':>14}  how"
    print(header)
    print("-" * len(header))
    for shape, make in generators.PLAN_SHAPES.items():
        text = make(size)
        from plankeeper.plans.plan import parse_plan

        tasks = len(parse_plan(text, generators.PLAN_PATH).tasks)
        ours = best_of(plankeeper_parse, text, repeat)
        stock, how = stock_figure(text)
        print(f"{shape:<10} {tasks:>7,} {ours:>13.3f} {stock:>14.3f}  stock: {how}")


def compare_one_line(size: int, repeat: int) -> None:
    """plankeeper alone on plans of one short line repeated (stock marko takes minutes)."""
    print(f"\nplans of one line repeated, {size:,} bytes each (best of {repeat})")
    header = f"{'line':<14} {'lines':>9} {'plankeeper s':>13} {'s per MB':>9}"
    print(header)
    print("-" * len(header))
    for shape, make in generators.ONE_LINE_SHAPES.items():
        text = make(size)
        ours = best_of(plankeeper_parse, text, repeat)
        per_mb = ours * 1_000_000 / len(text)
        print(f"{shape:<14} {text.count(chr(10)):>9,} {ours:>13.3f} {per_mb:>9.3f}")


def parse_one(shape: str, size: int) -> None:
    """Parse one generated plan once and print the seconds (run.py times this in a child)."""
    text = generators.PLAN_SHAPES[shape](size)
    print(f"{best_of(plankeeper_parse, text, 1):.6f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes per plan (default 1 MB)")
    parser.add_argument("--repeat", type=int, default=3, help="plankeeper runs per shape")
    parser.add_argument(
        "--one-line", action="store_true", help="also plans of one short line repeated"
    )
    parser.add_argument("--parse-one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse_one:
        parse_one(args.parse_one[0], int(args.parse_one[1]))
    else:
        compare(args.size, args.repeat)
        if args.one_line:
            compare_one_line(args.size, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
