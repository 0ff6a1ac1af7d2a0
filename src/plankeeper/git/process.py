"""The one place that starts processes: git commands, started now and waited for later.

Paths cross the process boundary only as `-z` output, so names with spaces, quotes,
newlines and non-UTF-8 bytes survive (git's C-quoting is never parsed).
"""

from __future__ import annotations

import errno
import os
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from plankeeper.errors import GitError

if TYPE_CHECKING:
    import git as gitpython

# git writes non-ASCII paths as raw bytes under -z; a byte that is not UTF-8 becomes a
# surrogate so that a name round-trips to the file system unchanged (see PEP 383).
ENCODING = "utf-8"
ERRORS = "surrogateescape"
# Before every command: paths as raw bytes, and a diff run in a subfolder still lists
# the whole repository, root-relative, whatever the user's `diff.relative` says.
_GIT_OPTIONS = ("-c", "core.quotepath=off", "-c", "diff.relative=false")
# Bytes a pipe takes before its writer blocks: Linux's smallest pipe is one 4 KiB page.
_PIPE_CAPACITY = 4096
# What one read of a streamed output asks for (a pipe's default capacity).
_READ_SIZE = 65536

Pending = Callable[[], bytes]
# GitPython's handle of a started process (it kills the process when collected), and it.
_Started = tuple["gitpython.Git.AutoInterrupt", "subprocess.Popen[bytes]"]


def done() -> None:
    """A wait with nothing to wait for."""


def zsplit(text: str) -> list[str]:
    """Split NUL-terminated `-z` output; a trailing NUL yields no empty item."""
    text = text.rstrip("\0")
    return text.split("\0") if text else []


def decode_path(raw: bytes) -> str:
    return raw.decode(ENCODING, ERRORS)


def encode_path(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def _check(args: Sequence[str], code: int, stderr: bytes, ok_codes: Sequence[int]) -> None:
    if code not in ok_codes:
        first = decode_path(stderr).strip().splitlines()
        reason = first[0] if first else f"exit status {code}"
        raise GitError(f"`git {' '.join(args[:2])}` failed: {reason}")


class Git:
    """git, run in one folder through GitPython; `start` does not wait for the answer."""

    def __init__(self, folder: Path) -> None:
        try:
            import git as gitpython
        except ImportError as error:
            # GitPython looks for git when imported and fails the import without it.
            if "git executable" not in str(error):
                raise
            raise GitError("git is not installed or not on PATH") from None
        self._gitpython = gitpython
        self._cmd: gitpython.Git = gitpython.Git(str(folder))

    def _spawn(self, args: Sequence[str], env: Mapping[str, str] | None) -> _Started:
        command = ["git", *_GIT_OPTIONS, *args]
        try:
            process = self._cmd.execute(
                command,
                as_process=True,
                istream=subprocess.PIPE,
                universal_newlines=False,
                env=dict(env) if env else None,
            )
        except self._gitpython.exc.GitCommandNotFound:
            raise GitError("git is not installed or not on PATH") from None
        except OSError as error:
            if error.errno != errno.E2BIG:
                raise
            # Callers bound what they pass (see repository.py); this is the last guard.
            size = sum(len(arg) for arg in args)
            raise GitError(
                f"`git {args[0]}`: its arguments are too long ({size} characters): "
                "shorten the globs or revisions of the configuration"
            ) from None
        proc = process.proc
        assert proc is not None
        return process, proc

    def start(
        self,
        *args: str,
        stdin: bytes | None = None,
        ok_codes: Sequence[int] = (0,),
        env: Mapping[str, str] | None = None,
    ) -> Pending:
        """Start git now on `stdin`; the function returned waits and returns stdout.

        `env` adds to (or replaces in) the inherited environment.
        """
        handle, proc = self._spawn(args, env)
        assert proc.stdin is not None
        if stdin is not None and len(stdin) <= _PIPE_CAPACITY:
            # Written now, so that git works while Python does: a pipe holds this much
            # with no reader. More waits for communicate(), which reads while it writes.
            try:
                proc.stdin.write(stdin)
                proc.stdin.flush()
            except BrokenPipeError:
                pass  # git stopped early: its exit status and stderr say why
            stdin = None

        def finish() -> bytes:
            # GitPython kills the process when its handle is collected: kept until here.
            assert handle.proc is proc
            stdout, stderr = proc.communicate(stdin)
            _check(args, proc.returncode, stderr, ok_codes)
            return bytes(stdout)

        return finish

    def stream(self, *args: str, ok_codes: Sequence[int] = (0,)) -> Iterator[str]:
        """Start git now; iterate to read its `-z` items as git writes them.

        The reader works on each item while git goes on (a whole-tree grep names
        thousands of files); the exit status is checked once the output ends.
        """
        handle, proc = self._spawn(args, None)
        assert proc.stdin is not None
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdin.close()
        stdout, stderr = proc.stdout, proc.stderr
        # Drained beside stdout: git blocks on a full stderr pipe while the reader waits.
        errors: list[bytes] = []
        drain = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
        drain.start()

        def items() -> Iterator[str]:
            assert handle.proc is proc  # kept alive while the output is read, as in start()
            rest = b""
            while chunk := os.read(stdout.fileno(), _READ_SIZE):
                *complete, rest = (rest + chunk).split(b"\0")
                for item in complete:
                    yield decode_path(item)
            if rest:
                yield decode_path(rest)
            drain.join()
            proc.wait()
            stdout.close()
            stderr.close()
            _check(args, proc.returncode, b"".join(errors), ok_codes)

        return items()

    def run_bytes(
        self,
        *args: str,
        stdin: bytes | None = None,
        ok_codes: Sequence[int] = (0,),
        env: Mapping[str, str] | None = None,
    ) -> bytes:
        return self.start(*args, stdin=stdin, ok_codes=ok_codes, env=env)()

    def run(self, *args: str, stdin: bytes | None = None, ok_codes: Sequence[int] = (0,)) -> str:
        return decode_path(self.run_bytes(*args, stdin=stdin, ok_codes=ok_codes))
