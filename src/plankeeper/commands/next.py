"""`plankeeper next`: the next task of the first plan that has one."""

from __future__ import annotations

import argparse
import json
import sys

from plankeeper.commands.status import working_tree_plans
from plankeeper.report import progress
from plankeeper.text import inert_json, safe_lines


def run(args: argparse.Namespace) -> int:
    plans = working_tree_plans(args)
    found = progress.next_task_of(plans)
    if args.json:
        task = progress.task_data(*found) if found else None
        data = {"version": 1, "next_task": task}
        sys.stdout.write(inert_json(json.dumps(data, indent=2, ensure_ascii=False)))
        sys.stdout.write("\n")
        return 0
    if not plans:
        sys.stderr.write(progress.NO_PLANS + "\n")
        return 0
    sys.stdout.write(safe_lines(progress.task_line(*found) if found else progress.ALL_DONE) + "\n")
    return 0
