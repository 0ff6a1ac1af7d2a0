"""`grep_files` of the working tree: every file git does not ignore, tracked or not."""

from __future__ import annotations

from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE
from tests.conftest import Repo

TAG = "TO" + "DO"


def test_worktree_grep_finds_tracked_files_under_ignored_folders(repo: Repo) -> None:
    repo.write(".gitignore", "include/\n*.log\n")
    repo.write("include/a.h", f"// {TAG}: tracked, under an ignored folder\n")
    repo.git("add", "-f", ".gitignore", "include/a.h")
    repo.commit("vendored", all=False)
    repo.write("new[*].py", f"# {TAG}: untracked, not ignored\n")
    repo.write("build.log", f"# {TAG}: untracked and ignored\n")
    repo.write("include/b.h", f"// {TAG}: untracked, under an ignored folder\n")
    found = Repository(repo.path).grep_files(WORKTREE, [TAG])()
    assert found == ["include/a.h", "new[*].py"]
