"""Fuzz: configuration, front matter and plans of aliases, depth and long lines stay bounded."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankeeper.config import config_from_bytes
from plankeeper.errors import PlankeeperError
from plankeeper.handoff import parse_notes
from plankeeper.plans.plan import parse_plan

SECONDS = 3.0  # of CPU time: a loaded machine must not fail the test
PEAK = 64 << 20  # bytes: a bomb that expanded would pass this at once
FUZZ = settings(
    max_examples=25,
    deadline=None,  # time is asserted per example, with the parse alone measured
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces of hostile text: anchors and aliases, openers of nesting, long runs.
_PIECES = [
    "a: &a [x, x, x, x, x, x, x, x, x]\n",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    "base: *a\n",
    "base: {sha: x}\n",
    "base: [x]\n",
    "exempt: ",
    "checks:\n  plan-updated: off\n",
    "[tool.plankeeper]\n",
    "[",
    "]",
    "{a: ",
    "}",
    "- ",
    "> ",
    ">",
    "  ",
    "1. ",
    "[ ] T001 task\n",
    "x = ",
    "\n",
    "---\n",
    '"""\n',
    "# Phase 1: go\n",
]


@st.composite
def hostile(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(_PIECES), st.sampled_from([1, 2, 9, 60, 300])),
            min_size=1,
            max_size=6,
        )
    )
    return "".join(piece * count for piece, count in parts)


@contextmanager
def bounded() -> Iterator[None]:
    tracemalloc.start()
    started = time.process_time()
    try:
        yield
    finally:
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert elapsed < SECONDS, f"{elapsed:.1f} s"
        assert peak < PEAK, f"{peak >> 20} MiB"


def survives(parse: Callable[[], object]) -> None:
    """The parse returns or raises the one-line error a user can cause; nothing else."""
    message = ""
    with bounded():
        try:
            parse()
        except PlankeeperError as error:
            message = str(error)
    assert "\n" not in message


@FUZZ
@given(hostile(), st.sampled_from([".plankeeper.yaml", "pyproject.toml", "ci/plankeeper.toml"]))
def test_configuration_is_bounded(text: str, name: str) -> None:
    data = text.encode("utf-8")
    survives(lambda: config_from_bytes(data, name, explicit=name != "pyproject.toml"))


@FUZZ
@given(hostile())
def test_front_matter_is_bounded(text: str) -> None:
    survives(lambda: parse_notes(f"---\n{text}\n---\n# Notes\n\n{text}\n", "SESSION_HANDOFF.md"))


@FUZZ
@given(hostile())
def test_plan_text_is_bounded(text: str) -> None:
    survives(
        lambda: parse_plan(f"# Plan\n\n## Phase 1: go\n\n{text}\n", "docs/plans/A_MASTERPLAN.md")
    )
