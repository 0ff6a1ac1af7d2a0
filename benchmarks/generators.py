"""Deterministic, seeded inputs for the benchmarks: repositories, plans, handoff notes, ranges.

Everything here is a pure function of its arguments and the seed, so two runs (or two
machines) measure the same bytes. Repositories are built with `git fast-import` (one
process writes every blob and commit) and then checked out, which is far faster than
writing files and running `git add` on 100,000 of them.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Bump when the shape of a generated input changes, so cached repositories are rebuilt.
VERSION = 2
SEED = 20240601
PLAN_PATH = "docs/plans/BENCH_MASTERPLAN.md"
HANDOFF_PATH = "SESSION_HANDOFF.md"
RESUME_PATH = "skills/bench-resume.md"
TAGS = ("TODO", "FIXME", "XXX", "HACK")

_WORDS = (
    "parse",
    "cache",
    "index",
    "token",
    "session",
    "user",
    "order",
    "invoice",
    "route",
    "handler",
    "buffer",
    "stream",
    "config",
    "plan",
    "task",
    "phase",
    "module",
    "client",
    "server",
    "request",
    "response",
    "query",
    "schema",
    "table",
    "retry",
    "timeout",
    "queue",
    "worker",
    "event",
    "signal",
    "metric",
    "trace",
    "report",
    "export",
    "import",
    "render",
    "layout",
    "widget",
    "button",
    "theme",
    "locale",
    "format",
    "encode",
    "decode",
    "verify",
    "sign",
    "upload",
)


def git_environ() -> dict[str, str]:
    """An environment where only the scratch repository's own config counts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT_", "PLANKEEPER_"))
    }
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
        GIT_AUTHOR_DATE="2024-06-01T12:00:00Z",
        GIT_COMMITTER_DATE="2024-06-01T12:00:00Z",
    )
    return env


def _git(
    root: Path, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
) -> bytes:
    return subprocess.run(
        ["git", *args],
        cwd=root,
        input=stdin,
        env=dict(env or git_environ()),
        check=True,
        capture_output=True,
    ).stdout


def _sentence(rng: random.Random, low: int = 3, high: int = 8) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


# -- plans ---------------------------------------------------------------------------------


def task_id(number: int) -> str:
    return f"T{number:05d}"


def _task_line(
    rng: random.Random, number: int, indent: str = "", words: tuple[int, int] = (6, 22)
) -> str:
    box = "x" if rng.random() < 0.4 else " "
    return f"{indent}- [{box}] {task_id(number)} {_sentence(rng, *words)}\n"


def _fill(parts: list[str], size: int, make: Iterator[str]) -> str:
    total = sum(len(part) for part in parts)
    for part in make:
        if total >= size:
            break
        parts.append(part)
        total += len(part)
    return "".join(parts)


def _head(title: str) -> list[str]:
    return [
        f"# {title}\n\n## Goals\n\nKeep the plan honest.\n\n",
        "## Architecture\n\nOne module per concern.\n\n",
        "## Success criteria\n\nEvery check passes.\n\n## Handoff\n\nSee SESSION_HANDOFF.md.\n\n",
        "## Phases\n\n",
    ]


def plan_one_list(size: int, seed: int = SEED) -> str:
    """One flat list of tasks (5,000 of them at 1 MB) under a single phase."""
    rng = random.Random(seed)

    def items() -> Iterator[str]:
        yield "### Phase 1: Everything\n\n"
        number = 1
        while True:
            # Long task texts: about 5,000 tasks fill 1 MB.
            yield _task_line(rng, number, words=(16, 40))
            number += 1

    return _fill(_head("One list"), size, items())


def plan_nested(size: int, seed: int = SEED) -> str:
    """Phases of 100-item lists whose tasks carry nested subtasks (masterplan-like)."""
    rng = random.Random(seed)

    def items() -> Iterator[str]:
        number = 1
        phase = 1
        while True:
            yield f"### Phase {phase}: {_sentence(rng, 2, 4).capitalize()}\n\n"
            for _ in range(100):
                yield _task_line(rng, number)
                number += 1
                for _ in range(rng.randint(0, 3)):
                    yield _task_line(rng, number, "  ")
                    number += 1
                    if rng.random() < 0.2:
                        yield _task_line(rng, number, "    ")
                        number += 1
            yield "\n"
            phase += 1

    return _fill(_head("Nested"), size, items())


def plan_prose(size: int, seed: int = SEED) -> str:
    """Prose: headings, paragraphs, fences (with task-like lines inside), quotes, few tasks."""
    rng = random.Random(seed)

    def items() -> Iterator[str]:
        number = 1
        section = 1
        while True:
            yield f"## Phase {section}: {_sentence(rng, 2, 4)}\n\n"
            yield " ".join(_sentence(rng, 8, 16) + "." for _ in range(4)) + "\n\n"
            yield "```markdown\n- [ ] not a task, inside a fence\n" + _sentence(rng) + "\n```\n\n"
            yield "> " + _sentence(rng, 10, 20) + "\n> " + _sentence(rng, 10, 20) + "\n\n"
            yield "### Notes\n\n" + _sentence(rng, 20, 40) + "\n\n"
            for _ in range(rng.randint(2, 6)):
                yield _task_line(rng, number)
                number += 1
            yield "\n"
            section += 1

    return _fill(_head("Prose"), size, items())


def plan_short_lines(size: int, seed: int = SEED) -> str:
    """Lines of a few characters (the red team's slowest shape): one-word paragraph lines,
    bare bullets, short tasks, blank lines and lone `#`, `>`, `-` lines, about 250,000 at 1 MB."""
    rng = random.Random(seed)
    pieces = ("a\n", "\n", "- a\n", "-\n", "#\n", ">\n", "1.\n", "- [ ] b\n", "x\n")

    def items() -> Iterator[str]:
        yield "### Phase 1: Short\n\n"
        while True:
            yield rng.choice(pieces)

    return _fill(_head("Short lines"), size, items())


PLAN_SHAPES = {
    "one-list": plan_one_list,
    "nested": plan_nested,
    "prose": plan_prose,
    "short-lines": plan_short_lines,
}


def plan_of_line(line: str) -> Callable[[int], str]:
    """A plan that repeats one short line (the contract's "any shape": per-line cost)."""

    def make(size: int) -> str:
        def items() -> Iterator[str]:
            yield "### Phase 1: One line\n\n"
            while True:
                yield line

        return _fill(_head("One line"), size, items())

    return make


# Plans of one short line repeated: each rule's cost per line, apart from the mix above.
ONE_LINE_SHAPES = {
    repr(line.rstrip("\n")): plan_of_line(line)
    for line in (
        "a\n",
        "\n",
        "- a\n",
        "-\n",
        "1.\n",
        "- [ ] b\n",
        "#\n",
        ">\n",
        "> - a\n",
        "  - a\n",
        "- a\n1.\n",
        "x\n- a\n",
        "- a\n  - a\n",
    )
}

# -- handoff notes -------------------------------------------------------------------------


def handoff_notes(paths: list[str], base: str | None = None) -> str:
    """Handoff notes that list every path under a changed-files heading."""
    front = f"---\nbase: {base}\n---\n\n" if base else ""
    listed = "".join(f"- `{path}`\n" for path in paths)
    return f"{front}# Session handoff\n\n## Changed files\n\n{listed}\n## Left open\n\nNothing.\n"


def handoff_paths(count: int, seed: int = SEED) -> list[str]:
    """`count` distinct repo-relative paths of the generated repositories' shape."""
    return [layout_path(index) for index in range(count)]


# -- source files --------------------------------------------------------------------------

# extension -> (line comment, block comment open/close or None)
_LANGUAGES: dict[str, tuple[str, tuple[str, str] | None]] = {
    "py": ("#", None),
    "sh": ("#", None),
    "rb": ("#", None),
    "yaml": ("#", None),
    "toml": ("#", None),
    "js": ("//", ("/*", "*/")),
    "ts": ("//", ("/*", "*/")),
    "go": ("//", ("/*", "*/")),
    "rs": ("//", ("/*", "*/")),
    "c": ("//", ("/*", "*/")),
    "java": ("//", ("/*", "*/")),
    "sql": ("--", None),
    "lua": ("--", None),
    "html": ("", ("<!--", "-->")),
    "md": ("", ("<!--", "-->")),
}
_EXTENSIONS = (*_LANGUAGES, "txt", "json", "bin")
FILES_PER_FOLDER = 100


def layout_path(index: int) -> str:
    """The path of file number `index`: folders of 100 files, extensions in rotation."""
    extension = _EXTENSIONS[index % len(_EXTENSIONS)]
    folder, number = divmod(index, FILES_PER_FOLDER)
    top = ("src", "lib", "app", "tools")[folder % 4]
    return f"{top}/pkg{folder:05d}/mod{number:03d}.{extension}"


def _code_line(rng: random.Random, extension: str) -> str:
    name = rng.choice(_WORDS)
    other = rng.choice(_WORDS)
    if extension in ("py", "rb", "sh", "lua"):
        return f"{name}_{other} = {rng.randint(0, 999)}\n"
    if extension in ("yaml", "toml"):
        return f"{name}_{other}: {rng.randint(0, 999)}\n"
    if extension == "sql":
        return f"SELECT {name} FROM {other} WHERE id = {rng.randint(0, 999)};\n"
    if extension in ("html", "md"):
        return f"<p>{_sentence(rng)}</p>\n"
    return f"int {name}_{other} = {rng.randint(0, 999)};\n"


def _comment(extension: str, text: str) -> str:
    line, block = _LANGUAGES[extension]
    if line:
        return f"{line} {text}\n"
    assert block is not None
    return f"{block[0]} {text} {block[1]}\n"


# A line holding `{}` inside a string literal, by extension: the "strings" tree shape.
_STRING_LINES = {
    "py": 'message = "{}"\n',
    "sh": 'message="{}"\n',
    "rb": "message = '{}'\n",
    "yaml": 'message: "{}"\n',
    "toml": 'message = "{}"\n',
    "js": "const message = `{}`;\n",
    "ts": "const message: string = '{}';\n",
    "go": 'var message = "{}"\n',
    "rs": 'let message = "{}";\n',
    "c": 'const char *message = "{}";\n',
    "java": 'String message = "{}";\n',
    "sql": "SELECT '{}';\n",
    "lua": "message = [[{}]]\n",
    "html": '<p title="{}">x</p>\n',
    "md": "Run `{}` first.\n",
}


def source_file(
    index: int, *, tagged: bool, seed: int = SEED, variant: int = 0, strings: bool = False
) -> bytes:
    """The bytes of file `index`; a tagged file has one or two TODO-like comments. With
    `strings`, about half of the others hold tag words only inside string literals, so
    `git grep` lists them and the lexer must read each of them to find nothing."""
    rng = random.Random(seed * 1_000_003 + index * 7 + variant)
    extension = layout_path(index).rsplit(".", 1)[1]
    if extension == "bin":
        return bytes(rng.randrange(256) for _ in range(600))
    if extension in ("txt", "json"):
        words = " ".join(_sentence(rng) for _ in range(10))
        return (f'{{"text": "{words}"}}\n' if extension == "json" else words + "\n").encode()
    lines = [_code_line(rng, extension) for _ in range(rng.randint(12, 30))]
    if tagged:
        for _ in range(rng.randint(1, 2)):
            tag = rng.choice(TAGS)
            if rng.random() < 0.5:
                text = f"{tag}({task_id(rng.randint(1, 200))}): {_sentence(rng)}"
            else:
                text = f"{tag}: {_sentence(rng)}"
            lines.insert(rng.randrange(len(lines) + 1), _comment(extension, text))
    if strings and not tagged and rng.random() < 0.62:
        for _ in range(rng.randint(1, 3)):
            text = f"{rng.choice(TAGS)}: {_sentence(rng)}"
            lines.insert(rng.randrange(len(lines) + 1), _STRING_LINES[extension].format(text))
    if variant:
        lines.append(
            _comment(extension, f"revision {variant}") if _LANGUAGES[extension][0] else "\n"
        )
    return "".join(lines).encode()


def is_tagged(index: int, seed: int = SEED) -> bool:
    """About one file in ten carries a tag (never a binary, text or JSON file)."""
    extension = layout_path(index).rsplit(".", 1)[1]
    return extension in _LANGUAGES and random.Random(seed + index).random() < 0.1


# -- repositories --------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchRepo:
    """A generated repository and the names of what was prepared in it."""

    root: Path
    size: int
    # Branches whose tip changes this many files against main (plan included).
    ranges: tuple[int, ...]
    # Index files for the hook: one stages 5 files with the plan and a tag, one 5 plain files.
    index_with_plan: Path
    index_plain: Path

    def range_branch(self, count: int) -> str:
        return f"feature-{count}"


def _blob(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def _changed_indices(size: int, count: int, rng: random.Random) -> list[int]:
    return sorted(rng.sample(range(size), min(count, size)))


def build_repo(
    work: Path,
    size: int,
    ranges: tuple[int, ...] = (10, 1000),
    seed: int = SEED,
    *,
    strings: bool = False,
) -> BenchRepo:
    """A repository of `size` files (cached under `work`), main plus one branch per range;
    with `strings`, the tree shape where half the files hold tags in strings only."""
    shape = "-strings" if strings else ""
    root = work.resolve() / f"repo-{size}-s{seed}-v{VERSION}{shape}"
    repo = BenchRepo(
        root, size, ranges, root / ".git" / "bench-index-plan", root / ".git" / "bench-index-plain"
    )
    if (root / ".git" / "bench-complete").is_file():
        return repo
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    env = git_environ()
    _git(root, "init", "-q", "-b", "main", env=env)
    plan = plan_nested(50_000, seed).encode()
    stream: list[bytes] = []
    stamp = b"1717243200 +0000"
    # Blob marks: file i at main is mark i + 1; the plan is mark size + 1.
    for index in range(size):
        stream.append(
            b"blob\nmark :%d\n" % (index + 1)
            + _blob(source_file(index, tagged=is_tagged(index, seed), seed=seed, strings=strings))
        )
    stream.append(b"blob\nmark :%d\n" % (size + 1) + _blob(plan))
    stream.append(b"commit refs/heads/main\nmark :%d\n" % (size + 2))
    stream.append(b"author Bench <bench@example.com> " + stamp + b"\n")
    stream.append(b"committer Bench <bench@example.com> " + stamp + b"\n")
    stream.append(_blob(b"Generated repository"))
    for index in range(size):
        stream.append(b"M 100644 :%d %s\n" % (index + 1, layout_path(index).encode()))
    stream.append(b"M 100644 :%d %s\n" % (size + 1, PLAN_PATH.encode()))
    resume = f"# Resume\n\nRead {PLAN_PATH} and pick the next task.\n".encode()
    stream.append(b"M 100644 inline %s\n" % RESUME_PATH.encode() + _blob(resume) + b"\n")
    rng = random.Random(seed + size)
    for count in ranges:
        changed = _changed_indices(size, count - 1, rng)
        stream.append(b"commit refs/heads/feature-%d\n" % count)
        stream.append(b"author Bench <bench@example.com> " + stamp + b"\n")
        stream.append(b"committer Bench <bench@example.com> " + stamp + b"\n")
        stream.append(_blob(b"Change %d files" % count))
        stream.append(b"from :%d\n" % (size + 2))
        for index in changed:
            tagged = is_tagged(index, seed)
            data = source_file(index, tagged=tagged, seed=seed, variant=count, strings=strings)
            stream.append(b"M 100644 inline %s\n" % layout_path(index).encode() + _blob(data))
        stream.append(
            b"M 100644 inline %s\n" % PLAN_PATH.encode()
            + _blob(plan + b"- [ ] T99999 range task\n")
        )
        stream.append(b"\n")
    _git(root, "fast-import", "--quiet", stdin=b"".join(stream), env=env)
    _git(root, "symbolic-ref", "HEAD", "refs/heads/main", env=env)
    _git(root, "reset", "-q", "--hard", env=env)
    _prepare_indexes(repo, rng, seed, env)
    (root / ".git" / "bench-complete").write_text("ok\n")
    return repo


def _prepare_indexes(repo: BenchRepo, rng: random.Random, seed: int, env: dict[str, str]) -> None:
    """Index files for GIT_INDEX_FILE: the hook sees a 5-file commit, the worktree is untouched."""
    tagged = [index for index in range(repo.size) if is_tagged(index, seed)]
    plain = [
        index
        for index in range(repo.size)
        if not is_tagged(index, seed) and layout_path(index).endswith((".py", ".js", ".go"))
    ]
    with_plan = [*rng.sample(tagged, 2), *rng.sample(plain, 2)]
    plain_five = rng.sample(plain, 5)
    plan = plan_nested(50_000, seed).encode() + b"- [ ] T99998 staged task\n"
    for index_file, indices, plan_data in (
        (repo.index_with_plan, with_plan, plan),
        (repo.index_plain, plain_five, None),
    ):
        local = {**env, "GIT_INDEX_FILE": str(index_file)}
        _git(repo.root, "read-tree", "HEAD", env=local)
        entries = [
            (layout_path(index), source_file(index, tagged=index in tagged, seed=seed, variant=1))
            for index in indices
        ]
        if plan_data is not None:
            entries.append((PLAN_PATH, plan_data))
        for path, data in entries:
            sha = (
                _git(repo.root, "hash-object", "-w", "--stdin", stdin=data, env=local)
                .decode()
                .strip()
            )
            _git(
                repo.root, "update-index", "--add", "--cacheinfo", f"100644,{sha},{path}", env=local
            )


# -- a legacy codebase with a baseline (issue 16) --------------------------------------------

BASELINE_ENTRIES = 5_000


def build_baseline_repo(work: Path, plankeeper: Sequence[str]) -> Path:
    """A repository of 2,500 files with 5,000 distinct untracked TODOs, recorded by
    `plankeeper baseline` and committed (cached under `work`)."""
    root = work.resolve() / f"baseline-{BASELINE_ENTRIES}-v{VERSION}"
    if (root / ".git" / "bench-complete").is_file():
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    env = git_environ()
    _git(root, "init", "-q", "-b", "main", env=env)
    tags = [tag for tag in TAGS if tag in ("TODO", "FIXME")]
    for index in range(BASELINE_ENTRIES // 2):
        path = root / f"pkg{index % 50:02d}" / f"mod{index}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            f"# {tags[0]}: legacy work {index} first\nvalue = {index}\n"
            f"# {tags[1]}: legacy work {index} second\n"
        )
    subprocess.run([*plankeeper, "baseline"], cwd=root, env=env, check=True, capture_output=True)
    _git(root, "add", "-A", env=env)
    _git(root, "commit", "-q", "--no-verify", "-m", "legacy code and its baseline", env=env)
    (root / ".git" / "bench-complete").write_text("ok\n")
    return root
