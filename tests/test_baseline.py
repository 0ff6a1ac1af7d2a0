"""The TODO baseline: `plankeeper baseline`, matching by content, stale entries, merging."""

from __future__ import annotations

import pytest

from plankeeper.baseline import Baseline, Entry, Key, build, format_entries, parse
from plankeeper.errors import PlankeeperError
from plankeeper.todos.scan import Todo, scan
from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
TAGS = ("TODO", "FIXME", "XXX", "HACK")


def todos(source: str, path: str = "src/a.py") -> list[Todo]:
    return scan(path, source.encode(), TAGS)


# -- the model ----------------------------------------------------------------------------


def test_entries_are_keyed_by_content_with_a_count_for_repeats() -> None:
    found = todos("# TODO: Fix the parser!\nx = 1\n# TODO: fix the parser\n# FIXME(PEP612): odd\n")
    assert build(found) == [
        Entry(Key("src/a.py", "FIXME", "pep612 odd"), 1),
        Entry(Key("src/a.py", "TODO", "fix the parser"), 2),
    ]


def test_file_round_trips_and_escapes_paths() -> None:
    entries = build(todos("# TODO: x\n", "odd\tname\\dir/a.py") + todos("# HACK y\n"))
    data = format_entries(entries)
    assert data.decode().splitlines()[3:] == [
        "odd\\tname\\\\dir/a.py\tTODO\t1\tx",
        "src/a.py\tHACK\t1\ty",
    ]
    assert [entry[:2] for entry in parse(data, "b")] == [entry[:2] for entry in entries]


def test_a_key_listed_twice_after_a_union_merge_keeps_the_larger_count() -> None:
    data = b"src/a.py\tTODO\t2\tx\nsrc/a.py\tTODO\t3\tx\n"
    assert parse(data, "b") == [Entry(Key("src/a.py", "TODO", "x"), 3, 1)]


def test_a_broken_line_names_the_file_line_and_fix() -> None:
    with pytest.raises(PlankeeperError) as error:
        parse(b"# header\nnot an entry\n", ".plankeeper-baseline")
    assert str(error.value) == (
        ".plankeeper-baseline:2: not a baseline entry (path, tag, count, text separated by "
        "tabs): run `plankeeper baseline` to write the file again"
    )


def test_each_entry_absorbs_as_many_todos_as_it_counts() -> None:
    first, second, third = todos("# TODO: x\n# TODO: x\n# TODO: x\n")
    baseline = Baseline([Entry(Key("src/a.py", "TODO", "x"), 2, 4)])
    assert [baseline.absorbs(todo) for todo in (first, second, third)] == [True, True, False]
    assert baseline.stale() == []


def test_an_entry_not_matched_in_full_is_stale_by_what_is_left() -> None:
    baseline = Baseline([Entry(Key("src/a.py", "TODO", "x"), 3, 4)])
    baseline.absorbs(todos("# TODO: x\n")[0])
    assert baseline.stale(["src/a.py"]) == [(Entry(Key("src/a.py", "TODO", "x"), 3, 4), 2)]
    assert baseline.stale(["src/b.py"]) == []


# -- the command and the check ------------------------------------------------------------


@pytest.fixture
def legacy(repo: Repo) -> Repo:
    """A repository with a plan, legacy TODOs in two folders, and a committed baseline."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "# TODO: fix the parser\nx = 1\n# TODO: fix the parser\n")
    repo.write("src/pkg/b.py", "def f():\n    pass  # FIXME(PEP612): odd\n")
    result = repo.run("baseline")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "src/: 2 TODOs\nsrc/pkg/: 1 TODO\n"
        "plankeeper: recorded 3 TODOs in .plankeeper-baseline\n"
        "plankeeper: .gitattributes: .plankeeper-baseline merges with merge=union, so that "
        "branches that add entries merge without a conflict\n",
        "",
    )
    repo.commit("adopt")
    return repo


def test_baseline_writes_sorted_entries_and_a_union_merge_attribute(legacy: Repo) -> None:
    assert legacy.read(".plankeeper-baseline").decode().splitlines()[3:] == [
        "src/a.py\tTODO\t2\tfix the parser",
        "src/pkg/b.py\tFIXME\t1\tpep612 odd",
    ]
    assert legacy.read(".gitattributes") == b"/.plankeeper-baseline merge=union\n"


def test_baseline_keeps_the_users_gitattributes_lines(repo: Repo) -> None:
    repo.write(".gitattributes", "*.png binary\r\n*.sh text eol=lf")
    repo.run("baseline")
    assert repo.read(".gitattributes") == (
        b"*.png binary\r\n*.sh text eol=lf\r\n/.plankeeper-baseline merge=union\r\n"
    )
    repo.run("baseline")  # git already merges it so: nothing more
    assert repo.read(".gitattributes").count(b"merge=union") == 1


def test_baselined_todos_are_no_findings(legacy: Repo) -> None:
    result = legacy.run("check", "--all-files", "todos-tracked")
    assert (result.returncode, result.stdout) == (
        0,
        "plankeeper: 0 errors, 0 warnings, 5 files checked\n",
    )


def test_todos_lists_baselined_todos_and_passes(legacy: Repo) -> None:
    result = legacy.run("todos")
    assert (result.returncode, result.stdout) == (
        0,
        "src/a.py:1: TODO fix the parser -> baseline\n"
        "src/a.py:3: TODO fix the parser -> baseline\n"
        "src/pkg/b.py:2: FIXME odd -> baseline\n",
    )


def test_a_third_repeat_is_new(legacy: Repo) -> None:
    legacy.write(
        "src/a.py", "# TODO: fix the parser\n# TODO: fix the parser\n# TODO: fix the parser\n"
    )
    legacy.stage()
    result = legacy.run("check", "todos-tracked")
    assert (result.returncode, result.stdout) == (
        1,
        "src/a.py:3:3: PK201 TODO is not tracked by any open task: fix the parser "
        "[todos-tracked]\nplankeeper: 1 error, 0 warnings, 1 file checked\n",
    )


def test_a_gone_todo_is_a_stale_warning_in_the_commit_that_removes_it(legacy: Repo) -> None:
    legacy.write("src/pkg/b.py", "def f():\n    pass\n")
    legacy.stage()
    result = legacy.run("check", "todos-tracked")
    assert (result.returncode, result.stdout) == (
        0,
        ".plankeeper-baseline:5: PK204 baseline entry 'FIXME pep612 odd' of src/pkg/b.py: it is "
        "gone; run `plankeeper baseline` again to drop it [todos-tracked]\n"
        "plankeeper: 0 errors, 1 warning, 1 file checked\n",
    )


def test_running_baseline_again_drops_gone_entries(legacy: Repo) -> None:
    (legacy.path / "src/pkg/b.py").unlink()
    result = legacy.run("baseline")
    assert result.stdout.splitlines()[-1] == (
        "plankeeper: recorded 2 TODOs in .plankeeper-baseline (before: 3)"
    )
    assert legacy.run("check", "--all-files", "todos-tracked").returncode == 0


def test_status_shows_the_baseline_todos_left(legacy: Repo) -> None:
    result = legacy.run("status")
    assert result.stdout.endswith("\n\nBaseline: 3 known TODOs left in .plankeeper-baseline\n")


def test_the_baseline_file_is_not_code(legacy: Repo) -> None:
    legacy.write(
        ".plankeeper-baseline", legacy.read(".plankeeper-baseline") + b"x.py\tTODO\t1\ty\n"
    )
    legacy.stage()
    result = legacy.run("check", "plan-updated", "handoff-matches")
    assert (result.returncode, result.stdout) == (
        0,
        "plankeeper: 0 errors, 0 warnings, 1 file checked\n",
    )


def test_configured_baseline_path_is_used(repo: Repo) -> None:
    repo.write(".plankeeper.yaml", "todo:\n  baseline: ci/todo-baseline.txt\n")
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "# TODO: later\n")
    assert repo.run("baseline").returncode == 0
    assert repo.read("ci/todo-baseline.txt").endswith(b"src/a.py\tTODO\t1\tlater\n")
    assert repo.run("check", "--all-files", "todos-tracked").returncode == 0


def test_fix_with_more_than_fifty_todos_points_to_baseline(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "".join(f"# TODO: legacy item {n}\n" for n in range(51)))
    result = repo.run("todos", "--fix")
    assert (result.returncode, result.stderr, repo.read(PLAN).decode()) == (
        2,
        "plankeeper: error: 51 untracked TODOs would become 51 tasks: record them with "
        "`plankeeper baseline` instead, or pass --yes to add the tasks\n",
        MINIMAL_PLAN,
    )
    assert repo.run("todos", "--fix", "--yes").returncode == 1
    assert repo.read(PLAN).decode().count("- [ ] legacy item") == 51
