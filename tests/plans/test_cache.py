"""The cache of parsed plans: the same model as a fresh parse, and never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankeeper.plans.cache import from_json, key_of, load, parse_cached, store, to_json
from plankeeper.plans.plan import Plan, parse_plan
from plankeeper.text import decode
from tests.conftest import MINIMAL_PLAN, SHARED, Repo

CORPUS = SHARED / "corpus"


def shape(plan: Plan) -> object:
    """Everything the model says, with links as indexes, to compare two models."""
    index = {id(task): number for number, task in enumerate(plan.tasks)}
    next_task = plan.next_task()
    current = plan.current_phase()
    return (
        plan.path,
        plan.line_count,
        plan.is_masterplan,
        [(h.level, h.text, h.line) for h in plan.headings],
        [(p.title, p.line, p.level, [index[id(t)] for t in p.tasks]) for p in plan.phases],
        [
            (
                t.line,
                t.column,
                t.box,
                t.text,
                t.id,
                t.optional,
                t.depth,
                t.malformed,
                index[id(t.parent)] if t.parent else None,
                [index[id(c)] for c in t.children],
            )
            for t in plan.tasks
        ],
        current.title if current else None,
        next_task.label() if next_task else None,
    )


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (a user's clone)")
    return sorted(path for path in CORPUS.rglob("*.md") if path.is_file())


def test_a_cached_plan_is_the_same_model_as_a_fresh_parse_for_every_corpus_file() -> None:
    files = corpus_files()
    assert files
    for path in files:
        plan = parse_plan(decode(path.read_bytes()), path.name)
        assert shape(from_json(to_json(plan))) == shape(plan), path


def test_second_parse_comes_from_the_cache(tmp_path: Path) -> None:
    data = MINIMAL_PLAN.encode()
    first = parse_cached(tmp_path, data, "docs/plans/X_MASTERPLAN.md", True)
    entries = list(tmp_path.glob("*.json"))
    assert len(entries) == 1
    second = parse_cached(tmp_path, data, "docs/plans/X_MASTERPLAN.md", True)
    assert shape(second) == shape(first)
    assert second is not first


def test_key_depends_on_content_path_and_kind() -> None:
    data = MINIMAL_PLAN.encode()
    keys = {
        key_of(data, "a.md", True),
        key_of(data + b"\n", "a.md", True),
        key_of(data, "b.md", True),
        key_of(data, "a.md", False),
    }
    assert len(keys) == 4


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"not json", id="not-json"),
        pytest.param(b'{"tasks": 3}', id="wrong-shape"),
        pytest.param(b'{"path": "a", "tasks": [[1]], "phases": [], "headings": []}', id="short"),
    ],
)
def test_a_broken_entry_is_parsed_afresh(tmp_path: Path, content: bytes) -> None:
    data = MINIMAL_PLAN.encode()
    key = key_of(data, "p.md", True)
    (tmp_path / f"{key}.json").write_bytes(content)
    assert load(tmp_path, key) is None
    plan = parse_cached(tmp_path, data, "p.md", True)
    assert shape(plan) == shape(parse_plan(MINIMAL_PLAN, "p.md"))


def test_an_unwritable_cache_folder_only_means_no_caching(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    store(blocker / "plans", "k", to_json(parse_plan(MINIMAL_PLAN, "p.md")))
    plan = parse_cached(blocker / "plans", MINIMAL_PLAN.encode(), "p.md", True)
    assert plan.total == 2


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    from plankeeper.plans import cache as plan_cache

    plan = parse_plan(MINIMAL_PLAN, "p.md")
    for number in range(plan_cache.KEEP + 5):
        store(tmp_path, f"key{number:03d}", to_json(plan))
    assert len(list(tmp_path.glob("*.json"))) == plan_cache.KEEP


def test_status_twice_uses_the_cache_in_the_git_folder(repo: Repo) -> None:
    repo.write("docs/plans/DEMO_MASTERPLAN.md", MINIMAL_PLAN)
    repo.commit("plan")
    first = repo.run("next")
    cache = repo.path / ".git" / "plankeeper" / "plans"
    assert len(list(cache.glob("*.json"))) == 1
    second = repo.run("next")
    assert (
        first.stdout == second.stdout == ("docs/plans/DEMO_MASTERPLAN.md:10: [T001] first task\n")
    )


# -- a changed plan: only its changed sections are parsed -------------------------------------

PLAN_V1 = (
    "# Plan\n\n## Phase 1: one\n\n- [ ] T1 first\n  - [x] T2 nested\n\n"
    "## Phase 2: two\n\n- [ ] T3 third\n"
)
PLAN_V2 = PLAN_V1.replace("- [ ] T3 third", "- [x] T3 third\n- [ ] T4 fourth")


def _plant(folder: Path, old: str, new: str) -> None:
    """Change what the cache holds for a section, as only a reused section would show."""
    for entry in folder.glob("*.json"):
        entry.write_text(entry.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_changed_plan_reuses_the_sections_that_did_not_change(tmp_path: Path) -> None:
    parse_cached(tmp_path, PLAN_V1.encode(), "p.md", True)
    _plant(tmp_path, '"first"', '"first, as cached"')
    plan = parse_cached(tmp_path, PLAN_V2.encode(), "p.md", True)
    assert [task.text for task in plan.tasks] == ["first, as cached", "nested", "third", "fourth"]


def test_a_changed_plan_is_the_model_of_a_fresh_parse(tmp_path: Path) -> None:
    parse_cached(tmp_path, PLAN_V1.encode(), "p.md", True)
    plan = parse_cached(tmp_path, PLAN_V2.encode(), "p.md", True)
    assert shape(plan) == shape(parse_plan(PLAN_V2, "p.md"))


def test_sections_of_another_path_are_not_reused(tmp_path: Path) -> None:
    parse_cached(tmp_path, PLAN_V1.encode(), "a.md", True)
    _plant(tmp_path, '"first"', '"first, as cached"')
    plan = parse_cached(tmp_path, PLAN_V2.encode(), "b.md", True)
    assert plan.tasks[0].text == "first"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param("pointer", id="pointer-names-nothing"),
        pytest.param("entry", id="last-entry-broken"),
    ],
)
def test_a_broken_last_entry_means_a_whole_parse(tmp_path: Path, damage: str) -> None:
    parse_cached(tmp_path, PLAN_V1.encode(), "p.md", True)
    if damage == "pointer":
        for pointer in tmp_path.glob("last-*"):
            pointer.write_text("../../etc/passwd", encoding="ascii")
    else:
        for entry in tmp_path.glob("*.json"):
            entry.write_text('{"sections": [[1, "x", [], [[1]]]]}', encoding="utf-8")
    plan = parse_cached(tmp_path, PLAN_V2.encode(), "p.md", True)
    assert shape(plan) == shape(parse_plan(PLAN_V2, "p.md"))


def test_a_broken_section_of_the_last_entry_means_a_whole_parse(tmp_path: Path) -> None:
    parse_cached(tmp_path, PLAN_V1.encode(), "p.md", True)
    # The first task's row, shortened: reused as it is, it could not be loaded.
    _plant(tmp_path, ',"first",', "]],[[1,")
    plan = parse_cached(tmp_path, PLAN_V2.encode(), "p.md", True)
    assert shape(plan) == shape(parse_plan(PLAN_V2, "p.md"))
