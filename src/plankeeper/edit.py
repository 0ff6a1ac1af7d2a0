"""Surgical, atomic edits of users' files: only inserted lines differ, written by rename."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from plankeeper.errors import PlankeeperError


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


def ensure_inside(root: Path, path: Path) -> None:
    """Refuse a path whose folder leads out of `root` through a link (`docs -> /etc`).

    A hostile repository can hold such a link; writing through it would change a file
    outside the repository. The deepest folder that exists decides: what is missing
    below it will be created inside it.
    """
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        folder.resolve().relative_to(root.resolve())
    except ValueError:
        raise PlankeeperError(
            f"cannot write {path}: its folder is a link out of the repository; nothing was changed"
        ) from None


def atomic_write(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    On any failure the original file is left as it was and the temporary file removed.
    With `root`, a path that leads out of it through a link is refused (ensure_inside).
    A link at `path` itself is replaced, never written through.
    """
    if root is not None:
        ensure_inside(root, path)
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
