"""`plankeeper explain`: the rule, why, an example and the fixes of every code and check."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plankeeper.checks import CHECKS
from plankeeper.explanations import EXPLANATIONS
from plankeeper.findings import CODES
from tests.conftest import ROOT, git_environment


def explain(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plankeeper", "explain", *args],
        capture_output=True,
        text=True,
        env=git_environment(),
        check=False,
    )


def test_every_code_has_an_explanation_and_a_fix_template() -> None:
    assert sorted(EXPLANATIONS) == sorted(CODES)
    assert all(entry.fix for entry in CODES.values())


@pytest.mark.parametrize("code", list(CODES))
def test_explain_prints_rule_why_example_and_fixes_of_every_code(code: str) -> None:
    result = explain(code)
    assert (result.returncode, result.stderr) == (0, "")
    entry = CODES[code]
    assert result.stdout.startswith(
        f"{code} ({entry.check}, {entry.default_severity.value}): {entry.summary}\n\nRule:\n"
    )
    for heading in ("\nWhy:\n", "\nExample:\n", "\nFix:\n  - "):
        assert heading in result.stdout
    assert f"  {EXPLANATIONS[code].example.splitlines()[0]}\n" in result.stdout


def test_explain_takes_a_code_in_any_case() -> None:
    assert explain("pk101").stdout == explain("PK101").stdout


@pytest.mark.parametrize("check", list(CHECKS))
def test_explain_of_a_check_explains_each_of_its_codes(check: str) -> None:
    result = explain(check)
    assert result.returncode == 0
    codes = [code for code, entry in CODES.items() if entry.check == check]
    assert codes
    assert result.stdout == "\n".join(explain(code).stdout for code in codes)


def test_explain_of_an_unknown_name_is_exit_2_with_the_nearest_code() -> None:
    result = explain("plan-update")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "plankeeper: error: no code or check named 'plan-update' (did you mean 'plan-updated'?)\n"
    )


def test_the_readme_code_table_points_to_explain() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    codes = readme.split("\n## Codes\n", 1)[1].split("\n## ", 1)[0]
    assert "`plankeeper explain PK101`" in codes
