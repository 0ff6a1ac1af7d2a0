"""handoff-matches: PK300 (notes not updated), PK301 (unmentioned change), PK302, PK303."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from plankeeper.context import Context
from plankeeper.findings import Finding, finding
from plankeeper.git.states import WORKTREE, State
from plankeeper.globs import Glob

if TYPE_CHECKING:
    from plankeeper.handoff import Mention, Notes

# SPEC: PK300 is for the modes that look at a whole piece of work, not at one commit.
NOT_UPDATED_MODES = ("range", "event", "verify")


@dataclass
class Work:
    """The files changed between a handoff base and the new state, and the new state's files."""

    base: State
    # Renames as their new path, deletions included (what the notes must mention).
    changed: frozenset[str]
    renamed_from: frozenset[str]
    # Deleted or renamed away: paths that may be mentioned although they are gone.
    gone: frozenset[str]
    files: frozenset[str]

    @cached_property
    def known(self) -> frozenset[str]:
        """Every path a mention may name: the new state's files and what is gone."""
        return self.files | self.gone

    @cached_property
    def folders(self) -> frozenset[str]:
        from plankeeper.handoff import folders_of

        return frozenset(folders_of(self.known))

    @cached_property
    def touched(self) -> frozenset[str]:
        """What a changed-files list may name: changed paths and the old paths of renames."""
        return self.changed | self.renamed_from

    @cached_property
    def touched_folders(self) -> frozenset[str]:
        from plankeeper.handoff import folders_of

        return frozenset(folders_of(self.touched))

    @cached_property
    def top_level(self) -> frozenset[str]:
        return frozenset(path.split("/", 1)[0] for path in self.known)


def is_path(mention: Mention, work: Work) -> bool:
    """Whether a mention is a path that PK302 and PK303 judge.

    Plain text needs a `/` (SPEC) and, so that "and/or" or "12/04" is no path, also an
    extension, a trailing `/`, or a first folder that the repository has.
    """
    if not mention.counts_as_path():
        return False
    if mention.kind != "text":
        return True
    return (
        mention.is_folder
        or mention.has_extension
        or mention.path.split("/", 1)[0] in work.top_level
    )


def exists(mention: Mention, work: Work, on_disk: Callable[[str], bool] | None = None) -> bool:
    """The path is in the new state (a file or a folder) or was deleted or renamed away.

    `on_disk` is asked last, in working-tree modes, for files that git ignores.
    """
    if mention.is_glob:
        glob = Glob(mention.path)
        return any(glob.matches(path) for path in work.known)
    for path in mention.candidates:
        if path in work.known or path in work.folders:
            return True
    return on_disk is not None and any(on_disk(path) for path in mention.candidates)


def did_change(mention: Mention, work: Work) -> bool:
    """A listed file, folder or glob names something that changed since the handoff base."""
    if mention.is_glob:
        glob = Glob(mention.path)
        return any(glob.matches(path) for path in work.touched)
    return any(path in work.touched or path in work.touched_folders for path in mention.candidates)


def is_stale(mention: Mention, work: Work, on_disk: Callable[[str], bool] | None = None) -> bool:
    """A listed path that did not change since the handoff base: PK302, or PK303 when
    it does not exist either. `plankeeper handoff` keeps such a line and says so.
    """
    return (
        mention.listed
        and is_path(mention, work)
        and (not exists(mention, work, on_disk) or not did_change(mention, work))
    )


def check(ctx: Context) -> Iterator[Finding]:
    change_set = ctx.change_set
    if change_set.old is None:
        # Whole-tree mode has no old state: there is no work to compare the notes with.
        return
    touched = [path for path in change_set.changed if ctx.role(path) == "handoff"]
    if not touched:
        if change_set.mode in NOT_UPDATED_MODES:
            yield from _not_updated(ctx)
        return
    for path in touched:
        if path not in change_set.deleted:
            yield from check_notes(ctx, path)


def _not_updated(ctx: Context) -> Iterator[Finding]:
    code = [path for path in ctx.change_set.changed if ctx.is_code(path)]
    if code and ctx.handoff_paths:
        yield finding(
            "PK300",
            f"{_describe(code)} changed but the handoff notes were not updated",
            path=ctx.handoff_paths[0],
            notes=ctx.handoff_paths[0],
        )


def check_notes(ctx: Context, path: str) -> Iterator[Finding]:
    # Imported here: most commits touch no handoff notes, and the hook runs on every one.
    from plankeeper.handoff import Coverage, parse_notes
    from plankeeper.text import decode

    change_set = ctx.change_set
    assert change_set.old is not None
    data = ctx.repo.read(change_set.new, path)
    if data is None:
        return
    notes = parse_notes(decode(data), path)
    work = work_since(ctx, path, notes, data)
    coverage = Coverage(notes.mentions, notes.names)
    for changed in sorted(work.changed):
        if ctx.is_code(changed) and not coverage.covers(changed):
            yield finding(
                "PK301",
                f"{changed} changed but the handoff notes do not mention it",
                path=path,
                file=changed,
                notes=path,
                base=short(work.base),
            )
    yield from _listed_and_missing(ctx, notes, work)


def work_since(ctx: Context, path: str, notes: Notes, data: bytes) -> Work:
    from plankeeper.changes import handoff_base

    change_set = ctx.change_set
    assert change_set.old is not None
    base = handoff_base(ctx.repo, path, notes, change_set.new, data, change_set.old)
    changed, deleted, renamed = ctx.repo.changes_between(base, change_set.new)
    return Work(
        base,
        frozenset(changed),
        frozenset(renamed),
        frozenset(deleted | renamed | change_set.deleted),
        frozenset(ctx.new_files),
    )


def _listed_and_missing(ctx: Context, notes: Notes, work: Work) -> Iterator[Finding]:
    on_disk: Callable[[str], bool] | None = None
    if ctx.change_set.new == WORKTREE:
        # Ignored files (`.env`, build output) are no files of the state but are on disk.
        def on_disk(candidate: str) -> bool:
            return ctx.repo.exists(WORKTREE, candidate)

    seen: set[tuple[str, int, str]] = set()
    for mention in notes.mentions:
        if not is_path(mention, work):
            continue
        if not exists(mention, work, on_disk):
            code, message = "PK303", f"{mention.path} does not exist"
        elif is_stale(mention, work, on_disk):
            code, message = "PK302", f"{mention.path} is listed as changed but did not change"
        else:
            continue
        key = (code, mention.line, mention.path)
        if key not in seen:
            seen.add(key)
            yield finding(
                code,
                message,
                path=notes.path,
                line=mention.line,
                file=mention.path,
                notes=notes.path,
                base=short(work.base),
            )


def short(state: State) -> str:
    """A handoff base as people write it: a commit's seven hex digits, else its kind."""
    if state.kind == "commit" and state.rev:
        return state.rev[:7]
    return "(the empty tree)" if state.kind == "empty" else f"(the {state.kind})"


def _describe(files: list[str]) -> str:
    if len(files) == 1:
        return files[0]
    return f"{len(files)} files ({files[0]}, ...)" if len(files) > 3 else ", ".join(files)
