"""What a check sees: the repository, the configuration, the change set and the plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from plankeeper.config import CONFIG_FILE, Config
from plankeeper.git import ChangeSet, Repository, State
from plankeeper.globs import Glob, QuickFilter, matches_any, may_match, quick_filter

if TYPE_CHECKING:
    from plankeeper.plan import Plan

Role = Literal["masterplan", "tasks", "resume", "handoff", "config", "baseline"]


def role_of(config: Config, path: str) -> Role | None:
    """What a file is to plankeeper; None for code."""
    for source in config.plans:
        if source.glob.matches(path) and not matches_any(config.plan_excludes, path):
            return "masterplan" if source.is_masterplan else "tasks"
    if matches_any(config.resume, path):
        return "resume"
    if matches_any(config.handoff, path):
        return "handoff"
    if path == (config.path or CONFIG_FILE) or (config.path is None and path == CONFIG_FILE):
        return "config"
    if path == config.baseline:
        return "baseline"
    return None


def role_globs(config: Config) -> list[Glob]:
    """The globs of every file that has a role but the configuration file."""
    return [source.glob for source in config.plans] + [*config.resume, *config.handoff]


def is_code(config: Config, path: str) -> bool:
    """Code is every file but plan, resume, handoff, config and baseline files, `exempt`
    globs and lockfiles."""
    return (
        role_of(config, path) is None
        and not matches_any(config.exempt, path)
        and not matches_any(config.lockfiles, path)
    )


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
        return self.repo.files(self.change_set.new)

    def role_files(self, state: State | None = None) -> list[str]:
        """Files of a state that have a role, asked of git by glob, not by listing all."""
        state = state or self.change_set.new
        if state == self.change_set.new and "new_files" in self.__dict__:
            candidates = self.new_files
        elif state == self.change_set.new:
            candidates = self._new_role_candidates
        else:
            candidates = self.repo.files(state, role_globs(self.config))
        return [path for path in candidates if self.role(path) not in (None, "config", "baseline")]

    @cached_property
    def _new_role_candidates(self) -> list[str]:
        return self.repo.files(self.change_set.new, role_globs(self.config))

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
            # A changed plan is parsed, at least where it changed: the parser loads
            # while git lists the plans.
            from plankeeper.markdown import load_parser

            load_parser()
        wanted[change_set.new] += self.role_files()
        if change_set.old is not None:
            wanted[change_set.old] = touched
        self.repo.start_reading(wanted)()

    @cached_property
    def plans(self) -> list[Plan]:
        """Every plan of the new state, parsed, in plan order."""
        # Imported here: a commit that needs no plan parsed never loads the parser.
        from plankeeper.plan_cache import parse_cached

        paths = self.plan_paths()
        contents = self.repo.read_many(self.change_set.new, paths)
        folder = self.repo.git_dir / "plankeeper" / "plans"
        return [
            parse_cached(folder, contents[path], path, self.role(path) == "masterplan")
            for path in paths
            if path in contents
        ]

    @cached_property
    def masterplans(self) -> list[Plan]:
        return [plan for plan in self.plans if plan.is_masterplan]

    @cached_property
    def resume_paths(self) -> list[str]:
        return sorted(path for path in self.role_files() if self.role(path) == "resume")

    @cached_property
    def handoff_paths(self) -> list[str]:
        return sorted(path for path in self.role_files() if self.role(path) == "handoff")
