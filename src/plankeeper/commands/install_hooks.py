"""`plankeeper install-hooks`: the native pre-commit and pre-push hooks, in git's hooks folder."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from plankeeper.edit import atomic_write
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.text import one_line, safe_lines

HOOKS = ("pre-commit", "pre-push")
# Every hook plankeeper ships carries this line: a hook without it is someone else's.
MARKER = b"# plankeeper-hook: installed by `plankeeper install-hooks`"
_PYTHON_LINE = "INSTALL_PYTHON=''"


def hook_text(name: str, python: str) -> str:
    """The shipped hook, pointed at `python` so it runs the plankeeper that installed it."""
    text = (resources.files("plankeeper") / "hooks" / name).read_text(encoding="utf-8")
    return text.replace(_PYTHON_LINE, f"INSTALL_PYTHON={shlex.quote(python)}", 1)


def is_ours(path: Path) -> bool:
    """True when nothing is there, or the hook there is one plankeeper installed."""
    try:
        return MARKER in path.read_bytes()
    except FileNotFoundError:
        return not path.is_symlink()
    except IsADirectoryError:
        return False


def _shown(repo: Repository, path: Path) -> str:
    try:
        return one_line(path.relative_to(repo.root).as_posix())
    except ValueError:
        return one_line(str(path))


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    if args.agent or args.check or args.remove:
        from plankeeper.commands.agent_hooks import run_agent

        return run_agent(args)
    repo = Repository(Path.cwd())
    folder = repo.hooks_path()
    return_code = 0
    for name in HOOKS:
        target = folder / name
        if not args.force and not is_ours(target):
            sys.stderr.write(
                f"plankeeper: left {_shown(repo, target)} alone: plankeeper did not install it "
                "(--force replaces it)\n"
            )
            return_code = 1
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PlankeeperError(f"cannot create {folder}: {error.strerror}") from None
        if target.is_dir() and not target.is_symlink():
            raise PlankeeperError(f"{_shown(repo, target)} is a folder, not a hook")
        if target.is_symlink():
            # Replace the link itself, never the file it points to.
            target.unlink()
        atomic_write(target, hook_text(name, sys.executable).encode("utf-8"))
        os.chmod(target, 0o755)
        sys.stdout.write(safe_lines(f"plankeeper: installed {_shown(repo, target)}") + "\n")
    return return_code
