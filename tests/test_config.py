"""Configuration: sources, defaults, validation errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankeeper.config import Config, default_config, load_config
from plankeeper.errors import ConfigError
from plankeeper.findings import Severity


def load(tmp_path: Path, name: str, text: str) -> Config:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def test_defaults_without_any_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == default_config()
    assert config.path is None
    assert [source.glob.pattern for source in config.plans] == [
        "docs/plans/*MASTERPLAN*.md",
        "docs/plans/*MASTER_PLAN*.md",
        "**/specs/*/tasks.md",
        ".kiro/specs/*/tasks.md",
        "openspec/changes/*/tasks.md",
    ]
    assert config.todo_tags == ("TODO", "FIXME", "XXX", "HACK")
    assert config.inbox == "Backlog"


def test_yaml_file_is_read(tmp_path: Path) -> None:
    config = load(tmp_path, ".plankeeper.yaml", "exempt: ['*.lock']\ntodo:\n  tags: [TODO]\n")
    assert config.path == ".plankeeper.yaml"
    assert [glob.pattern for glob in config.exempt] == ["*.lock"]
    assert config.todo_tags == ("TODO",)


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "pyproject.toml",
        '[project]\nname="x"\n[tool.plankeeper]\nhandoff = ["NOTES.md"]\n',
    )
    assert config.path == "pyproject.toml"
    assert [glob.pattern for glob in config.handoff] == ["NOTES.md"]


def test_yaml_file_wins_over_pyproject_without_merging(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.plankeeper]\nexempt = ["a"]\n', encoding="utf-8"
    )
    config = load(tmp_path, ".plankeeper.yaml", "handoff: [N.md]\n")
    assert config.exempt == ()
    assert [glob.pattern for glob in config.handoff] == ["N.md"]


def test_explicit_config_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".plankeeper.yaml").write_text("exempt: [a]\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("exempt: [b]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path, "other.yaml")
    assert [glob.pattern for glob in config.exempt] == ["b"]
    assert config.path == "other.yaml"


def test_plans_replace_every_default_and_are_masterplans(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        ".plankeeper.yaml",
        "plans:\n  - docs/ROADMAP.md\n"
        "  - {path: docs/plans/API_MASTERPLAN.md, covers: ['services/api/**']}\n",
    )
    assert [(s.glob.pattern, s.is_masterplan) for s in config.plans] == [
        ("docs/ROADMAP.md", True),
        ("docs/plans/API_MASTERPLAN.md", True),
    ]
    covers = config.plans[1].covers
    assert covers is not None
    assert covers[0].matches("services/api/main.py")
    assert config.plan_excludes == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("off", None, id="off-string"),
        pytest.param("false", None, id="false-string"),
        pytest.param("warning", Severity.WARNING, id="warning"),
        pytest.param("error", Severity.ERROR, id="error"),
    ],
)
def test_check_levels(tmp_path: Path, value: str, expected: Severity | None) -> None:
    config = load(tmp_path, ".plankeeper.yaml", f"checks:\n  plan-updated: '{value}'\n")
    assert config.severity_of("PK101", "plan-updated") is expected


def test_bare_yaml_off_turns_a_check_off(tmp_path: Path) -> None:
    config = load(tmp_path, ".plankeeper.yaml", "checks:\n  todos-tracked: off\n")
    assert config.is_check_off("todos-tracked")
    assert not config.is_check_off("plan-updated")


def test_per_code_setting_beats_per_check_setting(tmp_path: Path) -> None:
    config = load(
        tmp_path, ".plankeeper.yaml", "checks:\n  handoff-matches: off\n  PK301: warning\n"
    )
    assert config.severity_of("PK301", "handoff-matches") is Severity.WARNING
    assert config.severity_of("PK302", "handoff-matches") is None
    assert not config.is_check_off("handoff-matches")


def error_of(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    return str(caught.value)


def test_unknown_key_suggests_the_nearest(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "exempt: []\nplns: [x]\n")
    assert message == ".plankeeper.yaml:2: unknown key 'plns' (did you mean 'plans'?)"


def test_unknown_nested_key_suggests_the_nearest(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "todo:\n  tag: [TODO]\n")
    assert message == ".plankeeper.yaml:2: unknown key 'tag' (did you mean 'tags'?)"


def test_unknown_check_name_suggests_the_nearest(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "checks:\n  plan-update: off\n")
    assert message == ".plankeeper.yaml:2: unknown key 'plan-update' (did you mean 'plan-updated'?)"


def test_wrong_type_names_the_key_and_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "resume: [skills/a.md]\nexempt: 3\n")
    assert message == ".plankeeper.yaml:2: 'exempt' must be a list of strings"


def test_bad_level_is_an_error(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "checks:\n  PK101: loud\n")
    assert message == ".plankeeper.yaml:2: 'checks.PK101' must be error, warning or off, not 'loud'"


def test_bad_yaml_gives_the_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "exempt: [a\nplans: b\n")
    assert message.startswith(".plankeeper.yaml:2: invalid YAML: ")


def test_bad_toml_gives_the_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, "pyproject.toml", '[tool.plankeeper]\nexempt = ["a"\n')
    assert message.startswith("pyproject.toml:")
    assert "invalid TOML" in message


def test_unknown_key_in_pyproject_gives_its_line(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.plankeeper]\nexmpt = []\n'
    )
    assert message == "pyproject.toml:5: unknown key 'exmpt' (did you mean 'exempt'?)"


def test_lower_case_tag_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "todo:\n  tags: [todo]\n")
    assert (
        message
        == ".plankeeper.yaml:2: todo tag 'todo' must be an upper-case word (letters, digits, _)"
    )


def test_a_list_at_top_level_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "- plans\n")
    assert message == ".plankeeper.yaml:1: the configuration must be a mapping of keys"


def test_empty_yaml_file_means_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, ".plankeeper.yaml", "# nothing\n")
    assert config.todo_tags == default_config().todo_tags
    assert config.path == ".plankeeper.yaml"


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file nope\.yaml not found"):
        load_config(tmp_path, "nope.yaml")


def test_plan_updated_per_push_is_read(tmp_path: Path) -> None:
    config = load(tmp_path, ".plankeeper.yaml", "plan-updated:\n  per: push\n")
    assert config.plan_updated_per == "push"


def test_plan_updated_per_defaults_to_commit(tmp_path: Path) -> None:
    assert load_config(tmp_path).plan_updated_per == "commit"


def test_plan_updated_per_in_pyproject(tmp_path: Path) -> None:
    text = '[tool.plankeeper.plan-updated]\nper = "push"\n'
    assert load(tmp_path, "pyproject.toml", text).plan_updated_per == "push"


def test_bad_plan_updated_per_names_the_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "exempt: []\nplan-updated:\n  per: day\n")
    assert message == ".plankeeper.yaml:3: 'plan-updated.per' must be commit or push, not 'day'"


def test_unknown_plan_updated_key_suggests_per(tmp_path: Path) -> None:
    message = error_of(tmp_path, ".plankeeper.yaml", "plan-updated:\n  pr: push\n")
    assert message == ".plankeeper.yaml:2: unknown key 'pr' (did you mean 'per'?)"


# -- adoption keys (issue 16) ---------------------------------------------------------------


def test_adoption_keys_are_read(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        ".plankeeper.yaml",
        "bots: [ci-runner]\nlockfiles: []\n"
        "todo:\n  baseline: ./ci/baseline.txt\n  vendored: [deps/]\n  linguist: false\n",
    )
    assert (
        config.bots,
        config.lockfiles,
        config.baseline,
        [glob.pattern for glob in config.todo_vendored],
        config.linguist,
    ) == (("ci-runner",), (), "ci/baseline.txt", ["deps/"], False)


def test_bots_false_turns_the_bot_rule_off(tmp_path: Path) -> None:
    assert load(tmp_path, ".plankeeper.yaml", "bots: false\n").bots is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "todo:\n  baseline: /etc/passwd\n",
            ".plankeeper.yaml:2: 'todo.baseline' must be a repo-relative file path, "
            "e.g. .plankeeper-baseline",
            id="absolute-baseline",
        ),
        pytest.param(
            "todo:\n  baseline: ci/../../secret\n",
            ".plankeeper.yaml:2: 'todo.baseline' must be a repo-relative file path, "
            "e.g. .plankeeper-baseline",
            id="baseline-out-of-the-repository",
        ),
        pytest.param(
            "bots: 3\n", ".plankeeper.yaml:1: 'bots' must be a list of strings", id="bots-number"
        ),
        pytest.param(
            "todo:\n  vendord: []\n",
            ".plankeeper.yaml:2: unknown key 'vendord' (did you mean 'vendored'?)",
            id="typo",
        ),
    ],
)
def test_adoption_keys_are_validated(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load(tmp_path, ".plankeeper.yaml", text)
    assert str(error.value) == message


def test_skip_trailers_is_off_by_default_and_read_as_a_boolean(tmp_path: Path) -> None:
    assert default_config().skip_trailers is False
    assert load(tmp_path, ".plankeeper.yaml", "skip:\n  trailers: true\n").skip_trailers is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skip:\n  trailers: 'yes'\n", ".plankeeper.yaml:2: 'skip.trailers' must be true or false"),
        (
            "skip: [trailers]\n",
            ".plankeeper.yaml:1: 'skip' must be a mapping (trailers: true or false)",
        ),
        (
            "skip:\n  trailer: true\n",
            ".plankeeper.yaml:2: unknown key 'trailer' (did you mean 'trailers'?)",
        ),
    ],
)
def test_skip_key_is_validated(tmp_path: Path, text: str, expected: str) -> None:
    assert error_of(tmp_path, ".plankeeper.yaml", text) == expected
