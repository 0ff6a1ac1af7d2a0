"""The `git commit` that runs a hook: its arguments, read from the process tree.

git tells a `pre-commit` hook the index it records (`GIT_INDEX_FILE`) but not that the
commit amends HEAD: its `prepare-commit-msg` hook runs later and, with `--amend -m`, is not
told either. The arguments of the `git commit` process say it, and Linux shows them in
`/proc`; after an alias, git runs the expanded command as a child, which is what is read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

PROC = Path("/proc")
# How far up the process tree the `git commit` may be: git, the hook script (pre-commit's
# own runs Python), pre-commit, its `xargs`-like runner and plankeeper.
_MAX_DEPTH = 8
# git's options before the command that take their value as the next argument.
_GIT_VALUE_OPTIONS = frozenset(
    {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--config-env"}
)
# `git commit` options whose value may be the next argument (so `-m --amend` is a message).
_COMMIT_VALUE_SHORT = frozenset("mFCctS")
_COMMIT_VALUE_LONG = frozenset(
    {
        "--message",
        "--file",
        "--reuse-message",
        "--reedit-message",
        "--fixup",
        "--squash",
        "--author",
        "--date",
        "--cleanup",
        "--template",
        "--trailer",
        "--pathspec-from-file",
    }
)


def commit_arguments(proc: Path = PROC, pid: int | None = None) -> list[str] | None:
    """The arguments of the `git commit` that runs this process, from the process tree.

    None when they are not knowable: no `/proc` (macOS, Windows), or the nearest git above
    this process runs another command.
    """
    pid = os.getppid() if pid is None else pid
    for _ in range(_MAX_DEPTH):
        if pid <= 1:
            return None
        folder = proc / str(pid)
        try:
            argv = (folder / "cmdline").read_bytes().split(b"\0")
            stat = (folder / "stat").read_bytes()
        except OSError:
            return None
        args = [arg.decode("utf-8", "surrogateescape") for arg in argv]
        if args and args[-1] == "":
            args.pop()
        if args and os.path.basename(args[0]) in ("git", "git.exe"):
            command = _after_git_options(args[1:])
            return command[1:] if command[:1] == ["commit"] else None
        try:
            # `pid (comm) state ppid ...`: comm may hold spaces and parentheses.
            pid = int(stat.rsplit(b")", 1)[1].split()[1])
        except (IndexError, ValueError):
            return None
    return None


def _after_git_options(args: Sequence[str]) -> list[str]:
    """`git [options] command args`: the command and its arguments."""
    index = 0
    while index < len(args) and args[index].startswith("-"):
        index += 2 if args[index] in _GIT_VALUE_OPTIONS else 1
    return list(args[index:])


def is_amend(args: Sequence[str] | None) -> bool:
    """Whether `git commit` arguments amend HEAD (`--amend`, abbreviated as git allows)."""
    if args is None:
        return False
    amend = False
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            break
        if arg.startswith("--"):
            name = arg.split("=", 1)[0]
            # parse-options takes any unambiguous prefix: `--am` is `--amend` already.
            if len(name) >= 4 and "--amend".startswith(name):
                amend = True
            elif len(name) >= 7 and "--no-amend".startswith(name):
                amend = False
            elif name in _COMMIT_VALUE_LONG and "=" not in arg:
                index += 1
        elif arg.startswith("-") and len(arg) > 1:
            # A cluster of short options: one that takes a value ends it.
            for position, letter in enumerate(arg[1:], 1):
                if letter in _COMMIT_VALUE_SHORT:
                    if position == len(arg) - 1 and letter != "S":
                        index += 1
                    break
    return amend
