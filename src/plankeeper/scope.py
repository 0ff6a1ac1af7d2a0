"""What a run judged: the change (base..head, staged, the tree), the files and plans read."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from plankeeper.git import ChangeSet, State


class Scope(NamedTuple):
    """The change a run judged, in words, and how much it read to judge it."""

    change: str  # "the staged change", "main..HEAD (1a2b3c4..5d6e7f8)"
    files: int  # files of the change set (every file, for the whole tree)
    whole_tree: bool  # the change set is the whole working tree
    tree_scanned: bool  # TODOs were looked for in the whole tree, not only the change
    plans: int  # plans read


def short(state: State | None) -> str:
    """A state as a person writes it: seven hex digits of a commit, else its kind."""
    if state is None or state.kind == "empty":
        return "(empty)"
    if state.kind == "commit" and state.rev:
        return state.rev[:7]
    return state.kind


def describe(change_set: ChangeSet, names: str | None = None) -> str:
    """The change in words; `names` is how the user named it (`main..HEAD`, the refs)."""
    span = f"{short(change_set.old)}..{short(change_set.new)}"
    mode = change_set.mode
    if change_set.is_whole_tree:
        return "the whole tree"
    if mode == "staged":
        return "the staged change"
    if mode == "verify":
        since = f"{names} ({short(change_set.old)})" if names else short(change_set.old)
        return f"the work since {since} up to the working tree"
    if mode == "event":
        return f"the pull request ({span})"
    if mode == "pre-push":
        return f"the push of {names} ({span})" if names else f"the push {span}"
    return f"{names} ({span})" if names else span


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def details(scope: Scope, run: int, skipped: int) -> str:
    """`1 file changed, 2 plans read; 4 checks run, 1 skipped`."""
    if scope.whole_tree:
        parts = [_count(scope.files, "file")]
    else:
        parts = [f"{_count(scope.files, 'file')} changed"]
        if scope.tree_scanned:
            parts.append("the whole tree scanned for TODOs")
    parts.append(f"{_count(scope.plans, 'plan')} read")
    checks = f"{_count(run, 'check')} run"
    if skipped:
        checks += f", {skipped} skipped"
    return f"{', '.join(parts)}; {checks}"
