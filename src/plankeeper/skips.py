"""What skips a check: PLANKEEPER_SKIP, `Plankeeper-Skip:` trailers, a pull-request label."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from plankeeper.config import CHECK_NAMES
from plankeeper.git import ChangeSet, Repository

TRAILER = "Plankeeper-Skip"
ENV = "PLANKEEPER_SKIP"
# Modes that have a range of commits, whose trailers count (SPEC § Details).
TRAILER_MODES = ("range", "event", "pre-push")


class Skip(NamedTuple):
    """Checks skipped and why ("PLANKEEPER_SKIP", "trailer in 1a2b3c4", "label plankeeper:skip")."""

    checks: frozenset[str]
    reason: str


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.replace(";", ",").split(",") if word.strip()]


def _name(word: str) -> str | None:
    """The check or code a word names (codes in any case), as `checks:` takes them."""
    from plankeeper.findings import CODES

    if word.lower() in CHECK_NAMES or word.lower() == "all":
        return word.lower()
    return word.upper() if word.upper() in CODES else None


def parse_names(text: str) -> frozenset[str]:
    """Checks and codes of a comma-separated list; `all` means every check; unknown words
    are ignored (a trailer cannot be corrected once committed)."""
    names = {_name(word) for word in _words(text)}
    if "all" in names:
        return frozenset(CHECK_NAMES)
    return frozenset(name for name in names if name is not None)


def from_environment(environ: Mapping[str, str]) -> Skip | None:
    """PLANKEEPER_SKIP: an unknown word is an error, as in `checks:` of the config."""
    text = environ.get(ENV, "")
    for word in _words(text):
        if _name(word) is None:
            import difflib

            from plankeeper.errors import PlankeeperError
            from plankeeper.findings import CODES

            close = difflib.get_close_matches(word, [*CHECK_NAMES, *CODES, "all"], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise PlankeeperError(
                f"{ENV}: unknown check or code '{word}'{hint}; use all, a check "
                f"({', '.join(CHECK_NAMES)}) or a code such as PK101"
            )
    names = parse_names(text)
    return Skip(names, f"{ENV}={text}") if names else None


def from_trailers(repo: Repository, change_set: ChangeSet) -> Skip | None:
    if change_set.mode not in TRAILER_MODES or change_set.old is None or change_set.new.rev is None:
        return None
    # An empty old state (a push that reaches a root commit): every commit of the new state.
    names: set[str] = set()
    for value in repo.trailer_values(change_set.old.rev, change_set.new.rev, TRAILER):
        names |= parse_names(value)
    return Skip(frozenset(names), f"{TRAILER} trailer") if names else None


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
