"""The repository: revisions, listings and blob reads, each through git/process.py."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from plankeeper.errors import GitError, PlankeeperError
from plankeeper.git.process import Git, Pending, decode_path, done, encode_path, zsplit
from plankeeper.git.states import EMPTY, INDEX, ZERO_SHA, InProgress, State
from plankeeper.globs import Glob

FETCH_HINT = (
    "fetch it first, e.g. with actions/checkout's fetch-depth: 0 or `git fetch --unshallow`"
)

# Modes of regular files in git's trees (not 120000 symlinks nor 160000 gitlinks).
_REGULAR_MODES = ("100644 ", "100755 ")
# Linux passes a command at most 2 MiB of arguments and environment: pathspecs that would
# take more than a quarter of it are left out (git lists every file, the caller filters).
PATHSPEC_BUDGET = 512 * 1024
# Far above any ref name or revision expression; git takes one argument of 128 KiB.
MAX_REVISION = 4096
# `--raw` names each side's blob, so that contents are read by id, without the index.
DIFF = ("diff", "--raw", "--no-abbrev", "-z", "-M", "--no-ext-diff", "--no-textconv", "--no-color")


# Files git leaves in its folder while an operation waits for the user, and what they mean.
_SEQUENCER_MARKERS = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)

# Untracked files named to `git grep` one by one, at most (a command line has a limit).
_GREP_PATHSPECS = 1000

_Key = TypeVar("_Key")


# Opening for a read: a link is refused (ELOOP), a FIFO does not block, no child inherits
# the descriptor. Without O_NOFOLLOW (Windows) an lstat comes first.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = (
    os.O_RDONLY
    | _NO_FOLLOW
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _is_regular(full: str) -> bool:
    """A regular file, not reached through a symbolic link."""
    try:
        return stat.S_ISREG(os.lstat(full).st_mode)
    except OSError:
        return False


class Found:
    """Names git is still finding: iterate for each as git names it, or call for all, sorted."""

    def __init__(self, names: Iterator[str]) -> None:
        self._names = names

    def __iter__(self) -> Iterator[str]:
        return self._names

    def __call__(self) -> list[str]:
        return sorted(set(self._names))


class Repository:
    """A git working tree, found from any directory inside it, like git itself."""

    def __init__(self, start: Path | None = None, *, staged: bool = False) -> None:
        """Open the working tree that holds `start` (default: the current directory).

        `staged` starts the staged diff at once, beside `rev-parse`: the hook's change set.
        """
        start = (start or Path.cwd()).resolve()
        self._git = Git(start)
        if not start.exists():
            raise PlankeeperError(f"{start} does not exist")
        self._blobs: dict[State, dict[str, bytes | None]] = {}
        # Blob ids that diffs and listings named, by state and path: read without a lookup.
        self._blob_ids: dict[State, dict[str, str]] = {}
        self._pending_staged: Pending | None = None
        self._pending_listings: dict[tuple[str, ...], Pending] = {}
        self._pending_greps: dict[tuple[State, tuple[str, ...]], Found] = {}
        try:
            # One call for the top level and HEAD (exit 1 on an unborn branch): the hook
            # runs on every commit, and each git process costs a few milliseconds.
            rev_parse = self._git.start(
                "rev-parse",
                "--show-toplevel",
                "--absolute-git-dir",
                "--verify",
                "--quiet",
                "HEAD^{commit}",
                ok_codes=(0, 1),
            )
            if staged:
                # Without a commit, `diff --cached` compares with HEAD, or with nothing
                # on an unborn branch: it needs no answer of rev-parse.
                self._pending_staged = self._git.start(*DIFF, "--cached", "--")
            out = decode_path(rev_parse())
        except GitError as error:
            self._pending_staged = None
            message = str(error)
            if "dubious ownership" in message:
                raise GitError(
                    f"git refuses this repository (dubious ownership): run "
                    f"`git config --global --add safe.directory {start}`"
                ) from None
            if "must be run in a work tree" in message or self._is_bare(start):
                where = "a bare repository" if self._is_bare(start) else "inside a .git folder"
                raise GitError(f"{start} is {where}: run plankeeper in a working tree") from None
            raise GitError(f"not a git repository: {start} (or any parent)") from None
        top, git_dir, head = [*out.split("\n", 2), "", ""][:3]
        self.root = Path(top)
        self._root_prefix = os.path.join(top, "")
        # The repository's own folder (`.git`, or a worktree's folder under it).
        self.git_dir = Path(git_dir)
        self._git = Git(self.root)
        self._head = head.strip() or None
        self._empty_tree: str | None = None
        if self._head is None:
            self._check_unborn()

    def _check_unborn(self) -> None:
        """An unborn branch, or HEAD naming a commit the repository lacks (corrupted)."""
        named = self._git.run("rev-parse", "--verify", "--quiet", "HEAD", ok_codes=(0, 1))
        if named.strip():
            raise GitError(
                f"HEAD names {named.strip()}, which is missing or no commit (a corrupted "
                "repository): run `git fsck`, or fetch the missing objects"
            )

    def _is_bare(self, start: Path) -> bool:
        try:
            return self._git.run("rev-parse", "--is-bare-repository").strip() == "true"
        except GitError:
            return False

    # -- revisions -----------------------------------------------------------------------

    def head(self) -> str | None:
        """The commit HEAD names (read when the repository was opened), or None if unborn."""
        return self._head

    def resolve(self, ref: str, *, option: str = "--base") -> str:
        """The commit sha of `ref`, or an error naming the option and the fix."""
        if ref.startswith("-"):
            raise PlankeeperError(f"{option}: {ref!r} is not a revision")
        if len(ref) > MAX_REVISION:
            raise PlankeeperError(
                f"{option}: a revision of {len(ref)} characters is too long (at most "
                f"{MAX_REVISION}): name a branch, tag or commit"
            )
        out = self._git.run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{ref}^{{commit}}",
            ok_codes=(0, 1),
        )
        sha = out.strip()
        if sha and "\n" not in sha and not sha.startswith("^"):
            return sha
        if sha:
            # `a..b` and `a...b` are ranges: rev-parse prints several lines for them.
            raise PlankeeperError(f"{option}: {ref!r} is a range, not one revision")
        if ref == "HEAD" and self.head() is None:
            raise GitError(f"{option}: HEAD has no commit yet (a repository without commits)")
        if self.is_shallow():
            raise GitError(f"{option}: {ref} is not in this shallow clone; {FETCH_HINT}")
        raise GitError(f"{option}: unknown revision {ref!r}")

    def is_commit(self, sha: str) -> bool:
        """Whether `sha` is a commit, or a tag that leads to one (not a blob nor a tree)."""
        out = self._git.run(
            "rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}", ok_codes=(0, 1, 128)
        )
        return bool(out.strip())

    def has_commit(self, sha: str) -> bool:
        out = self._git.run("cat-file", "-t", sha, ok_codes=(0, 1, 128))
        return out.strip() == "commit"

    def is_shallow(self) -> bool:
        return self._git.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def merge_base(self, one: str, other: str) -> str:
        out = self._git.run("merge-base", one, other, ok_codes=(0, 1))
        sha = out.strip().splitlines()
        if sha:
            return sha[0]
        if self.is_shallow():
            raise GitError(
                f"no merge base of {one[:12]} and {other[:12]} in this shallow clone; {FETCH_HINT}"
            )
        raise GitError(f"{one[:12]} and {other[:12]} have no common ancestor")

    def default_branch(self) -> str | None:
        """The first of origin/HEAD, origin/main, origin/master, main, master that exists."""
        for ref in (
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main",
            "refs/remotes/origin/master",
            "refs/heads/main",
            "refs/heads/master",
        ):
            out = self._git.run(
                "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok_codes=(0, 1)
            )
            if out.strip():
                return out.strip()
        return None

    def empty_tree(self) -> str:
        """The empty tree's id (sha1 or sha256, as the repository uses)."""
        if self._empty_tree is None:
            self._empty_tree = self._git.run(
                "hash-object", "-t", "tree", "--stdin", stdin=b""
            ).strip()
        return self._empty_tree

    def commits_between(self, old: str, new: str) -> tuple[str, ...]:
        # Shas need no -z; rev-list ends each with a newline.
        return tuple(self._git.run("rev-list", f"{old}..{new}", "--").split())

    def trailer_values(self, old: str | None, new: str, key: str) -> list[str]:
        """Values of trailer `key` (case-insensitive) in old..new (all of new without old)."""
        fmt = f"%(trailers:key={key},valueonly,separator=%x2C)"
        revisions = f"{old}..{new}" if old else new
        out = self._git.run("log", "-z", f"--format={fmt}", revisions, "--")
        return [value for value in zsplit(out) if value.strip()]

    def commit_subjects(self, old: str | None, new: str) -> list[tuple[str, str]]:
        """(sha, subject) of the commits in old..new (all of new without old), oldest first."""
        revisions = f"{old}..{new}" if old else new
        out = self._git.run("log", "-z", "--reverse", "--format=%H %s", revisions, "--")
        return [
            (record[:space], record[space + 1 :])
            for record in zsplit(out)
            if (space := record.find(" ")) > 0
        ]

    def last_commits_touching(self, rev: str, path: str, count: int) -> list[str]:
        out = self._git.run("log", "-z", f"-n{count}", "--format=%H", rev, "--", path)
        return [sha.strip() for sha in zsplit(out) if sha.strip()]

    def unpushed_commits(self, rev: str) -> list[str]:
        """Commits of `rev` that no remote-tracking ref has, oldest (topologically) first."""
        out = self._git.run(
            "rev-list", "--topo-order", "--reverse", rev, "--not", "--remotes", "--"
        )
        return out.split()

    def parents(self, sha: str) -> list[str]:
        return self._git.run("rev-list", "--parents", "-n1", sha, "--").split()[1:]

    def commits_of(self, sha: str) -> tuple[str, ...]:
        """Every commit of `sha`'s history, itself included."""
        return tuple(self._git.run("rev-list", sha, "--").split())

    def git_path(self, name: str) -> Path:
        """A path inside the repository's git folder (`.git` may be a file: worktrees)."""
        path = Path(self._git.run("rev-parse", "--git-path", name).rstrip("\n"))
        # Relative to the directory git ran in, which is the root.
        return path if path.is_absolute() else self.root / path

    def hooks_path(self) -> Path:
        """The folder git runs hooks from; `--git-path` honours core.hooksPath."""
        return self.git_path("hooks")

    # -- diffs ---------------------------------------------------------------------------

    def diff(
        self,
        *args: str,
        sources: set[str] | None = None,
        old: State | None = None,
        new: State | None = None,
    ) -> tuple[list[str], set[str]]:
        """Changed and deleted paths of a `git diff`; a rename counts as its new path only.

        `sources`, when given, collects the old paths of renames; `old` and `new` are the
        states whose blob ids the diff names, kept for reading them later.
        """
        return self._parse_diff(self._git.run_bytes(*DIFF, *args), sources, old, new)

    def _parse_diff(
        self,
        raw: bytes,
        sources: set[str] | None = None,
        old: State | None = None,
        new: State | None = None,
    ) -> tuple[list[str], set[str]]:
        # `:old-mode new-mode old-id new-id status` NUL path NUL, a second path for R and C.
        items = zsplit(decode_path(raw))
        old_ids = self._ids_of(old)
        new_ids = self._ids_of(new)
        changed: list[str] = []
        deleted: set[str] = set()
        index = 0
        while index + 1 < len(items):
            header = items[index].split(" ")
            status = header[-1]
            if status.startswith(("R", "C")):
                source, path = items[index + 1], items[index + 2]
                if sources is not None and status.startswith("R"):
                    sources.add(source)
                index += 3
            else:
                path = items[index + 1]
                source = path
                index += 2
            changed.append(path)
            if status.startswith("D"):
                deleted.add(path)
            if len(header) == 5:
                if old_ids is not None and header[2] != ZERO_SHA:
                    old_ids[source] = header[2]
                if new_ids is not None and header[3] != ZERO_SHA:
                    new_ids[path] = header[3]
        return changed, deleted

    def _ids_of(self, state: State | None) -> dict[str, str] | None:
        """Where to keep blob ids of `state`; None for states not read by id."""
        if state is None or state.kind not in ("commit", "index"):
            return None
        return self._blob_ids.setdefault(state, {})

    def changes_between(self, old: State, new: State) -> tuple[list[str], set[str], set[str]]:
        """Changed, deleted and renamed-away paths from a commit (or nothing) to `new`.

        `new` is a commit, the index or the working tree (untracked files included).
        """
        base = old.rev if old.kind == "commit" and old.rev else self.empty_tree()
        sources: set[str] = set()
        if new.kind == "commit":
            assert new.rev is not None
            changed, deleted = self.diff(base, new.rev, "--", sources=sources, old=old, new=new)
        elif new.kind == "index":
            changed, deleted = self.diff("--cached", base, "--", sources=sources, old=old, new=new)
        else:
            changed, deleted = self.diff(base, "--", sources=sources)
            changed.extend(self.untracked())
        return sorted(set(changed)), deleted, sources

    def staged_diff(self, old: State) -> tuple[list[str], set[str]]:
        """The index against `old`: the diff started when the repository opened, if any."""
        pending, self._pending_staged = self._pending_staged, None
        if pending is not None:
            return self._parse_diff(pending(), old=old, new=INDEX)
        base = old.rev if old.kind == "commit" and old.rev else self.empty_tree()
        return self.diff("--cached", base, "--", old=old, new=INDEX)

    def recorded_diffs(self, parents: Sequence[str]) -> tuple[set[str], set[str]]:
        """The index against each of `parents`: the paths that differ from every one of them.

        Returns those paths and the deleted ones among them; no parent is a root commit.
        """
        first = parents[0] if parents else self.empty_tree()
        old = State("commit", parents[0]) if parents else EMPTY
        # Every diff starts before the first is read: they run side by side.
        pending = [self._git.start(*DIFF, "--cached", parent, "--") for parent in parents[1:]]
        changed, deleted = self.diff("--cached", first, "--", old=old, new=INDEX)
        introduced = set(changed)
        for finish in pending:
            introduced &= set(self._parse_diff(finish())[0])
        return introduced, deleted & introduced

    def held_back(self, changed: Sequence[str], index_file: Path) -> frozenset[str]:
        """Paths staged in `index_file` (the real index) that a partial commit leaves out.

        `changed` are the paths the commit records, whose staged ids the diff kept.
        """
        base = self.head() or self.empty_tree()
        real = self._git.run_bytes(
            *DIFF, "--cached", base, "--", env={"GIT_INDEX_FILE": str(index_file)}
        )
        # `:old-mode new-mode old-id new-id status` NUL path NUL: compare the staged ids.
        items = zsplit(decode_path(real))
        committed = self._blob_ids.get(INDEX, {})
        recorded = set(changed)
        held = set()
        index = 0
        while index + 1 < len(items):
            header = items[index].split(" ")
            renamed = header[-1].startswith(("R", "C"))
            path = items[index + 2] if renamed else items[index + 1]
            index += 3 if renamed else 2
            if path not in recorded or committed.get(path) != header[3]:
                held.add(path)
        return frozenset(held)

    def in_progress(self) -> InProgress:
        """The merge or sequencer work that git's folder shows (per worktree, as git keeps it)."""
        try:
            heads = tuple((self.git_dir / "MERGE_HEAD").read_text(encoding="ascii").split())
        except (OSError, UnicodeDecodeError):
            heads = ()
        for name, kind in _SEQUENCER_MARKERS:
            if os.path.lexists(self.git_dir / name):
                return InProgress(heads, kind)
        return InProgress(heads)

    def untracked(self) -> list[str]:
        return zsplit(self._git.run("ls-files", "-z", "--others", "--exclude-standard"))

    def start_grep(self, state: State, words: Sequence[str]) -> None:
        """Start what `grep_files(state, words)` asks of git; that call then takes it over.

        A whole-tree run starts its search before it lists the tree: git does both at once.
        """
        self._pending_greps[(state, tuple(words))] = self.grep_files(state, words)

    def grep_files(self, state: State, words: Sequence[str]) -> Found:
        """Start finding the files of `state` that hold one of `words` as a whole word.

        Iterate the result for each file as git names it (the caller reads and lexes it
        while git goes on), or call it to wait for every name, sorted. Binary files are
        left out; the working tree counts the untracked files that git does not ignore,
        as `worktree_files` does. `words` are joined into one extended regular
        expression, so they must be plain words: the configuration validates tags as
        `[A-Z][A-Z0-9_]*`.
        """
        started = self._pending_greps.pop((state, tuple(words)), None)
        if started is not None:
            return started
        if state.kind == "empty" or not words:
            return Found(iter(()))
        options = ["grep", "-z", "-l", "-I", "-w", "-E", "--no-color", "--no-recurse-submodules"]
        pattern = ["-e", "|".join(words)]
        if state.kind == "worktree":
            # `--untracked` applies the ignore rules to tracked files too (git 2.39): a
            # tracked file under an ignored folder would be missed. So the tracked files
            # are grepped alone and, once listed, the untracked ones git does not ignore.
            tracked = self._git.stream(*options, *pattern, "--", ok_codes=(0, 1))
            listing = self._git.start("ls-files", "-z", "--others", "--exclude-standard")

            def both() -> Iterator[str]:
                others = zsplit(decode_path(listing()))
                untracked: Pending | None = None
                if others:
                    # Past a command line's worth, all of the tree again: slower, as right.
                    specs = [f":(literal){path}" for path in others[:_GREP_PATHSPECS]]
                    if len(others) > _GREP_PATHSPECS:
                        specs = []
                    untracked = self._git.start(
                        *options, "--untracked", *pattern, "--", *specs, ok_codes=(0, 1)
                    )
                seen = set()
                for name in tracked:
                    seen.add(name)
                    yield name
                if untracked is not None:
                    for name in zsplit(decode_path(untracked())):
                        if name not in seen:
                            yield name

            return Found(both())
        if state.kind == "index":
            options.append("--cached")
        options += pattern
        if state.kind == "commit":
            assert state.rev is not None
            options.append(state.rev)
        # A tree's matches are named `<rev>:<path>`.
        prefix = f"{state.rev}:" if state.kind == "commit" else ""
        found = self._git.stream(*options, "--", ok_codes=(0, 1))
        return Found(name.removeprefix(prefix) for name in found)

    def attributes(
        self, state: State, paths: Sequence[str], names: Sequence[str]
    ) -> dict[str, dict[str, str]]:
        """`git check-attr` of `names` for `paths`: `set`, `unset`, `unspecified` or a value.

        One process for every path (`--stdin -z`). The index's `.gitattributes` answer for
        the index; any other state reads the working tree's, as git 2.39 has no `--source`
        (a CI job has its head commit checked out).
        """
        if not paths or not names:
            return {}
        options = ["check-attr", "-z", "--stdin"]
        if state.kind == "index":
            options.append("--cached")
        request = encode_path("".join(f"{path}\0" for path in paths))
        items = zsplit(self._git.run(*options, *names, stdin=request))
        # `path NUL attribute NUL value NUL`, one triple per path and attribute.
        found: dict[str, dict[str, str]] = {}
        for index in range(0, len(items) - 2, 3):
            found.setdefault(items[index], {})[items[index + 1]] = items[index + 2]
        return found

    def worktree_files(self, pathspecs: Sequence[str] = (), *, regular: bool = False) -> list[str]:
        """Every file of the working tree that git does not ignore, tracked or not.

        `regular`: only regular files, no links or submodules. A tracked file's mode is
        the index's, so only untracked files cost an lstat; a read goes through
        `read_worktree`, which never follows a link whatever the index says.
        """
        # One call; `-t` tags each entry: `R` a tracked file deleted from the working tree
        # (listed a second time), `S` one a sparse checkout left out (skip-worktree), `?`
        # an untracked one (no mode). `-s` gives a tracked entry its mode: `mode sha stage`.
        entries = zsplit(
            self._git.run(
                "ls-files",
                "-z",
                "-t",
                "-s",
                "--cached",
                "--deleted",
                "--others",
                "--exclude-standard",
                "--",
                *pathspecs,
            )
        )
        missing: set[str] = set()
        files: set[str] = set()
        root = os.path.join(str(self.root), "")
        for entry in entries:
            tag = entry[:2]
            if tag == "? ":
                path = entry[2:]
                if not regular or _is_regular(root + path):
                    files.add(path)
                continue
            info, _, path = entry.partition("\t")
            if tag == "R ":
                missing.add(path)
            elif tag != "S " and (not regular or info[2:].startswith(_REGULAR_MODES)):
                files.add(path)
        return sorted(files - missing)

    def files(self, state: State, globs: Sequence[Glob] | None = None) -> list[str]:
        """Every regular file of a state (the working tree: what git does not ignore).

        Symbolic links and submodules are left out: a linked plan could point outside
        the repository, and the working tree is never read through a link (read_worktree).
        With `globs`, git lists only what they may match (a superset, for the caller to
        filter), so finding the plans of a commit does not cost a listing of every file.
        """
        if state.kind == "empty":
            return []
        pathspecs = [_pathspec(glob) for glob in globs] if globs is not None else []
        if globs is not None and not pathspecs:
            return []
        pathspecs = _within_budget(pathspecs)
        if state.kind == "worktree":
            return self.worktree_files(pathspecs, regular=True)
        if state.kind == "index":
            pending = self._pending_listings.pop(tuple(pathspecs), None)
            out = decode_path(pending() if pending else self._start_index_listing(pathspecs)())
            entries = [entry.partition("\t")[::2] for entry in zsplit(out)]
            if pathspecs:
                ids = self._blob_ids.setdefault(state, {})
                for info, path in entries:
                    _, sha, stage = info.split(" ")
                    if stage == "0":
                        ids[path] = sha
        elif pathspecs:
            assert state.rev is not None
            # ls-tree knows no pathspec magic; diff-tree from the empty tree does. Its raw
            # output is `:old-mode new-mode old-sha new-sha A` NUL path NUL.
            out = self._git.run(
                "diff-tree",
                "-r",
                "-z",
                "--no-renames",
                "--no-commit-id",
                self.empty_tree(),
                state.rev,
                "--",
                *pathspecs,
            )
            items = zsplit(out)
            entries = [
                (items[i].split(" ")[1] + " ", items[i + 1]) for i in range(0, len(items) - 1, 2)
            ]
            ids = self._blob_ids.setdefault(state, {})
            for i in range(0, len(items) - 1, 2):
                ids[items[i + 1]] = items[i].split(" ")[3]
        else:
            assert state.rev is not None
            # `mode type sha<TAB>path`
            out = self._git.run("ls-tree", "-r", "-z", "--full-tree", state.rev, "--")
            entries = [entry.partition("\t")[::2] for entry in zsplit(out)]
        return sorted({path for mode, path in entries if mode.startswith(_REGULAR_MODES)})

    def start_listing(self, state: State, globs: Sequence[Glob]) -> None:
        """Start what `files(state, globs)` asks of git for the index; that call then waits."""
        pathspecs = _within_budget([_pathspec(glob) for glob in globs])
        if state.kind == "index" and pathspecs:
            self._pending_listings[tuple(pathspecs)] = self._start_index_listing(pathspecs)

    def _start_index_listing(self, pathspecs: Sequence[str]) -> Pending:
        # `mode sha stage<TAB>path`; a conflicted path has several stages.
        return self._git.start("ls-files", "-z", "--cached", "--stage", "--", *pathspecs)

    # -- contents ------------------------------------------------------------------------

    def read(self, state: State, path: str) -> bytes | None:
        """The bytes of `path` at `state`, or None where it does not exist (or is no file)."""
        return self.read_many(state, [path]).get(path)

    def read_many(self, state: State, paths: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(paths))
        if state.kind == "worktree":
            found: dict[str, bytes] = {}
            for path in wanted:
                data = self.read_worktree(path)
                if data is not None:
                    found[path] = data
            return found
        self.start_reading({state: wanted})()
        cache = self._blobs.get(state, {})
        return {path: data for path in wanted if (data := cache.get(path)) is not None}

    def start_reading(self, wanted: Mapping[State, Iterable[str]]) -> Callable[[], None]:
        """Start reading files of commits and the index, all in one `git cat-file`.

        Call the function returned to wait; `read_many` then finds them. Commits never
        change, and nothing plankeeper does changes the index: what was read once is kept.
        """
        specs: dict[tuple[State, str], str] = {}
        for state, paths in wanted.items():
            if state.kind not in ("commit", "index"):
                continue
            cache = self._blobs.setdefault(state, {})
            ids = self._blob_ids.get(state, {})
            prefix = f"{state.rev}:" if state.kind == "commit" else ":"
            for path in paths:
                if path not in cache:
                    specs[(state, path)] = ids.get(path) or prefix + path
        if not specs:
            return done
        finish = self._start_cat_files(specs)

        def wait() -> None:
            found = finish()
            for key in specs:
                state, path = key
                self._blobs[state][path] = found.get(key)

        return wait

    def read_worktree(self, path: str) -> bytes | None:
        """The bytes of a regular file of the working tree; None for anything else.

        Never through a link out of the repository, nor a folder, FIFO or device: the
        file is opened without following a link and without waiting on a FIFO, and its
        descriptor must be a regular file before anything is read. Four system calls a
        file: a scan reads thousands.
        """
        full = self._root_prefix + path
        try:
            if not _NO_FOLLOW and not stat.S_ISREG(os.lstat(full).st_mode):
                return None
            descriptor = os.open(full, _READ_FLAGS)
        except (OSError, ValueError):
            return None
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return None
            # One byte more than the size: a file that grew is read to its end, as is one
            # that one read does not hold (Linux reads at most 2 GiB at a time).
            data = os.read(descriptor, info.st_size + 1)
            if len(data) == info.st_size or not data:
                return data
            chunks = [data]
            while chunk := os.read(descriptor, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(descriptor)

    def _start_cat_files(self, specs: Mapping[_Key, str]) -> Callable[[], dict[_Key, bytes]]:
        """Start reading the blobs that object names (an id, `:path`, `rev:path`) name."""
        simple = {key: spec for key, spec in specs.items() if "\n" not in spec and "\r" not in spec}
        finish: Pending | None = None
        if simple:
            request = encode_path("".join(f"{spec}\n" for spec in simple.values()))
            finish = self._git.start("cat-file", "--batch", stdin=request)

        def result() -> dict[_Key, bytes]:
            found: dict[_Key, bytes] = {}
            out = finish() if finish is not None else b""
            position = 0
            for key in simple:
                end = out.index(b"\n", position)
                header = out[position:end].split(b" ")
                position = end + 1
                if header[-1] == b"missing" or len(header) != 3:
                    continue
                size = int(header[2])
                if header[1] == b"blob":
                    found[key] = out[position : position + size]
                position += size + 1
            for key, spec in specs.items():
                if key in simple:
                    continue
                # cat-file --batch reads one name per line: a name with a newline is asked alone.
                kind = self._git.run("cat-file", "-t", spec, ok_codes=(0, 128)).strip()
                if kind == "blob":
                    found[key] = self._git.run_bytes("cat-file", "blob", spec)
            return found

        return result

    def exists(self, state: State, path: str) -> bool:
        if state.kind == "worktree":
            return os.path.lexists(self.root / path)
        return path in self.read_many(state, [path])


def _within_budget(pathspecs: list[str]) -> list[str]:
    """The pathspecs, or none (every file, a superset the caller filters) when together
    they would pass what the system lets one command line hold."""
    return pathspecs if sum(len(spec) + 1 for spec in pathspecs) <= PATHSPEC_BUDGET else []


def _pathspec(glob: Glob) -> str:
    """git's `:(glob)` magic: `*` stays in a folder, `**/` spans folders, as in Glob.

    A pathspec that names a folder also matches what is below it, as a Glob does.
    """
    magic = "glob,icase" if glob.ignore_case else "glob"
    pattern = glob.pattern[2:] if glob.pattern.startswith("./") else glob.pattern
    return f":({magic}){pattern.strip('/')}"
