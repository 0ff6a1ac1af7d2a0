"""`plankeeper install-hooks --agent RUNTIME [--check | --remove]`: the agents' config files.

Only the repository's own files are written (`.claude/settings.json`, ...), never a
user's home folder; a file is rewritten only when plankeeper's hooks in it change.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from plankeeper.agent import install
from plankeeper.agent.runtimes import RUNTIMES, Runtime
from plankeeper.commands.common import open_repository
from plankeeper.edit import atomic_write, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository


def run_agent(args: argparse.Namespace) -> int:
    if args.force:
        raise PlankeeperError("--force is for the git hooks; it does not go with --agent")
    if args.check and args.remove:
        raise PlankeeperError("--check and --remove do not go together")
    if args.remove and not args.agent:
        raise PlankeeperError("--remove needs --agent RUNTIME: the runtime whose hooks to remove")
    names = list(dict.fromkeys(args.agent or RUNTIMES))
    repo, config = open_repository(args)
    if args.check:
        return check(repo.root, [RUNTIMES[name] for name in names])
    for name in names:
        runtime = RUNTIMES[name]
        if args.remove:
            remove(repo, runtime)
        else:
            add(repo, runtime, args.executable, config.agent.max_blocks)
    return 0


def _read(root: Path, runtime: Runtime) -> tuple[Path, str | None]:
    target = root / runtime.config_file
    real_root = root.resolve()
    if os.path.lexists(target) and real_root not in target.resolve().parents:
        # A committed `.claude -> ~/.claude` must not lead plankeeper into a home folder.
        raise PlankeeperError(
            f"{runtime.config_file} is a link out of the work tree; nothing was changed"
        )
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return target, None
    except OSError as error:
        raise PlankeeperError(f"cannot read {runtime.config_file}: {error.strerror}") from None
    try:
        return target, raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlankeeperError(f"{runtime.config_file} is not UTF-8; nothing was changed") from None


def _parse(runtime: Runtime, text: str | None) -> dict[str, object]:
    try:
        return install.parse(text or "", runtime.config_file)
    except ValueError as error:
        raise PlankeeperError(str(error)) from None


def _write(repo: Repository, runtime: Runtime, text: str) -> None:
    target = writable_path(repo.root, runtime.config_file, repo.git_dir)
    atomic_write(target, text.encode("utf-8"))


def add(repo: Repository, runtime: Runtime, executable: str, max_blocks: int) -> None:
    _, text = _read(repo.root, runtime)
    data = _parse(runtime, text)
    try:
        updated = install.merged(data, runtime, executable, max_blocks, runtime.config_file)
    except ValueError as error:
        raise PlankeeperError(f"{error}; nothing was changed") from None
    events = f"{runtime.start_event} and {runtime.stop_event}"
    if updated == data and text is not None:
        print(f"plankeeper: {runtime.config_file}: {events} hooks already installed")
        return
    _write(repo, runtime, install.dump(updated, text or ""))
    print(f"plankeeper: installed {events} hooks in {runtime.config_file} ({runtime.title})")


def remove(repo: Repository, runtime: Runtime) -> None:
    target, text = _read(repo.root, runtime)
    if text is None:
        print(f"plankeeper: {runtime.config_file} does not exist; nothing to remove")
        return
    data = _parse(runtime, text)
    updated = install.removed(data)
    if updated == data:
        print(f"plankeeper: {runtime.config_file} holds no plankeeper hook; nothing to remove")
        return
    if install.is_empty(updated, runtime):
        # The file held nothing but plankeeper's hooks: install created it.
        target.unlink()
        with contextlib.suppress(OSError):
            target.parent.rmdir()
    else:
        _write(repo, runtime, install.dump(updated, text))
    print(f"plankeeper: removed plankeeper's hooks from {runtime.config_file}")


def check(root: Path, runtimes: Sequence[Runtime]) -> int:
    """One line per runtime; exit 1 when one of them lacks a hook."""
    return_code = 0
    for runtime in runtimes:
        _, text = _read(root, runtime)
        found = install.installed(_parse(runtime, text), runtime) if text is not None else []
        wanted = [runtime.start_event, runtime.stop_event]
        if found == wanted:
            state = f"{' and '.join(wanted)} hooks installed"
        else:
            return_code = 1
            missing = " and ".join(event for event in wanted if event not in found)
            state = f"no {missing} hook (run `plankeeper install-hooks --agent {runtime.name}`)"
        sys.stdout.write(f"{runtime.name}: {runtime.config_file}: {state}\n")
    return return_code
