"""What a commit being made records: the hook's change set for amends, merges and the rest.

The rule: judge exactly what the commit records, against what it is built on. git tells a
`pre-commit` hook the index it records (`GIT_INDEX_FILE`) and leaves its merge and
sequencer state in its folder; that the commit is an amend it tells no hook before
`prepare-commit-msg`, and not even that one for `--amend -m`. The arguments of the `git
commit` process that runs the hook say it, and Linux shows them in `/proc`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from plankeeper.git import ChangeSet, Repository
from plankeeper.skips import Skip

# The checks that judge a piece of work, not a state: merges and sequencer work bring work
# that was judged where it was made. todos-tracked still judges what lands here.
WORK_CHECKS = frozenset({"plan-updated", "handoff-matches"})
INDEX_ENV = "GIT_INDEX_FILE"
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


class Recording(NamedTuple):
    """The change set a commit records, and the checks that do not judge it, with why."""

    change_set: ChangeSet
    skip: Skip | None = None


def is_commit_in_progress(environ: Mapping[str, str]) -> bool:
    """git sets the index for the hooks of `git commit`; `pre-commit run` by hand does not.

    This is what tells an empty commit (nothing to judge) from `pre-commit run
    --all-files` (the whole tree), which both stage nothing.
    """
    return bool(environ.get(INDEX_ENV))


def record(
    repo: Repository, staged: ChangeSet, environ: Mapping[str, str], proc: Path = PROC
) -> Recording:
    """What the commit being made records, from the staged change (the index against HEAD)."""
    if not staged.changed:
        # An empty commit or a message-only amend records nothing HEAD does not have.
        return Recording(staged)
    progress = repo.in_progress()
    head = repo.head()
    if progress.merge_heads and head is not None:
        merge = repo.recorded([head, *progress.merge_heads], "merge")
        return Recording(merge, Skip(WORK_CHECKS, "a merge: each side was judged on its own"))
    if progress.sequencer is not None:
        why = f"{progress.sequencer} in progress: its work was judged where it was made"
        return Recording(staged._replace(mode=progress.sequencer), Skip(WORK_CHECKS, why))
    change_set = staged
    if head is not None and is_amend(commit_arguments(proc)):
        change_set = repo.recorded(repo.parents(head), "amend")
    index_file = _partial_index(repo, environ)
    if index_file is not None:
        change_set = change_set._replace(held_back=repo.held_back(change_set, index_file))
    return Recording(change_set)


def _partial_index(repo: Repository, environ: Mapping[str, str]) -> Path | None:
    """The real index when git records a temporary one (`git commit PATH...`), else None.

    `git commit`, `-a` and `-i` record the real index or its lock file, which becomes the
    index: nothing staged is left out of them.
    """
    value = environ.get(INDEX_ENV)
    if not value:
        return None
    # git runs hooks at the top of the working tree, where a relative path starts.
    used = Path(os.path.abspath(repo.root / value))
    real = repo.git_dir / "index"
    if used in (real, real.with_name("index.lock")) or not real.is_file():
        return None
    return real


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
