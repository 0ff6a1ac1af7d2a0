"""The GitHub event change set (`--base auto`) and the pull-request label that skips a run."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from plankeeper.config import (
    CHECK_NAMES,
    CONFIG_FILE,
    Config,
    config_from_bytes,
    config_section,
    default_config,
)
from plankeeper.errors import PlankeeperError
from plankeeper.git import ZERO_SHA, ChangeSet, Repository, commit_state
from plankeeper.globs import Glob
from plankeeper.skips import Skip

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


def _require(repo: Repository, sha: str, what: str) -> str:
    if not repo.has_commit(sha):
        raise PlankeeperError(f"--base auto: {what} {sha[:12]} is not in this clone; {FETCH_FIX}")
    return sha


def _default_branch(repo: Repository, payload: Mapping[str, Any]) -> str:
    name = _field(payload, "repository", "default_branch")
    for candidate in (f"refs/remotes/origin/{name}", f"refs/heads/{name}"):
        try:
            return repo.resolve(candidate)
        except PlankeeperError:
            continue
    raise PlankeeperError(
        f"--base auto: the default branch {name} (origin/{name} or {name}) is not in this "
        f"clone; {FETCH_FIX}"
    )


def change_set(repo: Repository, environ: Mapping[str, str], head: str | None = None) -> ChangeSet:
    """The event's change set, up to its head commit (or `head`).

    From merge-base(base, head) for a pull request or a merge group, from `before` for a
    push, and for a push that created a branch from its merge-base with the default branch.
    """
    name, payload = read_event(environ)
    base, event_head = revisions(name, payload)
    if name == "push" and event_head == ZERO_SHA:
        # A push that deleted the branch brings nothing to check.
        here = repo.resolve(head or "HEAD", option="--head")
        return ChangeSet("event", commit_state(here), commit_state(here), ())
    head_sha = repo.resolve(head, option="--head") if head else _require(repo, event_head, "head")
    if name == "push" and base:
        old = _require(repo, base, "the pushed-over commit (before)")
    else:
        if not base:
            other = _default_branch(repo, payload)
        else:
            other = _require(repo, base, "the base commit")
        old = repo.merge_base(other, head_sha)
    return repo.commit_range(old, head_sha, mode="event")


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


def label_skip(environ: Mapping[str, str]) -> Skip | None:
    """Every check, when the pull request carries the skip label."""
    label = environ.get(LABEL_ENV) or DEFAULT_LABEL
    try:
        name, payload = read_event(environ)
    except PlankeeperError:
        return None
    if name not in PULL_REQUEST_EVENTS:
        return None
    labels = labels_from_api(environ, payload)
    source = "from the current labels"
    if labels is None:
        labels, source = labels_from_payload(payload), "from the event payload"
    if label not in labels:
        return None
    return Skip(frozenset(CHECK_NAMES), f"label {label}, {source}")


# -- policy: what a pull request cannot change ------------------------------------------------


def policy_commit(repo: Repository, environ: Mapping[str, str], change_set: ChangeSet) -> str:
    """The commit whose configuration rules the event: the base the change goes into.

    The pull request's (or merge group's) base, the commit a push started from; the
    change set's old state where the event names none (a push that created a branch).
    """
    name, payload = read_event(environ)
    base, _ = revisions(name, payload)
    if base and repo.has_commit(base):
        return base
    state = change_set.old or change_set.new
    assert state.rev is not None
    return state.rev


def base_config(
    repo: Repository,
    environ: Mapping[str, str],
    change_set: ChangeSet,
    explicit: str | None = None,
) -> tuple[Config, list[str]]:
    """The configuration of the policy commit, and a notice when the change alters it.

    A pull request must not switch its own checks off: its configuration applies once it
    is merged. `explicit` is `--config` made repo-relative.
    """
    base = policy_commit(repo, environ, change_set)
    state = commit_state(base)
    names = [explicit] if explicit is not None else [CONFIG_FILE, "pyproject.toml"]
    # Only regular files: a committed link would lead git to print where it points.
    regular = set(repo.files(state, [Glob(name) for name in names]))
    found = repo.read_many(state, [name for name in names if name in regular])
    if explicit is not None and explicit not in found:
        raise PlankeeperError(
            f"--config {explicit}: not in the base commit {base[:12]} "
            "(in event mode the configuration is read from it)"
        )
    config = default_config()
    for name in names:
        if name in found:
            config = config_from_bytes(found[name], name, explicit=explicit is not None)
            if explicit is not None or config.path is not None:
                break
    notices = []
    name, _ = read_event(environ)
    what = "the pull request" if name in PULL_REQUEST_EVENTS else "this change"
    if change_set.new.rev is not None and change_set.new.rev != base:
        new_regular = set(repo.files(change_set.new, [Glob(name) for name in names]))
        changed = repo.read_many(change_set.new, [name for name in names if name in new_regular])
        for path in names:
            if config_section(path, found.get(path)) != config_section(path, changed.get(path)):
                notices.append(
                    f"not applied: {what} changes {path}; the checks use the "
                    f"configuration of the base commit {base[:12]} (the change applies after merge)"
                )
                break
    return config, notices
