"""The GitHub event: its payload, the revisions it names, and the label that skips a run."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from plankeeper.errors import PlankeeperError
from plankeeper.findings import CHECK_NAMES
from plankeeper.git.states import ZERO_SHA
from plankeeper.skips import Skip, parse_names

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
EVENTS = (*PULL_REQUEST_EVENTS, "merge_group", "push")
DEFAULT_LABEL = "plankeeper:skip"
LABEL_ENV = "PLANKEEPER_SKIP_LABEL"
API_TIMEOUT = 5.0
FETCH_FIX = "use actions/checkout with fetch-depth: 0 (or fetch it first)"


def read_event(environ: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """The event's name and payload, or an error naming `--base` for what cannot be used."""
    name = environ.get("GITHUB_EVENT_NAME", "")
    path = environ.get("GITHUB_EVENT_PATH")
    if not path:
        raise PlankeeperError(
            "--base auto needs a GitHub event (GITHUB_EVENT_PATH is not set): "
            "pass --base REF instead"
        )
    if name not in EVENTS:
        raise PlankeeperError(
            f"--base auto does not support the {name or 'unnamed'} event "
            f"(only {', '.join(EVENTS)}): pass --base REF instead"
        )
    try:
        with open(path, encoding="utf-8") as stream:
            payload = json.load(stream)
    except (OSError, ValueError) as error:
        raise PlankeeperError(f"--base auto: cannot read the event file {path}: {error}") from None
    if not isinstance(payload, dict):
        raise PlankeeperError(f"--base auto: the event file {path} holds no JSON object")
    return name, payload


def _field(payload: Mapping[str, Any], *keys: str) -> str:
    value: Any = payload
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, str) or not value:
        raise PlankeeperError(f"--base auto: the event payload has no {'.'.join(keys)}")
    return value


def revisions(name: str, payload: Mapping[str, Any]) -> tuple[str, str]:
    """The event's (base, head) commits; the base is "" for a push that created a branch."""
    if name in PULL_REQUEST_EVENTS:
        return _field(payload, "pull_request", "base", "sha"), _field(
            payload, "pull_request", "head", "sha"
        )
    if name == "merge_group":
        return _field(payload, "merge_group", "base_sha"), _field(
            payload, "merge_group", "head_sha"
        )
    before, after = _field(payload, "before"), _field(payload, "after")
    return ("" if before == ZERO_SHA else before), after


def default_branch_name(payload: Mapping[str, Any]) -> str:
    """The repository's default branch, which a push that created a branch starts from."""
    return _field(payload, "repository", "default_branch")


def fetch_targets(environ: Mapping[str, str]) -> tuple[str, str, str] | None:
    """What a shallow clone must fetch for the event: (refspec, base revision, head sha).

    The action deepens both until their merge-base exists; None when there is no event
    that `--base auto` reads (the check itself then reports why).
    """
    try:
        name, payload = read_event(environ)
        base, head = revisions(name, payload)
        if base:
            return base, base, head
        branch = _field(payload, "repository", "default_branch")
    except PlankeeperError:
        return None
    tracking = f"refs/remotes/origin/{branch}"
    return f"+refs/heads/{branch}:{tracking}", tracking, head


def labels_from_payload(payload: Mapping[str, Any]) -> list[str]:
    pull_request = payload.get("pull_request")
    labels = pull_request.get("labels") if isinstance(pull_request, Mapping) else None
    return _label_names(labels)


def _label_names(labels: Any) -> list[str]:
    if not isinstance(labels, list):
        return []
    return [
        label["name"]
        for label in labels
        if isinstance(label, Mapping) and isinstance(label.get("name"), str)
    ]


def labels_from_api(environ: Mapping[str, str], payload: Mapping[str, Any]) -> list[str] | None:
    """The pull request's current labels from the REST API; None on any failure.

    A re-run replays the payload of the first run, whose labels may be stale.
    """
    import http.client
    import urllib.error
    import urllib.request

    token = environ.get("GITHUB_TOKEN")
    pull_request = payload.get("pull_request")
    number = pull_request.get("number") if isinstance(pull_request, Mapping) else None
    repository = environ.get("GITHUB_REPOSITORY") or _optional(payload, "repository", "full_name")
    if not token or not isinstance(number, int) or not repository:
        return None
    api = environ.get("GITHUB_API_URL") or "https://api.github.com"
    if not api.startswith(("https://", "http://")):
        return None
    request = urllib.request.Request(
        f"{api.rstrip('/')}/repos/{repository}/issues/{number}/labels?per_page=100",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "plankeeper",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=API_TIMEOUT) as response:
            data = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError, http.client.HTTPException):
        return None
    if not isinstance(data, list):
        return None
    return _label_names(data)


def _optional(payload: Mapping[str, Any], *keys: str) -> str | None:
    value: Any = payload
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else None


def _pull_request_payload(environ: Mapping[str, str]) -> Mapping[str, Any] | None:
    """The payload of a pull-request event; None for any other event, or none to read."""
    try:
        name, payload = read_event(environ)
    except PlankeeperError:
        return None
    return payload if name in PULL_REQUEST_EVENTS else None


def bot_skip(environ: Mapping[str, str], bots: tuple[str, ...] | None) -> Skip | None:
    """plan-updated and handoff-matches, for a pull request that a bot opened.

    A dependency bot bumps versions; it never updates a plan or handoff notes. A bot is
    an account of type Bot (dependabot[bot], renovate[bot]) or a login listed in `bots`
    (a self-hosted Renovate runs as a user). `bots: false` (None) asks every pull request.
    """
    if bots is None:
        return None
    payload = _pull_request_payload(environ)
    if payload is None:
        return None
    login = _optional(payload, "pull_request", "user", "login")
    kind = _optional(payload, "pull_request", "user", "type")
    if login is None or (kind != "Bot" and login not in bots):
        return None
    return Skip(frozenset({"plan-updated", "handoff-matches"}), f"pull request by the bot {login}")


def label_skip(environ: Mapping[str, str]) -> Skip | None:
    """Every check, when the pull request carries the skip label."""
    label = environ.get(LABEL_ENV) or DEFAULT_LABEL
    payload = _pull_request_payload(environ)
    if payload is None:
        return None
    labels = labels_from_api(environ, payload)
    source = "from the current labels"
    if labels is None:
        labels, source = labels_from_payload(payload), "from the event payload"
    if label in labels:
        return Skip(frozenset(CHECK_NAMES), f"label {label}, {source}")
    # `plankeeper:skip:<check>` skips one check; a name that is no check is an error.
    prefix = f"{label}:"
    named = sorted(name for name in labels if name.startswith(prefix))
    if not named:
        return None
    checks = {parse_names(name.removeprefix(prefix), f"label {name}") for name in named}
    return Skip(frozenset().union(*checks), f"label {', '.join(named)}, {source}")
