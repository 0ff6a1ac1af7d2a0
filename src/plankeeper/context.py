"""What a check sees: the repository, the configuration, the change set and the plans."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from plankeeper.config import (
    CONFIG_FILE,
    Config,
    Role,
    config_from_bytes,
    config_section,
    default_config,
    load_config,
    role_globs,
    role_of,
)
from plankeeper.errors import PlankeeperError
from plankeeper.git.repository import Repository
from plankeeper.git.states import INDEX, WORKTREE, ChangeSet, State, commit_state
from plankeeper.globs import Glob, QuickFilter, matches_any, may_match, quick_filter

if TYPE_CHECKING:
    from plankeeper.plans.plan import Plan
    from plankeeper.todos.scan import Todo


@dataclass
class Context:
    """Everything a check may ask about; plans are found and parsed once, on first use."""

    repo: Repository
    config: Config
    change_set: ChangeSet
    environ: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] | None = None

    def role(self, path: str) -> Role | None:
        quick = self._role_filter
        # Most files of a repository have no role: rejected here without a glob match.
        if quick is not None and not may_match(quick, path):
            return None
        return role_of(self.config, path)

    def is_code(self, path: str) -> bool:
        return (
            self.role(path) is None
            and not matches_any(self.config.exempt, path)
            and not matches_any(self.config.lockfiles, path)
        )

    @cached_property
    def _role_filter(self) -> QuickFilter | None:
        config = self.config
        quick = quick_filter(role_globs(config))
        if quick is None:
            return None
        config_file = f"{(config.path or CONFIG_FILE).lower()}/"
        baseline = f"{config.baseline.lower()}/"
        return (*quick[0], config_file, f"{CONFIG_FILE}/", baseline), quick[1]

    @cached_property
    def new_files(self) -> list[str]:
        if self.change_set.is_whole_tree and self.change_set.new == WORKTREE:
            return list(self.change_set.changed)  # the same listing: git is not asked twice
        return self.repo.files(self.change_set.new)

    def role_files(self, state: State | None = None) -> list[str]:
        """Files of a state that have a role, asked of git by glob, not by listing all."""
        state = state or self.change_set.new
        if state == self.change_set.new:
            return self._new_role_files
        return self._with_role(self.repo.files(state, role_globs(self.config)))

    @cached_property
    def _new_role_files(self) -> list[str]:
        if "new_files" in self.__dict__ or self._lists_every_file:
            # Listed (or to be): filtering costs less than a second walk of the tree for
            # the globs (git walks every folder for untracked files either way).
            return self._with_role(self.new_files)
        return self._with_role(self.repo.files(self.change_set.new, role_globs(self.config)))

    @property
    def _lists_every_file(self) -> bool:
        """Whether the checks list every file of the new state anyway: a whole tree, and
        verify mode, where handoff-matches reads every agent file (AGENTS.md, CLAUDE.md)."""
        change_set = self.change_set
        return change_set.is_whole_tree or (
            change_set.mode == "verify" and change_set.new == WORKTREE
        )

    def _with_role(self, candidates: list[str]) -> list[str]:
        return [path for path in candidates if self.role(path) not in (None, "config", "baseline")]

    def plan_paths(self, state: State | None = None) -> list[str]:
        """Plan files of a state, masterplans first, then by repo-relative path."""
        found = [
            path for path in self.role_files(state) if self.role(path) in ("masterplan", "tasks")
        ]
        return sorted(found, key=lambda path: (self.role(path) != "masterplan", path))

    def covers_of(self, path: str) -> tuple[Glob, ...] | None:
        for source in self.config.plans:
            if source.glob.matches(path):
                return source.covers
        return None

    def prefetch(self) -> None:
        """Read what the checks of a change will read, in one `git cat-file`.

        Each git process costs milliseconds on every commit; the blobs are kept by the
        repository, so the checks' own reads find them there. When no plan, resume or
        handoff file changed, no check reads one unless a TODO turns up: the changed
        files are read while git lists the plans.
        """
        change_set = self.change_set
        if change_set.is_whole_tree or change_set.new.kind not in ("index", "commit"):
            return
        changed = [path for path in change_set.changed if path not in change_set.deleted]
        touched = [path for path in change_set.changed if self.role(path) is not None]
        # The baseline is read with the changed files: todos-tracked may need it.
        wanted: dict[State, list[str]] = {change_set.new: [*changed, self.config.baseline]}
        if not touched:
            reading = self.repo.start_reading(wanted)
            self.role_files()
            reading()
            return
        if any(self.role(path) in ("masterplan", "tasks") for path in touched):
            # A changed plan is parsed, at least where it changed: the block reader
            # loads while git lists the plans.
            from plankeeper.plans.markdown import load_reader

            load_reader()
        wanted[change_set.new] += self.role_files()
        if change_set.old is not None:
            wanted[change_set.old] = touched
        self.repo.start_reading(wanted)()

    def todos(
        self, paths: Iterable[str], state: State | None = None, fallback: State | None = None
    ) -> list[Todo]:
        """The TODOs of `paths` at `state` (default: the new one), else at `fallback`.

        For a whole tree, `paths` come from `Repository.grep_files`: only the files that
        hold a tag at all are read and lexed.
        """
        # Imported here: the lexers are only needed once a file may hold a tag.
        from plankeeper.todos.scan import LINGUIST, by_place, is_marked_vendored, is_scanned, scan

        state = state or self.change_set.new
        tags = self.config.todo_tags
        wanted: list[str] = []
        todos: list[Todo] = []
        seen: set[str] = set()
        # One by one as `paths` come: a whole tree's names stream from `git grep`, and
        # each file is read and lexed while git searches on.
        on_disk = state == WORKTREE
        for path in paths:
            if path in seen or not is_scanned(self.config, path, self.role):
                continue
            seen.add(path)
            data = self.repo.read_worktree(path) if on_disk else None
            if data is None:
                wanted.append(path)
            else:
                todos.extend(scan(path, data, tags))
        contents = {} if on_disk else self.repo.read_many(state, wanted)
        missing = [path for path in wanted if path not in contents]
        if fallback is not None and missing:
            contents.update(self.repo.read_many(fallback, missing))
        for path in wanted:
            data = contents.get(path)
            if data is not None:
                todos.extend(scan(path, data, tags))
        todos.sort(key=by_place)
        if self.config.linguist and todos:
            # Asked only of the files that hold a tag: most commits never start check-attr.
            found = sorted({todo.path for todo in todos})
            attributes = self.repo.attributes(state, found, LINGUIST)
            todos = [
                todo for todo in todos if not is_marked_vendored(attributes.get(todo.path, {}))
            ]
        return todos

    @cached_property
    def plans(self) -> list[Plan]:
        """Every plan of the new state, parsed, in plan order."""
        return self.plans_at(self.change_set.new)

    def plans_at(self, state: State) -> list[Plan]:
        """Every plan of `state`, parsed through the plan cache, in plan order."""
        # Imported here: a commit that needs no plan parsed never loads the parser.
        from plankeeper.plans.cache import parse_cached

        paths = self.plan_paths(state)
        contents = self.repo.read_many(state, paths)
        return [
            parse_cached(self.plan_cache, contents[path], path, self.role(path) == "masterplan")
            for path in paths
            if path in contents
        ]

    @property
    def plan_cache(self) -> Path:
        """Where parsed plans are kept (plans/cache.py): in the repository's git folder."""
        return self.repo.git_dir / "plankeeper" / "plans"

    @cached_property
    def masterplans(self) -> list[Plan]:
        return [plan for plan in self.plans if plan.is_masterplan]

    @cached_property
    def resume_paths(self) -> list[str]:
        return sorted(path for path in self.role_files() if self.role(path) == "resume")

    @cached_property
    def handoff_paths(self) -> list[str]:
        return sorted(path for path in self.role_files() if self.role(path) == "handoff")


def open_repository(config_path: str | None, *, staged: bool = False) -> tuple[Repository, Config]:
    """The repository and its configuration; `staged`: the staged diff starts at once."""
    repo = Repository(Path.cwd(), staged=staged)
    config = load_config(repo.root, config_path)
    if staged:
        # The plans, resume and handoff files are listed while git diffs the index.
        repo.start_listing(INDEX, role_globs(config))
    return repo, config


def repo_relative(repo: Repository, names: Sequence[str]) -> list[str]:
    """FILE arguments, relative to the current directory as in git, made repo-relative."""
    root = repo.root.resolve()
    result = []
    for name in names:
        full = Path(os.path.abspath(name))
        try:
            relative = full.relative_to(root)
        except ValueError:
            try:
                relative = full.resolve().relative_to(root)
            except ValueError:
                raise PlankeeperError(f"{name} is outside the repository {root}") from None
        # A folder of the repository may be a link out of it: never read through one (a
        # link as the file itself is never followed when it is read).
        try:
            full.parent.resolve().relative_to(root)
        except ValueError:
            raise PlankeeperError(f"{name} is outside the repository {root}") from None
        result.append(relative.as_posix())
    return result


# -- event mode: the configuration a pull request cannot change ------------------------------


def policy_commit(repo: Repository, environ: Mapping[str, str], change_set: ChangeSet) -> str:
    """The commit whose configuration rules the event: the base the change goes into.

    The pull request's (or merge group's) base, the commit a push started from; the
    change set's old state where the event names none (a push that created a branch).
    """
    from plankeeper.event import read_event, revisions

    name, payload = read_event(environ)
    base, _ = revisions(name, payload)
    if base and repo.has_commit(base):
        return base
    state = change_set.old or change_set.new
    assert state.rev is not None
    return state.rev


def base_config(
    repo: Repository,
    environ: Mapping[str, str],
    change_set: ChangeSet,
    explicit: str | None = None,
) -> tuple[Config, list[str]]:
    """The configuration of the policy commit, and a notice when the change alters it.

    A pull request must not switch its own checks off: its configuration applies once it
    is merged. `explicit` is `--config` made repo-relative.
    """
    base = policy_commit(repo, environ, change_set)
    state = commit_state(base)
    names = [explicit] if explicit is not None else [CONFIG_FILE, "pyproject.toml"]
    # Only regular files: a committed link would lead git to print where it points.
    regular = set(repo.files(state, [Glob(name) for name in names]))
    found = repo.read_many(state, [name for name in names if name in regular])
    if explicit is not None and explicit not in found:
        raise PlankeeperError(
            f"--config {explicit}: not in the base commit {base[:12]} "
            "(in event mode the configuration is read from it)"
        )
    config = default_config()
    for name in names:
        if name in found:
            config = config_from_bytes(found[name], name, explicit=explicit is not None)
            if explicit is not None or config.path is not None:
                break
    from plankeeper.event import PULL_REQUEST_EVENTS, read_event

    notices = []
    name, _ = read_event(environ)
    what = "the pull request" if name in PULL_REQUEST_EVENTS else "this change"
    if change_set.new.rev is not None and change_set.new.rev != base:
        new_regular = set(repo.files(change_set.new, [Glob(name) for name in names]))
        changed = repo.read_many(change_set.new, [name for name in names if name in new_regular])
        for path in names:
            if config_section(path, found.get(path)) != config_section(path, changed.get(path)):
                notices.append(
                    f"not applied: {what} changes {path}; the checks use the "
                    f"configuration of the base commit {base[:12]} (the change applies after merge)"
                )
                break
    return config, notices


def event_config(
    repo: Repository, environ: Mapping[str, str], change_set: ChangeSet, explicit: str | None
) -> tuple[Config, list[str]]:
    """Event mode's configuration: `--config` outside the checkout is the workflow's own;
    else the base commit's (base_config), with a notice when the change alters it."""
    inside = _inside(repo, explicit) if explicit is not None else None
    if explicit is not None and inside is None:
        # A file outside the checkout is the workflow's, not the pull request's.
        return load_config(repo.root, explicit), []
    return base_config(repo, environ, change_set, inside)


def _inside(repo: Repository, name: str) -> str | None:
    """`--config NAME` relative to the repository, or None when it is outside it."""
    try:
        return repo_relative(repo, [name])[0]
    except PlankeeperError:
        return None
