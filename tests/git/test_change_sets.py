"""Change sets for every mode, built from real repositories."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from plankeeper import changes
from plankeeper.errors import GitError
from plankeeper.git.repository import Repository
from plankeeper.git.states import EMPTY, INDEX, WORKTREE, commit_state
from tests.conftest import Repo


def test_staged_before_the_first_commit_compares_with_nothing(repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.stage("a.py")
    change_set = changes.staged(Repository())
    assert change_set.old == EMPTY
    assert change_set.new == INDEX
    assert change_set.changed == ("a.py",)


def test_staged_lists_only_the_index_not_the_working_tree(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    repo.write("b.py", "1\n")
    head = repo.commit("first")
    repo.write("a.py", "2\n")
    repo.write("b.py", "2\n")
    repo.stage("a.py")
    change_set = changes.staged(Repository())
    assert change_set.old == commit_state(head)
    assert change_set.changed == ("a.py",)


def test_staged_rename_counts_as_its_new_path(repo: Repo) -> None:
    repo.write("old_name.py", "content that is long enough to be detected as a rename\n" * 5)
    repo.commit("first")
    repo.git("mv", "old_name.py", "new_name.py")
    change_set = changes.staged(Repository())
    assert change_set.changed == ("new_name.py",)
    assert change_set.deleted == frozenset()


def test_staged_deletion_counts(repo: Repo) -> None:
    repo.write("gone.py", "1\n")
    repo.commit("first")
    repo.git("rm", "-q", "gone.py")
    change_set = changes.staged(Repository())
    assert change_set.changed == ("gone.py",)
    assert change_set.deleted == frozenset({"gone.py"})


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("with space.py", id="space"),
        pytest.param("quote\"and'apostrophe.py", id="quotes"),
        pytest.param("new\nline.py", id="newline"),
        pytest.param("ünïcødé/файл.py", id="non-ascii"),
        pytest.param("-leading-dash.py", id="leading-dash"),
        pytest.param("tab\there.py", id="tab"),
    ],
)
def test_odd_file_names_survive(repo: Repo, name: str) -> None:
    repo.write("keep.txt", "1\n")
    repo.commit("first")
    repo.write(name, "print(1)\n")
    repo.git("add", "--", name)
    repository = Repository()
    change_set = changes.staged(repository)
    assert change_set.changed == (name,)
    assert repository.read(INDEX, name) == b"print(1)\n"
    assert name in repository.worktree_files()


def test_range_uses_the_merge_base(repo: Repo) -> None:
    repo.write("base.py", "1\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.py", "1\n")
    feature = repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.write("main_only.py", "1\n")
    repo.commit("main moved on")
    repo.git("checkout", "-q", "feature")
    change_set = changes.revision_range(Repository(), "main")
    assert change_set.changed == ("feature.py",)
    assert change_set.new == commit_state(feature)
    assert change_set.commits == (feature,)


def test_range_with_explicit_head(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    first = repo.commit("first")
    repo.write("b.py", "1\n")
    second = repo.commit("second")
    repo.write("c.py", "1\n")
    repo.commit("third")
    change_set = changes.revision_range(Repository(), first, second)
    assert change_set.changed == ("b.py",)


def test_range_rename_and_delete(repo: Repo) -> None:
    repo.write("moved.py", "a line that makes this file big enough for rename detection\n" * 5)
    repo.write("deleted.py", "1\n")
    base = repo.commit("first")
    (repo.path / "pkg").mkdir()
    repo.git("mv", "moved.py", "pkg/moved.py")
    repo.git("rm", "-q", "deleted.py")
    repo.commit("second")
    change_set = changes.revision_range(Repository(), base)
    assert change_set.changed == ("deleted.py", "pkg/moved.py")
    assert change_set.deleted == frozenset({"deleted.py"})


def test_unknown_revision_is_a_git_error(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    repo.commit("first")
    with pytest.raises(GitError, match="--base: unknown revision 'nope'"):
        changes.revision_range(Repository(), "nope")


def test_verify_includes_staged_unstaged_and_untracked_but_not_ignored(repo: Repo) -> None:
    repo.write(".gitignore", "*.log\n")
    repo.write("tracked.py", "1\n")
    repo.write("staged.py", "1\n")
    repo.commit("first")
    repo.write("tracked.py", "2\n")
    repo.write("staged.py", "2\n")
    repo.stage("staged.py")
    repo.write("untracked.py", "1\n")
    repo.write("debug.log", "noise\n")
    change_set = changes.verify(Repository(), "HEAD")
    assert change_set.new == WORKTREE
    assert change_set.changed == ("staged.py", "tracked.py", "untracked.py")


def test_verify_finds_the_default_branch(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    repo.commit("first")
    repo.git("checkout", "-q", "-b", "work")
    repo.write("b.py", "1\n")
    repo.commit("on the branch")
    repo.write("c.py", "1\n")
    change_set = changes.verify(Repository())
    assert change_set.changed == ("b.py", "c.py")


def test_verify_in_a_repository_without_commits_lists_every_file(repo: Repo) -> None:
    repo.write("a.py", "1\n")
    change_set = changes.verify(Repository())
    assert change_set.old == EMPTY
    assert change_set.changed == ("a.py",)


def test_whole_tree_lists_tracked_and_untracked_files_not_ignored_or_deleted(repo: Repo) -> None:
    repo.write(".gitignore", "build/\n")
    repo.write("a.py", "1\n")
    repo.write("gone.py", "1\n")
    repo.commit("first")
    (repo.path / "gone.py").unlink()
    repo.write("new.py", "1\n")
    repo.write("build/out.py", "1\n")
    change_set = changes.whole_tree(Repository())
    assert change_set.old is None
    assert change_set.changed == (".gitignore", "a.py", "new.py")


def test_repository_is_found_from_a_subdirectory(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("deep/er/file.py", "1\n")
    monkeypatch.chdir(repo.path / "deep" / "er")
    assert Repository().root == repo.path.resolve()


def test_read_many_reads_each_state(repo: Repo) -> None:
    repo.write("a.py", "old\n")
    head = repo.commit("first")
    repo.write("a.py", "staged\n")
    repo.stage("a.py")
    repo.write("a.py", "worktree\n")
    repository = Repository()
    assert repository.read(commit_state(head), "a.py") == b"old\n"
    assert repository.read(INDEX, "a.py") == b"staged\n"
    assert repository.read(WORKTREE, "a.py") == b"worktree\n"
    assert repository.read(EMPTY, "a.py") is None
    assert repository.read(commit_state(head), "missing.py") is None


def test_shallow_clone_with_missing_base_names_fetch_depth(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.py", "1\n")
    first = repo.commit("first")
    repo.write("b.py", "1\n")
    repo.commit("second")
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    result = repo.run("check", "--base", first, cwd=clone)
    assert result.returncode == 2
    assert result.stderr == (
        f"plankeeper: error: --base: {first} is not in this shallow clone; fetch it first, "
        "e.g. with actions/checkout's fetch-depth: 0 or `git fetch --unshallow`\n"
    )


def test_commit_all_uses_the_temporary_index(repo: Repo, tmp_path: Path) -> None:
    """`git commit -a` runs hooks with GIT_INDEX_FILE set to a temporary index."""
    repo.write("a.py", "1\n")
    repo.write("b.py", "1\n")
    repo.commit("first")
    repo.write("a.py", "2\n")
    report = tmp_path / "report.json"
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f"#!/bin/sh\nexec {sys.executable} -m plankeeper check plan-updated --format json "
        f"--output {report} --mode annotate\n",
        encoding="utf-8",
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    environ = {key: value for key, value in os.environ.items() if key != "GIT_INDEX_FILE"}
    import subprocess

    subprocess.run(
        ["git", "commit", "-q", "-a", "-m", "second"], cwd=repo.path, env=environ, check=True
    )
    import json

    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["files_checked"] == 1
    assert [item["code"] for item in data["findings"]] == ["PK101"]
    assert data["findings"][0]["message"] == (
        "1 code file(s) changed but this repository has no plan: run `plankeeper init`"
    )


# -- the hook's early starts: the staged diff beside rev-parse, the listing, reads by id ----


def _mixed_staged_change(repo: Repo) -> None:
    repo.write("kept.py", "1\n")
    repo.write("gone.py", "1\n")
    repo.write("moved_from.py", "content that is long enough to be detected as a rename\n" * 5)
    repo.commit("first")
    repo.write("kept.py", "2\n")
    repo.write("added.py", "new\n")
    repo.git("rm", "-q", "gone.py")
    repo.git("mv", "moved_from.py", "moved_to.py")
    repo.stage("kept.py", "added.py")


def test_staged_diff_started_at_open_equals_the_one_asked_later(repo: Repo) -> None:
    _mixed_staged_change(repo)
    early = changes.staged(Repository(staged=True))
    assert early == changes.staged(Repository())
    assert early.changed == ("added.py", "gone.py", "kept.py", "moved_to.py")
    assert early.deleted == frozenset({"gone.py"})


def test_staged_diff_started_at_open_before_the_first_commit(repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.stage("a.py")
    change_set = changes.staged(Repository(staged=True))
    assert (change_set.old, change_set.changed) == (EMPTY, ("a.py",))


def test_staged_diff_from_a_subfolder_lists_the_whole_repository(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `diff.relative` would limit a diff run in a subfolder to that folder.
    repo.git("config", "diff.relative", "true")
    repo.write("top.py", "1\n")
    repo.write("sub/inner.py", "1\n")
    repo.stage("top.py", "sub/inner.py")
    monkeypatch.chdir(repo.path / "sub")
    assert changes.staged(Repository(staged=True)).changed == ("sub/inner.py", "top.py")


def test_contents_named_by_the_diff_are_those_of_each_state(repo: Repo) -> None:
    _mixed_staged_change(repo)
    repository = Repository(staged=True)
    change_set = changes.staged(repository)
    assert change_set.old is not None
    repo.write("kept.py", "3 in the working tree only\n")
    new = repository.read_many(INDEX, ["kept.py", "added.py", "gone.py", "moved_to.py"])
    assert (new["kept.py"], new["added.py"], "gone.py" in new) == (b"2\n", b"new\n", False)
    old = repository.read_many(change_set.old, ["kept.py", "gone.py", "moved_from.py"])
    assert (old["kept.py"], old["gone.py"]) == (b"1\n", b"1\n")
    assert old["moved_from.py"] == new["moved_to.py"]


def test_a_listing_started_early_is_the_listing(repo: Repo) -> None:
    from plankeeper.globs import Glob

    repo.write("docs/plans/A_MASTERPLAN.md", "# A\n")
    repo.write("docs/plans/notes.md", "x\n")
    repo.write("skills/a-resume.md", "x\n")
    repo.stage("docs/plans/A_MASTERPLAN.md", "docs/plans/notes.md", "skills/a-resume.md")
    globs = [Glob("docs/plans/*MASTERPLAN*.md"), Glob("skills/*-resume.md")]
    repository = Repository(staged=True)
    repository.start_listing(INDEX, globs)
    assert repository.files(INDEX, globs) == Repository().files(INDEX, globs)
    assert repository.files(INDEX, globs) == ["docs/plans/A_MASTERPLAN.md", "skills/a-resume.md"]


@pytest.mark.parametrize(
    ("count", "size"),
    [
        pytest.param(400, 10, id="request-larger-than-a-pipe"),
        pytest.param(3, 300_000, id="answer-larger-than-a-pipe"),
    ],
)
def test_one_read_of_many_or_large_files(repo: Repo, count: int, size: int) -> None:
    names = [f"folder-with-a-long-name/file-{number:04}.txt" for number in range(count)]
    for number, name in enumerate(names):
        repo.write(name, f"{number}\n" * (size // 5))
    repo.git("add", "-A")
    found = Repository().read_many(INDEX, names)
    assert [found[name] for name in names] == [
        f"{number}\n".encode() * (size // 5) for number in range(count)
    ]
