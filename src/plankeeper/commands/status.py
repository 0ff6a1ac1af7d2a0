"""`plankeeper status`: each plan's phases with done/total, the current phase, the next task."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping

from plankeeper import changes
from plankeeper.commands.common import open_repository
from plankeeper.config import Config
from plankeeper.context import Context
from plankeeper.git.repository import Repository
from plankeeper.plans.plan import Plan
from plankeeper.report import progress
from plankeeper.text import inert_json, safe_lines


def working_tree_plans(args: argparse.Namespace) -> list[Plan]:
    """The plans of the working tree (what is being edited), masterplans first."""
    repo, config = open_repository(args)
    return Context(repo, config, changes.working_tree()).plans


def baseline_left(repo: Repository, config: Config) -> int | None:
    """How many TODOs the baseline file still lists; None without one."""
    data = repo.read_worktree(config.baseline)
    if data is None:
        return None
    from plankeeper.baseline import parse

    return sum(entry.times for entry in parse(data, config.baseline))


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    repo, config = open_repository(args)
    plans = Context(repo, config, changes.working_tree()).plans
    left = baseline_left(repo, config)
    if args.json:
        data: dict[str, object] = {
            "version": 1,
            "plans": [progress.plan_data(plan) for plan in plans],
        }
        if left is not None:
            data["baseline"] = {"path": config.baseline, "todos": left}
        sys.stdout.write(inert_json(json.dumps(data, indent=2, ensure_ascii=False)))
        sys.stdout.write("\n")
        return 0
    if not plans:
        sys.stderr.write(progress.NO_PLANS + "\n")
    blocks = []
    if plans:
        color = progress.is_color(sys.stdout, environ)
        blocks = ["\n".join(progress.status_lines(plan, color)) for plan in plans]
    if left is not None:
        # The debt the team pays down: it only shrinks, as `plankeeper baseline` drops entries.
        blocks.append(
            f"Baseline: {left} known TODO{'s' if left != 1 else ''} left in {config.baseline}"
        )
    if blocks:
        sys.stdout.write(safe_lines("\n\n".join(blocks)) + "\n")
    return 0
