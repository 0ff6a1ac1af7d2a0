"""Issue 17: one handoff base in every mode, paths are paths, grouped PK301, the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED, Repo, findings_of
from tests.conftest import user_git as git

NOTES = "SESSION_HANDOFF.md"
PLAN = "docs/plans/DEMO_MASTERPLAN.md"
PLAN_TEXT = """# Demo masterplan

## Vision and goals
Ship it.

## Architecture
One module.

## Phase 1: Start
- [ ] T001 first task
- [ ] T002 second task
- [ ] T003 third task

## Success criteria
- It works.

## Handoff protocol
Run `plankeeper handoff`, then `plankeeper verify`, then commit.
"""


def feature(repo: Repo) -> str:
    """main: a plan and app.py, hooks installed; branch `feature` changes app.py, T001 done."""
    repo.write(PLAN, PLAN_TEXT)
    repo.write("skills/demo-resume.md", f"# Resume\n\nRead {PLAN}.\n")
    repo.write("app.py", "x = 1\n")
    base = repo.commit("init")
    assert repo.run("install-hooks").returncode == 0
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", "x = 2\n")
    repo.write(PLAN, PLAN_TEXT.replace("- [ ] T001", "- [x] T001"))
    repo.stage()
    committed = git(repo, "commit", "-q", "-m", "x is 2; T001 done")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    return base


# -- one base everywhere -----------------------------------------------------------------------


def test_generated_notes_pass_at_commit_and_in_ci(repo: Repo) -> None:
    base = feature(repo)
    assert repo.run("handoff").returncode == 0
    assert repo.run("verify").returncode == 0
    assert f"---\nbase: {base}\n---\n".encode() in repo.read(NOTES)
    repo.stage(NOTES)
    committed = git(repo, "commit", "-m", "handoff")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    ci = repo.run("check", "--base", "main")
    assert (ci.returncode, findings_of(ci.stdout)) == (0, "plankeeper: 0 errors, 0 warnings\n")


def test_written_notes_without_base_agree_at_commit_and_in_ci(repo: Repo) -> None:
    feature(repo)
    repo.write(NOTES, "# Handoff\n\n## Changed files\n\n- `app.py`\n")
    repo.stage(NOTES)
    committed = git(repo, "commit", "-m", "handoff by hand")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert repo.run("check", "--base", "main").returncode == 0


def test_findings_name_the_base_and_where_it_comes_from(repo: Repo) -> None:
    base = feature(repo)
    repo.write(NOTES, f"---\nbase: {base}\n---\n# Handoff\n\n## Changed files\n\n- `lib.py`\n")
    repo.write("lib.py", "y = 1\n")
    repo.commit("notes")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n\n- `app.py`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    notes_commit = repo.git("rev-parse", "HEAD").strip()
    assert result.stdout.splitlines()[0] == (
        f"{NOTES}:5: PK302 app.py is listed as changed but did not change since "
        f"{notes_commit[:7]} (the notes' previous version) [handoff-matches]"
    )
    repo.write(NOTES, f"---\nbase: {base}\n---\n# Handoff\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert result.stdout.splitlines()[0] == (
        f"{NOTES}: PK301 app.py changed since {base[:7]} (base: in the front matter) "
        "but the handoff notes do not mention it [handoff-matches]"
    )


# -- paths are paths ---------------------------------------------------------------------------

WORDS = (
    "`os.path.join`",
    "`self.cache`",
    "`settings.DEBUG`",
    "`support@example.com`",
    "`example.com`",
    "`v1.2.3`",
    "`node.js`",
    "`ASP.NET`",
    "`app.run()`",
    "`Foo.bar`",
    "`BufferFactory.Default`",
    "`java.security`",
    "`syscall.Stat`",
    "`example.com/docs/a.md`",
    "`origin/main`",
    "`11-090/200`",
    "`packages/<name>`",
)


def test_names_that_are_no_paths_are_no_pk303_and_a_missing_path_is(repo: Repo) -> None:
    feature(repo)
    body = "\n".join(f"- {word}" for word in WORDS)
    repo.write(NOTES, f"# Handoff\n\n## Changed files\n\n- `app.py`\n\n## Words\n\n{body}\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, findings_of(result.stdout)) == (
        0,
        "plankeeper: 0 errors, 0 warnings\n",
    )
    repo.write(NOTES, f"# Handoff\n\n- `app.py`\n\n{body}\n\nSee `src/gone.py`.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert findings_of(result.stdout) == (
        f"{NOTES}:{len(WORDS) + 6}: PK303 src/gone.py does not exist [handoff-matches]\n"
        "plankeeper: 1 error, 0 warnings\n"
    )


def test_a_bare_name_of_a_file_is_a_mention_of_it(repo: Repo) -> None:
    feature(repo)
    repo.write("Makefile", "all:\n")
    repo.commit("make")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n\n- `app.py`\n- `Makefile`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert "PK303" not in result.stdout
    assert result.returncode == 0


CORPUS = SHARED / "corpus" / "handoff"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")
def test_corpus_notes_give_pk303_only_for_paths(repo: Repo) -> None:
    """The 16 real notes, each staged as the notes: no dotted name is taken for a path."""
    repo.write("app.py", "x = 1\n")
    repo.commit("init")
    dangling: list[str] = []
    for path in sorted(CORPUS.iterdir()):
        repo.write(NOTES, path.read_bytes())
        repo.stage()
        result = repo.run("check", "handoff-matches", "--format", "json")
        found = json.loads(result.stdout)["findings"]
        dangling += [item["message"] for item in found if item["code"] == "PK303"]
    names = [message.removesuffix(" does not exist") for message in dangling]
    # Each one has a `/` (the rule), and the 16 notes give them only in these 12 files.
    assert all("/" in name for name in names)
    assert len(dangling) == 225
    for word in ("BufferFactory.Default", "java.security", "syscall.Stat", "AGENTS.md"):
        assert word not in names


# -- many unmentioned files --------------------------------------------------------------------


def test_many_unmentioned_files_are_one_finding_with_its_fix(repo: Repo) -> None:
    base = feature(repo)
    for index in range(4):
        repo.write(f"src/m{index}.py", "x = 1\n")
    for index in range(3):
        repo.write(f"tests/t{index}.py", "x = 1\n")
    repo.write(NOTES, "# Handoff\n\nWork in progress.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert findings_of(result.stdout).splitlines() == [
        f"{NOTES}: PK301 8 files changed since {base[:7]} (the merge-base with the default "
        "branch) but the handoff notes do not mention them: 4 in src/, 3 in tests/, 1 at the "
        "top level; run `plankeeper handoff` to list them, or set `base:` in the notes' front "
        "matter to where this work began [handoff-matches]",
        "plankeeper: 1 error, 0 warnings",
    ]
    result = repo.run("check", "handoff-matches", "--format", "json")
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["paths"] == [
        "app.py",
        *(f"src/m{index}.py" for index in range(4)),
        *(f"tests/t{index}.py" for index in range(3)),
    ]


# -- the generator -----------------------------------------------------------------------------


def session(repo: Repo) -> tuple[str, str, str, str]:
    """The README's example: 3 commits, T001 and T002 checked off, T004 added."""
    repo.write(PLAN, PLAN_TEXT)
    repo.write("app.py", "x = 1\n")
    base = repo.commit("init")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", "x = 2\n")
    repo.write(PLAN, PLAN_TEXT.replace("- [ ] T001", "- [x] T001"))
    first = repo.commit("x is 2")
    repo.write("lib.py", "y = 1\n")
    repo.write(PLAN, repo.read(PLAN).decode().replace("- [ ] T002", "- [x] T002"))
    second = repo.commit("add lib")
    plan = repo.read(PLAN).decode()
    repo.write(PLAN, plan.replace("third task\n", "third task\n- [ ] T004 fourth\n"))
    third = repo.commit("plan T004")
    return base, first, second, third


def readme_example() -> str:
    """The generated note that README's handoff section shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("````markdown\n", readme.index("### `plankeeper handoff"))
    return readme[start + len("````markdown\n") : readme.index("````\n", start + 1)]


def test_readme_shows_a_generated_note_verbatim(repo: Repo) -> None:
    session(repo)
    assert repo.run("handoff").returncode == 0
    assert repo.read(NOTES).decode() == readme_example()


def test_generated_notes_show_the_session_exactly(repo: Repo) -> None:
    base, first, second, third = session(repo)
    result = repo.run("handoff")
    assert result.returncode == 0, result.stderr
    assert repo.read(NOTES).decode() == (
        f"---\nbase: {base}\n---\n# Session handoff\n\n"
        "## Next task\n\n```text\ndocs/plans/DEMO_MASTERPLAN.md:12: [T003] third task\n```\n\n"
        "## Tasks checked off\n\n```text\n"
        "docs/plans/DEMO_MASTERPLAN.md:10: [T001] first task\n"
        "docs/plans/DEMO_MASTERPLAN.md:11: [T002] second task\n```\n\n"
        "## Tasks added\n\n```text\ndocs/plans/DEMO_MASTERPLAN.md:13: [T004] fourth\n```\n\n"
        "## Commits\n\n```text\n"
        f"{first[:7]} x is 2\n{second[:7]} add lib\n{third[:7]} plan T004\n```\n\n"
        "## Changed files\n\n- `app.py`\n- `docs/plans/DEMO_MASTERPLAN.md`\n- `lib.py`\n"
    )


def test_todos_added_and_resolved_are_listed(repo: Repo) -> None:
    tag = "TO" + "DO"
    repo.write(PLAN, PLAN_TEXT)
    repo.write("app.py", f"# {tag}(T001): old one\nx = 1\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", f"x = 1\n# {tag}(T002): new one\n")
    assert repo.run("handoff").returncode == 0
    notes = repo.read(NOTES).decode()
    assert f"## TODOs added\n\n```text\napp.py:2: {tag}(T002) new one\n```\n" in notes
    assert f"## TODOs resolved\n\n```text\napp.py:1: {tag}(T001) old one\n```\n" in notes


def test_a_refresh_rewrites_generated_sections_and_keeps_the_users(repo: Repo) -> None:
    feature(repo)
    written = "# Handoff\n\n## Next task\n\nstale\n\n## Mine\n\nKeep `this` as it is.\n"
    repo.write(NOTES, written)
    assert repo.run("handoff").returncode == 0
    notes = repo.read(NOTES).decode()
    assert "stale" not in notes
    assert "## Mine\n\nKeep `this` as it is.\n" in notes
    assert "[T002] second task" in notes


def test_print_writes_the_notes_to_stdout_and_leaves_the_file(repo: Repo) -> None:
    feature(repo)
    repo.write(NOTES, "# Handoff\n")
    result = repo.run("handoff", "--print")
    assert result.returncode == 0
    assert repo.read(NOTES) == b"# Handoff\n"
    assert result.stdout.startswith("---\nbase: ")
    assert result.stdout.endswith(
        "## Changed files\n\n- `app.py`\n- `docs/plans/DEMO_MASTERPLAN.md`\n"
    )


# -- --prune -----------------------------------------------------------------------------------


def test_prune_removes_the_stale_lines_and_nothing_else(repo: Repo) -> None:
    feature(repo)
    repo.write("old.py", "o = 1\n")
    repo.write("older.py", "o = 1\n")
    repo.commit("two files")
    written = (
        "# Handoff\n\n## Changed files\n\n"
        "Prose before, naming `old.py` on purpose.\n\n"
        "- `app.py` \u2014 x is 2\n"
        "- `old.py`\n"
        "- `older.py` (was touched)\n\n"
        "Prose after.\n\n## Next\n\n- `old.py` again\n"
    )
    repo.write(NOTES, written)
    notes_commit = repo.commit("notes")
    repo.write("app.py", "x = 3\n")
    result = repo.run("handoff", "--prune")
    assert result.returncode == 0, result.stderr
    since = f"{notes_commit[:7]} (the notes' previous version)"
    assert result.stdout == (
        f"{NOTES}:8: removed old.py, which did not change since {since}\n"
        f"{NOTES}:9: removed older.py, which did not change since {since}\n"
        f"plankeeper: {NOTES}: 0 files added, 2 removed, 1 already listed (changes since {since})\n"
    )
    pruned = written.replace("- `old.py`\n", "").replace("- `older.py` (was touched)\n", "")
    next_task = (
        "## Next task\n\n```text\ndocs/plans/DEMO_MASTERPLAN.md:11: [T002] second task\n```\n\n"
    )
    assert repo.read(NOTES).decode() == (
        f"---\nbase: {notes_commit}\n---\n"
        + pruned.replace("## Changed files", next_task + "## Changed files")
    )


# -- agent files -------------------------------------------------------------------------------


def test_a_broken_path_in_agents_md_is_reported_a_working_one_is_not(repo: Repo) -> None:
    repo.write("src/app.py", "x = 1\n")
    repo.commit("init")
    repo.write("AGENTS.md", "# Agents\n\nStart in `src/app.py`, then `src/gone.py`; `node.js`.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert findings_of(result.stdout) == (
        "AGENTS.md:3: PK304 src/gone.py does not exist [handoff-matches]\n"
        "plankeeper: 0 errors, 1 warning\n"
    )
    repo.write("AGENTS.md", "# Agents\n\nStart in `src/app.py`.\n")
    repo.stage()
    assert findings_of(repo.run("check", "handoff-matches").stdout) == (
        "plankeeper: 0 errors, 0 warnings\n"
    )


def test_deleting_a_file_that_claude_md_and_the_resume_file_name_is_reported(repo: Repo) -> None:
    repo.write("src/app.py", "x = 1\n")
    repo.write("src/other.py", "x = 1\n")
    repo.write("CLAUDE.md", "See [the app](src/app.py) and `src/missing.py`.\n")
    repo.write("skills/demo-resume.md", "# Resume\n\n1. Read `src/app.py`.\n")
    repo.commit("init")
    repo.git("rm", "-q", "src/other.py")
    assert "PK304" not in repo.run("check", "handoff-matches").stdout
    repo.git("rm", "-q", "src/app.py")
    result = repo.run("check", "handoff-matches")
    assert findings_of(result.stdout) == (
        "CLAUDE.md:1: PK304 src/app.py does not exist [handoff-matches]\n"
        "skills/demo-resume.md:3: PK304 src/app.py does not exist [handoff-matches]\n"
        "plankeeper: 0 errors, 2 warnings\n"
    )
    all_files = repo.run("check", "handoff-matches", "--all-files")
    assert "CLAUDE.md:1: PK304 src/missing.py does not exist" in all_files.stdout


def test_the_base_is_written_into_front_matter_that_keeps_its_other_keys(repo: Repo) -> None:
    base = feature(repo)
    repo.write(NOTES, "---\ntitle: Week 3\nbase: 1234567\ntags: [a]\n---\n# Handoff\n")
    assert repo.run("handoff", "--base", "main").returncode == 0
    assert (
        repo.read(NOTES)
        .decode()
        .startswith(
            f"---\ntitle: Week 3\nbase: {base}\ntags: [a]\n---\n# Handoff\n\n## Next task\n"
        )
    )
    repo.write(NOTES, "---\ntitle: Week 3\n---\n# Handoff\n")
    assert repo.run("handoff").returncode == 0
    assert repo.read(NOTES).decode().startswith(f"---\nbase: {base}\ntitle: Week 3\n---\n")


def test_refresh_is_a_pure_function_of_the_notes_and_the_work(tmp_path: Path) -> None:
    from plankeeper.checks.handoff_matches import Work
    from plankeeper.commands.handoff import refresh
    from plankeeper.config import load_config
    from plankeeper.git.states import EMPTY
    from plankeeper.handoff_write import Session

    notes = (
        b"# Handoff\r\n\r\n## Files modified\r\n\r\n| File | Why |\r\n| --- | --- |\r\n"
        b"| `a.py` | new |\r\n| `b.py` | old |\r\n\r\nWhy `b.py` matters.\r\n"
    )
    files = frozenset({"a.py", "b.py", "c.py"})
    work = Work(EMPTY, frozenset({"a.py", "c.py"}), frozenset(), frozenset(), files, "x")
    session = Session("f" * 40, changed=[("a.py", False), ("c.py", False)])
    result = refresh(NOTES, notes, load_config(tmp_path, None), work, session, prune=True)
    assert (result.listed, result.pruned) == (("c.py",), (8,))
    assert result.data == (
        b"---\r\nbase: " + b"f" * 40 + b"\r\n---\r\n"
        b"# Handoff\r\n\r\n## Files modified\r\n\r\n| File | Why |\r\n| --- | --- |\r\n"
        b"| `a.py` | new |\r\n\r\nWhy `b.py` matters.\r\n\r\n- `c.py`\r\n"
    )


def test_a_long_branch_shows_its_newest_commits_and_counts_the_rest() -> None:
    from plankeeper.handoff_write import commit_lines

    commits = [(f"{index:07x}" + "0" * 33, f"c{index}") for index in range(5)]
    assert commit_lines(commits, shown=2) == ["... 3 earlier commits", "0000003 c3", "0000004 c4"]
    assert commit_lines(commits[:2], shown=2) == ["0000000 c0", "0000001 c1"]
