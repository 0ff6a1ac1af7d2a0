"""Issue 16's acceptance: a repository with 500 legacy TODOs in 100 files adopts plankeeper."""

from __future__ import annotations

import pytest

from tests.conftest import Repo

TAG = "TO" + "DO"  # built, so that the scan of this file does not read it as ours
MODULES = 90  # src/pkg*/mod*.py, ours: 450 legacy TODOs
VENDORED = 10  # src/lib/_vendor/dep*.py: 50 more, never scanned
FIRST = "src/pkg0/mod0.py"


def module(number: int) -> str:
    """Five functions, each with a legacy TODO on its second line (lines 2, 5, 8, 11, 14)."""
    return "".join(
        f"def f{item}():\n    # {TAG}: legacy item {item} of module {number}\n    return {item}\n"
        for item in range(5)
    )


def lines_of(repo: Repo, path: str) -> list[str]:
    return repo.read(path).decode().splitlines(keepends=True)


@pytest.fixture(scope="module")
def adopted_template(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """init, baseline, commit: built once, copied for each scenario."""
    import os

    from tests.conftest import git_environment

    path = tmp_path_factory.mktemp("legacy") / "repo"
    path.mkdir()
    repo = Repo(path)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(git_environment())
    try:
        repo.git("init", "-q", "-b", "main")
        for number in range(MODULES):
            repo.write(f"src/pkg{number % 9}/mod{number}.py", module(number))
        for number in range(VENDORED):
            repo.write(f"src/lib/_vendor/dep{number}.py", module(1000 + number))
        repo.commit("legacy code")
        assert repo.run("init").returncode == 0
        result = repo.run("baseline")
        assert (result.returncode, result.stdout.splitlines()[-2]) == (
            0,
            "plankeeper: recorded 450 TODOs in .plankeeper-baseline",
        )
        repo.commit("adopt plankeeper")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return repo


@pytest.fixture
def adopted(adopted_template: Repo, repo: Repo) -> Repo:
    """A fresh clone of the adopted repository, with the `repo` fixture's environment."""
    repo.git("fetch", "-q", str(adopted_template.path), "main")
    repo.git("reset", "-q", "--hard", "FETCH_HEAD")
    return repo


def check_todos(repo: Repo) -> tuple[int, str]:
    repo.stage()
    result = repo.run("check", "todos-tracked")
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout


def test_adopted_repository_is_green(adopted: Repo) -> None:
    whole = adopted.run("check", "--all-files")
    verify = adopted.run("verify")
    assert (whole.returncode, whole.stdout.splitlines()[-1], verify.returncode) == (
        0,
        f"plankeeper: 0 errors, 0 warnings, {MODULES + VENDORED + 5} files checked",
        0,
    )


def test_one_new_todo_in_a_legacy_file_is_one_pk201(adopted: Repo) -> None:
    adopted.write(FIRST, adopted.read(FIRST).decode() + f"# {TAG}: brand new work\n")
    assert check_todos(adopted) == (
        1,
        f"{FIRST}:16:3: PK201 {TAG} is not tracked by any open task: brand new work "
        "[todos-tracked]\nplankeeper: 1 error, 0 warnings, 1 file checked\n",
    )


def test_a_legacy_todo_moved_ten_lines_down_is_nothing(adopted: Repo) -> None:
    lines = lines_of(adopted, FIRST)
    moved = lines.pop(1)
    lines.insert(11, moved)
    adopted.write(FIRST, "".join(lines))
    assert check_todos(adopted) == (0, "plankeeper: 0 errors, 0 warnings, 1 file checked\n")


def test_a_legacy_todo_with_changed_text_is_one_pk201(adopted: Repo) -> None:
    lines = lines_of(adopted, FIRST)
    lines[1] = f"    # {TAG}: legacy item 0 of module 0, now reworded\n"
    adopted.write(FIRST, "".join(lines))
    code, out = check_todos(adopted)
    assert (code, [line for line in out.splitlines() if "PK201" in line]) == (
        1,
        [
            f"{FIRST}:2:7: PK201 {TAG} is not tracked by any open task: legacy item 0 of "
            "module 0, now reworded [todos-tracked]"
        ],
    )


def test_a_deleted_legacy_todo_is_a_stale_warning(adopted: Repo) -> None:
    lines = lines_of(adopted, FIRST)
    del lines[1]
    adopted.write(FIRST, "".join(lines))
    code, out = check_todos(adopted)
    assert (code, out.splitlines()[-1], out.count(" PK204 ")) == (
        0,
        "plankeeper: 0 errors, 1 warning, 1 file checked",
        1,
    )


def test_two_branches_that_add_baseline_entries_merge_without_conflict(adopted: Repo) -> None:
    # Both new entries sort to the same place: without merge=union, a conflict.
    adopted.git("checkout", "-q", "-b", "alpha")
    adopted.write(FIRST, f"# {TAG}: new work alpha\n" + adopted.read(FIRST).decode())
    assert adopted.run("baseline").returncode == 0
    adopted.commit("alpha")
    adopted.git("checkout", "-q", "-b", "beta", "main")
    adopted.write(FIRST, adopted.read(FIRST).decode() + f"# {TAG}: new work beta\n")
    assert adopted.run("baseline").returncode == 0
    adopted.commit("beta")
    adopted.git("merge", "-q", "--no-edit", "alpha")
    baseline = adopted.read(".plankeeper-baseline").decode()
    whole = adopted.run("check", "--all-files", "todos-tracked")
    assert ("new work alpha" in baseline, "new work beta" in baseline, whole.returncode) == (
        True,
        True,
        0,
    )
