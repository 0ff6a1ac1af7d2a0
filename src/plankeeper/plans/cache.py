"""Parsed plans kept in the git folder, keyed by their content: an unchanged plan is not
parsed again (most commits carry TODOs to track but leave the plan as it is), and of a
changed one only the sections that changed are (see `plan.split_sections`).

The cache is JSON, never pickle; any entry that cannot be read is parsed afresh, and a
folder that cannot be written (a read-only checkout) only means no caching.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from plankeeper import __version__
from plankeeper.plans.plan import Heading, Plan, Task

# Part of every key: a new plankeeper, or a new layout of entries, never reads old ones.
FORMAT = f"{__version__}/2"
KEEP = 64


def key_of(data: bytes, path: str, is_masterplan: bool) -> str:
    # A file name that is not UTF-8 holds surrogates (see git/process.py): keyed by its bytes.
    digest = hashlib.sha256(
        f"{FORMAT}\0{path}\0{is_masterplan}\0".encode("utf-8", "surrogateescape")
    )
    digest.update(data)
    return digest.hexdigest()


def section_to_json(headings: Iterable[Heading], tasks: list[Task]) -> list[Any]:
    """A section's headings and tasks; a task's parent is the index of a task before it."""
    index = {id(task): number for number, task in enumerate(tasks)}
    return [
        [[h.level, h.text, h.line] for h in headings],
        [
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
            ]
            for task in tasks
        ],
    ]


def section_from_json(data: list[Any]) -> tuple[list[Heading], list[Task]]:
    raw_headings, raw_tasks = data
    tasks: list[Task] = []
    for line, column, box, text, ident, optional, depth, malformed, parent in raw_tasks:
        task = Task(line, column, box, text, ident, optional, depth, malformed)
        if parent is not None:
            if not 0 <= parent < len(tasks):
                raise IndexError(parent)
            task.parent = tasks[parent]
            tasks[parent].children.append(task)
        tasks.append(task)
    return [Heading(level, text, line) for level, text, line in raw_headings], tasks


def to_json(plan: Plan) -> dict[str, Any]:
    """An entry of a whole plan as one section (what `parse_cached` stores has several)."""
    return {
        "path": plan.path,
        "line_count": plan.line_count,
        "is_masterplan": plan.is_masterplan,
        "sections": [[1, "", *section_to_json(plan.headings, plan.tasks)]],
    }


def from_json(entry: dict[str, Any]) -> Plan:
    from plankeeper.plans.plan import assemble

    parts = [(first, *section_from_json(data)) for first, _, *data in entry["sections"]]
    return assemble(entry["path"], parts, entry["line_count"], entry["is_masterplan"])


# What a cache entry that is not what plankeeper wrote raises when read.
_BROKEN = (OSError, ValueError, KeyError, TypeError, IndexError)


def load(folder: Path, key: str) -> Plan | None:
    try:
        return from_json(json.loads((folder / f"{key}.json").read_bytes()))
    except _BROKEN:
        return None


def store(folder: Path, key: str, entry: dict[str, Any]) -> None:
    data = json.dumps(entry, separators=(",", ":")).encode()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"{key}.json", data)
        _prune(folder)


def _write(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _prune(folder: Path) -> None:
    """Keep the newest entries only: a plan edited on every commit adds one each time."""
    entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
    for path in entries[:-KEEP]:
        with contextlib.suppress(OSError):
            path.unlink()


def _last_of(folder: Path, path: str) -> Path:
    """Where the key of the plan last parsed at `path` is kept."""
    digest = hashlib.sha256(f"{FORMAT}\0{path}".encode("utf-8", "surrogateescape"))
    return folder / f"last-{digest.hexdigest()[:32]}"


def _known_sections(folder: Path, path: str) -> dict[str, list[Any]]:
    """The sections of the plan last parsed at `path`, by digest: its edit is rarely large.

    They are read, not checked: a section that does not load fails the new plan's load,
    which then parses everything (parse_cached).
    """
    try:
        key = _last_of(folder, path).read_text(encoding="ascii").strip()
        if len(key) != 64 or not key.isalnum():
            return {}
        sections = json.loads((folder / f"{key}.json").read_bytes())["sections"]
        return {digest: data for _, digest, *data in sections if digest}
    except _BROKEN:
        return {}


def _entry(
    text: str, path: str, is_masterplan: bool, known: dict[str, list[Any]]
) -> dict[str, Any]:
    """The cache entry of a normalized plan text, its sections parsed unless `known`."""
    from plankeeper.plans.plan import parse_section
    from plankeeper.plans.sections import split_sections

    sections = []
    for first, section in split_sections(text):
        digest = hashlib.sha256(section.encode("utf-8", "surrogatepass")).hexdigest()
        parsed = known.get(digest)
        if parsed is None:
            parsed = section_to_json(*parse_section(section))
        sections.append([first, digest, *parsed])
    return {
        "path": path,
        "line_count": text.count("\n") + 1,
        "is_masterplan": is_masterplan,
        "sections": sections,
    }


def parse_cached(folder: Path | None, data: bytes, path: str, is_masterplan: bool) -> Plan:
    """The plan of `data`, from the cache when it was parsed before."""
    from plankeeper.plans.markdown import normalize_newlines
    from plankeeper.plans.plan import parse_plan
    from plankeeper.text import decode

    if folder is None:
        return parse_plan(decode(data), path, is_masterplan=is_masterplan)
    key = key_of(data, path, is_masterplan)
    plan = load(folder, key)
    if plan is not None:
        return plan
    text = normalize_newlines(decode(data))
    entry = _entry(text, path, is_masterplan, _known_sections(folder, path))
    try:
        plan = from_json(entry)
    except _BROKEN:
        # A reused section that is not what plankeeper wrote: parse them all.
        entry = _entry(text, path, is_masterplan, {})
        plan = from_json(entry)
    store(folder, key, entry)
    with contextlib.suppress(OSError):
        _write(_last_of(folder, path), key.encode())
    return plan
