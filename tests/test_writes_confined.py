"""Every write of a user's file stays in the work tree and out of the git folder, or exit 2."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, Repo, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
TAG = "TO" + "DO"


def one_line_error(stderr: str) -> str:
    assert stderr.startswith("plankeeper: error: "), stderr
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr


def files_under(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the repository that nothing may write into."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.md").write_text("untouched\n")
    return folder


# -- handoff: the notes' path comes from the repository's configuration ----------------------


@pytest.mark.parametrize(
    "notes",
    [
        pytest.param("up/outside/NOTES.md", id="committed-link-up"),
        pytest.param("{outside}/NOTES.md", id="absolute"),
        pytest.param("../outside/NOTES.md", id="dot-dot"),
        pytest.param("docs/../../outside/NOTES.md", id="dot-dot-inside"),
        pytest.param(".git/hooks/pre-commit", id="git-hooks"),
        pytest.param("sub/.git/NOTES.md", id="nested-git-folder"),
        pytest.param("gone/NOTES.md", id="link-to-missing-folder-outside"),
    ],
)
def test_handoff_never_writes_outside_the_work_tree(
    repo: Repo, outside: Path, tmp_path: Path, notes: str
) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    os.symlink("..", repo.path / "up")
    os.symlink(str(outside / "missing"), repo.path / "gone")
    notes = notes.format(outside=outside)
    repo.write(".plankeeper.yaml", f"handoff: [{notes!r}]\n")
    repo.commit("plan and a link up")
    repo.write("src/app.py", "print('hi')\n")
    hooks_before = files_under(repo.path / ".git" / "hooks")
    result = repo.run("handoff")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"cannot write {notes}: " in one_line_error(result.stderr)
    assert files_under(outside) == ["victim.md"]
    assert files_under(repo.path / ".git" / "hooks") == hooks_before
    assert not (repo.path / "sub").exists()


def test_handoff_refuses_notes_that_link_out(repo: Repo, outside: Path) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    os.symlink(str(outside / "victim.md"), repo.path / "SESSION_HANDOFF.md")
    repo.commit("plan and a linked notes file")
    repo.write("src/app.py", "print('hi')\n")
    result = repo.run("handoff")
    assert result.returncode == 2
    one_line_error(result.stderr)
    assert (outside / "victim.md").read_text() == "untouched\n"


@pytest.mark.parametrize("blocker", ["file", "dangling-link"])
def test_handoff_folder_that_cannot_be_made_is_one_line(repo: Repo, blocker: str) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(".plankeeper.yaml", "handoff: [notes/SESSION_HANDOFF.md]\n")
    if blocker == "file":
        repo.write("notes", "a file\n")
    else:
        os.symlink("nowhere", repo.path / "notes")
    repo.commit("plan")
    repo.write("src/app.py", "print('hi')\n")
    result = repo.run("handoff")
    assert result.returncode == 2
    assert "notes" in one_line_error(result.stderr)


# -- init: scaffold files in folders the repository may have linked ---------------------------


@pytest.mark.parametrize(
    ("name", "blocker"),
    [
        pytest.param("docs", "link-up", id="docs-link-up"),
        pytest.param("docs", "dangling-link", id="docs-dangling-link"),
        pytest.param("docs", "file", id="docs-file"),
        pytest.param("skills", "file", id="skills-file"),
        pytest.param("skills", "dangling-link", id="skills-dangling-link"),
    ],
)
def test_init_refuses_a_folder_it_cannot_make_inside(
    repo: Repo, outside: Path, name: str, blocker: str
) -> None:
    if blocker == "link-up":
        os.symlink("..", repo.path / name)
    elif blocker == "dangling-link":
        os.symlink(str(outside / "missing"), repo.path / name)
    else:
        repo.write(name, "a file\n")
    result = repo.run("init", "demo")
    assert result.returncode == 2, result.stdout + result.stderr
    assert name in one_line_error(result.stderr)
    assert files_under(outside) == ["victim.md"]
    assert not (repo.path.parent / "plans").exists()


# -- todos --fix: the plan is the masterplan of the work tree, never one through a link -------


def test_fix_never_edits_a_plan_through_a_linked_folder(repo: Repo, outside: Path) -> None:
    (outside / "plans").mkdir()
    victim = outside / "plans" / "DEMO_MASTERPLAN.md"
    victim.write_text(MINIMAL_PLAN)
    os.symlink(str(outside), repo.path / "docs")
    repo.write("src/app.py", f"# {TAG} leak\n")
    repo.commit("code")
    result = repo.run("todos", "--fix")
    assert result.returncode == 2
    one_line_error(result.stderr)
    assert victim.read_text() == MINIMAL_PLAN


def test_file_arguments_through_a_linked_folder_are_not_read(repo: Repo, outside: Path) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    (outside / "secret.py").write_text(f"# {TAG} the runner's secret\n")
    os.symlink(str(outside), repo.path / "linked")
    repo.commit("plan")
    through = repo.run("todos", "linked/secret.py")
    assert through.returncode == 2
    assert "linked/secret.py is outside the repository" in one_line_error(through.stderr)
    # The link itself names a folder that git lists nothing under.
    link = repo.run("todos", "linked")
    assert (link.returncode, link.stdout, link.stderr) == (0, "", "")


# -- --output: the user's own choice; special files are written into, never replaced ----------


def check_to(repo: Repo, output: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plankeeper", "check", "--all-files", "--output", output],
        cwd=repo.path,
        env=git_environment(),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def planned(repo: Repo) -> Repo:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.commit("plan")
    return repo


def test_output_into_a_fifo_is_written_not_replaced(planned: Repo, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # A reader that is there before the writer, without a thread: the report is far
    # smaller than the pipe's buffer.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = check_to(planned, str(fifo))
        try:
            received = os.read(reader, 1 << 16)
        except BlockingIOError:
            received = b""
    finally:
        os.close(reader)
    assert (result.returncode, result.stderr) == (0, "")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b"0 errors" in received


def test_output_into_a_character_device_is_written_not_replaced(
    planned: Repo, tmp_path: Path
) -> None:
    device = tmp_path / "null"
    null = os.stat(os.devnull)
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, null.st_rdev)
    except PermissionError:
        pytest.skip("creating a device needs CAP_MKNOD")
    result = check_to(planned, str(device))
    assert (result.returncode, result.stderr) == (0, "")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_output_through_a_link_to_standard_output_writes_there(
    planned: Repo, tmp_path: Path
) -> None:
    link = tmp_path / "stdout"
    os.symlink("/proc/self/fd/1", link)
    result = check_to(planned, str(link))
    assert (result.returncode, result.stderr) == (0, "")
    assert link.is_symlink()
    assert "0 errors" in result.stdout


def test_output_replaces_a_committed_link_to_a_file(planned: Repo, outside: Path) -> None:
    # A pull request's `plankeeper.sarif -> ../outside/victim.md` must not be written through.
    os.symlink(str(outside / "victim.md"), planned.path / "report.txt")
    result = check_to(planned, "report.txt")
    assert result.returncode == 0
    assert (outside / "victim.md").read_text() == "untouched\n"
    assert "0 errors" in (planned.path / "report.txt").read_text()
