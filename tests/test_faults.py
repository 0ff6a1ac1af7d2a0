"""Faults during edits: the original stays byte for byte, or the new file is complete.

The tests run as root in CI containers, and root ignores permission bits: a read-only
file or folder stops nobody. So the faults are made with what stops root too: a file-size
limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that write() fails with EFBIG), a full
file system (a tiny tmpfs), a read-only mount, the immutable attribute (chattr +i), a
folder where a file should be, and signals. Each is skipped where it cannot be made.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plankeeper.edit import atomic_write
from plankeeper.errors import PlankeeperError
from tests.conftest import MINIMAL_PLAN, Repo

ORIGINAL = MINIMAL_PLAN.replace("\n", "\r\n").encode() + b"no final newline \xff"
NEW = b"- [ ] new\n" * 1000


def leftovers(folder: Path) -> list[str]:
    """Temporary files of atomic_write left in a folder."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".plankeeper"))


def _child(script: str, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run a Python snippet in a child; `limit` caps the size of any file it writes."""
    prelude = "import resource, signal, sys\n"
    if limit is not None:
        prelude += (
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        )
    environ = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", prelude + script, *args],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )


WRITE = """
from pathlib import Path
from plankeeper.edit import atomic_write
from plankeeper.errors import PlankeeperError
try:
    atomic_write(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
except PlankeeperError as error:
    print(error)
"""


# -- a write that fails half-way -----------------------------------------------------------


def test_file_size_limit_leaves_the_original(tmp_path: Path) -> None:
    target = tmp_path / "PLAN.md"
    target.write_bytes(ORIGINAL)
    result = _child(WRITE, str(target), NEW.hex(), limit=4096)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"cannot write {target}: File too large; the file was left as it was\n"
    assert target.read_bytes() == ORIGINAL
    assert leftovers(tmp_path) == []


def test_file_size_limit_on_a_new_file_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "NEW.md"
    result = _child(WRITE, str(target), NEW.hex(), limit=4096)
    assert result.stdout == f"cannot write {target}: File too large; the file was left as it was\n"
    assert os.listdir(tmp_path) == []


def test_file_size_limit_through_the_cli_is_one_line(repo: Repo) -> None:
    repo.write("docs/plans/DEMO_MASTERPLAN.md", MINIMAL_PLAN)
    repo.commit("plan")
    report = repo.write("report.txt", ORIGINAL)
    # Written atomically: the old report survives a write that cannot finish.
    limit = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))\n"
        "from plankeeper.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    from tests.conftest import git_environment

    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n" + limit,
            "check",
            "--all-files",
            "--output",
            "report.txt",
        ],
        cwd=repo.path,
        env={**git_environment(), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in process.stderr
    assert (process.returncode, process.stdout, process.stderr) == (
        2,
        "",
        "plankeeper: error: cannot write report.txt: File too large; the file was left as it was\n",
    )
    assert report.read_bytes() == ORIGINAL
    assert leftovers(repo.path) == []


def test_target_that_is_a_folder_leaves_it(tmp_path: Path) -> None:
    target = tmp_path / "PLAN.md"
    target.mkdir()
    (target / "inside").write_bytes(ORIGINAL)
    with pytest.raises(PlankeeperError) as caught:
        atomic_write(target, NEW)
    assert str(caught.value) == (
        f"cannot write {target}: Is a directory; the file was left as it was"
    )
    assert (target / "inside").read_bytes() == ORIGINAL
    assert leftovers(tmp_path) == []


def test_folder_that_is_a_file_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "docs"
    blocker.write_bytes(ORIGINAL)
    with pytest.raises(PlankeeperError) as caught:
        atomic_write(blocker / "PLAN.md", NEW)
    assert str(caught.value) == (
        f"cannot write {blocker / 'PLAN.md'}: Not a directory; nothing was changed"
    )
    assert blocker.read_bytes() == ORIGINAL


def test_read_only_file_leaves_the_original(tmp_path: Path) -> None:
    target = tmp_path / "PLAN.md"
    target.write_bytes(ORIGINAL)
    target.chmod(0o444)
    with pytest.raises(PlankeeperError) as caught:
        atomic_write(target, NEW)
    assert str(caught.value) == (
        f"cannot write {target}: Permission denied; the file was left as it was"
    )
    assert target.read_bytes() == ORIGINAL
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_folder_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "PLAN.md"
    target.write_bytes(ORIGINAL)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(PlankeeperError) as caught:
            atomic_write(target, NEW)
    finally:
        tmp_path.chmod(0o755)
    assert str(caught.value) == f"cannot write {target}: Permission denied; nothing was changed"
    assert target.read_bytes() == ORIGINAL


def _chattr(flag: str, path: Path) -> bool:
    tool = shutil.which("chattr")
    if tool is None:
        return False
    return subprocess.run([tool, flag, str(path)], capture_output=True).returncode == 0


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Path]:
    """A plan with the immutable attribute, which stops root too."""
    target = tmp_path / "PLAN.md"
    target.write_bytes(ORIGINAL)
    if not _chattr("+i", target):
        pytest.skip("chattr +i is not available here")
    yield target
    _chattr("-i", target)


def test_immutable_file_leaves_the_original(immutable: Path) -> None:
    with pytest.raises(PlankeeperError) as caught:
        atomic_write(immutable, NEW)
    # atomic_write asks os.access first: the immutable attribute denies writing to root too.
    assert str(caught.value) == (
        f"cannot write {immutable}: Permission denied; the file was left as it was"
    )
    assert immutable.read_bytes() == ORIGINAL
    assert leftovers(immutable.parent) == []


def test_immutable_folder_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    target = folder / "PLAN.md"
    target.write_bytes(ORIGINAL)
    if not _chattr("+i", folder):
        pytest.skip("chattr +i is not available here")
    try:
        with pytest.raises(PlankeeperError) as caught:
            atomic_write(target, NEW)
    finally:
        _chattr("-i", folder)
    assert str(caught.value) == (
        f"cannot write {target}: Operation not permitted; nothing was changed"
    )
    assert target.read_bytes() == ORIGINAL
    assert leftovers(folder) == []


def _mount(*args: str) -> bool:
    tool = shutil.which("mount")
    if tool is None or os.geteuid() != 0:
        return False
    return subprocess.run([tool, *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a full disk that stops root too."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    _umount(disk)


def test_full_disk_leaves_the_original(small_disk: Path) -> None:
    target = small_disk / "PLAN.md"
    target.write_bytes(ORIGINAL)
    with pytest.raises(PlankeeperError) as caught:
        atomic_write(target, NEW * 20)
    assert str(caught.value) == (
        f"cannot write {target}: No space left on device; the file was left as it was"
    )
    assert target.read_bytes() == ORIGINAL
    assert leftovers(small_disk) == []


def test_read_only_mount_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "PLAN.md"
    target.write_bytes(ORIGINAL)
    if not _mount("--bind", str(folder), str(folder)):
        pytest.skip("cannot bind-mount here")
    try:
        if not _mount("-o", "remount,bind,ro", str(folder)):
            pytest.skip("cannot remount read-only here")
        with pytest.raises(PlankeeperError) as caught:
            atomic_write(target, NEW)
    finally:
        _umount(folder)
    assert str(caught.value) == (
        f"cannot write {target}: Read-only file system; nothing was changed"
    )
    assert target.read_bytes() == ORIGINAL


# -- signals -------------------------------------------------------------------------------

LOOP = """
from pathlib import Path
from plankeeper.edit import atomic_write
{setup}
target = Path(sys.argv[1])
versions = [b"A" * 8_000_000 + b"\\n", b"B" * 8_000_000 + b"\\n"]
atomic_write(target, versions[0])
print("ready", flush=True)
index = 1
while True:
    atomic_write(target, versions[index % 2])
    index += 1
"""

COMPLETE = {b"A" * 8_000_000 + b"\n", b"B" * 8_000_000 + b"\n"}
DELAYS = (0.0, 0.003, 0.011, 0.029, 0.047, 0.071)


def _kill_mid_write(tmp_path: Path, setup: str, signum: int, delay: float) -> int:
    target = tmp_path / "PLAN.md"
    target.write_bytes(ORIGINAL)
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys\n" + LOOP.format(setup=setup), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"ready\n"
    # Not a timing assertion: the pause only spreads the signal over the write loop.
    time.sleep(delay)
    process.send_signal(signum)
    _, stderr = process.communicate()
    assert b"Traceback" not in stderr
    assert target.read_bytes() in COMPLETE
    return process.returncode


@pytest.mark.parametrize("delay", DELAYS)
def test_sigterm_mid_write_leaves_a_complete_file_and_no_temporary(
    tmp_path: Path, delay: float
) -> None:
    # The handler the CLI installs: SIGTERM unwinds, so atomic_write cleans up.
    setup = "import signal\nfrom plankeeper.cli import _terminate\n"
    setup += "signal.signal(signal.SIGTERM, _terminate)"
    code = _kill_mid_write(tmp_path, setup, signal.SIGTERM, delay)
    assert code == 128 + signal.SIGTERM
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("delay", DELAYS)
def test_sigkill_mid_write_leaves_a_complete_file(tmp_path: Path, delay: float) -> None:
    # SIGKILL cannot be handled: a temporary file may stay, the plan is never a mix.
    code = _kill_mid_write(tmp_path, "", signal.SIGKILL, delay)
    assert code == -signal.SIGKILL
    assert all(name.startswith(".PLAN.md.") for name in leftovers(tmp_path))


def test_cli_exits_143_on_sigterm(repo: Repo) -> None:
    repo.write("docs/plans/DEMO_MASTERPLAN.md", MINIMAL_PLAN)
    repo.commit("plan")
    from tests.conftest import git_environment

    script = (
        "import os, signal, sys\n"
        "from plankeeper import cli\n"
        "real = cli.build_parser\n"
        "def parser(command=None):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return real(command)\n"
        "cli.build_parser = parser\n"
        "raise SystemExit(cli.main(['check']))\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo.path,
        env=git_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (process.returncode, process.stdout, process.stderr) == (143, "", "")


# -- two writers at once ---------------------------------------------------------------------

WRITER = """
from pathlib import Path
from plankeeper.edit import atomic_write
target = Path(sys.argv[1])
data = sys.argv[2].encode() * 200_000 + b"\\n"
for _ in range(int(sys.argv[3])):
    atomic_write(target, data)
"""


def test_two_concurrent_writers_leave_one_complete_version(tmp_path: Path) -> None:
    target = tmp_path / "PLAN.md"
    target.write_bytes(ORIGINAL)
    versions = {ORIGINAL, b"one " * 200_000 + b"\n", b"two " * 200_000 + b"\n"}
    writers = [
        subprocess.Popen([sys.executable, "-c", "import sys\n" + WRITER, str(target), word, "25"])
        for word in ("one ", "two ")
    ]
    seen = 0
    while any(writer.poll() is None for writer in writers):
        # Every read, at any moment, is one complete version.
        assert target.read_bytes() in versions
        seen += 1
    assert [writer.wait() for writer in writers] == [0, 0]
    assert target.read_bytes() in versions - {ORIGINAL}
    assert leftovers(tmp_path) == []
    assert seen > 0


# -- through `plankeeper todos --fix` --------------------------------------------------------

FIX_PLAN = "# Demo\r\n\r\n## Phase 1\r\n- [ ] T001 first task\r\nno final newline"


def _fix_repo(repo: Repo) -> Path:
    plan = repo.write("docs/plans/DEMO_MASTERPLAN.md", FIX_PLAN)
    repo.write("a.py", "# TODO write the parser\n")
    repo.commit("todo")
    return plan


def _fix_process(repo: Repo, limit: int | None = None) -> subprocess.Popen[str]:
    from tests.conftest import git_environment

    prelude = "import sys\n"
    if limit is not None:
        prelude += (
            "import resource, signal\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        )
    prelude += "from plankeeper.cli import main\nraise SystemExit(main(['todos', '--fix']))\n"
    return subprocess.Popen(
        [sys.executable, "-c", prelude],
        cwd=repo.path,
        env={**git_environment(), "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_todos_fix_under_a_file_size_limit_leaves_the_plan(repo: Repo) -> None:
    if not (Path(__file__).parent.parent / "src/plankeeper/commands/todos.py").is_file():
        pytest.skip("todos --fix not built yet")
    plan = _fix_repo(repo)
    stdout, stderr = _fix_process(repo, limit=16).communicate()
    assert "Traceback" not in stderr
    assert (stdout, stderr) == (
        "",
        f"plankeeper: error: cannot write {plan}: File too large; the file was left as it was\n",
    )
    assert plan.read_bytes() == FIX_PLAN.encode()
    assert leftovers(plan.parent) == []


def test_two_concurrent_todos_fix_leave_one_complete_plan(repo: Repo) -> None:
    if not (Path(__file__).parent.parent / "src/plankeeper/commands/todos.py").is_file():
        pytest.skip("todos --fix not built yet")
    plan = _fix_repo(repo)
    fixed = FIX_PLAN + "\r\n\r\n## Backlog\r\n\r\n- [ ] write the parser (a.py)\r\n"
    processes = [_fix_process(repo) for _ in range(4)]
    results = [process.communicate() for process in processes]
    assert all("Traceback" not in stderr for _, stderr in results)
    # Each run reads, decides and writes under one lock: the first adds the task, and the
    # others find that task tracking the tagged comment.
    assert plan.read_bytes() == fixed.encode()
    assert sorted(process.returncode for process in processes) == [0, 0, 0, 1]
    assert leftovers(plan.parent) == []


def test_concurrent_handoff_refreshes_list_each_file_once(repo: Repo) -> None:
    from tests.conftest import git_environment

    repo.write("SESSION_HANDOFF.md", "# Handoff\n\nWork in progress.\n")
    repo.write("a.py", "1\n")
    repo.commit("first")
    repo.write("a.py", "2\n")
    repo.write("b.py", "1\n")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "plankeeper", "handoff"],
            cwd=repo.path,
            env=git_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [process.communicate() for process in processes]
    assert all("Traceback" not in stderr for _, stderr in results)
    text = (repo.path / "SESSION_HANDOFF.md").read_text(encoding="utf-8")
    assert text.count("- `a.py`") == 1
    assert text.count("- `b.py`") == 1
    assert text.count("## Changed files") == 1
