"""`plankeeper handoff`: creates or refreshes the changed-files list, keeping every other byte."""

from __future__ import annotations

import pytest

from tests.checks.test_handoff_matches import NOTES, PLAN, summary, verify_lines
from tests.conftest import MINIMAL_PLAN, Repo

PERSON = (
    "# Handoff\n"
    "\n"
    "Intro written by a person.\n"
    "\n"
    "## Changed files\n"
    "\n"
    "- `src/a.py` \u2014 rewrote the parser\n"
    "- `src/old.py` (a person's note)\n"
    "\n"
    "## Next steps\n"
    "\n"
    "- finish it\n"
)


NEXT = "## Next task\n\n```text\ndocs/plans/DEMO_MASTERPLAN.md:10: [T001] first task\n```\n"


def top(base: str, ending: str = "\n") -> bytes:
    """The front matter `handoff` writes: the base it used."""
    return f"---{ending}base: {base}{ending}---{ending}".encode()


def project(repo: Repo, notes: str | bytes | None = None) -> str:
    """main: a plan, two files and, when given, the notes; then branch `work`."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "a = 1\n")
    repo.write("src/b.py", "b = 1\n")
    if notes is not None:
        repo.write(NOTES, notes)
    sha = repo.commit("initial")
    repo.git("checkout", "-q", "-b", "work")
    return sha


def test_creates_notes_listing_the_changed_files(repo: Repo) -> None:
    base = project(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write("src/c.py", "c = 1\n")
    result = repo.run("handoff")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"{NOTES}: listed src/a.py\n"
        f"{NOTES}: listed src/c.py\n"
        f"plankeeper: created {NOTES} with 2 files changed since {base[:7]} (HEAD)\n"
    )
    assert (
        repo.read(NOTES)
        == top(base)
        + (
            f"# Session handoff\n\n{NEXT}\n## Changed files\n\n- `src/a.py`\n- `src/c.py`\n"
        ).encode()
    )


def test_refresh_adds_missing_files_and_keeps_every_written_line(repo: Repo) -> None:
    base = project(repo, PERSON)
    repo.write("src/a.py", "a = 2\n")
    repo.write("src/b.py", "b = 2\n")
    result = repo.run("handoff")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"{NOTES}:8: kept src/old.py, which does not exist: "
        "`plankeeper handoff --prune` removes it\n"
        f"{NOTES}: listed src/b.py\n"
        f"plankeeper: {NOTES}: 1 file added, 1 already listed (changes since {base[:7]} "
        "(the notes' previous version))\n"
    )
    lines = PERSON.encode().splitlines(keepends=True)
    assert repo.read(NOTES) == b"".join(
        [top(base), *lines[:4], NEXT.encode(), b"\n", *lines[4:8], b"- `src/b.py`\n", *lines[8:]]
    )


def test_refresh_keeps_crlf(repo: Repo) -> None:
    crlf = PERSON.replace("\n", "\r\n").encode()
    base = project(repo, crlf)
    repo.write("src/b.py", "b = 2\n")
    assert repo.run("handoff").returncode == 0
    lines = crlf.splitlines(keepends=True)
    next_task = (NEXT + "\n").replace("\n", "\r\n").encode()
    assert repo.read(NOTES) == b"".join(
        [top(base, "\r\n"), *lines[:4], next_task, *lines[4:8], b"- `src/b.py`\r\n", *lines[8:]]
    )


def test_refresh_appends_a_section_after_a_last_line_without_newline(repo: Repo) -> None:
    base = project(repo, b"# Handoff\n\nProse, no newline.")
    repo.write("src/a.py", "a = 2\n")
    assert repo.run("handoff").returncode == 0
    assert (
        repo.read(NOTES)
        == top(base)
        + (
            f"# Handoff\n\nProse, no newline.\n\n{NEXT}\n## Changed files\n\n- `src/a.py`\n"
        ).encode()
    )


def test_refresh_fills_an_empty_section(repo: Repo) -> None:
    base = project(repo, "# Handoff\n## Changed files\n## Next\nsoon\n")
    repo.write("src/a.py", "a = 2\n")
    assert repo.run("handoff").returncode == 0
    assert (
        repo.read(NOTES)
        == top(base)
        + (f"# Handoff\n{NEXT}\n## Changed files\n\n- `src/a.py`\n\n## Next\nsoon\n").encode()
    )


def test_refresh_after_prose_in_the_section_starts_a_list(repo: Repo) -> None:
    base = project(repo, "# Handoff\n\n## Files modified\n\nSee below.\n")
    repo.write("src/a.py", "a = 2\n")
    assert repo.run("handoff").returncode == 0
    assert (
        repo.read(NOTES)
        == top(base)
        + (f"# Handoff\n\n{NEXT}\n## Files modified\n\nSee below.\n\n- `src/a.py`\n").encode()
    )


def test_second_run_changes_nothing(repo: Repo) -> None:
    base = project(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.run("handoff")
    before = repo.read(NOTES)
    result = repo.run("handoff")
    assert result.stdout == (
        f"plankeeper: {NOTES} is up to date (1 file changed since {base[:7]} "
        "(base: in the front matter))\n"
    )
    assert repo.read(NOTES) == before


def test_deleted_file_is_listed_as_deleted(repo: Repo) -> None:
    project(repo)
    repo.git("rm", "-q", "src/b.py")
    assert repo.run("handoff").returncode == 0
    assert repo.read(NOTES).endswith(b"- `src/b.py` (deleted)\n")


def test_after_handoff_the_range_check_has_no_pk301(repo: Repo) -> None:
    project(repo, PERSON.replace("- `src/old.py` (a person's note)\n", ""))
    repo.write("src/b.py", "b = 2\n")
    repo.write("src/new.py", "n = 1\n")
    repo.git("rm", "-q", "src/a.py")
    repo.run("handoff")
    repo.commit("work and handoff")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, result.stdout) == (0, summary(0, 0, 4))


def test_after_handoff_verify_has_no_findings(repo: Repo) -> None:
    project(repo, PERSON.replace("- `src/old.py` (a person's note)\n", ""))
    repo.write("src/a.py", "a = 2\n")
    repo.write("src/c.py", "c = 1\n")
    repo.run("handoff")
    assert verify_lines(repo) == []


def test_second_session_lists_only_work_since_the_committed_handoff(repo: Repo) -> None:
    project(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.run("handoff")
    handoff = repo.commit("first session")
    repo.write("src/b.py", "b = 2\n")
    result = repo.run("handoff")
    since = f"{handoff[:7]} (the notes' previous version)"
    assert result.stdout == (
        f"{NOTES}:14: kept src/a.py, which did not change since {since}: "
        "`plankeeper handoff --prune` removes it\n"
        f"{NOTES}: listed src/b.py\n"
        f"plankeeper: {NOTES}: 1 file added, 0 already listed (changes since {since})\n"
    )
    assert f"base: {handoff}\n".encode() in repo.read(NOTES)


def test_base_option_lists_files_since_that_revision(repo: Repo) -> None:
    project(repo)
    repo.write("src/a.py", "a = 2\n")
    middle = repo.commit("a")
    repo.write("src/b.py", "b = 2\n")
    repo.commit("b")
    result = repo.run("handoff", "--base", middle)
    assert result.stdout == (
        f"{NOTES}: listed src/b.py\n"
        f"plankeeper: created {NOTES} with 1 file changed since {middle[:7]} (--base {middle})\n"
    )


def test_front_matter_base_is_used(repo: Repo) -> None:
    first = project(repo)
    repo.write("src/a.py", "a = 2\n")
    middle = repo.commit("a")
    repo.write(NOTES, f"---\nbase: {middle}\n---\n# Handoff\n")
    repo.write("src/b.py", "b = 2\n")
    assert first != middle
    assert repo.run("handoff").returncode == 0
    assert (
        repo.read(NOTES)
        == (
            f"---\nbase: {middle}\n---\n# Handoff\n\n{NEXT}\n## Changed files\n\n- `src/b.py`\n"
        ).encode()
    )


def test_unknown_base_is_exit_2(repo: Repo) -> None:
    project(repo)
    result = repo.run("handoff", "--base", "nosuch")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "plankeeper: error: --base: unknown revision 'nosuch'\n"


def test_refreshes_the_first_configured_notes(repo: Repo) -> None:
    project(repo)
    repo.write(".plankeeper.yaml", "handoff: [docs/HANDOFF.md]\n")
    repo.write("src/a.py", "a = 2\n")
    result = repo.run("handoff")
    assert result.returncode == 0
    assert (repo.path / "docs/HANDOFF.md").is_file()
    assert not (repo.path / NOTES).exists()


@pytest.mark.parametrize(
    ("name", "bullet"),
    [
        pytest.param("src/we`ird.py", b"- ``src/we`ird.py``", id="backtick"),
        pytest.param("src/with space.py", b"- `src/with space.py`", id="space"),
    ],
)
def test_odd_names_become_valid_code_spans(repo: Repo, name: str, bullet: bytes) -> None:
    project(repo)
    repo.write(name, "x\n")
    assert repo.run("handoff").returncode == 0
    assert bullet + b"\n" in repo.read(NOTES)
    repo.commit("odd name")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, result.stdout) == (0, summary(0, 0, 2))


def test_creates_notes_before_the_first_commit(repo: Repo) -> None:
    repo.write("a.py", "a = 1\n")
    result = repo.run("handoff")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"{NOTES}: listed a.py\n"
        f"plankeeper: created {NOTES} with 1 file changed since the repository began\n"
    )


def test_creates_configured_notes_in_a_new_folder(repo: Repo) -> None:
    base = project(repo)
    repo.write(".plankeeper.yaml", "handoff: [notes/session/HANDOFF.md]\n")
    result = repo.run("handoff")
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        repo.read("notes/session/HANDOFF.md")
        == top(base)
        + (f"# Session handoff\n\n{NEXT}\n## Changed files\n\n- `.plankeeper.yaml`\n").encode()
    )
