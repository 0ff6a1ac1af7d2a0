"""The working tree as a whole-tree run sees it: one listing, streamed grep, safe reads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from plankeeper.errors import GitError
from plankeeper.git.process import Git
from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE
from tests.conftest import MINIMAL_PLAN, Repo

TAG = "TO" + "DO"
PLAN = "docs/plans/DEMO_MASTERPLAN.md"


def test_regular_files_leave_out_links_and_deleted_files_by_the_index_mode(repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.write("gone.py", "y = 2\n")
    os.symlink("a.py", repo.path / "tracked-link")
    repo.commit("files")
    (repo.path / "gone.py").unlink()
    repo.write("new.py", "z = 3\n")
    os.symlink("new.py", repo.path / "untracked-link")
    opened = Repository(repo.path)
    assert opened.files(WORKTREE) == ["a.py", "new.py"]
    everything = opened.worktree_files()
    assert "tracked-link" in everything
    assert "untracked-link" in everything
    assert "gone.py" not in everything


def test_streamed_grep_names_every_file_past_what_a_pipe_holds(repo: Repo) -> None:
    # 1,500 names of ~60 bytes: more than a 64 KiB pipe, so git waits on the reader.
    names = [f"src/{'deep/' * 8}module_{index:04}.py" for index in range(1500)]
    for name in names:
        repo.write(name, f"# {TAG}: item\n")
    repo.commit("many")
    repo.write("untracked.py", f"# {TAG}: new\n")
    found = Repository(repo.path).grep_files(WORKTREE, [TAG])
    streamed = list(found)
    assert sorted(streamed) == sorted([*names, "untracked.py"])
    assert len(streamed) == len(set(streamed))


def test_a_grep_can_be_read_while_git_still_writes(repo: Repo) -> None:
    for index in range(300):
        repo.write(f"f{index:03}.py", f"# {TAG}: item\n")
    repo.commit("some")
    found = iter(Repository(repo.path).grep_files(WORKTREE, [TAG]))
    first = next(found)
    rest = list(found)
    assert sorted([first, *rest]) == [f"f{index:03}.py" for index in range(300)]


def test_a_failing_streamed_command_says_why_once_its_output_ends(repo: Repo) -> None:
    with pytest.raises(GitError, match=r"unknown option|usage"):
        list(Git(repo.path).stream("grep", "--no-such-option", "-z", "-e", "x"))


def test_worktree_reads_refuse_links_folders_and_fifos_without_blocking(repo: Repo) -> None:
    repo.write("plain.txt", "plain\n")
    repo.write("empty.txt", "")
    (repo.path / "folder").mkdir()
    os.symlink("plain.txt", repo.path / "link.txt")
    os.mkfifo(repo.path / "pipe")
    opened = Repository(repo.path)
    answers: dict[str, bytes | None] = {}

    def read_all() -> None:
        for name in ("plain.txt", "empty.txt", "folder", "link.txt", "pipe", "missing"):
            answers[name] = opened.read_worktree(name)

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "a read blocked (on the FIFO)"
    assert answers == {
        "plain.txt": b"plain\n",
        "empty.txt": b"",
        "folder": None,
        "link.txt": None,
        "pipe": None,
        "missing": None,
    }


def test_a_worktree_read_returns_the_whole_of_a_large_file(repo: Repo) -> None:
    data = os.urandom(3 << 20)
    repo.write("big.bin", data)
    assert Repository(repo.path).read_worktree("big.bin") == data


def test_a_tracked_plan_turned_into_a_link_out_is_never_read(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\n- [ ] T001 the runner's token is 0xSECRET\n")
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    (repo.path / PLAN).unlink()
    os.symlink(secret, repo.path / PLAN)
    for command in (("status",), ("check", "--all-files"), ("next",)):
        result = repo.run(*command)
        assert "Traceback" not in result.stderr
        assert "0xSECRET" not in result.stdout + result.stderr
