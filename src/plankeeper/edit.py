"""Surgical, atomic edits of users' files: only inserted lines differ, written by rename."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NoReturn

from plankeeper.errors import PlankeeperError

if TYPE_CHECKING:
    from plankeeper.handoff import Notes
    from plankeeper.plans.plan import Plan


def _umask() -> int:
    # The umask can only be read by setting it; set it straight back.
    current = os.umask(0o022)
    os.umask(current)
    return current


_DEFERRED = (signal.SIGINT, signal.SIGTERM)


def _defer_signals() -> set[int | signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)


def _restore_signals(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def writable_path(root: Path, path: str, git_dir: Path | None = None) -> Path:
    """`root / path` for writing a user's file, its missing folders made; else exit 2.

    The one rule for every write of a repository's file (notes, plan, scaffold): `path`
    comes from the repository (its configuration, a committed link), so it must stay in
    the work tree: no absolute path, no `..`, no folder that is a link out of `root`, and
    nothing inside a git folder (`.git/hooks/pre-commit` would run on the next commit).
    A link at the file itself is replaced by atomic_write, never written through.
    """
    parts = PurePosixPath(path).parts

    def refuse(why: str) -> NoReturn:
        raise PlankeeperError(f"cannot write {path}: {why}; nothing was changed")

    if not parts or os.path.isabs(path) or PurePosixPath(path).is_absolute() or ".." in parts:
        refuse("it is outside the work tree")
    if any(part.lower() == ".git" for part in parts):
        refuse("it is inside a git folder")
    real_root = root.resolve()
    folder = root
    for part in parts[:-1]:
        step = folder / part
        if not step.exists():
            if os.path.lexists(step):
                refuse(f"{PurePosixPath(*parts[: parts.index(part) + 1])} is a link to nothing")
            break
        if not step.is_dir():
            refuse(f"{PurePosixPath(*parts[: parts.index(part) + 1])} is not a folder")
        folder = step
    real = folder.resolve()
    if real != real_root and real_root not in real.parents:
        refuse("a folder on its way is a link out of the work tree")
    inside = real.relative_to(real_root).parts
    gits = [git_dir.resolve()] if git_dir is not None else []
    if any(part.lower() == ".git" for part in inside) or any(
        real == git or git in real.parents for git in gits
    ):
        refuse("it is inside a git folder")
    target = root.joinpath(*parts)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        refuse(error.strerror or str(error))
    return target


def write_output(path: Path, data: bytes) -> None:
    """`--output FILE`, the user's own choice: written as `>` would, never a device replaced.

    A character or block device, a FIFO or a socket, or a link to one (`/dev/stdout`), is
    written into; anything else is written atomically, a link there replaced (a committed
    `report.sarif -> ~/.bashrc` is never written through).
    """
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode) and not path.is_dir()
    except OSError:
        special = False
    if not special:
        atomic_write(path, data)
        return
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise PlankeeperError(f"cannot write {path}: {error.strerror or error}") from None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    On any failure the original file is left as it was and the temporary file removed.
    A link at `path` itself is replaced, never written through (see writable_path).
    """
    folder = path.parent
    mode = None
    # A missing folder, or a file where a folder should be: mkstemp below says so.
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        mode = path.stat().st_mode & 0o7777
    # SIGTERM or Ctrl-C between creating the temporary file and entering the `try` below
    # would leave it behind: both wait until the clean-up is armed.
    deferred = _defer_signals()
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".plankeeper", dir=folder
        )
    except OSError as error:
        _restore_signals(deferred)
        raise PlankeeperError(
            f"cannot write {path}: {error.strerror}; nothing was changed"
        ) from None
    try:
        _restore_signals(deferred)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates 0600: a new file gets the mode open() would give it instead.
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        # A rename needs no write permission on the file itself; a file without any write
        # bit counts as read-only even for root, whom os.access always lets write.
        if mode is not None and (not mode & 0o222 or not os.access(path, os.W_OK)):
            raise PermissionError(13, "Permission denied")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        reason = error.strerror or str(error)
        raise PlankeeperError(
            f"cannot write {path}: {reason}; the file was left as it was"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def line_ending(data: bytes) -> bytes:
    """The file's dominant line ending: CRLF when most of its lines end so, else LF."""
    crlf = data.count(b"\r\n")
    return b"\r\n" if crlf and crlf * 2 >= data.count(b"\n") else b"\n"


def append_lines(data: bytes, lines: list[bytes]) -> bytes:
    """`data` with `lines` added at the end, ending a last line that has no line ending first."""
    if not lines:
        return data
    ending = line_ending(data)
    if data and not data.endswith((b"\n", b"\r")):
        data += ending
    return data + b"".join(line + ending for line in lines)


def insert_lines(data: bytes, after_line: int, lines: list[bytes]) -> bytes:
    """`data` with `lines` inserted after its 1-based line `after_line` (0: at the start)."""
    if not lines:
        return data
    ending = line_ending(data)
    kept = data.splitlines(keepends=True)
    if after_line >= len(kept):
        return append_lines(data, lines)
    head = b"".join(kept[:after_line])
    return head + b"".join(line + ending for line in lines) + b"".join(kept[after_line:])


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (created if missing) for the block.

    An edit reads a file, decides, and writes it back: two plankeeper processes at once
    (two hooks, a hook and `todos --fix`) would otherwise decide on the same old version
    and the later rename would drop or repeat the other's lines.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, as before
        yield
        return
    try:
        handle = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise PlankeeperError(f"cannot lock {lock_file}: {error.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


# -- the inbox of a plan ----------------------------------------------------------------------


def _utf16_edit(data: bytes, plan: Plan, inbox: str, entries: Sequence[str]) -> tuple[bytes, int]:
    """The inbox edit of a UTF-16 plan, made in UTF-8 and written back as the file was:
    its byte order mark and byte order kept, every line but the inserted ones unchanged."""
    codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
    try:
        text = data[2:].decode(codec, "surrogatepass")
    except UnicodeDecodeError:
        raise PlankeeperError(f"{plan.path} is not valid UTF-16: add the tasks by hand") from None
    edited, line = inbox_edit(text.encode("utf-8", "surrogatepass"), plan, inbox, entries)
    return data[:2] + edited.decode("utf-8", "surrogatepass").encode(codec, "surrogatepass"), line


def inbox_edit(data: bytes, plan: Plan, inbox: str, entries: Sequence[str]) -> tuple[bytes, int]:
    """`data` with `- [ ] entry` lines at the end of the inbox section, and the first's line.

    The section is created as `## <inbox>` at the end of the file when the plan has none.
    Only inserted lines differ (see edit.py); the plan is the parse of `data`. The lines go
    where they read as tasks: after a closing `</details>` (an HTML block runs to a blank
    line) a blank line comes first, and below an unclosed fence they go right under the
    inbox heading; else the edit is refused rather than made where it would be repeated.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16_edit(data, plan, inbox, entries)
    for changed, first in _inbox_places(data, plan, inbox, entries):
        if _reads_as_tasks(changed, plan.path, first, len(entries)):
            return changed, first
    raise PlankeeperError(
        f"{plan.path}: no place in its {inbox!r} section where a task reads as one "
        "(an unclosed code fence?): close it, or add the tasks by hand"
    )


def _reads_as_tasks(data: bytes, path: str, first: int, count: int) -> bool:
    from plankeeper.plans.plan import parse_plan
    from plankeeper.text import decode

    lines = {task.line for task in parse_plan(decode(data), path).tasks if task.is_open}
    return all(line in lines for line in range(first, first + count))


def _inbox_places(
    data: bytes, plan: Plan, inbox: str, entries: Sequence[str]
) -> Iterator[tuple[bytes, int]]:
    """Where the entries may go, best first: the end of the inbox section, then its start."""
    items = [f"- [ ] {entry}".encode() for entry in entries]
    lines = data.splitlines()
    wanted = inbox.strip().casefold()
    heading = next((h for h in plan.headings if h.text.strip().casefold() == wanted), None)
    if heading is None:
        block = [b""] if lines and lines[-1].strip() else []
        block += [f"## {inbox}".encode(), b"", *items]
        yield append_lines(data, block), len(lines) + len(block) - len(items) + 1
        return
    end = next(
        (h.line for h in plan.headings if h.line > heading.line and h.level <= heading.level),
        len(lines) + 1,
    )
    last = next(
        (number for number in range(end - 1, heading.line, -1) if lines[number - 1].strip()),
        heading.line,
    )
    if last != heading.line:
        yield insert_lines(data, last, items), last + 1
        yield insert_lines(data, last, [b"", *items]), last + 2
        # After the section's last task (a fence or HTML block may follow it).
        tasks = [task.line for task in plan.tasks if heading.line < task.line < end]
        if tasks and tasks[-1] != last:
            yield insert_lines(data, tasks[-1], items), tasks[-1] + 1
    # Right under the heading, a blank line between it, the tasks and what follows.
    after = heading.line
    if after < len(lines) and not lines[after].strip():
        after += 1
    block = [] if after > heading.line else [b""]
    block += items
    if after < len(lines) and lines[after].strip():
        block.append(b"")
    yield insert_lines(data, after, block), after + 1 + (after == heading.line)


# -- the changed-files list of handoff notes ----------------------------------------------------


def bullet(path: str, deleted: bool) -> str:
    """A path as a code span bullet; a longer fence when the name holds backticks."""
    ticks = 1
    while "`" * ticks in path:
        ticks += 1
    fence = "`" * ticks
    padded = f" {path} " if path.startswith("`") or path.endswith("`") else path
    return f"- {fence}{padded}{fence}" + (" (deleted)" if deleted else "")


def notes_edit(
    data: bytes, notes: Notes, heading_line: int | None, bullets: list[bytes], heading: str
) -> bytes:
    """The notes with `bullets` added at the end of the changed-files section (at
    `heading_line`; without one, a `## heading` section is appended).

    Every existing line stays byte for byte; without a section one is appended.
    """
    from plankeeper.handoff import is_list_line
    from plankeeper.plans.markdown import normalize_newlines
    from plankeeper.text import decode

    lines = normalize_newlines(decode(data)).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if heading_line is None:
        block = [f"## {heading}".encode(), b""]
        if lines and lines[-1].strip():
            block.insert(0, b"")
        return append_lines(data, [*block, *bullets])
    section = next(h for h in notes.headings if h.line == heading_line)
    last = section.line
    for number in range(section.end, section.line, -1):
        if lines[number - 1].strip():
            last = number
            break
    if last == section.line:
        # An empty section: a blank line after the heading, and one before what follows.
        after = [b""] if last < len(lines) and lines[last].strip() else []
        return insert_lines(data, last, [b"", *bullets, *after])
    if is_list_line(lines[last - 1]) or last in notes.list_lines:
        return insert_lines(data, last, bullets)
    following = [b""] if last < len(lines) and lines[last].strip() else []
    return insert_lines(data, last, [b"", *bullets, *following])
