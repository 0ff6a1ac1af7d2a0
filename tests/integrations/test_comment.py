"""The markdown report as one pull-request comment, updated in place; forks get the summary."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from plankeeper.findings import PlanProgress, Review, Ticked
from plankeeper.report import REPORTERS
from plankeeper.report.markdown import MARKER, render
from tests.conftest import MINIMAL_PLAN, Repo
from tests.integrations.local_api import ApiHandler, serving
from tests.integrations.test_event import PullRequest, event, pr_payload
from tests.report.test_github import fixed_result, many

GOLDEN = Path(__file__).parent.parent / "report" / "golden"
PLAN = "docs/plans/DEMO_MASTERPLAN.md"
BOT = {"login": "github-actions[bot]", "type": "Bot"}


def reviewed() -> Any:
    review = Review(
        (PlanProgress(PLAN, 3, 5, "Phase 2: Build", "[T004] checks"),),
        (Ticked(PLAN, 8, "[T003] parser"),),
    )
    return fixed_result()._replace(review=review)


def test_markdown_format_matches_golden_file() -> None:
    stream = io.StringIO()
    REPORTERS["markdown"](reviewed(), stream)
    assert stream.getvalue() == (GOLDEN / "markdown.md").read_text(encoding="utf-8")


def test_markdown_past_its_limit_counts_what_it_left_out() -> None:
    text = render(many(10_000, many_severity()), limit=60_000)
    assert len(text.encode()) <= 60_000
    shown = text.count("\n- **PK201**")
    assert 100 < shown < 10_000
    assert f"_{10_000 - shown} more findings are left out here; the JSON or SARIF report" in text


def many_severity() -> Any:
    from plankeeper.findings import Severity

    return Severity.ERROR


# -- the REST API on 127.0.0.1 ----------------------------------------------------------------


@dataclass
class CommentServer:
    """Issue comments of pull request 7 of octo/demo, as the REST API serves them."""

    url: str = ""
    comments: list[dict[str, Any]] = field(default_factory=list)
    write_status: int = 200
    requests: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[CommentServer]:
    state = CommentServer()

    class Handler(ApiHandler):
        def _body(self) -> dict[str, Any]:
            data: dict[str, Any] = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            return data

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path))
            if "/labels" in self.path:
                self.send_json(200, [])
            elif self.path.startswith("/repos/octo/demo/issues/7/comments"):
                page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))  # type: ignore[union-attr]
                self.send_json(200, state.comments[(page - 1) * 100 : page * 100])
            else:
                self.send_json(404, {"message": "Not Found"})

        def do_PATCH(self) -> None:
            state.requests.append(("PATCH", self.path))
            body = self._body()
            if state.write_status != 200:
                self.send_json(state.write_status, {"message": "Resource not accessible"})
                return
            number = int(self.path.rsplit("/", 1)[1])
            [comment] = [c for c in state.comments if c["id"] == number]
            comment["body"] = body["body"]
            self.send_json(200, comment)

        def do_POST(self) -> None:
            state.requests.append(("POST", self.path))
            body = self._body()
            if state.write_status != 200:
                self.send_json(state.write_status, {"message": "Resource not accessible"})
                return
            comment = {"id": 1000 + len(state.comments), "body": body["body"], "user": BOT}
            state.comments.append(comment)
            self.send_json(201, comment)

    with serving(Handler) as state.url:
        yield state


@pytest.fixture
def pull_request(repo: Repo) -> PullRequest:
    repo.write(PLAN, MINIMAL_PLAN)
    fork = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hi')\n")
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001 first task", "- [x] T001 first task"))
    head = repo.commit("code")
    return PullRequest(repo, fork, fork, head)


def run_action(
    pr: PullRequest, tmp_path: Path, server: CommentServer, *, fork: bool = False
) -> tuple[int, str, str]:
    payload = pr_payload(pr)
    payload["pull_request"]["base"]["repo"] = {"full_name": "octo/demo"}
    payload["pull_request"]["head"]["repo"] = {"full_name": "someone/demo" if fork else "octo/demo"}
    summary = tmp_path / "summary.md"
    environ = event(
        tmp_path,
        "pull_request",
        payload,
        GITHUB_TOKEN="t0ken",
        GITHUB_API_URL=server.url,
        GITHUB_REPOSITORY="octo/demo",
        GITHUB_STEP_SUMMARY=str(summary),
        PLANKEEPER_COMMENT="true",
    )
    result = pr.repo.run("check", "--base", "auto", "--format", "github", env=environ)
    assert "Traceback" not in result.stderr
    text = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return result.returncode, result.stdout, text


def writes(server: CommentServer) -> list[tuple[str, str]]:
    return [request for request in server.requests if request[0] != "GET"]


def test_first_run_creates_one_comment_with_the_report(
    pull_request: PullRequest, tmp_path: Path, server: CommentServer
) -> None:
    server.comments = [{"id": 1, "body": "LGTM", "user": {"login": "alice", "type": "User"}}]
    code, out, _ = run_action(pull_request, tmp_path, server)
    assert code == 0
    assert writes(server) == [("POST", "/repos/octo/demo/issues/7/comments")]
    body = server.comments[-1]["body"]
    assert body.startswith(f"{MARKER}\n### plankeeper: ✅ pass\n")
    assert f"| {PLAN.replace('_', chr(92) + '_')} | 2/2 | — | all tasks done |" in body
    assert "#### Checked off in this change" in body
    assert "::notice" not in out


def test_next_run_updates_the_same_comment_in_place(
    pull_request: PullRequest, tmp_path: Path, server: CommentServer
) -> None:
    run_action(pull_request, tmp_path, server)
    [first] = [comment for comment in server.comments if comment["body"].startswith(MARKER)]
    pull_request.repo.write("src/app.py", "print('hi')  # " + "TODO" + ": polish\n")
    pull_request.repo.commit("todo")
    pr = PullRequest(
        pull_request.repo,
        pull_request.fork,
        pull_request.base,
        pull_request.repo.git("rev-parse", "HEAD").strip(),
    )
    code, _, _ = run_action(pr, tmp_path, server)
    assert code == 1
    assert writes(server) == [
        ("POST", "/repos/octo/demo/issues/7/comments"),
        ("PATCH", f"/repos/octo/demo/issues/comments/{first['id']}"),
    ]
    assert len(server.comments) == 1
    assert server.comments[0]["body"].startswith(f"{MARKER}\n### plankeeper: ❌ fail\n")
    assert "**PK201**" in server.comments[0]["body"]


def test_a_marker_in_someone_elses_comment_is_not_ours(
    pull_request: PullRequest, tmp_path: Path, server: CommentServer
) -> None:
    server.comments = [{"id": 5, "body": MARKER + " quoted", "user": {"login": "bob"}}]
    run_action(pull_request, tmp_path, server)
    assert writes(server) == [("POST", "/repos/octo/demo/issues/7/comments")]


def test_a_fork_gets_the_report_in_the_job_summary_and_one_notice(
    pull_request: PullRequest, tmp_path: Path, server: CommentServer
) -> None:
    code, out, summary = run_action(pull_request, tmp_path, server, fork=True)
    assert code == 0
    assert writes(server) == []
    notices = [line for line in out.splitlines() if line.startswith("::notice")]
    assert notices == [
        "::notice title=plankeeper::no pull-request comment: a pull request from a fork gets "
        "a read-only token; the report is in the job summary"
    ]
    assert f"{MARKER}\n### plankeeper: ✅ pass\n" in summary


def test_a_refused_write_degrades_to_the_job_summary(
    pull_request: PullRequest, tmp_path: Path, server: CommentServer
) -> None:
    server.write_status = 403
    code, out, summary = run_action(pull_request, tmp_path, server)
    assert code == 0
    assert (
        "::notice title=plankeeper::no pull-request comment: POST "
        "/repos/octo/demo/issues/7/comments: HTTP 403 (the token may not write" in out
    )
    assert MARKER in summary
