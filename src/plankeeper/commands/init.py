"""`plankeeper init`: scaffold a masterplan, a resume file, the config and a CI workflow."""

from __future__ import annotations

import argparse
import re
import sys
from importlib import resources
from pathlib import Path

from plankeeper.commands.common import open_repository
from plankeeper.config import CONFIG_FILE, Config, role_of
from plankeeper.edit import atomic_write, writable_path
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.git.states import WORKTREE
from plankeeper.text import one_line, safe_lines

WORKFLOW = ".github/workflows/plankeeper.yml"
# Every run of characters other than letters and digits (underscore included).
_SEPARATORS = re.compile(r"[\W_]+")


def masterplan_name(name: str) -> str:
    """`shop-front` -> `SHOP_FRONT_MASTERPLAN.md`."""
    return f"{_words(name, '_').upper()}_MASTERPLAN.md"


def resume_name(name: str) -> str:
    """`Shop Front` -> `shop-front-resume.md`."""
    return f"{_slug(name)}-resume.md"


def _words(name: str, separator: str) -> str:
    joined = _SEPARATORS.sub(separator, name).strip(separator)
    if not joined:
        raise PlankeeperError(f"init: NAME {name!r} has no letter or digit")
    return joined


def _slug(name: str) -> str:
    return _words(name, "-").lower()


def _template(name: str) -> str:
    return (
        resources.files("plankeeper")
        .joinpath("templates")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )


def scaffold(name: str, ci: bool) -> dict[str, str]:
    """Each file of the scaffold, repo-relative path -> text."""
    masterplan = f"docs/plans/{masterplan_name(name)}"
    resume = f"skills/{resume_name(name)}"
    values = {
        "__TITLE__": " ".join(name.split()),
        "__SLUG__": _slug(name),
        "__MASTERPLAN__": masterplan,
        "__RESUME__": resume,
    }

    def fill(template: str) -> str:
        text = _template(template)
        for token, value in values.items():
            text = text.replace(token, value)
        return text

    files = {
        masterplan: fill("masterplan.md"),
        resume: fill("resume.md"),
        CONFIG_FILE: _template("plankeeper.yaml"),
    }
    if ci:
        files[WORKFLOW] = _template("workflow.yml")
    return files


def _existing_config(root: Path) -> str | None:
    """The file that already configures plankeeper, if any: init never adds a second one."""
    if (root / CONFIG_FILE).exists():
        return CONFIG_FILE
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8", errors="replace")
        if re.search(r"^\s*\[\s*tool\.plankeeper\b", text, re.MULTILINE):
            return "pyproject.toml"
    return None


def is_adopted(repo: Repository, config: Config) -> bool:
    """plankeeper is set up already: a configuration, or a masterplan under it."""
    if _existing_config(repo.root) is not None:
        return True
    globs = [source.glob for source in config.plans]
    return any(role_of(config, path) == "masterplan" for path in repo.files(WORKTREE, globs))


def run(args: argparse.Namespace) -> int:
    repo, config = open_repository(args)
    root = repo.root
    name = args.name if args.name is not None else root.name
    files = scaffold(name, args.ci)
    adopted = args.ci and is_adopted(repo, config)
    kept: list[str] = []
    for path, text in files.items():
        target = root / path
        existing = _existing_config(root) if path == CONFIG_FILE else None
        if existing is not None or target.exists() or target.is_symlink():
            shown = existing or path
            kept.append(shown)
            # Names come from the folder, `--name` or the configuration: inert when shown.
            print(safe_lines(f"kept {one_line(shown)} (it exists; left untouched)"))
            continue
        if adopted and path != WORKFLOW:
            # `init --ci` where plankeeper is set up adds the workflow only: a second
            # masterplan under the folder's name would be noise.
            continue
        atomic_write(writable_path(root, path, repo.git_dir), text.encode("utf-8"))
        print(safe_lines(f"created {one_line(path)}"))
    if adopted:
        # Only the workflow was asked for: the files plankeeper already has are no failure.
        return 1 if WORKFLOW in kept else 0
    # A configuration whose globs miss the scaffold would leave it unchecked: say so.
    for path, wanted in ((next(iter(files)), "masterplan"), (list(files)[1], "resume")):
        if role_of(config, path) != wanted:
            sys.stderr.write(
                f"plankeeper: warning: {one_line(path)} is not a {wanted} under the "
                f"configuration in {one_line(config.path or CONFIG_FILE)}\n"
            )
    if getattr(args, "agent", None):
        from plankeeper.agent.runtimes import RUNTIMES
        from plankeeper.commands.agent_hooks import add

        for name in dict.fromkeys(args.agent):
            add(repo, RUNTIMES[name], "plankeeper", config.agent.max_blocks)
    return 1 if kept else 0
