"""handoff-matches: PK300 (notes not updated), PK301 (unmentioned), PK302, PK303, PK304."""

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
    # The base as findings name it: `0b31a2d (the notes' previous version)`.
    since: str = "the handoff base"

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
    """Whether a mention is plainly a path, one that can be dangling (PK303).

    It has a `/` (SPEC, "Handoff paths") and is no host name, e-mail, number or placeholder
    (`is_plainly_path`); plain text also needs, so that "and/or" is no path, an extension,
    a first folder that the repository has, or a trailing `/` after a folder (`src/auth/`).
    A bare name is a path only when it names a file.
    """
    from plankeeper.handoff import is_plainly_path

    if not mention.counts_as_path() or not is_plainly_path(mention):
        return False
    if mention.kind != "text":
        return True
    # A lone `word/` in prose is "with" (`w/`) or a list cut at the line's end (`JVM/`).
    return (
        mention.has_extension
        or mention.path.split("/", 1)[0] in work.top_level
        or (mention.is_folder and "/" in mention.path)
    )


def judge(mention: Mention, work: Work, on_disk: Callable[[str], bool] | None = None) -> str | None:
    """PK303 for a dangling path, PK302 for a listed one that did not change, else None.

    A bare name (`node.js`, `settings.DEBUG`) that names no file is a word, never PK303;
    one that names a file is judged as a path.
    """
    if not mention.counts_as_path():
        return None
    if not exists(mention, work, on_disk):
        return "PK303" if is_path(mention, work) else None
    if mention.kind == "text" and not is_path(mention, work):
        return None
    if mention.listed and not did_change(mention, work):
        return "PK302"
    return None


def is_stale(mention: Mention, work: Work, on_disk: Callable[[str], bool] | None = None) -> bool:
    """A listed path that did not change since the handoff base: PK302, or PK303 when it
    does not exist either. `plankeeper handoff` reports it; `--prune` removes its line.
    """
    return mention.listed and judge(mention, work, on_disk) in ("PK302", "PK303")


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


def check(ctx: Context) -> Iterator[Finding]:
    yield from agent_files(ctx)
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


# Read like handoff notes for the paths they name, besides the resume files.
AGENT_FILES = frozenset({"AGENTS.md", "CLAUDE.md"})
_AGENT_SUFFIXES = tuple(f"/{name}" for name in sorted(AGENT_FILES))


def is_named_agent_file(path: str) -> bool:
    """AGENTS.md or CLAUDE.md in any folder: by name, no glob (a whole tree asks each file)."""
    return path in AGENT_FILES or path.endswith(_AGENT_SUFFIXES)


def is_agent_file(ctx: Context, path: str) -> bool:
    return is_named_agent_file(path) or ctx.role(path) == "resume"


def agent_files(ctx: Context) -> Iterator[Finding]:
    """PK304: a path that an agent file (resume, AGENTS.md, CLAUDE.md) names is not there.

    Every path of the agent files that a change touches; every agent file in whole-tree
    and verify mode; else, when the change deletes files, the mentions of those files
    in the root agent files and the resume files (where rot starts).
    """
    change_set = ctx.change_set
    whole = change_set.is_whole_tree or change_set.mode == "verify"
    if whole:
        named = filter(is_named_agent_file, ctx.new_files)
        paths = sorted({*ctx.resume_paths, *named})
    else:
        paths = [
            p for p in change_set.changed if p not in change_set.deleted and is_agent_file(ctx, p)
        ]
    touched = set(paths)
    if not whole and change_set.deleted:
        paths += [p for p in (*ctx.resume_paths, *sorted(AGENT_FILES)) if p not in touched]
    if not paths:
        return
    yield from _dangling_in_agent_files(ctx, paths, touched, whole)


def _dangling_in_agent_files(
    ctx: Context, paths: list[str], touched: set[str], whole: bool
) -> Iterator[Finding]:
    from plankeeper.handoff import parse_notes
    from plankeeper.text import decode

    change_set = ctx.change_set
    contents = ctx.repo.read_many(change_set.new, paths)
    if not contents:
        return
    # In agent files a deleted file is no excuse: that is exactly how a path rots.
    work = Work(
        change_set.old or change_set.new,
        frozenset(),
        frozenset(),
        frozenset(),
        frozenset(ctx.new_files),
    )
    on_disk: Callable[[str], bool] | None = None
    if change_set.new == WORKTREE:

        def on_disk(candidate: str) -> bool:
            return ctx.repo.exists(WORKTREE, candidate)

    for path in paths:
        if path not in contents:
            continue
        notes = parse_notes(decode(contents[path]), path)
        seen: set[tuple[int, str]] = set()
        for mention in notes.mentions:
            if not (mention.counts_as_path() and is_path(mention, work)):
                continue
            if exists(mention, work, on_disk) or (mention.line, mention.path) in seen:
                continue
            if not (whole or path in touched or _names_deleted(mention, change_set.deleted)):
                continue
            seen.add((mention.line, mention.path))
            shown = f"{mention.path}/" if mention.is_folder else mention.path
            yield finding(
                "PK304", f"{shown} does not exist", path=path, line=mention.line, file=path
            )


def _names_deleted(mention: Mention, deleted: frozenset[str]) -> bool:
    if mention.is_glob:
        glob = Glob(mention.path)
        return any(glob.matches(path) for path in deleted)
    prefixes = tuple(f"{candidate}/" for candidate in mention.candidates)
    return any(path in mention.candidates or path.startswith(prefixes) for path in deleted)


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
    unmentioned = [
        changed
        for changed in sorted(work.changed)
        if ctx.is_code(changed) and not coverage.covers(changed)
    ]
    yield from unmentioned_findings(unmentioned, work.since, path)
    yield from _listed_and_missing(ctx, notes, work)


# Past this many unmentioned files, one PK301 groups them by folder.
GROUP_AFTER = 5


def unmentioned_findings(files: list[str], since: str, path: str) -> Iterator[Finding]:
    """One PK301 per file; past a handful, one that counts them by folder and says the fix.

    The grouped finding keeps every file in `paths`, which `--format json` lists.
    """
    if len(files) <= GROUP_AFTER:
        for changed in files:
            yield finding(
                "PK301",
                f"{changed} changed since {since} but the handoff notes do not mention it",
                path=path,
                file=changed,
                notes=path,
                base=since,
            )
        return
    yield finding(
        "PK301",
        f"{len(files)} files changed since {since} but the handoff notes do not mention "
        f"them: {group_by_folder(files)}; run `plankeeper handoff` to list them, or set "
        "`base:` in the notes' front matter to where this work began",
        path=path,
        paths=tuple(files),
        fix=f"run `plankeeper handoff` to list them in {path}, or set `base:` in its front "
        "matter to where this work began",
    )


def group_by_folder(files: list[str], shown: int = 5) -> str:
    """`7 in src/, 3 in tests/, 2 at the top level`: the largest first-level folders first."""
    counts: dict[str, int] = {}
    for name in files:
        folder = f"{name.split('/', 1)[0]}/" if "/" in name else ""
        counts[folder] = counts.get(folder, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    parts = [
        f"{count} in {folder}" if folder else f"{count} at the top level"
        for folder, count in ordered[:shown]
    ]
    rest = sum(count for _, count in ordered[shown:])
    if rest:
        parts.append(f"{rest} in {len(ordered) - shown} more folders")
    return ", ".join(parts)


def work_since(ctx: Context, path: str, notes: Notes, data: bytes) -> Work:
    from plankeeper.changes import handoff_base

    change_set = ctx.change_set
    assert change_set.old is not None
    base = handoff_base(ctx.repo, path, notes, change_set.new, data, change_set.old)
    changed, deleted, renamed = ctx.repo.changes_between(base.state, change_set.new)
    return Work(
        base.state,
        frozenset(changed),
        frozenset(renamed),
        frozenset(deleted | renamed | change_set.deleted),
        frozenset(ctx.new_files),
        base.describe(),
    )


def _listed_and_missing(ctx: Context, notes: Notes, work: Work) -> Iterator[Finding]:
    on_disk: Callable[[str], bool] | None = None
    if ctx.change_set.new == WORKTREE:
        # Ignored files (`.env`, build output) are no files of the state but are on disk.
        def on_disk(candidate: str) -> bool:
            return ctx.repo.exists(WORKTREE, candidate)

    seen: set[tuple[str, int, str]] = set()
    for mention in notes.mentions:
        code = judge(mention, work, on_disk)
        if code is None:
            continue
        if code == "PK303":
            shown = f"{mention.path}/" if mention.is_folder else mention.path
            message = f"{shown} does not exist"
        else:
            message = f"{mention.path} is listed as changed but did not change since {work.since}"
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
