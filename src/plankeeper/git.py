"""Everything that runs git: the repository, file contents at a state, and change sets.

Paths cross the process boundary only as `-z` output, so names with spaces, quotes,
newlines and non-UTF-8 bytes survive (git's C-quoting is never parsed).
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

from plankeeper.errors import GitError, PlankeeperError
from plankeeper.globs import Glob

if TYPE_CHECKING:
    import git as gitpython

ZERO_SHA = "0" * 40
FETCH_HINT = (
    "fetch it first, e.g. with actions/checkout's fetch-depth: 0 or `git fetch --unshallow`"
)

# git writes non-ASCII paths as raw bytes under -z; a byte that is not UTF-8 becomes a
# surrogate so that a name round-trips to the file system unchanged (see PEP 383).
_ENCODING = "utf-8"
_ERRORS = "surrogateescape"
# Modes of regular files in git's trees (not 120000 symlinks nor 160000 gitlinks).
_REGULAR_MODES = ("100644 ", "100755 ")
# Before every command: paths as raw bytes, and a diff run in a subfolder still lists
# the whole repository, root-relative, whatever the user's `diff.relative` says.
_GIT_OPTIONS = ("-c", "core.quotepath=off", "-c", "diff.relative=false")
# Bytes a pipe takes before its writer blocks: Linux's smallest pipe is one 4 KiB page.
_PIPE_CAPACITY = 4096
# `--raw` names each side's blob, so that contents are read by id, without the index.
_DIFF = ("diff", "--raw", "--no-abbrev", "-z", "-M", "--no-ext-diff", "--no-textconv", "--no-color")


_Key = TypeVar("_Key")


def _done() -> None:
    """A wait with nothing to wait for."""


def zsplit(text: str) -> list[str]:
    """Split NUL-terminated `-z` output; a trailing NUL yields no empty item."""
    text = text.rstrip("\0")
    return text.split("\0") if text else []


def decode_path(raw: bytes) -> str:
    return raw.decode(_ENCODING, _ERRORS)


def _is_regular(full: str) -> bool:
    """A regular file, not reached through a symbolic link."""
    try:
        return stat.S_ISREG(os.lstat(full).st_mode)
    except OSError:
        return False


def display_path(path: str) -> str:
    """A path as it may be printed: undecodable bytes shown as U+FFFD, never a surrogate."""
    return path.encode(_ENCODING, _ERRORS).decode(_ENCODING, "replace")


class State(NamedTuple):
    """One side of a change set: a commit, the index, the working tree, or nothing."""

    kind: Literal["commit", "index", "worktree", "empty"]
    rev: str | None = None

    def __str__(self) -> str:
        return self.rev[:12] if self.kind == "commit" and self.rev else self.kind


EMPTY = State("empty")
INDEX = State("index")
WORKTREE = State("worktree")


def commit_state(sha: str) -> State:
    return State("commit", sha)


class ChangeSet(NamedTuple):
    """An old state, a new state and the paths that differ (renames as their new path)."""

    mode: str
    old: State | None
    new: State
    changed: tuple[str, ...]
    deleted: frozenset[str] = frozenset()
    commits: tuple[str, ...] = ()
    # For whole-tree mode: every file of the working tree that git does not ignore.
    is_whole_tree: bool = False

    def is_changed(self, path: str) -> bool:
        return path in self.changed


class Repository:
    """A git working tree, found from any directory inside it, like git itself."""

    def __init__(self, start: Path | None = None, *, staged: bool = False) -> None:
        """Open the working tree that holds `start` (default: the current directory).

        `staged` starts the staged diff at once, beside `rev-parse`: the hook's change set.
        """
        try:
            import git as gitpython
        except ImportError as error:
            # GitPython looks for git when imported and fails the import without it.
            if "git executable" not in str(error):
                raise
            raise GitError("git is not installed or not on PATH") from None

        self._gitpython = gitpython
        start = (start or Path.cwd()).resolve()
        if not start.exists():
            raise PlankeeperError(f"{start} does not exist")
        self._cmd: gitpython.Git = gitpython.Git(str(start))
        self._blobs: dict[State, dict[str, bytes | None]] = {}
        # Blob ids that diffs and listings named, by state and path: read without a lookup.
        self._blob_ids: dict[State, dict[str, str]] = {}
        self._pending_staged: Callable[[], bytes] | None = None
        self._pending_listings: dict[tuple[str, ...], Callable[[], bytes]] = {}
        try:
            # One call for the top level and HEAD (exit 1 on an unborn branch): the hook
            # runs on every commit, and each git process costs a few milliseconds.
            rev_parse = self._start_bytes(
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
                self._pending_staged = self._start_bytes(*_DIFF, "--cached", "--")
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
        # The repository's own folder (`.git`, or a worktree's folder under it).
        self.git_dir = Path(git_dir)
        self._cmd = gitpython.Git(str(self.root))
        self._head = head.strip() or None
        self._empty_tree: str | None = None

    def _is_bare(self, start: Path) -> bool:
        try:
            return self._run("rev-parse", "--is-bare-repository").strip() == "true"
        except GitError:
            return False

    # -- running git ---------------------------------------------------------------------

    def _start_bytes(
        self, *args: str, stdin: bytes | None = None, ok_codes: Sequence[int] = (0,)
    ) -> Callable[[], bytes]:
        """Start git now on `stdin`; the function returned waits and returns stdout."""
        command = ["git", *_GIT_OPTIONS, *args]
        try:
            process = self._cmd.execute(
                command,
                as_process=True,
                istream=subprocess.PIPE,
                universal_newlines=False,
            )
        except self._gitpython.exc.GitCommandNotFound:
            raise GitError("git is not installed or not on PATH") from None
        proc = process.proc
        assert proc is not None
        assert proc.stdin is not None
        if stdin is not None and len(stdin) <= _PIPE_CAPACITY:
            # Written now, so that git works while Python does: a pipe holds this much
            # with no reader. More waits for communicate(), which reads while it writes.
            try:
                proc.stdin.write(stdin)
                proc.stdin.flush()
            except BrokenPipeError:
                pass  # git stopped early: its exit status and stderr say why
            stdin = None

        def finish() -> bytes:
            # GitPython kills the process when its handle is collected: keep it until here.
            assert process.proc is proc
            stdout, stderr = proc.communicate(stdin)
            code = proc.returncode
            if code not in ok_codes:
                first = decode_path(stderr).strip().splitlines()
                reason = first[0] if first else f"exit status {code}"
                raise GitError(f"`git {' '.join(args[:2])}` failed: {reason}")
            return bytes(stdout)

        return finish

    def _run_bytes(
        self, *args: str, stdin: bytes | None = None, ok_codes: Sequence[int] = (0,)
    ) -> bytes:
        return self._start_bytes(*args, stdin=stdin, ok_codes=ok_codes)()

    def _run(self, *args: str, stdin: bytes | None = None, ok_codes: Sequence[int] = (0,)) -> str:
        return decode_path(self._run_bytes(*args, stdin=stdin, ok_codes=ok_codes))

    # -- revisions -----------------------------------------------------------------------

    def head(self) -> str | None:
        """The commit HEAD names (read when the repository was opened), or None if unborn."""
        return self._head

    def resolve(self, ref: str, *, option: str = "--base") -> str:
        """The commit sha of `ref`, or an error naming the option and the fix."""
        if ref.startswith("-"):
            raise PlankeeperError(f"{option}: {ref!r} is not a revision")
        out = self._run(
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

    def has_commit(self, sha: str) -> bool:
        out = self._run("cat-file", "-t", sha, ok_codes=(0, 1, 128))
        return out.strip() == "commit"

    def is_shallow(self) -> bool:
        return self._run("rev-parse", "--is-shallow-repository").strip() == "true"

    def merge_base(self, one: str, other: str) -> str:
        out = self._run("merge-base", one, other, ok_codes=(0, 1))
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
            out = self._run(
                "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok_codes=(0, 1)
            )
            if out.strip():
                return out.strip()
        return None

    def empty_tree(self) -> str:
        """The empty tree's id (sha1 or sha256, as the repository uses)."""
        if self._empty_tree is None:
            self._empty_tree = self._run("hash-object", "-t", "tree", "--stdin", stdin=b"").strip()
        return self._empty_tree

    def commits_between(self, old: str, new: str) -> tuple[str, ...]:
        # Shas need no -z; rev-list ends each with a newline.
        return tuple(self._run("rev-list", f"{old}..{new}", "--").split())

    def trailer_values(self, old: str | None, new: str, key: str) -> list[str]:
        """Values of trailer `key` (case-insensitive) in old..new (all of new without old)."""
        fmt = f"%(trailers:key={key},valueonly,separator=%x2C)"
        revisions = f"{old}..{new}" if old else new
        out = self._run("log", "-z", f"--format={fmt}", revisions, "--")
        return [value for value in zsplit(out) if value.strip()]

    def commit_subjects(self, old: str | None, new: str) -> list[tuple[str, str]]:
        """(sha, subject) of the commits in old..new (all of new without old), oldest first."""
        revisions = f"{old}..{new}" if old else new
        out = self._run("log", "-z", "--reverse", "--format=%H %s", revisions, "--")
        return [
            (record[:space], record[space + 1 :])
            for record in zsplit(out)
            if (space := record.find(" ")) > 0
        ]

    def last_commits_touching(self, rev: str, path: str, count: int) -> list[str]:
        out = self._run("log", "-z", f"-n{count}", "--format=%H", rev, "--", path)
        return [sha.strip() for sha in zsplit(out) if sha.strip()]

    def unpushed_commits(self, rev: str) -> list[str]:
        """Commits of `rev` that no remote-tracking ref has, oldest (topologically) first."""
        out = self._run("rev-list", "--topo-order", "--reverse", rev, "--not", "--remotes", "--")
        return out.split()

    def parents(self, sha: str) -> list[str]:
        return self._run("rev-list", "--parents", "-n1", sha, "--").split()[1:]

    def commit_range(self, old: str | None, new: str, *, mode: str) -> ChangeSet:
        """old -> new with no merge-base; old None is the empty tree (a history's root)."""
        new_sha = self.resolve(new, option=mode)
        old_sha = self.resolve(old, option=mode) if old else None
        old_state = commit_state(old_sha) if old_sha else EMPTY
        new_state = commit_state(new_sha)
        changed, deleted = self._diff(
            old_sha or self.empty_tree(), new_sha, "--", old=old_state, new=new_state
        )
        commits = (
            self.commits_between(old_sha, new_sha)
            if old_sha
            else tuple(self._run("rev-list", new_sha, "--").split())
        )
        return ChangeSet(
            mode, old_state, new_state, tuple(sorted(set(changed))), frozenset(deleted), commits
        )

    def git_path(self, name: str) -> Path:
        """A path inside the repository's git folder (`.git` may be a file: worktrees)."""
        path = Path(self._run("rev-parse", "--git-path", name).rstrip("\n"))
        # Relative to the directory git ran in, which is the root.
        return path if path.is_absolute() else self.root / path

    def hooks_path(self) -> Path:
        """The folder git runs hooks from; `--git-path` honours core.hooksPath."""
        return self.git_path("hooks")

    # -- diffs ---------------------------------------------------------------------------

    def _diff(
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
        return self._parse_diff(self._run_bytes(*_DIFF, *args), sources, old, new)

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
            changed, deleted = self._diff(base, new.rev, "--", sources=sources, old=old, new=new)
        elif new.kind == "index":
            changed, deleted = self._diff("--cached", base, "--", sources=sources, old=old, new=new)
        else:
            changed, deleted = self._diff(base, "--", sources=sources)
            changed.extend(self.untracked())
        return sorted(set(changed)), deleted, sources

    def untracked(self) -> list[str]:
        return zsplit(self._run("ls-files", "-z", "--others", "--exclude-standard"))

    def grep_files(self, state: State, words: Sequence[str]) -> Callable[[], list[str]]:
        """Start finding the files of `state` that hold one of `words` as a whole word.

        Returns a function that waits for the answer, so that other work can go on while
        git searches. Binary files are left out; the working tree counts the untracked
        files that git does not ignore, as `worktree_files` does. `words` are joined into
        one extended regular expression, so they must be plain words: the configuration
        validates tags as `[A-Z][A-Z0-9_]*`.
        """
        if state.kind == "empty" or not words:
            return list
        options = ["grep", "-z", "-l", "-I", "-w", "-E", "--no-color", "--no-recurse-submodules"]
        if state.kind == "worktree":
            options.append("--untracked")
        elif state.kind == "index":
            options.append("--cached")
        options += ["-e", "|".join(words)]
        if state.kind == "commit":
            assert state.rev is not None
            options.append(state.rev)
        finish = self._start_bytes(*options, "--", ok_codes=(0, 1))
        # A tree's matches are named `<rev>:<path>`.
        prefix = f"{state.rev}:" if state.kind == "commit" else ""

        def result() -> list[str]:
            return [name.removeprefix(prefix) for name in zsplit(decode_path(finish()))]

        return result

    def worktree_files(self, pathspecs: Sequence[str] = ()) -> list[str]:
        """Every file of the working tree that git does not ignore, tracked or not."""
        # One call; `-t` tags each entry: `R` a tracked file deleted from the working tree
        # (listed a second time), `S` one a sparse checkout left out (skip-worktree), `?`
        # an untracked one.
        entries = zsplit(
            self._run(
                "ls-files",
                "-z",
                "-t",
                "--cached",
                "--deleted",
                "--others",
                "--exclude-standard",
                "--",
                *pathspecs,
            )
        )
        missing = {entry[2:] for entry in entries if entry.startswith("R ")}
        files = {entry[2:] for entry in entries if not entry.startswith(("R ", "S "))}
        return sorted(files - missing)

    def staged(self) -> ChangeSet:
        head = self.head()
        old = commit_state(head) if head else EMPTY
        pending, self._pending_staged = self._pending_staged, None
        if pending is not None:
            changed, deleted = self._parse_diff(pending(), old=old, new=INDEX)
        else:
            base = head or self.empty_tree()
            changed, deleted = self._diff("--cached", base, "--", old=old, new=INDEX)
        return ChangeSet("staged", old, INDEX, tuple(sorted(set(changed))), frozenset(deleted))

    def range(
        self,
        base: str,
        head: str = "HEAD",
        *,
        mode: str = "range",
        use_merge_base: bool = True,
        option: str = "--base",
    ) -> ChangeSet:
        # The base first: it is the option the user typed; --head defaults to HEAD.
        base_sha = self.resolve(base, option=option)
        head_sha = self.resolve(head, option="--head" if option == "--base" else option)
        old = self.merge_base(base_sha, head_sha) if use_merge_base else base_sha
        changed, deleted = self._diff(
            old, head_sha, "--", old=commit_state(old), new=commit_state(head_sha)
        )
        return ChangeSet(
            mode,
            commit_state(old),
            commit_state(head_sha),
            tuple(sorted(set(changed))),
            frozenset(deleted),
            self.commits_between(old, head_sha),
        )

    def verify(self, base: str | None = None) -> ChangeSet:
        """The working tree (staged, unstaged, untracked) against the merge-base with `base`."""
        head = self.head()
        if base is not None:
            base_sha = self.resolve(base)
            old_sha = self.merge_base(base_sha, head) if head else None
        else:
            default = self.default_branch()
            old_sha = self.merge_base(default, head) if default and head else head
        if old_sha is None:
            changed = self.worktree_files()
            return ChangeSet("verify", EMPTY, WORKTREE, tuple(changed), frozenset())
        changed, deleted = self._diff(old_sha, "--", old=commit_state(old_sha))
        changed.extend(self.untracked())
        commits = self.commits_between(old_sha, head) if head else ()
        return ChangeSet(
            "verify",
            commit_state(old_sha),
            WORKTREE,
            tuple(sorted(set(changed))),
            frozenset(deleted),
            commits,
        )

    def whole_tree(self) -> ChangeSet:
        return ChangeSet(
            "all-files", None, WORKTREE, tuple(self.worktree_files()), is_whole_tree=True
        )

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
        if state.kind == "worktree":
            # One lstat per file, on plain strings: pathlib costs more than the stat itself.
            root = os.path.join(str(self.root), "")
            listed = self.worktree_files(pathspecs)
            return [path for path in listed if _is_regular(root + path)]
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
            out = self._run(
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
            out = self._run("ls-tree", "-r", "-z", "--full-tree", state.rev, "--")
            entries = [entry.partition("\t")[::2] for entry in zsplit(out)]
        return sorted({path for mode, path in entries if mode.startswith(_REGULAR_MODES)})

    def start_listing(self, state: State, globs: Sequence[Glob]) -> None:
        """Start what `files(state, globs)` asks of git for the index; that call then waits."""
        pathspecs = [_pathspec(glob) for glob in globs]
        if state.kind == "index" and pathspecs:
            self._pending_listings[tuple(pathspecs)] = self._start_index_listing(pathspecs)

    def _start_index_listing(self, pathspecs: Sequence[str]) -> Callable[[], bytes]:
        # `mode sha stage<TAB>path`; a conflicted path has several stages.
        return self._start_bytes("ls-files", "-z", "--cached", "--stage", "--", *pathspecs)

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
            return _done
        finish = self._start_cat_files(specs)

        def wait() -> None:
            found = finish()
            for key in specs:
                state, path = key
                self._blobs[state][path] = found.get(key)

        return wait

    def read_worktree(self, path: str) -> bytes | None:
        full = self.root / path
        # Never follow a link out of the repository, nor read a folder or a device.
        try:
            if full.is_symlink() or not full.is_file():
                return None
            return full.read_bytes()
        except OSError:
            return None

    def _start_cat_files(self, specs: Mapping[_Key, str]) -> Callable[[], dict[_Key, bytes]]:
        """Start reading the blobs that object names (an id, `:path`, `rev:path`) name."""
        simple = {key: spec for key, spec in specs.items() if "\n" not in spec and "\r" not in spec}
        finish: Callable[[], bytes] | None = None
        if simple:
            request = "".join(f"{spec}\n" for spec in simple.values()).encode(_ENCODING, _ERRORS)
            finish = self._start_bytes("cat-file", "--batch", stdin=request)

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
                kind = self._run("cat-file", "-t", spec, ok_codes=(0, 128)).strip()
                if kind == "blob":
                    found[key] = self._run_bytes("cat-file", "blob", spec)
            return found

        return result

    def exists(self, state: State, path: str) -> bool:
        if state.kind == "worktree":
            return os.path.lexists(self.root / path)
        return path in self.read_many(state, [path])


__all__ = [
    "EMPTY",
    "INDEX",
    "WORKTREE",
    "ZERO_SHA",
    "ChangeSet",
    "Repository",
    "State",
    "commit_state",
    "display_path",
    "zsplit",
]


def _pathspec(glob: Glob) -> str:
    """git's `:(glob)` magic: `*` stays in a folder, `**/` spans folders, as in Glob.

    A pathspec that names a folder also matches what is below it, as a Glob does.
    """
    magic = "glob,icase" if glob.ignore_case else "glob"
    pattern = glob.pattern[2:] if glob.pattern.startswith("./") else glob.pattern
    return f":({magic}){pattern.strip('/')}"
