"""The sarif format: valid SARIF 2.1.0, one rule per code, stable fingerprints."""

from __future__ import annotations

import importlib
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from plankeeper.findings import CODES, RunResult, Summary, finding
from plankeeper.report import REPORTERS
from plankeeper.report.sarif import fingerprint
from tests.conftest import SHARED, Repo
from tests.report.test_github import fixed_result

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def render(result: RunResult) -> dict[str, Any]:
    stream = io.StringIO()
    REPORTERS["sarif"](result, stream)
    data: dict[str, Any] = json.loads(stream.getvalue())
    return data


def validate(document: dict[str, Any]) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is absent")
    # Imported by name: jsonschema ships no type stubs here.
    jsonschema: Any = importlib.import_module("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def test_sarif_format_matches_golden_file() -> None:
    stream = io.StringIO()
    REPORTERS["sarif"](fixed_result(), stream)
    assert stream.getvalue() == (GOLDEN / "sarif.json").read_text(encoding="utf-8")


def test_sarif_is_valid_against_the_official_schema() -> None:
    validate(render(fixed_result()))


def test_sarif_has_one_rule_per_code_with_descriptions_and_help() -> None:
    rules = render(fixed_result())["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(CODES)
    assert rules[0]["shortDescription"] == {"text": CODES["PK101"].summary}
    assert rules[0]["fullDescription"] == {"text": f"plan-updated: {CODES['PK101'].summary}"}
    assert rules[0]["help"]["text"] == CODES["PK101"].help


def test_sarif_has_one_result_per_finding_pointing_at_its_rule() -> None:
    run = render(fixed_result())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [(rules[item["ruleIndex"]]["id"], item["ruleId"]) for item in run["results"]] == [
        ("PK404", "PK404"),
        ("PK101", "PK101"),
        ("PK402", "PK402"),
        ("PK201", "PK201"),
        ("PK203", "PK203"),
    ]


def test_sarif_region_has_start_and_end_line_and_column() -> None:
    todo = render(fixed_result())["runs"][0]["results"][3]
    assert todo["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "endLine": 3, "startColumn": 5, "endColumn": 6},
            }
        }
    ]


def test_sarif_anchors_a_finding_without_a_file_at_the_config() -> None:
    # GitHub code scanning rejects a whole upload if one result has no location.
    first = render(fixed_result())["runs"][0]["results"][0]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": ".plankeeper.yaml", "uriBaseId": "%SRCROOT%"}
    }
    assert first["properties"]["repositoryLevel"] is True


def test_sarif_uri_is_percent_encoded_and_relative() -> None:
    item = finding("PK201", "TODO x", path="src/my file#1%.py", line=1, column=1)
    document = render(RunResult((item,), Summary(1, 0, 1)))
    validate(document)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/my%20file%231%25.py"


def test_fingerprint_survives_a_move_to_another_line() -> None:
    item = finding(
        "PK303", "line 12 mentions src/gone.py, which does not exist", path="N.md", line=12
    )
    moved = replace(item, line=40, message="line 40 mentions src/gone.py, which does not exist")
    assert fingerprint(item) == fingerprint(moved)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"path": "other.md"}, id="path"),
        pytest.param({"message": "line 12 mentions src/kept.py, which does not exist"}, id="text"),
        pytest.param({"code": "PK302"}, id="code"),
    ],
)
def test_fingerprint_differs_for_another_finding(other: dict[str, str]) -> None:
    item = finding(
        "PK303", "line 12 mentions src/gone.py, which does not exist", path="N.md", line=12
    )
    assert fingerprint(item) != fingerprint(replace(item, **other))  # type: ignore[arg-type]


def test_check_writes_sarif_to_output_file(repo: Repo) -> None:
    repo.write("docs/plans/DEMO_MASTERPLAN.md", "# Demo\n\n## Phase 1\n- [ ] T001 a\n")
    repo.commit("plan")
    repo.write("src/app.py", "print('hi')\n")
    repo.stage()
    result = repo.run("check", "plan-updated", "--format", "sarif", "--output", "out.sarif")
    assert (result.returncode, result.report, result.stderr) == (1, "", "")
    document = json.loads((repo.path / "out.sarif").read_text(encoding="utf-8"))
    validate(document)
    assert [item["message"]["text"] for item in document["runs"][0]["results"]] == [
        "src/app.py changed but the plan was not updated [plan-updated]"
    ]
