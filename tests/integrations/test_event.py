"""`--base auto`: the GitHub event's change set, and the label that skips a pull request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from plankeeper.event import labels_from_payload, revisions
from tests.conftest import MINIMAL_PLAN, Repo
from tests.integrations.local_api import ApiHandler, serving

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
ZERO = "0" * 40
FAIL = (
    f"{PLAN}: PK101 src/app.py changed but the plan was not updated [plan-updated]\n"
    "plankeeper: 1 error, 0 warnings\n"
)
PASS_ONE = "plankeeper: 0 errors, 0 warnings\n"


@dataclass
class PullRequest:
    """main with a plan; `feature` forked from it adds code; main then moves on."""

    repo: Repo
    fork: str
    base: str
    head: str


@pytest.fixture
def pull_request(repo: Repo) -> PullRequest:
    repo.write(PLAN, MINIMAL_PLAN)
    fork = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hi')\n")
    head = repo.commit("code")
    repo.git("checkout", "-q", "main")
    # A plan change on main after the fork must not count for the pull request.
    repo.write(PLAN, MINIMAL_PLAN + "- [ ] T003 later on main\n")
    base = repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    return PullRequest(repo, fork, base, head)


def event(tmp_path: Path, name: str, payload: dict[str, Any], **extra: str) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path), **extra}


def pr_payload(
    pr: PullRequest, labels: list[str] | None = None, head: str | None = None
) -> dict[str, Any]:
    return {
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"sha": pr.base, "ref": "main"},
            "head": {"sha": head or pr.head, "ref": "feature"},
            "labels": [{"name": name, "color": "ffffff"} for name in labels or []],
        },
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }


@pytest.mark.parametrize("name", ["pull_request", "pull_request_target"])
def test_pull_request_is_checked_from_the_merge_base(
    pull_request: PullRequest, tmp_path: Path, name: str
) -> None:
    environ = event(tmp_path, name, pr_payload(pull_request))
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report, result.stderr) == (1, FAIL, "")


def test_pull_request_with_a_plan_update_passes(pull_request: PullRequest, tmp_path: Path) -> None:
    repo = pull_request.repo
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    head = repo.commit("plan too")
    environ = event(tmp_path, "pull_request", pr_payload(pull_request, head=head))
    result = repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_head_option_overrides_the_event_head(pull_request: PullRequest, tmp_path: Path) -> None:
    environ = event(tmp_path, "pull_request", pr_payload(pull_request))
    result = pull_request.repo.run(
        "check", "plan-updated", "--base", "auto", "--head", pull_request.fork, env=environ
    )
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_merge_group_is_checked_from_base_sha(pull_request: PullRequest, tmp_path: Path) -> None:
    payload = {
        "merge_group": {"base_sha": pull_request.fork, "head_sha": pull_request.head},
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }
    environ = event(tmp_path, "merge_group", payload)
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (1, FAIL)


def test_push_is_checked_from_before(pull_request: PullRequest, tmp_path: Path) -> None:
    payload = {
        "before": pull_request.fork,
        "after": pull_request.head,
        "repository": {"default_branch": "main"},
    }
    environ = event(tmp_path, "push", payload)
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (1, FAIL)


def new_branch_push(pr: PullRequest) -> dict[str, Any]:
    return {"before": ZERO, "after": pr.head, "repository": {"default_branch": "main"}}


def test_new_branch_push_is_checked_from_the_default_branch(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    environ = event(tmp_path, "push", new_branch_push(pull_request))
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (1, FAIL)


def test_new_branch_push_tries_origin_default_branch_first(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    repo = pull_request.repo
    # origin/main at the head: nothing new; local main (the fork's descendant) is not used.
    repo.git("update-ref", "refs/remotes/origin/main", pull_request.head)
    environ = event(tmp_path, "push", new_branch_push(pull_request))
    result = repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_new_branch_push_without_default_branch_is_exit_2(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    payload = new_branch_push(pull_request)
    payload["repository"]["default_branch"] = "trunk"
    result = pull_request.repo.run("check", "--base", "auto", env=event(tmp_path, "push", payload))
    assert (result.returncode, result.report, result.stderr) == (
        2,
        "",
        "plankeeper: error: --base auto: the default branch trunk (origin/trunk or trunk) is not "
        "in this clone; use actions/checkout with fetch-depth: 0 (or fetch it first)\n",
    )


def test_other_event_is_exit_2_naming_base(pull_request: PullRequest, tmp_path: Path) -> None:
    environ = event(tmp_path, "workflow_dispatch", {"inputs": {}})
    result = pull_request.repo.run("check", "--base", "auto", env=environ)
    assert (result.returncode, result.report, result.stderr) == (
        2,
        "",
        "plankeeper: error: --base auto does not support the workflow_dispatch event (only "
        "pull_request, pull_request_target, merge_group, push): pass --base REF instead\n",
    )


def test_no_event_file_is_exit_2_naming_base(pull_request: PullRequest) -> None:
    result = pull_request.repo.run("check", "--base", "auto", env={"GITHUB_EVENT_NAME": "push"})
    assert (result.returncode, result.stderr) == (
        2,
        "plankeeper: error: --base auto needs a GitHub event (GITHUB_EVENT_PATH is not set): "
        "pass --base REF instead\n",
    )


def test_base_missing_from_shallow_clone_names_fetch_depth(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    pull_request.repo.git(
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "feature",
        f"file://{pull_request.repo.path}",
        str(clone),
    )
    environ = event(tmp_path, "pull_request", pr_payload(pull_request))
    result = pull_request.repo.run("check", "--base", "auto", cwd=clone, env=environ)
    assert (result.returncode, result.report, result.stderr) == (
        2,
        "",
        f"plankeeper: error: --base auto: the base commit {pull_request.base[:12]} is not in this "
        "clone; use actions/checkout with fetch-depth: 0 (or fetch it first)\n",
    )


def trailer_pull_request(pull_request: PullRequest, tmp_path: Path) -> dict[str, str]:
    repo = pull_request.repo
    repo.write("src/more.py", "x = 1\n")
    head = repo.commit("more\n\nPlankeeper-Skip: all")
    return event(tmp_path, "pull_request", pr_payload(pull_request, head=head))


NOT_APPLIED_TRAILER = (
    "plankeeper: notice: not applied: the Plankeeper-Skip trailer would skip plan-updated "
    "(an author's skip; allow it with `skip: {trailers: true}` in the base configuration)\n"
)


def test_trailer_in_pull_request_commits_is_reported_not_applied(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    environ = trailer_pull_request(pull_request, tmp_path)
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.report == (
        f"{PLAN}: PK101 src/app.py, src/more.py changed but the plan was not updated "
        "[plan-updated]\n" + NOT_APPLIED_TRAILER + "plankeeper: 1 error, 0 warnings\n"
    )


def test_trailer_skips_when_the_base_configuration_allows_it(repo: Repo, tmp_path: Path) -> None:
    repo.write(".plankeeper.yaml", "skip:\n  trailers: true\n")
    repo.write(PLAN, MINIMAL_PLAN)
    base = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/more.py", "x = 1\n")
    head = repo.commit("more\n\nPlankeeper-Skip: plan-updated")
    pr = PullRequest(repo, base, base, head)
    environ = event(tmp_path, "pull_request", pr_payload(pr))
    result = repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (Plankeeper-Skip trailer)\n"
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_environment_skip_is_honoured_in_event_mode(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    environ = event(tmp_path, "pull_request", pr_payload(pull_request), PLANKEEPER_SKIP="all")
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (PLANKEEPER_SKIP=all)\n"
        "plankeeper: 0 errors, 0 warnings\n",
    )


def test_trailer_still_skips_a_range(pull_request: PullRequest) -> None:
    repo = pull_request.repo
    repo.write("src/more.py", "x = 1\n")
    repo.commit("more\n\nPlankeeper-Skip: plan-updated")
    result = repo.run("check", "plan-updated", "--base", pull_request.fork)
    assert result.returncode == 0
    assert "skipped plan-updated (Plankeeper-Skip trailer)" in result.report


# -- the configuration comes from the base commit --------------------------------------------

CONFIG_NOTICE = (
    "plankeeper: notice: not applied: the pull request changes {name}; the checks use the "
    "configuration of the base commit {base} (the change applies after merge)\n"
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".plankeeper.yaml", "checks:\n  plan-updated: off\n"),
        (".plankeeper.yaml", "exempt: ['**']\n"),
        ("pyproject.toml", "[tool.plankeeper]\nchecks = { plan-updated = 'off' }\n"),
    ],
    ids=["checks-off", "exempt-all", "pyproject"],
)
def test_pull_request_cannot_switch_checks_off_through_its_config(
    pull_request: PullRequest, tmp_path: Path, name: str, text: str
) -> None:
    repo = pull_request.repo
    repo.write(name, text)
    head = repo.commit("switch it off")
    environ = event(tmp_path, "pull_request", pr_payload(pull_request, head=head))
    result = repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.stderr) == (1, "")
    # pyproject.toml is code unless the base configuration lives in it.
    code = "pyproject.toml, src/app.py" if name == "pyproject.toml" else "src/app.py"
    assert result.report == (
        f"{PLAN}: PK101 {code} changed but the plan was not updated [plan-updated]\n"
        + CONFIG_NOTICE.format(name=name, base=pull_request.base[:12])
        + "plankeeper: 1 error, 0 warnings\n"
    )


def test_base_configuration_applies_to_the_pull_request(repo: Repo, tmp_path: Path) -> None:
    repo.write(".plankeeper.yaml", "checks:\n  plan-updated: warning\n")
    repo.write(PLAN, MINIMAL_PLAN)
    base = repo.commit("plan")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "x = 1\n")
    repo.write(".plankeeper.yaml", "checks:\n  plan-updated: error\n")
    head = repo.commit("code and a stricter config")
    environ = event(tmp_path, "pull_request", pr_payload(PullRequest(repo, base, base, head)))
    result = repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert result.returncode == 0
    assert "0 errors, 1 warning" in result.report
    assert "the pull request changes .plankeeper.yaml" in result.report


def test_config_option_is_read_from_the_base_commit(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    repo = pull_request.repo
    repo.write("ci/plankeeper.yaml", "checks:\n  plan-updated: off\n")
    head = repo.commit("a config of its own")
    environ = event(tmp_path, "pull_request", pr_payload(pull_request, head=head))
    result = repo.run(
        "check", "plan-updated", "--base", "auto", "--config", "ci/plankeeper.yaml", env=environ
    )
    assert (result.returncode, result.report, result.stderr) == (
        2,
        "",
        f"plankeeper: error: --config ci/plankeeper.yaml: not in the base commit "
        f"{pull_request.base[:12]} (in event mode the configuration is read from it)\n",
    )


def test_config_notice_reaches_the_step_summary(pull_request: PullRequest, tmp_path: Path) -> None:
    repo = pull_request.repo
    repo.write(".plankeeper.yaml", "checks:\n  plan-updated: off\n")
    head = repo.commit("switch it off")
    summary = tmp_path / "summary.md"
    environ = event(
        tmp_path,
        "pull_request",
        pr_payload(pull_request, head=head),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    result = repo.run("check", "plan-updated", "--base", "auto", "--format", "github", env=environ)
    assert result.returncode == 1
    assert "::warning title=plankeeper::not applied: the pull request changes" in result.report
    assert "| Notice |" in summary.read_text(encoding="utf-8")
    assert "the pull request changes .plankeeper.yaml" in summary.read_text(encoding="utf-8")


# -- the skip label --------------------------------------------------------------------------


def test_skip_label_in_payload_skips_every_check(pull_request: PullRequest, tmp_path: Path) -> None:
    environ = event(tmp_path, "pull_request", pr_payload(pull_request, ["plankeeper:skip"]))
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (label plankeeper:skip, from the event payload)\n"
        + PASS_ONE,
    )


def test_skip_label_name_comes_from_the_environment(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    payload = pr_payload(pull_request, ["plankeeper:skip"])
    environ = event(tmp_path, "pull_request", payload, PLANKEEPER_SKIP_LABEL="no-plan")
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (1, FAIL)


def test_payload_labels_are_read_by_name() -> None:
    payload = {"pull_request": {"labels": [{"name": "a"}, {"id": 3}, "b", {"name": "c"}]}}
    assert labels_from_payload(payload) == ["a", "c"]


def test_revisions_of_a_new_branch_push_has_no_base() -> None:
    assert revisions("push", {"before": ZERO, "after": "a" * 40}) == ("", "a" * 40)


@dataclass
class LabelServer:
    """The REST API's labels endpoint on 127.0.0.1, recording what it was asked."""

    url: str
    status: int = 200
    labels: list[str] = field(default_factory=list)
    requests: list[tuple[str, str | None]] = field(default_factory=list)


@pytest.fixture
def label_server() -> Iterator[LabelServer]:
    state = LabelServer("")

    class Handler(ApiHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("Authorization")))
            self.send_json(state.status, [{"name": name} for name in state.labels])

    with serving(Handler) as state.url:
        yield state


def api_event(
    tmp_path: Path, pr: PullRequest, server: LabelServer, payload_labels: list[str]
) -> dict[str, str]:
    return event(
        tmp_path,
        "pull_request",
        pr_payload(pr, payload_labels),
        GITHUB_TOKEN="t0ken",
        GITHUB_API_URL=server.url,
        GITHUB_REPOSITORY="octo/demo",
    )


def test_current_label_from_api_skips(
    pull_request: PullRequest, tmp_path: Path, label_server: LabelServer
) -> None:
    label_server.labels = ["bug", "plankeeper:skip"]
    environ = api_event(tmp_path, pull_request, label_server, [])
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (label plankeeper:skip, from the current labels)\n"
        + PASS_ONE,
    )
    assert label_server.requests == [
        ("/repos/octo/demo/issues/7/labels?per_page=100", "Bearer t0ken")
    ]


def test_label_removed_since_the_event_no_longer_skips(
    pull_request: PullRequest, tmp_path: Path, label_server: LabelServer
) -> None:
    label_server.labels = ["bug"]
    environ = api_event(tmp_path, pull_request, label_server, ["plankeeper:skip"])
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (1, FAIL)


def test_api_error_falls_back_to_the_payload(
    pull_request: PullRequest, tmp_path: Path, label_server: LabelServer
) -> None:
    label_server.status = 500
    environ = api_event(tmp_path, pull_request, label_server, ["plankeeper:skip"])
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        0,
        "plankeeper: skipped plan-updated (label plankeeper:skip, from the event payload)\n"
        + PASS_ONE,
    )
    assert len(label_server.requests) == 1


def test_unreachable_api_falls_back_to_the_payload(
    pull_request: PullRequest, tmp_path: Path, label_server: LabelServer
) -> None:
    label_server.url = "http://127.0.0.1:9"  # the discard port: nothing listens there
    environ = api_event(tmp_path, pull_request, label_server, ["plankeeper:skip"])
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report, result.stderr) == (
        0,
        "plankeeper: skipped plan-updated (label plankeeper:skip, from the event payload)\n"
        + PASS_ONE,
        "",
    )


def test_without_token_the_api_is_not_asked(
    pull_request: PullRequest, tmp_path: Path, label_server: LabelServer
) -> None:
    environ = api_event(tmp_path, pull_request, label_server, [])
    del environ["GITHUB_TOKEN"]
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert result.returncode == 1
    assert label_server.requests == []


def test_pull_request_made_before_adoption_is_told_the_plan_of_its_base(
    repo: Repo, tmp_path: Path
) -> None:
    repo.write("src/app.py", "print('hi')\n")
    fork = repo.commit("before adoption")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/app.py", "print('hello')\n")
    head = repo.commit("code")
    repo.git("checkout", "-q", "main")
    repo.write(PLAN, MINIMAL_PLAN)
    base = repo.commit("adopt plankeeper")
    repo.git("checkout", "-q", "feature")
    pull = PullRequest(repo, fork, base, head)
    environ = event(tmp_path, "pull_request", pr_payload(pull))
    result = repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report) == (
        1,
        f"{PLAN}: PK101 src/app.py changed but the plan was not updated: this branch was "
        f"made before its base added {PLAN}; merge the base branch in and update that plan "
        "[plan-updated]\n"
        "plankeeper: 1 error, 0 warnings\n",
    )


# -- dependency bots (issue 16) -------------------------------------------------------------


def by(payload: dict[str, Any], login: str, kind: str) -> dict[str, Any]:
    payload["pull_request"]["user"] = {"login": login, "type": kind, "id": 49699333}
    return payload


def base_config(pr: PullRequest, text: str) -> str:
    """A new base commit on main with this configuration: event mode reads it from there."""
    pr.repo.git("checkout", "-q", "main")
    pr.repo.write(".plankeeper.yaml", text)
    base = pr.repo.commit("configure")
    pr.repo.git("checkout", "-q", "feature")
    return base


def test_pull_request_by_dependabot_is_not_asked_for_a_plan_update(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    environ = event(
        tmp_path, "pull_request", by(pr_payload(pull_request), "dependabot[bot]", "Bot")
    )
    result = pull_request.repo.run("check", "--base", "auto", env=environ)
    assert (result.returncode, result.report, result.stderr) == (
        0,
        "plankeeper: skipped plan-updated (pull request by the bot dependabot[bot])\n"
        "plankeeper: skipped handoff-matches (pull request by the bot dependabot[bot])\n"
        "plankeeper: 0 errors, 0 warnings\n",
        "",
    )


def test_pull_request_by_a_person_is_asked_for_a_plan_update(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    environ = event(tmp_path, "pull_request", by(pr_payload(pull_request), "octocat", "User"))
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report, result.stderr) == (1, FAIL, "")


def test_a_login_listed_in_bots_counts_as_a_bot(pull_request: PullRequest, tmp_path: Path) -> None:
    payload = by(pr_payload(pull_request), "renovate-runner", "User")
    payload["pull_request"]["base"]["sha"] = base_config(pull_request, "bots: [renovate-runner]\n")
    environ = event(tmp_path, "pull_request", payload)
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    # The pull request lacks the base's new configuration: a notice says the base rules.
    assert (result.returncode, result.report.splitlines()[0], result.report.splitlines()[-1]) == (
        0,
        "plankeeper: skipped plan-updated (pull request by the bot renovate-runner)",
        PASS_ONE.strip(),
    )


def test_bots_false_asks_every_pull_request(pull_request: PullRequest, tmp_path: Path) -> None:
    payload = by(pr_payload(pull_request), "dependabot[bot]", "Bot")
    payload["pull_request"]["base"]["sha"] = base_config(pull_request, "bots: false\n")
    environ = event(tmp_path, "pull_request", payload)
    result = pull_request.repo.run("check", "plan-updated", "--base", "auto", env=environ)
    assert (result.returncode, result.report.splitlines()[0]) == (1, FAIL.splitlines()[0])
