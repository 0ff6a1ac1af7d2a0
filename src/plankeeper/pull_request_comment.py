"""One pull-request comment with the markdown report, updated in place on every push.

Found again by a hidden marker. A fork's pull request gets a read-only token: there,
and on any refusal of the API, the report goes to the step summary with a notice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from plankeeper.errors import PlankeeperError
from plankeeper.findings import RunResult

API_TIMEOUT = 10
# Comments are read a page at a time; a pull request with more is left a new comment.
PAGES = 10
BOT = "github-actions[bot]"


class ApiError(Exception):
    """The REST API refused or could not be reached; `status` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _request(environ: Mapping[str, str], method: str, path: str, body: Any = None) -> Any:
    import http.client
    import urllib.error
    import urllib.request

    api = (environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/")
    if not api.startswith(("https://", "http://")):
        raise ApiError(f"GITHUB_API_URL {api} is no http(s) URL")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        f"{api}{path}",
        data=data,
        method=method,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {environ['GITHUB_TOKEN']}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "plankeeper",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=API_TIMEOUT) as response:
            return json.loads(response.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as error:
        raise ApiError(f"{method} {path}: HTTP {error.code}", error.code) from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise ApiError(f"{method} {path}: {error}") from None


def _ours(comment: Any) -> bool:
    if not isinstance(comment, Mapping) or not isinstance(comment.get("body"), str):
        return False
    user = comment.get("user")
    is_bot = isinstance(user, Mapping) and (user.get("login") == BOT or user.get("type") == "Bot")
    from plankeeper.report.markdown import MARKER

    return is_bot and comment["body"].startswith(MARKER)


def find_comment(environ: Mapping[str, str], repository: str, number: int) -> int | None:
    """The id of the comment this action left before, if any."""
    for page in range(1, PAGES + 1):
        comments = _request(
            environ,
            "GET",
            f"/repos/{repository}/issues/{number}/comments?per_page=100&page={page}",
        )
        if not isinstance(comments, list):
            return None
        for comment in comments:
            if _ours(comment) and isinstance(comment.get("id"), int):
                return int(comment["id"])
        if len(comments) < 100:
            return None
    return None


def target(environ: Mapping[str, str]) -> tuple[str, int, bool] | str:
    """(repository, pull-request number, from a fork), or why there is none."""
    from plankeeper.event import PULL_REQUEST_EVENTS, read_event

    try:
        name, payload = read_event(environ)
    except PlankeeperError:
        return "no GitHub event to read"
    pull_request = payload.get("pull_request")
    if name not in PULL_REQUEST_EVENTS or not isinstance(pull_request, Mapping):
        return f"a {name} event has no pull request"
    number = pull_request.get("number")
    repository = environ.get("GITHUB_REPOSITORY") or _name(payload.get("repository"))
    if not isinstance(number, int) or not repository:
        return "the event names no pull request"
    head = _name(_get(pull_request, "head", "repo"))
    base = _name(_get(pull_request, "base", "repo")) or repository
    # `pull_request_target` runs with the base repository's token, even for a fork.
    is_fork = name == "pull_request" and head is not None and head != base
    return repository, number, is_fork


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _name(repository: Any) -> str | None:
    name = _get(repository, "full_name")
    return name if isinstance(name, str) else None


def post(environ: Mapping[str, str], repository: str, number: int, body: str) -> str:
    """Update the comment left before, else create one; returns `updated` or `created`."""
    existing = find_comment(environ, repository, number)
    if existing is not None:
        _request(
            environ, "PATCH", f"/repos/{repository}/issues/comments/{existing}", {"body": body}
        )
        return "updated"
    _request(environ, "POST", f"/repos/{repository}/issues/{number}/comments", {"body": body})
    return "created"


def publish(result: RunResult, environ: Mapping[str, str]) -> str | None:
    """Post the report; when that cannot be done, put it in the step summary.

    Returns a one-line workflow notice for the log when the comment was not posted.
    """
    from plankeeper.report.markdown import COMMENT_LIMIT, render

    found = target(environ)
    why: str | None = None
    if isinstance(found, str):
        why = found
    elif found[2]:
        why = "a pull request from a fork gets a read-only token"
    elif not environ.get("GITHUB_TOKEN"):
        why = "GITHUB_TOKEN is not set"
    else:
        repository, number, _ = found
        try:
            post(environ, repository, number, render(result, COMMENT_LIMIT))
            return None
        except ApiError as error:
            why = str(error)
            if error.status in (401, 403, 404):
                why += " (the token may not write to pull requests: `permissions: "
                why += "pull-requests: write`)"
    if environ.get("GITHUB_STEP_SUMMARY"):
        from plankeeper.report.github import SUMMARY_LIMIT, append

        append(environ["GITHUB_STEP_SUMMARY"], render(result, SUMMARY_LIMIT))
        where = "the report is in the job summary"
    else:
        where = "no job summary to write the report to"
    from plankeeper.report.github import escape_data

    return f"::notice title=plankeeper::no pull-request comment: {escape_data(why)}; {where}"
