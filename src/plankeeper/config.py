"""Configuration from `--config`, `.plankeeper.yaml` or `[tool.plankeeper]`; home of defaults."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from plankeeper.errors import ConfigError
from plankeeper.findings import CHECK_NAMES, CODES, Severity
from plankeeper.globs import Glob, matches_any

MASTERPLAN_GLOBS = ("docs/plans/*MASTERPLAN*.md", "docs/plans/*MASTER_PLAN*.md")
TASK_FILE_GLOBS = ("**/specs/*/tasks.md", ".kiro/specs/*/tasks.md", "openspec/changes/*/tasks.md")
TASK_FILE_EXCLUDES = ("**/openspec/changes/archive/**", "**/specs/*/checklists/**")
RESUME_GLOBS = ("skills/*-resume.md", ".claude/skills/*resume*/SKILL.md")
HANDOFF_GLOBS = ("SESSION_HANDOFF.md", "docs/plans/*HANDOFF*.md")
TODO_TAGS = ("TODO", "FIXME", "XXX", "HACK")
INBOX = "Backlog"
# The longest glob: PATH_MAX, far below what git takes as one argument (128 KiB).
MAX_GLOB = 4096
BASELINE = ".plankeeper-baseline"
# Folders of other people's code that projects copy in; GitHub's linguist knows the same.
VENDORED_GLOBS = (
    "**/vendor/",
    "**/_vendor/",
    "**/vendored/",
    "**/third_party/",
    "**/third-party/",
    "**/node_modules/",
    "**/bower_components/",
)
BOTS = ("dependabot[bot]", "renovate[bot]")
# Lockfiles that tools rewrite; a change to one alone asks for no plan update.
LOCKFILE_GLOBS = (
    "**/*.lock",
    "**/package-lock.json",
    "**/npm-shrinkwrap.json",
    "**/pnpm-lock.yaml",
    "**/go.sum",
)
CONFIG_FILE = ".plankeeper.yaml"
AGENT_STOP_LEVELS = ("block", "warn", "off")
AGENT_BASELINES = ("session", "handoff", "branch")


class PlanSource(NamedTuple):
    """A glob that finds plan files, what they cover, and whether they are masterplans."""

    glob: Glob
    is_masterplan: bool
    covers: tuple[Glob, ...] | None = None


@dataclass(frozen=True, slots=True)
class AgentConfig:
    """The `agent:` table: what `agent stop` does and how much `agent context` prints."""

    stop: str = "block"
    max_blocks: int = 1
    baseline: str = "session"
    context_max_bytes: int = 2000


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting, defaults included; `path` is the file it came from, if any."""

    plans: tuple[PlanSource, ...]
    plan_excludes: tuple[Glob, ...]
    resume: tuple[Glob, ...]
    handoff: tuple[Glob, ...]
    exempt: tuple[Glob, ...] = ()
    todo_tags: tuple[str, ...] = TODO_TAGS
    todo_exclude: tuple[Glob, ...] = ()
    inbox: str = INBOX
    baseline: str = BASELINE
    todo_vendored: tuple[Glob, ...] = tuple(Glob(glob) for glob in VENDORED_GLOBS)
    linguist: bool = True
    bots: tuple[str, ...] | None = BOTS  # None: every pull request is asked for a plan update
    lockfiles: tuple[Glob, ...] = tuple(Glob(glob) for glob in LOCKFILE_GLOBS)
    severities: Mapping[str, Severity | None] = field(default_factory=dict)
    skip_trailers: bool = False
    path: str | None = None
    # When plan-updated judges: every commit, or only the commits a push sends (and CI).
    plan_updated_per: str = "commit"
    agent: AgentConfig = AgentConfig()

    def severity_of(self, code: str, check: str) -> Severity | None:
        """The configured severity of a code; a per-code setting beats a per-check one."""
        if code in self.severities:
            return self.severities[code]
        if check in self.severities:
            return self.severities[check]
        return CODES[code].default_severity

    def is_check_off(self, check: str) -> bool:
        """True when the check and every one of its codes are off."""
        codes = [code for code, entry in CODES.items() if entry.check == check]
        return all(self.severity_of(code, check) is None for code in codes)


def default_config() -> Config:
    return _build({}, None, {})


# The schema: key -> kind. Nested tables are dicts of the same shape.
_SCHEMA: dict[str, Any] = {
    "plans": "plans",
    "resume": "globs",
    "handoff": "globs",
    "exempt": "globs",
    "lockfiles": "globs",
    "bots": "logins",
    "todo": {
        "tags": "tags",
        "exclude": "globs",
        "inbox": "str",
        "baseline": "path",
        "vendored": "globs",
        "linguist": "bool",
    },
    "checks": "checks",
    "skip": {"trailers": "bool"},
    "plan-updated": {"per": "str"},
    "agent": {"stop": "str", "max_blocks": "int", "baseline": "str", "context_max_bytes": "int"},
}
_PLAN_KEYS = ("path", "covers")
_TAG = re.compile(r"[A-Z][A-Z0-9_]*\Z")


def load_config(root: Path, explicit: str | None = None) -> Config:
    """Load the first of `explicit`, `.plankeeper.yaml`, `[tool.plankeeper]` in pyproject.toml."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_absolute():
            path = Path.cwd() / path
        if not path.is_file():
            raise ConfigError(f"config file {explicit} not found", key="--config")
        return _load_file(root, path)
    yaml_path = root / CONFIG_FILE
    if yaml_path.is_file():
        _refuse_outside(root, yaml_path)
        return _load_file(root, yaml_path)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        _refuse_outside(root, pyproject)
        text = _read_text(pyproject)
        section = _pyproject_section(text, "pyproject.toml")
        if section is not None:
            return _build(section, "pyproject.toml", _toml_lines(text))
    return default_config()


def _refuse_outside(root: Path, path: Path) -> None:
    """A configuration found in the repository must not lead out of it through a link.

    A pull request could otherwise point `.plankeeper.yaml` at a file of the runner, and
    an error message would quote its keys or values into a public log.
    """
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise ConfigError(
            "is a link to a file outside the repository; plankeeper does not follow it",
            path=path.name,
        ) from None


def _display(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"not UTF-8 ({error.reason})", path=path.name) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", path=path.name) from None


def config_from_bytes(data: bytes, shown: str, *, explicit: bool) -> Config:
    """The configuration a file of a commit holds; `shown` is its repo-relative path.

    `explicit`: named by `--config` (a pyproject.toml without the table is then empty
    configuration, as from disk); else the file was found as `load_config` finds it.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"not UTF-8 ({error.reason})", path=shown) from None
    if explicit or not shown.endswith(".toml"):
        return _from_text(text, shown)
    section = _pyproject_section(text, shown)
    return default_config() if section is None else _build(section, shown, _toml_lines(text))


def config_section(shown: str, data: bytes | None) -> object:
    """What of a config file's content matters: a pyproject's table, any other file whole."""
    if data is None or not shown.endswith("pyproject.toml"):
        return data
    try:
        return _pyproject_section(data.decode("utf-8-sig"), shown)
    except (UnicodeDecodeError, ConfigError):
        return data


def _pyproject_section(text: str, shown: str) -> dict[str, Any] | None:
    """The `[tool.plankeeper]` table of a pyproject.toml, or None when it has none."""
    if "plankeeper" not in text:
        return None
    tool = _parse_toml(text, shown).get("tool", {})
    if not isinstance(tool, dict) or "plankeeper" not in tool:
        return None
    section = tool["plankeeper"]
    if not isinstance(section, dict):
        raise ConfigError("[tool.plankeeper] must be a table", path=shown)
    return section


def _load_file(root: Path, path: Path) -> Config:
    return _from_text(_read_text(path), _display(root, path))


def _from_text(text: str, shown: str) -> Config:
    path = Path(shown)
    if path.suffix == ".toml":
        data = _parse_toml(text, shown)
        if path.name == "pyproject.toml":
            section = data.get("tool", {}).get("plankeeper", {})
            return _build(section if isinstance(section, dict) else {}, shown, _toml_lines(text))
        return _build(data, shown, _toml_lines(text))
    data, lines = _parse_yaml(text, shown)
    return _build(data, shown, lines)


def _parse_toml(text: str, shown: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except RecursionError:
        raise ConfigError("nested too deeply: flatten its arrays and tables", path=shown) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        message = str(error).split(" (at ")[0]
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(error):
            line = max(1, len(text.splitlines()))
        raise ConfigError(f"invalid TOML: {message}", path=shown, line=line) from None


def _toml_lines(text: str) -> dict[tuple[str, ...], int]:
    """Lines of `key =` assignments under the plankeeper table, best effort (tomllib has none)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] | None = ()
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _toml_header(stripped)
        if header is not None:
            parts = tuple(part.strip().strip("\"'") for part in header.split("."))
            if parts[:2] == ("tool", "plankeeper"):
                table = parts[2:]
            elif parts[0] in _SCHEMA or parts[0] == "tool":
                table = parts if parts[0] in _SCHEMA else None
            else:
                table = None
            if table is not None:
                lines.setdefault(table, number)
            continue
        assignment = re.match(r"([A-Za-z0-9_\-\"'.]+)\s*=", stripped)
        if assignment and table is not None:
            key = tuple(part.strip("\"'") for part in assignment.group(1).split("."))
            lines.setdefault((*table, *key), number)
    return lines


# Deeper than any real configuration or front matter, far below Python's recursion limit.
MAX_DEPTH = 40


class YamlRefused(Exception):
    """YAML that plankeeper does not read: an anchor or alias, or nesting too deep."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def compose_yaml(text: str) -> tuple[Any, Any]:
    """The data and the node tree of one YAML document, read with `safe_load`'s rules.

    Anchors and aliases are refused: an alias makes each node count many times, so a
    few hundred bytes could expand to gigabytes (the billion laughs). Nesting past
    MAX_DEPTH is refused before the composer's recursion could overflow.
    """
    loader = _strict_loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


@functools.cache
def _strict_loader() -> type[Any]:
    import yaml

    class StrictLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            line = event.start_mark.line + 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise YamlRefused(
                    f"YAML anchors and aliases ({sign}{anchor}) are not allowed", line
                )
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise YamlRefused(f"nested too deeply (over {MAX_DEPTH} levels)", line)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return StrictLoader


def _toml_header(stripped: str) -> str | None:
    """The name of a `[table]` header line, or None; linear (a regex here backtracked)."""
    if not stripped.startswith("["):
        return None
    end = stripped.find("]")
    name = stripped[1:end]
    if end < 0 or "[" in name or not name.strip():
        return None
    rest = stripped[end + 1 :].lstrip()
    return name.strip() if not rest or rest.startswith("#") else None


def _parse_yaml(text: str, shown: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    import yaml

    try:
        data, node = compose_yaml(text)
    except YamlRefused as error:
        fix = "write each value out" if "alias" in error.message else "flatten it"
        raise ConfigError(
            f"{error.message} in the configuration: {fix}", path=shown, line=error.line
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(
            f"invalid YAML: {problem}", path=shown, line=mark.line + 1 if mark else None
        ) from None
    lines: dict[tuple[str, ...], int] = {}

    def walk(current: Any, prefix: tuple[str, ...]) -> None:
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                key = (*prefix, str(key_node.value))
                lines[key] = key_node.start_mark.line + 1
                walk(value_node, key)
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                key = (*prefix, str(index))
                lines[key] = item.start_mark.line + 1
                walk(item, key)

    walk(node, ())
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping of keys", path=shown, line=1)
    return data, lines


class _Reader:
    """Validates raw data against the schema, raising errors that name file, line and key."""

    def __init__(self, path: str | None, lines: Mapping[tuple[str, ...], int]) -> None:
        self.path = path
        self.lines = lines

    def fail(self, message: str, key: tuple[str, ...]) -> ConfigError:
        line = None
        for size in range(len(key), 0, -1):
            if key[:size] in self.lines:
                line = self.lines[key[:size]]
                break
        return ConfigError(message, path=self.path, line=line, key=".".join(key))

    def unknown(self, key: tuple[str, ...], valid: list[str]) -> ConfigError:
        import difflib  # only a typo pays for it

        close = difflib.get_close_matches(key[-1], valid, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(valid)})"
        return self.fail(f"unknown key {key[-1]!r}{hint}", key)

    def check_keys(
        self, data: Mapping[Any, Any], valid: list[str], prefix: tuple[str, ...]
    ) -> None:
        for key in data:
            if str(key) not in valid:
                raise self.unknown((*prefix, str(key)), valid)

    def string_list(self, value: Any, key: tuple[str, ...]) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(f"'{'.'.join(key)}' must be a list of strings", key)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise self.fail(f"'{'.'.join(key)}' must be a list of strings", (*key, str(index)))
        return tuple(value)

    def globs(
        self, value: Any, key: tuple[str, ...], ignore_case: bool = False
    ) -> tuple[Glob, ...]:
        items = self.string_list(value, key)
        for index, item in enumerate(items):
            self.glob_length(item, (*key, str(index)))
        return tuple(Glob(item, ignore_case) for item in items)

    def glob_length(self, glob: str, key: tuple[str, ...]) -> None:
        # git takes one argument of at most 128 KiB; no path is longer than PATH_MAX.
        if len(glob) > MAX_GLOB:
            raise self.fail(
                f"'{'.'.join(key)}' is too long ({len(glob)} characters; at most {MAX_GLOB})",
                key,
            )


def _build(
    data: Mapping[str, Any], path: str | None, lines: Mapping[tuple[str, ...], int]
) -> Config:
    reader = _Reader(path, lines)
    reader.check_keys(data, list(_SCHEMA), ())

    if "plans" in data:
        plans = _read_plans(reader, data["plans"])
        plan_excludes: tuple[Glob, ...] = ()
    else:
        plans = tuple(
            PlanSource(Glob(g, ignore_case=True), True) for g in MASTERPLAN_GLOBS
        ) + tuple(PlanSource(Glob(g), False) for g in TASK_FILE_GLOBS)
        plan_excludes = tuple(Glob(g) for g in TASK_FILE_EXCLUDES)

    todo = data.get("todo", {})
    if todo is None:
        todo = {}
    if not isinstance(todo, dict):
        raise reader.fail(
            "'todo' must be a mapping (tags, exclude, inbox, baseline, vendored, linguist)",
            ("todo",),
        )
    reader.check_keys(todo, list(_SCHEMA["todo"]), ("todo",))
    tags = reader.string_list(todo.get("tags", list(TODO_TAGS)), ("todo", "tags"))
    for index, tag in enumerate(tags):
        if not _TAG.match(tag):
            raise reader.fail(
                f"todo tag {tag!r} must be an upper-case word (letters, digits, _)",
                ("todo", "tags", str(index)),
            )
    inbox = todo.get("inbox", INBOX)
    if not isinstance(inbox, str) or not inbox.strip() or "\n" in inbox:
        raise reader.fail("'todo.inbox' must be a heading text on one line", ("todo", "inbox"))
    baseline = todo.get("baseline", BASELINE)
    if (
        not isinstance(baseline, str)
        or not baseline.strip()
        or baseline.startswith("/")
        or ".." in baseline.replace("\\", "/").split("/")
        or "\n" in baseline
    ):
        raise reader.fail(
            "'todo.baseline' must be a repo-relative file path, e.g. .plankeeper-baseline",
            ("todo", "baseline"),
        )
    linguist = todo.get("linguist", True)
    if not isinstance(linguist, bool):
        raise reader.fail("'todo.linguist' must be true or false", ("todo", "linguist"))

    return Config(
        plans=plans,
        plan_excludes=plan_excludes,
        resume=reader.globs(data.get("resume", list(RESUME_GLOBS)), ("resume",)),
        handoff=reader.globs(data.get("handoff", list(HANDOFF_GLOBS)), ("handoff",)),
        exempt=reader.globs(data.get("exempt", []), ("exempt",)),
        todo_tags=tags,
        todo_exclude=reader.globs(todo.get("exclude", []), ("todo", "exclude")),
        inbox=inbox.strip(),
        baseline=baseline.strip().removeprefix("./"),
        todo_vendored=reader.globs(
            todo.get("vendored", list(VENDORED_GLOBS)), ("todo", "vendored")
        ),
        linguist=linguist,
        bots=_read_bots(reader, data.get("bots", list(BOTS))),
        lockfiles=reader.globs(data.get("lockfiles", list(LOCKFILE_GLOBS)), ("lockfiles",)),
        severities=_read_checks(reader, data.get("checks", {})),
        skip_trailers=_read_skip(reader, data.get("skip", {})),
        path=path,
        plan_updated_per=_read_plan_updated(reader, data.get("plan-updated", {})),
        agent=_read_agent(reader, data.get("agent", {})),
    )


def _read_agent(reader: _Reader, value: Any) -> AgentConfig:
    if value is None:
        return AgentConfig()
    if not isinstance(value, dict):
        raise reader.fail(
            "'agent' must be a mapping (stop, max_blocks, baseline, context_max_bytes)", ("agent",)
        )
    reader.check_keys(value, list(_SCHEMA["agent"]), ("agent",))
    defaults = AgentConfig()
    # YAML reads a bare `off` as False: the same word as the string, as for `checks`.
    stop = "off" if value.get("stop") is False else value.get("stop", defaults.stop)
    baseline = value.get("baseline", defaults.baseline)
    for key, word, choices in (
        ("stop", stop, AGENT_STOP_LEVELS),
        ("baseline", baseline, AGENT_BASELINES),
    ):
        if word not in choices:
            raise reader.fail(
                f"'agent.{key}' must be {', '.join(choices[:-1])} or {choices[-1]}, not {word!r}",
                ("agent", key),
            )
    numbers = {}
    for key, least in (("max_blocks", 0), ("context_max_bytes", 200)):
        number = value.get(key, getattr(defaults, key))
        # bool is an int to Python; `max_blocks: yes` is a typo, not 1.
        if not isinstance(number, int) or isinstance(number, bool) or number < least:
            raise reader.fail(
                f"'agent.{key}' must be a whole number of at least {least}, not {number!r}",
                ("agent", key),
            )
        numbers[key] = number
    return AgentConfig(stop, numbers["max_blocks"], baseline, numbers["context_max_bytes"])


def _read_bots(reader: _Reader, value: Any) -> tuple[str, ...] | None:
    """Logins whose pull requests skip plan-updated; `false` turns the rule off."""
    if value is False:
        return None
    return reader.string_list(value, ("bots",))


def _read_plans(reader: _Reader, value: Any) -> tuple[PlanSource, ...]:
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list):
        raise reader.fail("'plans' must be a list of globs or {path, covers} mappings", ("plans",))
    sources = []
    for index, item in enumerate(value):
        key = ("plans", str(index))
        if isinstance(item, str) and item:
            reader.glob_length(item, key)
            sources.append(PlanSource(Glob(item, ignore_case=True), True))
        elif isinstance(item, dict):
            reader.check_keys(item, list(_PLAN_KEYS), key)
            if not isinstance(item.get("path"), str) or not item["path"]:
                raise reader.fail("a plan entry needs 'path': a glob string", (*key, "path"))
            reader.glob_length(item["path"], (*key, "path"))
            covers = None
            if "covers" in item:
                covers = reader.globs(item["covers"], (*key, "covers"))
            sources.append(PlanSource(Glob(item["path"], ignore_case=True), True, covers))
        else:
            raise reader.fail("a plan entry is a glob or a {path, covers} mapping", key)
    return tuple(sources)


def _read_skip(reader: _Reader, value: Any) -> bool:
    """`skip.trailers`: whether event mode honours a pull request's `Plankeeper-Skip:`."""
    if value is None:
        return False
    if not isinstance(value, dict):
        raise reader.fail("'skip' must be a mapping (trailers: true or false)", ("skip",))
    reader.check_keys(value, list(_SCHEMA["skip"]), ("skip",))
    trailers = value.get("trailers", False)
    if not isinstance(trailers, bool):
        raise reader.fail("'skip.trailers' must be true or false", ("skip", "trailers"))
    return trailers


def _read_checks(reader: _Reader, value: Any) -> dict[str, Severity | None]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise reader.fail(
            "'checks' must map a check name or code to error, warning or off", ("checks",)
        )
    valid = list(CHECK_NAMES) + list(CODES)
    severities: dict[str, Severity | None] = {}
    for name, level in value.items():
        key = ("checks", str(name))
        if str(name) not in valid:
            raise reader.unknown(key, valid)
        if level is False or (isinstance(level, str) and level.lower() in ("off", "false")):
            severities[str(name)] = None
        elif isinstance(level, str) and level.lower() in ("error", "warning"):
            severities[str(name)] = Severity(level.lower())
        else:
            raise reader.fail(f"'checks.{name}' must be error, warning or off, not {level!r}", key)
    return severities


# -- what a file is to plankeeper --------------------------------------------------------------

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


PLAN_UPDATED_PER = ("commit", "push")


def _read_plan_updated(reader: _Reader, value: Any) -> str:
    """`plan-updated.per`: judge plan-updated per commit (default) or per push only."""
    if value is None:
        return "commit"
    if not isinstance(value, dict):
        raise reader.fail("'plan-updated' must be a mapping (per)", ("plan-updated",))
    reader.check_keys(value, list(_SCHEMA["plan-updated"]), ("plan-updated",))
    per = value.get("per", "commit")
    if per not in PLAN_UPDATED_PER:
        raise reader.fail(
            f"'plan-updated.per' must be commit or push, not {per!r}", ("plan-updated", "per")
        )
    return str(per)
