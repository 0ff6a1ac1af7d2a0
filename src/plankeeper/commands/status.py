"""`plankeeper status`: each plan's phases with done/total, the current phase, the next task."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping

from plankeeper import changes
from plankeeper.commands.common import open_repository
from plankeeper.context import Context
from plankeeper.plans.plan import Plan
from plankeeper.report import progress
from plankeeper.text import inert_json, safe_lines


def working_tree_plans(args: argparse.Namespace) -> list[Plan]:
    """The plans of the working tree (what is being edited), masterplans first."""
    repo, config = open_repository(args)
    return Context(repo, config, changes.whole_tree(repo)).plans


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    plans = working_tree_plans(args)
    if args.json:
        data = {"version": 1, "plans": [progress.plan_data(plan) for plan in plans]}
        sys.stdout.write(inert_json(json.dumps(data, indent=2, ensure_ascii=False)))
        sys.stdout.write("\n")
        return 0
    if not plans:
        sys.stderr.write(progress.NO_PLANS + "\n")
        return 0
    color = progress.is_color(sys.stdout, environ)
    blocks = ["\n".join(progress.status_lines(plan, color)) for plan in plans]
    sys.stdout.write(safe_lines("\n\n".join(blocks)) + "\n")
    return 0
