"""The real-world corpus: every file loads, and `status` counts tasks as the tools do."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from plankeeper.plans.plan import parse_plan
from plankeeper.text import decode
from tests.conftest import SHARED, Repo, parse_cut

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")

# An independent count: a list item whose text starts with a box that some tool writes.
_TASK = re.compile(r"^(?:\s*>)*\s*(?:[-*+]|\d{1,9}[.)])\s+\[([ xX~/-])\]")
_FENCE = re.compile(r"^(?:\s*>)*\s*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Entry:
    category: str
    repo: str
    path: str

    @property
    def file(self) -> Path:
        name = f"{self.repo}/{self.path}".replace("/", "__")
        return CORPUS / self.category / name


def _manifest() -> list[Entry]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return [Entry(row["category"], row["repo"], row["path"]) for row in rows]


ENTRIES = _manifest()
TASK_FILES = [entry for entry in ENTRIES if entry.category == "tasks"]


def simple_count(text: str) -> tuple[int, int]:
    """(done, total) of boxes outside code fences, by a plain line regex."""
    done = total = 0
    fence: str | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        opening = _FENCE.match(line)
        if opening:
            run = opening.group(1)
            if fence is None:
                fence = run
            elif (
                run[0] == fence[0] and len(run) >= len(fence) and not line[opening.end() :].strip()
            ):
                fence = None
            continue
        match = None if fence else _TASK.match(line)
        if match:
            total += 1
            done += match.group(1) in "xX"
    return done, total


def test_manifest_names_files_that_exist() -> None:
    assert [entry.path for entry in ENTRIES if not entry.file.is_file()] == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.category}:{e.repo}/{e.path}" for e in ENTRIES])
def test_every_corpus_file_loads(entry: Entry) -> None:
    plan = parse_plan(decode(entry.file.read_bytes()), entry.path)
    assert 0 <= plan.done <= plan.total == sum(phase.total for phase in plan.phases)


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.category}:{e.repo}/{e.path}" for e in ENTRIES])
def test_every_corpus_file_parses_cut_into_sections_as_whole(entry: Entry) -> None:
    from plankeeper.plans.cache import to_json

    text = decode(entry.file.read_bytes())
    whole = parse_cut(text, path=entry.path)
    assert to_json(parse_plan(text, entry.path)) == whole
    # Size 0: cut at every line that may start a section, not only at headings.
    assert parse_cut(text, 0, entry.path) == whole


def _status(repo: Repo) -> dict[str, dict[str, Any]]:
    result = repo.run("status", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    return {plan["path"]: plan for plan in json.loads(result.stdout)["plans"]}


@pytest.fixture
def task_repo(repo: Repo) -> Repo:
    """The corpus task files at the paths their own repositories keep them."""
    for entry in TASK_FILES:
        repo.write(entry.path, entry.file.read_bytes())
    return repo


def test_task_files_are_found_by_the_default_globs(task_repo: Repo) -> None:
    assert sorted(_status(task_repo)) == [
        ".kiro/specs/animal-identity-fields/tasks.md",
        ".kiro/specs/project-documentation/tasks.md",
        ".kiro/specs/restore-disabled-apps/tasks.md",
        "openspec/changes/add-global-install-scope/tasks.md",
        "specs/001-speckit-ui-integration/tasks.md",
        "specs/004-events-notifications-system/tasks.md",
        "specs/006-permissions-redesign/tasks.md",
        "specs/011-zero-email-deployment/tasks.md",
        "specs/100-automate-project-and/tasks.md",
        "specs/tool-system-m2b.3/tasks.md",
    ]


def test_task_files_count_their_tasks_as_their_tools_do(task_repo: Repo) -> None:
    status = _status(task_repo)
    counted = {path: (plan["done"], plan["total"]) for path, plan in status.items()}
    expected = {
        entry.path: simple_count(decode(entry.file.read_bytes()))
        for entry in TASK_FILES
        if entry.path in status
    }
    assert counted == expected


def test_task_file_counts_are_sane(task_repo: Repo) -> None:
    for plan in _status(task_repo).values():
        phases_done = sum(phase["done"] for phase in plan["phases"])
        phases_total = sum(phase["total"] for phase in plan["phases"])
        open_tasks = plan["done"] < plan["total"]
        assert (phases_done, phases_total, plan["done"] <= plan["total"]) == (
            plan["done"],
            plan["total"],
            True,
        ), plan["path"]
        assert (plan["next_task"] is not None) == open_tasks, plan["path"]


def test_spec_kit_ids_are_read_through_bold(task_repo: Repo) -> None:
    plan = _status(task_repo)["specs/011-zero-email-deployment/tasks.md"]
    assert plan["next_task"]["id"].startswith("T")


def test_plans_as_masterplans_count_as_the_simple_count(repo: Repo) -> None:
    plans = [entry for entry in ENTRIES if entry.category == "plans"]
    for index, entry in enumerate(plans):
        repo.write(f"docs/plans/P{index:02d}_MASTERPLAN.md", entry.file.read_bytes())
    status = _status(repo)
    paths = [f"docs/plans/P{index:02d}_MASTERPLAN.md" for index in range(len(plans))]
    counted = [(status[path]["done"], status[path]["total"]) for path in paths]
    assert counted == [simple_count(decode(entry.file.read_bytes())) for entry in plans]


def test_plan_structure_runs_over_the_whole_corpus(task_repo: Repo) -> None:
    for index, entry in enumerate(e for e in ENTRIES if e.category == "plans"):
        task_repo.write(f"docs/plans/P{index:02d}_MASTERPLAN.md", entry.file.read_bytes())
    for index, entry in enumerate(e for e in ENTRIES if e.category == "skills"):
        task_repo.write(f"skills/s{index:02d}-resume.md", entry.file.read_bytes())
    result = task_repo.run("check", "plan-structure", "--all-files")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.report.splitlines()[-1].startswith("plankeeper: 0 errors, ")
