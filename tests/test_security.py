"""The threat model of SECURITY.md, held by tests: untrusted repository text stays data.

Static scans of `src/` (safe YAML only, no network outside event.py, no regular
expression built from configuration, no networked git command), a scan of action.yml,
and end-to-end runs on repositories that try to read outside themselves or to inject
workflow commands.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, ROOT, Repo, Result, findings_of

SRC = ROOT / "src" / "plankeeper"
PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"


def sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path.relative_to(SRC).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def has_command(name: str) -> bool:
    return (SRC / "commands" / f"{name.replace('-', '_')}.py").is_file()


def needs(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not has_command(name), reason=f"`{name}` not built yet")


def planned(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, f"# Resume\n\nRead {PLAN} first.\n")
    repo.commit("plan")


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr


# -- static scans of src/ --------------------------------------------------------------------

_UNSAFE_YAML = {
    "load",
    "load_all",
    "full_load",
    "full_load_all",
    "unsafe_load",
    "unsafe_load_all",
    "Loader",
    "FullLoader",
    "UnsafeLoader",
    "Constructor",
    "UnsafeConstructor",
    "FullConstructor",
    "add_constructor",
    "add_multi_constructor",
}


def test_yaml_is_loaded_only_with_the_safe_loader() -> None:
    found = []
    for name, tree in sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "yaml"
                and node.attr in _UNSAFE_YAML
            ):
                found.append(f"{name}:{node.lineno}: yaml.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "yaml":
                found += [
                    f"{name}:{node.lineno}: from yaml import {alias.name}"
                    for alias in node.names
                    if alias.name in _UNSAFE_YAML
                ]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "yaml"
                and node.func.attr in ("compose", "compose_all", "parse", "scan")
            ):
                loaders = [ast.unparse(k.value) for k in node.keywords if k.arg == "Loader"]
                if loaders != ["yaml.SafeLoader"]:
                    found.append(f"{name}:{node.lineno}: yaml.{node.func.attr} without SafeLoader")
    assert found == []


def test_ruamel_and_pickle_are_not_used() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(
            (module or "").split(".")[0] in ("ruamel", "pickle", "marshal", "shelve", "dill")
            for module in (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
            )
        )
    ]
    assert found == []


_NETWORK = (
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "urllib.error",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "telnetlib",
    "xmlrpc",
    "asyncio",
    "websocket",
)


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def test_no_network_module_outside_event_py_and_the_comment() -> None:
    found = sorted(
        f"{name}: {module}"
        for name, tree in sources()
        if name not in ("event.py", "pull_request_comment.py")
        for node in ast.walk(tree)
        for module in _imported(node)
        if module == "urllib" or module.startswith(_NETWORK)
    )
    assert found == []


def test_event_py_calls_the_network_only_in_labels_from_api() -> None:
    tree = dict(sources())["event.py"]
    users = sorted(
        {
            function.name
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef)
            for node in ast.walk(function)
            if any(module.startswith(_NETWORK) for module in _imported(node))
        }
    )
    assert users == ["labels_from_api"]


_NETWORK_GIT = {"fetch", "pull", "push", "clone", "ls-remote", "remote", "submodule", "archive"}


def test_git_layer_runs_no_networked_git_command() -> None:
    trees = [tree for name, tree in sources() if name.startswith("git/")]
    subcommands = set()
    for node in (node for tree in trees for node in ast.walk(tree)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("run", "run_bytes", "start")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            subcommands.add(node.args[0].value)
    assert subcommands
    assert subcommands & _NETWORK_GIT == set()


_REGEX_FUNCTIONS = {
    "compile",
    "match",
    "search",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "finditer",
    "findall",
}
# Patterns that are not literals, each reviewed: none holds configuration or repository
# text, except through re.escape of validated tags.
_REVIEWED_PATTERNS = {
    ("plans/markdown.py", "regexp"): "marko's own block patterns, memoized",
    ("plans/markdown.py", "_WHOLE_LINE"): "a module constant",
    (
        "plans/simple_blocks.py",
        "''.join((_QUOTE if frame == _QUOTE_FRAME else ' ' * frame for frame in frames))",
    ): "marko's quote prefix and runs of spaces (list items' widths)",
    ("todos/lexer.py", "body"): "the lexer tables' string bodies, module constants",
    ("todos/languages.py", "word_pattern"): "the lexer tables' here-document openers",
    ("todos/languages.py", "f'(?<!`)`{{{run}}}(?!`)'"): "a count of backticks",
    ("todos/lexer.py", "syntax.spans_lines"): "the lexer tables' multi-line openers",
    (
        "todos/lexer.py",
        "'|'.join((f'({token[0]})' for token in syntax.tokens))",
    ): "the lexer tables",
    ("todos/languages.py", "line"): "the comment openers table (_OPENERS), a module constant",
    ("todos/languages.py", "block"): "the comment openers table (_OPENERS), a module constant",
    (
        "todos/languages.py",
        "f'[^{d}\\\\\\\\]*(?:\\\\\\\\[\\\\s\\\\S][^{d}\\\\\\\\]*)*{d}'",
    ): "one delimiter character of the file being lexed, through re.escape",
    (
        "todos/languages.py",
        "f'\\\\\\\\[\\\\s\\\\S]|{re.escape(quote)}|{openers}'",
    ): "the lexer tables' quotes and interpolation openers, module constants",
    (
        "todos/lexer.py",
        "starts.pattern[:-1] + re.escape(nest) + ']'",
    ): "a bracket pair of the tables",
    ("todos/scan.py", "text"): "tags validated as [A-Z][A-Z0-9_]* by config.py, then joined",
    ("todos/scan.py", "text.encode('ascii')"): "the pattern above, as bytes",
}


def _is_literal_pattern(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if not isinstance(node, ast.JoinedStr):
        return False
    for part in node.values:
        if not isinstance(part, ast.FormattedValue):
            continue
        value = part.value
        if isinstance(value, ast.Call) and ast.unparse(value.func) in ("re.escape", "len"):
            continue
        if isinstance(value, ast.Name) and value.id.lstrip("_").isupper():
            continue
        return False
    return True


def test_no_regular_expression_is_built_from_configuration() -> None:
    found = {
        (name, ast.unparse(node.args[0]))
        for name, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        and node.func.attr in _REGEX_FUNCTIONS
        and node.args
        and not _is_literal_pattern(node.args[0])
    }
    assert found - set(_REVIEWED_PATTERNS) == set()


def test_globs_use_no_regular_expression() -> None:
    tree = dict(sources())["globs.py"]
    assert not any(
        "re" in _imported(node) or "fnmatch" in _imported(node) for node in ast.walk(tree)
    )


# -- action.yml --------------------------------------------------------------------------------


def _action() -> dict[str, object]:
    import yaml

    path = ROOT / "action.yml"
    if not path.is_file():
        pytest.skip("action.yml not built yet")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps() -> list[dict[str, object]]:
    runs = _action()["runs"]
    assert isinstance(runs, dict)
    steps = runs["steps"]
    assert isinstance(steps, list)
    return steps


def test_action_has_no_expression_inside_a_run_script() -> None:
    scripts = [step for step in _steps() if "run" in step]
    assert scripts
    assert [str(step.get("name")) for step in scripts if "${{" in str(step["run"])] == []


def test_action_scripts_say_which_shell() -> None:
    # `shell:` is required in composite actions; bash gets `set -e` semantics from -eo pipefail.
    assert [step.get("name") for step in _steps() if "run" in step and "shell" not in step] == []


def test_action_uses_no_third_party_action_by_a_moving_tag() -> None:
    uses = [str(step["uses"]) for step in _steps() if "uses" in step]
    # Only GitHub's own actions; anything else would have to be pinned to a full sha.
    assert [use for use in uses if not use.startswith(("actions/", "github/", "./"))] == []


# -- the pathological glob ---------------------------------------------------------------------


def _within(seconds: int, script: str) -> subprocess.CompletedProcess[str]:
    # The coreutils `timeout` bounds the run; no timing is asserted, only that it ends.
    return subprocess.run(
        ["timeout", str(seconds), sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )


def test_pathological_glob_finishes() -> None:
    script = (
        "from plankeeper.globs import Glob\n"
        "glob = Glob('*a*a*a*a*a*a*a*a*a*b')\n"
        "print(glob.matches('a' * 20000), glob.matches('a' * 20000 + 'b'))\n"
    )
    result = _within(10, script)
    assert (result.returncode, result.stdout) == (0, "False True\n")


def test_pathological_double_star_glob_finishes() -> None:
    script = (
        "from plankeeper.globs import Glob\n"
        "glob = Glob('**/a/**/a/**/a/**/a/**/a/**/b')\n"
        "print(glob.matches('/'.join(['a'] * 3000)))\n"
    )
    result = _within(10, script)
    assert (result.returncode, result.stdout) == (0, "False\n")


def test_pathological_glob_in_config_finishes(repo: Repo) -> None:
    planned(repo)
    repo.write(".plankeeper.yaml", "exempt: ['*a*a*a*a*a*a*a*a*a*a*a*b']\n")
    repo.commit("config")
    name = "a" * 200
    repo.write(name, "x = 1\n")
    repo.stage()
    process = subprocess.run(
        ["timeout", "20", sys.executable, "-m", "plankeeper", "check", "plan-updated"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (process.returncode, process.stderr) == (1, "")
    assert findings_of(process.stdout) == (
        f"{PLAN}: PK101 {name} changed but the plan was not updated [plan-updated]\n"
        "plankeeper: 1 error, 0 warnings\n"
    )


def test_regex_like_todo_tag_is_refused(repo: Repo) -> None:
    planned(repo)
    repo.write(".plankeeper.yaml", "todo:\n  tags: ['(A+)+$']\n")
    result = repo.run("check")
    no_traceback(result)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "plankeeper: error: .plankeeper.yaml:2: todo tag '(A+)+$' must be an upper-case word "
        "(letters, digits, _)\n"
    )


# -- nothing outside the repository is read ------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files outside the repository that a hostile repository links to."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.py").write_text("# TODO leaked-secret-marker\n")
    (folder / "PLAN.md").write_text("# Secret\n\n## Phase 1\n- [ ] S777 leaked-secret-task\n")
    return folder


def _hostile_links(repo: Repo, outside: Path) -> None:
    planned(repo)
    os.symlink(outside / "secret.py", repo.path / "secret.py")
    os.symlink("/etc/passwd", repo.path / "passwd.py")
    os.symlink(outside / "PLAN.md", repo.path / "docs/plans/AAA_MASTERPLAN.md")
    os.symlink(outside, repo.path / "linked-folder")
    repo.commit("links")


def _assert_nothing_leaked(result: Result) -> None:
    no_traceback(result)
    for text in (result.stdout, result.stderr):
        assert "leaked-secret" not in text
        assert "S777" not in text
        assert "root:x:0:0" not in text
        assert "AAA_MASTERPLAN" not in text


def test_whole_tree_check_does_not_follow_links_out(repo: Repo, outside: Path) -> None:
    _hostile_links(repo, outside)
    result = repo.run("check", "--all-files")
    _assert_nothing_leaked(result)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_staged_check_does_not_follow_links_out(repo: Repo, outside: Path) -> None:
    _hostile_links(repo, outside)
    os.symlink(outside / "secret.py", repo.path / "another.py")
    repo.stage()
    result = repo.run("check")
    _assert_nothing_leaked(result)
    assert result.returncode == 1
    assert result.report == (
        f"{PLAN}: PK101 another.py changed but the plan was not updated [plan-updated]\n"
        "plankeeper: 1 error, 0 warnings\n"
    )


@needs("todos")
def test_todos_does_not_follow_links_out(repo: Repo, outside: Path) -> None:
    _hostile_links(repo, outside)
    result = repo.run("todos")
    _assert_nothing_leaked(result)
    assert (result.returncode, result.stdout) == (0, "")


@needs("todos")
def test_todos_file_argument_that_links_out_is_not_read(repo: Repo, outside: Path) -> None:
    _hostile_links(repo, outside)
    result = repo.run("todos", "secret.py", "passwd.py")
    _assert_nothing_leaked(result)
    assert (result.returncode, result.stdout) == (0, "")


@needs("status")
def test_status_does_not_follow_links_out(repo: Repo, outside: Path) -> None:
    _hostile_links(repo, outside)
    result = repo.run("status")
    _assert_nothing_leaked(result)
    assert result.returncode == 0


@needs("next")
def test_next_does_not_follow_links_out(repo: Repo, outside: Path) -> None:
    _hostile_links(repo, outside)
    result = repo.run("next")
    _assert_nothing_leaked(result)
    assert (result.returncode, result.stdout) == (0, f"{PLAN}:10: [T001] first task\n")


# -- nothing outside the repository is written ---------------------------------------------------


@needs("todos")
def test_todos_fix_does_not_write_through_a_linked_plan(repo: Repo, outside: Path) -> None:
    repo.write(RESUME, "# Resume\n\nRead docs/plans/DEMO_MASTERPLAN.md first.\n")
    (repo.path / "docs/plans").mkdir(parents=True)
    os.symlink(outside / "PLAN.md", repo.path / PLAN)
    repo.write("a.py", "# TODO write me somewhere\n")
    repo.commit("linked plan")
    before = (outside / "PLAN.md").read_bytes()
    result = repo.run("todos", "--fix")
    no_traceback(result)
    assert (outside / "PLAN.md").read_bytes() == before
    assert (repo.path / PLAN).is_symlink()


@needs("init")
def test_init_does_not_write_through_a_linked_folder(repo: Repo, outside: Path) -> None:
    (repo.path / "docs").mkdir()
    os.symlink(outside, repo.path / "docs/plans")
    result = repo.run("init", "demo")
    no_traceback(result)
    assert sorted(os.listdir(outside)) == ["PLAN.md", "secret.py"]


# -- workflow-command injection ------------------------------------------------------------------

INJECTIONS = [
    pytest.param("::error::pwned.py", id="command-name"),
    pytest.param("  ::warning file=a::x.py", id="indented-command"),
    pytest.param("x\n::error::pwned.py", id="newline-command"),
    pytest.param("x\r::add-mask::y.py", id="carriage-return-command"),
    pytest.param("##[error]pwned.py", id="legacy-command"),
    pytest.param("a ##[set-output name=x;]y.py", id="legacy-inside"),
    pytest.param("%0A::error::x.py", id="pre-escaped"),
]


def _assert_no_command(output: str, ours: tuple[str, ...] = ()) -> None:
    for line in output.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("::"):
            assert stripped.startswith(ours), line
        assert "##[" not in line, line


def _injected_repo(repo: Repo, name: str) -> None:
    planned(repo)
    repo.write(name, "x = 1\n")
    repo.stage()


@pytest.mark.parametrize("name", INJECTIONS)
def test_text_format_starts_no_workflow_command(repo: Repo, name: str) -> None:
    _injected_repo(repo, name)
    result = repo.run("check")
    no_traceback(result)
    assert result.returncode == 1
    _assert_no_command(result.stdout + result.stderr)


@pytest.mark.parametrize("name", INJECTIONS)
def test_github_format_starts_no_workflow_command_from_data(repo: Repo, name: str) -> None:
    if not (SRC / "report" / "github.py").is_file():
        pytest.skip("github format not built yet")
    _injected_repo(repo, name)
    result = repo.run("check", "--format", "github")
    no_traceback(result)
    assert result.returncode == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert [line.split(" ", 1)[0] for line in commands] == ["::error"]
    _assert_no_command(result.stdout, ours=("::error file=",))


@pytest.mark.parametrize("name", INJECTIONS)
def test_error_message_with_hostile_revision_is_one_safe_line(repo: Repo, name: str) -> None:
    planned(repo)
    result = repo.run("check", "--base", name)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    _assert_no_command(result.stderr)


@needs("todos")
@pytest.mark.parametrize("name", INJECTIONS)
def test_todos_output_starts_no_workflow_command(repo: Repo, name: str) -> None:
    planned(repo)
    repo.write(name, f"# TODO {name.replace(chr(10), ' ')}\n")
    repo.commit("todo")
    result = repo.run("todos")
    no_traceback(result)
    assert result.returncode == 1
    _assert_no_command(result.stdout + result.stderr)


@needs("next")
@pytest.mark.parametrize("text", INJECTIONS)
def test_next_output_starts_no_workflow_command(repo: Repo, text: str) -> None:
    hostile = text.replace("\n", " ").replace("\r", " ")
    repo.write(PLAN, MINIMAL_PLAN.replace("T001 first task", f"T001 {hostile}"))
    repo.commit("plan")
    result = repo.run("next")
    no_traceback(result)
    assert result.returncode == 0
    _assert_no_command(result.stdout + result.stderr)


@needs("status")
@pytest.mark.parametrize("text", INJECTIONS)
def test_status_output_starts_no_workflow_command(repo: Repo, text: str) -> None:
    hostile = text.replace("\n", " ").replace("\r", " ")
    plan = MINIMAL_PLAN.replace("T001 first task", f"T001 {hostile}")
    repo.write(PLAN, plan.replace("## Phase 1: Start", f"## Phase 1: {hostile}"))
    repo.commit("plan")
    result = repo.run("status")
    no_traceback(result)
    assert result.returncode == 0
    _assert_no_command(result.stdout + result.stderr)
