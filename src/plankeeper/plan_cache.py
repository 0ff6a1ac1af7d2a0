"""Parsed plans kept in the git folder, keyed by their content: an unchanged plan is not
parsed again (most commits carry TODOs to track but leave the plan as it is).

The cache is JSON, never pickle; any entry that cannot be read is parsed afresh, and a
folder that cannot be written (a read-only checkout) only means no caching.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from plankeeper import __version__
from plankeeper.plan import Heading, Phase, Plan, Task

# Part of every key: a new plankeeper, or a new layout of entries, never reads old ones.
FORMAT = f"{__version__}/1"
KEEP = 64


def key_of(data: bytes, path: str, is_masterplan: bool) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{path}\0{is_masterplan}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def to_json(plan: Plan) -> dict[str, Any]:
    index = {id(task): number for number, task in enumerate(plan.tasks)}
    phase_index = {id(phase): number for number, phase in enumerate(plan.phases)}
    return {
        "path": plan.path,
        "line_count": plan.line_count,
        "is_masterplan": plan.is_masterplan,
        "headings": [[h.level, h.text, h.line] for h in plan.headings],
        "phases": [[p.title, p.line, p.level] for p in plan.phases],
        "tasks": [
            [
                task.line,
                task.column,
                task.box,
                task.text,
                task.id,
                task.optional,
                task.depth,
                task.malformed,
                index[id(task.parent)] if task.parent is not None else None,
                phase_index[id(task.phase)] if task.phase is not None else None,
            ]
            for task in plan.tasks
        ],
    }


def from_json(entry: dict[str, Any]) -> Plan:
    phases = [Phase(title, line, level) for title, line, level in entry["phases"]]
    tasks: list[Task] = []
    for line, column, box, text, ident, optional, depth, malformed, parent, phase in entry["tasks"]:
        task = Task(line, column, box, text, ident, optional, depth, malformed)
        if parent is not None:
            task.parent = tasks[parent]
            tasks[parent].children.append(task)
        if phase is not None:
            task.phase = phases[phase]
            phases[phase].tasks.append(task)
        tasks.append(task)
    headings = [Heading(level, text, line) for level, text, line in entry["headings"]]
    return Plan(entry["path"], tasks, phases, headings, entry["line_count"], entry["is_masterplan"])


def load(folder: Path, key: str) -> Plan | None:
    try:
        entry = json.loads((folder / f"{key}.json").read_bytes())
        return from_json(entry)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def store(folder: Path, key: str, plan: Plan) -> None:
    data = json.dumps(to_json(plan), separators=(",", ":")).encode()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, folder / f"{key}.json")
        _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the newest entries only: a plan edited on every commit adds one each time."""
    entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
    for path in entries[:-KEEP]:
        with contextlib.suppress(OSError):
            path.unlink()


def parse_cached(folder: Path | None, data: bytes, path: str, is_masterplan: bool) -> Plan:
    """The plan of `data`, from the cache when it was parsed before."""
    from plankeeper.plan import decode, parse_plan

    if folder is None:
        return parse_plan(decode(data), path, is_masterplan=is_masterplan)
    key = key_of(data, path, is_masterplan)
    plan = load(folder, key)
    if plan is None:
        plan = parse_plan(decode(data), path, is_masterplan=is_masterplan)
        store(folder, key, plan)
    return plan
