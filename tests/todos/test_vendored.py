"""Vendored and generated code is never scanned for TODOs, unless the configuration says so."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
TAG = "TO" + "DO"  # built, so that this file's own scan does not read it as ours


@pytest.fixture
def planned(repo: Repo) -> Repo:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    return repo


def listing(repo: Repo) -> tuple[int, str]:
    result = repo.run("todos")
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("src/pip/_vendor/six.py", id="_vendor"),
        pytest.param("vendor/lib.go", id="vendor"),
        pytest.param("web/node_modules/x/index.js", id="node_modules"),
        pytest.param("third_party/lib.c", id="third_party"),
    ],
)
def test_usual_vendor_folders_are_not_scanned(planned: Repo, path: str) -> None:
    planned.write(path, f"// {TAG}: upstream work\n")
    assert listing(planned) == (0, "")


@pytest.mark.parametrize(
    "attribute",
    [
        pytest.param("linguist-vendored", id="vendored"),
        pytest.param("linguist-generated=true", id="generated"),
    ],
)
def test_gitattributes_linguist_marks_are_not_scanned(planned: Repo, attribute: str) -> None:
    planned.write(".gitattributes", f"mypy/typeshed/** {attribute}\n")
    planned.write("mypy/typeshed/stubs.py", f"# {TAG}: upstream stub\n")
    planned.write("mypy/checker.py", f"# {TAG}: ours\n")
    assert listing(planned) == (1, "mypy/checker.py:1: TODO ours -> untracked\n")


def test_staged_check_reads_the_staged_gitattributes(planned: Repo) -> None:
    planned.write(".gitattributes", "gen/** linguist-generated\n")
    planned.write("gen/api.py", f"# {TAG}: generated\n")
    planned.write(PLAN, MINIMAL_PLAN + "- [ ] T003 generate the api\n")
    planned.stage()
    (planned.path / ".gitattributes").unlink()  # only the index has it now
    result = planned.run("check", "todos-tracked")
    assert (result.returncode, result.stdout) == (
        0,
        "plankeeper: 0 errors, 0 warnings, 3 files checked\n",
    )


def test_an_explicit_false_is_no_mark(planned: Repo) -> None:
    planned.write(".gitattributes", "lib/** linguist-vendored=false\n")
    planned.write("lib/own.py", f"# {TAG}: ours\n")
    assert listing(planned) == (1, "lib/own.py:1: TODO ours -> untracked\n")


def test_configuration_turns_vendored_skipping_off(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "todo:\n  vendored: []\n  linguist: false\n")
    planned.write(".gitattributes", "gen/** linguist-generated\n")
    planned.write("gen/api.py", f"# {TAG}: generated\n")
    planned.write("vendor/lib.py", f"# {TAG}: upstream\n")
    assert listing(planned) == (
        1,
        "gen/api.py:1: TODO generated -> untracked\nvendor/lib.py:1: TODO upstream -> untracked\n",
    )


def test_linguist_must_be_a_boolean(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "todo:\n  linguist: maybe\n")
    result = planned.run("todos")
    assert (result.returncode, result.stderr) == (
        2,
        "plankeeper: error: .plankeeper.yaml:2: 'todo.linguist' must be true or false\n",
    )
