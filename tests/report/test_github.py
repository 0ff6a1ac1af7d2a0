"""The github format: workflow commands, escaping, the annotation limit, the step summary."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from plankeeper.findings import Finding, RunResult, Scope, Severity, Summary, finding
from plankeeper.report import REPORTERS
from plankeeper.report.github import (
    escape_data,
    escape_property,
    outputs,
    step_summary,
    write_extras,
)
from plankeeper.text import break_commands
from tests.conftest import MINIMAL_PLAN, Repo

GOLDEN = Path(__file__).parent / "golden"
PLAN = "docs/plans/DEMO_MASTERPLAN.md"
# The runner reads a line as a command when it starts with `::` (after leading white space),
# and its older syntax anywhere in a line that holds `##[`.
INTENDED = ("::error ", "::warning ", "::notice ")


def fixed_result(mode: str = "block") -> RunResult:
    """The RunResult behind both golden files."""
    findings = (
        finding(
            "PK404",
            "no resume file names a masterplan: add skills/demo-resume.md",
            plan=PLAN,
            resume="skills/demo-resume.md",
        ),
        finding(
            "PK101",
            "src/app.py changed but the plan was not updated",
            path=PLAN,
            plan=PLAN,
            files="src/app.py",
        ),
        finding("PK402", "malformed task box `- [ x]` (counts as open)", path=PLAN, line=7),
        finding(
            "PK201",
            "TODO 'fix the cache' is not tracked by an open task",
            path="src/app.py",
            line=3,
            column=5,
            tag="TODO",
            task="T4",
        ),
        finding(
            "PK203",
            "TODO(T099) references T099, which no plan defines",
            path="src/app.py",
            line=9,
            column=3,
            task="T099",
        ),
    )
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    return RunResult(
        ordered,
        Summary(errors=3, warnings=2, files_checked=2),
        mode,
        {"handoff-matches": "Plankeeper-Skip trailer"},
        ("plan-updated", "todos-tracked", "plan-structure"),
        scope=Scope("main..HEAD (1a2b3c4..5d6e7f8)", 2, False, False, 1),
    )


def render(result: RunResult) -> str:
    stream = io.StringIO()
    REPORTERS["github"](result, stream)
    return stream.getvalue()


def many(count: int, severity: Severity) -> RunResult:
    code = "PK201" if severity is Severity.ERROR else "PK402"
    items = tuple(
        finding(code, f"finding {index}", path="src/app.py", line=index + 1)
        for index in range(count)
    )
    errors = count if severity is Severity.ERROR else 0
    return RunResult(items, Summary(errors, count - errors, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("plain text", "plain text", id="plain"),
        pytest.param("100%", "100%25", id="percent"),
        pytest.param("%0A", "%250A", id="percent-first"),
        pytest.param("a\r\nb", "a%0D%0Ab", id="crlf"),
        pytest.param("a\nb\rc", "a%0Ab%0Dc", id="lf-and-cr"),
        pytest.param("a:b,c", "a:b,c", id="colon-comma-kept"),
        pytest.param("::error::boom", "::error::boom", id="command-inside-data"),
        pytest.param("\n::stop-commands::x", "%0A::stop-commands::x", id="stop-commands"),
        pytest.param("", "", id="empty"),
    ],
)
def test_escape_data(text: str, expected: str) -> None:
    assert escape_data(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("src/app.py", "src/app.py", id="plain"),
        pytest.param("a:b,c", "a%3Ab%2Cc", id="colon-comma"),
        pytest.param("%3A", "%253A", id="percent-first"),
        pytest.param("x\ny\rz", "x%0Ay%0Dz", id="line-breaks"),
        pytest.param("a=b", "a=b", id="equals-kept"),
        pytest.param("::error::x", "%3A%3Aerror%3A%3Ax", id="command"),
        pytest.param("", "", id="empty"),
    ],
)
def test_escape_property(text: str, expected: str) -> None:
    assert escape_property(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("##[error]x", id="error"),
        pytest.param("###[", id="three-hashes"),
        pytest.param("##[##[stop-commands]", id="twice"),
        pytest.param("a ##[group]b", id="mid-line"),
    ],
)
def test_break_commands_leaves_no_old_command_syntax(text: str) -> None:
    broken = break_commands(text)
    assert "##[" not in broken
    assert broken.replace("\u200b", "") == text


def test_github_format_matches_golden_file() -> None:
    assert render(fixed_result()) == (GOLDEN / "github.txt").read_text(encoding="utf-8")


def test_annotate_mode_makes_errors_warnings_and_warnings_notices() -> None:
    kinds = [line.split(" ", 1)[0] for line in render(fixed_result("annotate")).splitlines()]
    assert kinds == [
        "::notice",
        "::warning",
        "::notice",
        "::warning",
        "::warning",
        "plankeeper:",
        "plankeeper:",
    ]


def test_more_than_ten_errors_are_counted_in_one_notice() -> None:
    lines = render(many(12, Severity.ERROR)).splitlines()
    assert [line.split(" ", 1)[0] for line in lines].count("::error") == 10
    assert lines[10] == (
        "::notice title=plankeeper::2 more findings are only in the step summary "
        "(GitHub shows 10 annotations of each kind per step)"
    )


def test_notice_overflow_keeps_the_counting_notice_among_ten() -> None:
    # Annotate mode turns warnings into notices: nine of them, then the one that counts.
    lines = render(RunResult(many(12, Severity.WARNING).findings, Summary(0, 12, 1), "annotate"))
    notices = [line for line in lines.splitlines() if line.startswith("::notice")]
    assert len(notices) == 10
    assert notices[-1].startswith("::notice title=plankeeper::3 more findings are only")


HOSTILE = [
    "evil%0A::error::x,y:z.py",
    "cr\rlf\n::warning file=a::b",
    "##[error]fake",
    "  ::stop-commands::token",
    "a%25b##[stop-commands]c",
    "\n##[endgroup]",
]


def _unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_starts_no_command(text: str) -> None:
    item = finding("PK201", f"TODO {text}", path=f"src/{text}.py", line=2, column=1)
    result = RunResult(
        (item,), Summary(1, 0, 1), skipped={"plan-updated": f"PLANKEEPER_SKIP={text}"}
    )
    output = render(result)
    lines = re.split(r"\r\n|\r|\n", output.rstrip("\n"))
    assert all("##[" not in line for line in lines)
    assert [line for line in lines if line.lstrip().startswith("::")] == [lines[0]]
    assert lines[0].startswith(INTENDED)
    # The one command carries the text whole: the runner's unescaping gives it back.
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", lines[0])
    assert match is not None
    command, properties, data = match.groups()
    values = dict(part.split("=", 1) for part in properties.split(","))
    assert command == "error"
    assert _unescape(values["file"]).replace("\u200b", "") == f"src/{text}.py"
    assert _unescape(data).replace("\u200b", "") == (
        f"src/{text}.py:2:1: TODO {text} [todos-tracked]\n"
        "help: run `plankeeper todos --fix`, reference a task `<tag>(<task>)`, "
        "or `plankeeper baseline` when adopting"
    )


def test_step_summary_has_a_table_of_findings_and_of_skips() -> None:
    assert step_summary(fixed_result()) == (
        "### plankeeper: fail\n"
        "\n"
        "3 errors, 2 warnings in main..HEAD (1a2b3c4..5d6e7f8): 2 files changed, 1 plan read; "
        "3 checks run, 1 skipped\n"
        "\n"
        "| Severity | Code | Check | Where | Message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| warning | PK404 | plan-structure |  | no resume file names a masterplan: add "
        "skills/demo-resume.md |\n"
        "| error | PK101 | plan-updated | docs/plans/DEMO\\_MASTERPLAN.md | src/app.py changed "
        "but the plan was not updated |\n"
        "| warning | PK402 | plan-structure | docs/plans/DEMO\\_MASTERPLAN.md:7 | malformed "
        "task box \\`- \\[ x\\]\\` (counts as open) |\n"
        "| error | PK201 | todos-tracked | src/app.py:3:5 | TODO 'fix the cache' is not tracked "
        "by an open task |\n"
        "| error | PK203 | todos-tracked | src/app.py:9:3 | TODO(T099) references T099, which "
        "no plan defines |\n"
        "\n"
        "| Skipped check | Why |\n"
        "| --- | --- |\n"
        "| handoff-matches | Plankeeper-Skip trailer |\n"
        "\n"
    )


def test_step_summary_cell_holds_no_markup_html_or_line_break() -> None:
    item = finding("PK201", "a|b\n<script>x</script> *y*", path="src/a.py", line=1)
    table_row = step_summary(RunResult((item,), Summary(1, 0, 1))).splitlines()[6]
    assert table_row == (
        "| error | PK201 | todos-tracked | src/a.py:1 | a\\|b &lt;script&gt;x&lt;/script&gt; "
        "\\*y\\* |"
    )


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param("block", "findings=5\nresult=fail\n", id="block"),
        pytest.param("annotate", "findings=5\nresult=pass\n", id="annotate"),
    ],
)
def test_outputs_fail_exactly_when_errors_block(mode: str, expected: str) -> None:
    assert outputs(fixed_result(mode)) == expected


def test_write_extras_skips_unset_variables(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.write_text("earlier=1\n")
    write_extras(fixed_result(), {"GITHUB_OUTPUT": str(output)})
    assert output.read_text() == "earlier=1\nfindings=5\nresult=fail\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output"]


def _plan_repo(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(
        ".plankeeper.yaml",
        "checks:\n  todos-tracked: off\n  handoff-matches: off\n  plan-structure: off\n",
    )
    repo.commit("plan")
    repo.write("src/app.py", "print('hi')\n")
    repo.stage()


def test_check_in_github_format_appends_summary_and_outputs(repo: Repo, tmp_path: Path) -> None:
    _plan_repo(repo)
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    result = repo.run(
        "check",
        "--format",
        "github",
        env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)},
    )
    assert result.returncode == 1
    assert result.report == (
        "::error file=docs/plans/DEMO_MASTERPLAN.md,title=PK101::docs/plans/DEMO_MASTERPLAN.md: "
        "src/app.py changed but the plan was not updated [plan-updated]%0A"
        "help: tick or add a task in docs/plans/DEMO_MASTERPLAN.md that covers src/app.py\n"
        "plankeeper: 1 error, 0 warnings\n"
    )
    assert "Traceback" not in result.stderr
    assert output.read_text() == "findings=1\nresult=fail\n"
    assert summary.read_text() == (
        "### plankeeper: fail\n\n1 error, 0 warnings in the staged change: 1 file changed, "
        "0 plans read; 1 check run\n\n"
        "| Severity | Code | Check | Where | Message |\n| --- | --- | --- | --- | --- |\n"
        "| error | PK101 | plan-updated | docs/plans/DEMO\\_MASTERPLAN.md | src/app.py changed "
        "but the plan was not updated |\n\n"
    )


def test_check_in_annotate_mode_passes_with_errors(repo: Repo, tmp_path: Path) -> None:
    _plan_repo(repo)
    output = tmp_path / "output"
    result = repo.run(
        "check", "--format", "github", "--mode", "annotate", env={"GITHUB_OUTPUT": str(output)}
    )
    assert result.returncode == 0
    assert result.report.splitlines()[0].startswith("::warning file=docs/plans/DEMO_MASTERPLAN.md,")
    assert output.read_text() == "findings=1\nresult=pass\n"


def test_text_format_writes_no_github_extras(repo: Repo, tmp_path: Path) -> None:
    _plan_repo(repo)
    output = tmp_path / "output"
    result = repo.run("check", env={"GITHUB_OUTPUT": str(output)})
    assert result.returncode == 1
    assert not output.exists()


def test_step_summary_of_10000_findings_stays_well_under_1_mib_and_counts_the_rest(
    repo: Repo, tmp_path: Path
) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    tag = "TO" + "DO"
    repo.write("src/many.py", "".join(f"x = {n}  # {tag}: item {n}\n" for n in range(10_000)))
    summary = tmp_path / "summary.md"
    result = repo.run(
        "check",
        "todos-tracked",
        "--all-files",
        "--format",
        "github",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 300 * 1024
    rows = text.count("\n| error | PK201 |")
    assert 1000 < rows < 10_000
    assert (
        f"\n{10_000 - rows} more findings are left out here (a job summary holds at most 1 MiB); "
        "the JSON or SARIF report has every one.\n"
    ) in text
