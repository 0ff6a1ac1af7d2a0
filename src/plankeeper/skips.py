"""What skips a check: PLANKEEPER_SKIP, `Plankeeper-Skip:` trailers, a pull-request label."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from plankeeper.config import Config, is_code, role_of
from plankeeper.findings import CHECK_NAMES, unknown_check
from plankeeper.git.repository import Repository
from plankeeper.git.states import ChangeSet
from plankeeper.globs import matches_any
from plankeeper.text import display_path

TRAILER = "Plankeeper-Skip"
ENV = "PLANKEEPER_SKIP"
# Modes that have a range of commits, whose trailers count (SPEC § Details).
TRAILER_MODES = ("range", "event", "pre-push")
# Modes that judge one commit (being made, or staged for one): `plan-updated.per: push`
# leaves plan-updated to the modes that judge what a push sends.
COMMIT_MODES = ("staged", "amend", "merge", "rebase", "cherry-pick", "revert")


class Skip(NamedTuple):
    """Checks skipped and why ("PLANKEEPER_SKIP", "trailer in 1a2b3c4", "label plankeeper:skip")."""

    checks: frozenset[str]
    reason: str


def parse_names(text: str, where: str) -> frozenset[str]:
    """Check names of a comma-separated list; `all` means every check.

    An unknown word is an error naming `where`: a typo must not run a check that the
    user meant to skip, nor hide that the skip did nothing.
    """
    words = {word.strip().lower() for word in text.replace(";", ",").split(",")} - {""}
    for word in sorted(words):
        if word != "all" and word not in CHECK_NAMES:
            raise unknown_check(word, where)
    if "all" in words:
        return frozenset(CHECK_NAMES)
    return frozenset(words)


def from_environment(environ: Mapping[str, str]) -> Skip | None:
    names = parse_names(environ.get(ENV, ""), ENV)
    return Skip(names, f"{ENV}={environ[ENV]}") if names else None


def from_trailers(repo: Repository, change_set: ChangeSet) -> Skip | None:
    if change_set.mode not in TRAILER_MODES or change_set.old is None or change_set.new.rev is None:
        return None
    # An empty old state (a push that reaches a root commit): every commit of the new state.
    names: set[str] = set()
    for value in repo.trailer_values(change_set.old.rev, change_set.new.rev, TRAILER):
        names |= parse_names(value, f"{TRAILER} trailer")
    return Skip(frozenset(names), f"{TRAILER} trailer") if names else None


def lockfile_skip(config: Config, change_set: ChangeSet) -> Skip | None:
    """plan-updated, when the change is lockfiles alone: a tool rewrote them, no plan moved.

    Lockfiles are never code (`lockfiles`); said here so that the output shows why a
    change to them asked for nothing.
    """
    if change_set.old is None or change_set.is_whole_tree:
        return None
    locks = [
        path
        for path in change_set.changed
        if role_of(config, path) is None and matches_any(config.lockfiles, path)
    ]
    if not locks or any(is_code(config, path) for path in change_set.changed):
        return None
    shown = ", ".join(display_path(path) for path in locks[:3])
    more = f" and {len(locks) - 3} more" if len(locks) > 3 else ""
    return Skip(frozenset({"plan-updated"}), f"lockfiles are not code: {shown}{more}")


def per_push(config: Config, change_set: ChangeSet) -> Skip | None:
    """plan-updated, for one commit, when it is judged per push (`plan-updated.per: push`)."""
    if config.plan_updated_per == "push" and change_set.mode in COMMIT_MODES:
        return Skip(frozenset({"plan-updated"}), "plan-updated.per: push, judged when pushed")
    return None


def not_applied(skip: Skip, names: Iterable[str]) -> str | None:
    """The notice for an author's skip that event mode reports instead of applying."""
    skipped = [name for name in names if name in skip.checks]
    if not skipped:
        return None
    return (
        f"not applied: the {skip.reason} would skip {', '.join(skipped)} (an author's skip; "
        "allow it with `skip: {trailers: true}` in the base configuration)"
    )


def skipped_checks(skips: Iterable[Skip]) -> dict[str, str]:
    """Each skipped check with the first reason that skipped it."""
    result: dict[str, str] = {}
    for skip in skips:
        for name in sorted(skip.checks):
            result.setdefault(name, skip.reason)
    return result
