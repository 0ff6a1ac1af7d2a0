"""handoff-matches (PK300-PK303) in staged, range and verify mode, on real repositories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plankeeper import changes
from plankeeper.checks.handoff_matches import check
from plankeeper.config import load_config
from plankeeper.context import Context
from plankeeper.git.repository import Repository
from plankeeper.report.text import format_finding
from tests.conftest import MINIMAL_PLAN, Repo

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
NOTES = "SESSION_HANDOFF.md"


def start(repo: Repo, notes: str = "# Handoff\n\nNothing yet.\n") -> str:
    """main: a plan, two source files and the notes; then a branch `work` to change."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "a = 1\n")
    repo.write("src/b.py", "b = 1\n")
    repo.write(NOTES, notes)
    sha = repo.commit("initial")
    repo.git("checkout", "-q", "-b", "work")
    return sha


def verify_lines(repo: Repo, base: str | None = "main") -> list[str]:
    """handoff-matches in verify mode (the working tree), run in-process on the real repo."""
    repository = Repository(repo.path)
    ctx = Context(repository, load_config(repository.root, None), changes.verify(repository, base))
    found = sorted(check(ctx), key=lambda f: f.sort_key())
    return [unbased(format_finding(item)) for item in found]


_SINCE = re.compile(r" since (?:[0-9a-f]{7} \([^)]*\)|the repository began)")


def unbased(text: str) -> str:
    """Findings without the base they name: the tests of the base assert it on their own."""
    return _SINCE.sub("", text)


def summary(errors: int, warnings: int, files: int) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'s' if count != 1 else ''}"

    return (
        f"plankeeper: {plural(errors, 'error')}, {plural(warnings, 'warning')}, "
        f"{plural(files, 'file')} checked\n"
    )


# -- PK300 ---------------------------------------------------------------------------------


def test_range_code_change_without_notes_update_is_pk300(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.commit("code only")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, result.stderr) == (0, "")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK300 src/a.py changed but the handoff notes were not updated "
        "[handoff-matches]\n" + summary(0, 1, 1)
    )


def test_verify_code_change_without_notes_update_is_pk300(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    assert verify_lines(repo) == [
        f"{NOTES}: PK300 src/a.py changed but the handoff notes were not updated [handoff-matches]"
    ]


def test_staged_code_change_without_notes_update_is_no_finding(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 1))


def test_range_without_notes_is_no_pk300(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "a = 1\n")
    repo.commit("initial")
    repo.git("checkout", "-q", "-b", "work")
    repo.write("src/a.py", "a = 2\n")
    repo.commit("code")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 1))


def test_range_plan_only_change_is_no_pk300(repo: Repo) -> None:
    start(repo)
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    repo.commit("plan only")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 1))


# -- PK301 ---------------------------------------------------------------------------------


def test_staged_unmentioned_change_is_pk301(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write("src/b.py", "b = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, result.stderr) == (1, "")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/b.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 3)
    )
    assert "Traceback" not in result.stderr


def test_range_unmentioned_change_is_pk301(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write("src/b.py", "b = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/b.py`\n")
    repo.commit("work")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert result.returncode == 1
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 3)
    )


def test_verify_unmentioned_change_is_pk301(repo: Repo) -> None:
    start(repo)
    repo.write("src/new.py", "n = 1\n")
    repo.write(NOTES, "# Handoff\n\nNothing yet.\n")
    repo.write(NOTES, "# Handoff\n\nStill nothing.\n")
    assert verify_lines(repo) == [
        f"{NOTES}: PK301 src/new.py changed but the handoff notes do not mention it "
        "[handoff-matches]"
    ]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("- `src/a.py`", id="code-span"),
        pytest.param("- [parser](src/a.py)", id="link"),
        pytest.param("Rewrote src/a.py today.", id="plain-text"),
        pytest.param("- `src/a.py:12`", id="line"),
        pytest.param("- `src/a.py:12-24`", id="line-range"),
        pytest.param("- @src/a.py", id="at-path"),
        pytest.param("- everything in `src/`", id="folder"),
        pytest.param("- `src/**/*.py`", id="glob"),
        pytest.param("- `./src/a.py`", id="dot-slash"),
    ],
)
def test_every_mention_form_covers_the_change(repo: Repo, body: str) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, f"# Handoff\n\n{body}\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 2))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("- <https://example.com/src/a.py>", id="url"),
        pytest.param("- `/src/a.py`", id="absolute"),
        pytest.param("```\nsrc/a.py\n```", id="fenced-code"),
        pytest.param("<!-- `src/a.py` -->", id="comment"),
        pytest.param("- the src folder", id="bare-word-folder"),
    ],
)
def test_what_is_no_mention_leaves_the_change_unmentioned(repo: Repo, body: str) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, f"# Handoff\n\n{body}\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert result.returncode == 1
    assert unbased(result.stdout).splitlines()[0] == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it [handoff-matches]"
    )


def test_plan_resume_config_and_exempt_files_need_no_mention(repo: Repo) -> None:
    start(repo)
    repo.write(".plankeeper.yaml", "exempt: [poetry.lock]\n")
    repo.write(PLAN, MINIMAL_PLAN.replace("- [ ] T001", "- [x] T001"))
    repo.write("skills/demo-resume.md", f"Read {PLAN}.\n")
    repo.write("poetry.lock", "locked\n")
    repo.write(NOTES, "# Handoff\n\nPlan work only.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 5))


def test_deleted_file_must_be_mentioned(repo: Repo) -> None:
    start(repo)
    repo.git("rm", "-q", "src/b.py")
    repo.write(NOTES, "# Handoff\n\nNothing.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/b.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 2)
    )


def test_mentioned_deleted_file_passes(repo: Repo) -> None:
    start(repo)
    repo.git("rm", "-q", "src/b.py")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n- `src/b.py` (deleted)\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 2))


def test_renamed_file_is_its_new_path(repo: Repo) -> None:
    start(repo)
    repo.git("mv", "src/b.py", "src/c.py")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n- `src/b.py` moved\n")
    repo.commit("rename")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/c.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 2)
    )


def test_renamed_file_listed_by_both_paths_passes(repo: Repo) -> None:
    start(repo)
    repo.git("mv", "src/b.py", "src/c.py")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n- `src/b.py` -> `src/c.py`\n")
    repo.commit("rename")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 2))


# -- the handoff base ----------------------------------------------------------------------


def test_only_work_since_the_previous_handoff_needs_a_mention(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n")
    repo.commit("first session, with its handoff")
    repo.write("src/b.py", "b = 2\n")
    repo.commit("second session: code")
    repo.write(NOTES, "# Handoff\n\n- `src/b.py`\n")
    repo.commit("second session: handoff")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 3))


def test_work_since_the_previous_handoff_across_commits_is_pk301(repo: Repo) -> None:
    start(repo)
    repo.write(NOTES, "# Handoff\n\nFirst.\n")
    repo.commit("first handoff")
    repo.write("src/a.py", "a = 2\n")
    repo.commit("code")
    repo.write("src/b.py", "b = 2\n")
    repo.commit("more code")
    repo.write(NOTES, "# Handoff\n\n- `src/b.py`\n")
    repo.commit("second handoff")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 3)
    )


def test_staged_notes_describe_work_since_the_last_commit_of_the_notes(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.commit("code before any new handoff")
    repo.write("src/b.py", "b = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/b.py`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 2)
    )


def test_verify_with_committed_notes_needs_later_work_mentioned(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.commit("code")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n")
    repo.commit("handoff")
    repo.write("src/b.py", "b = 2\n")
    # The committed notes describe initial..handoff; the working tree has gone further.
    assert verify_lines(repo) == [
        f"{NOTES}: PK301 src/b.py changed but the handoff notes do not mention it [handoff-matches]"
    ]


def test_front_matter_base_sets_where_the_work_starts(repo: Repo) -> None:
    first = start(repo)
    repo.write("src/a.py", "a = 2\n")
    middle = repo.commit("code")
    repo.write("src/b.py", "b = 2\n")
    repo.write(NOTES, f"---\nbase: {middle}\n---\n# Handoff\n\n- `src/b.py`\n")
    repo.commit("handoff")
    assert first != middle
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 3))


def test_front_matter_base_reaching_back_needs_older_work_mentioned(repo: Repo) -> None:
    first = start(repo)
    repo.write(NOTES, "# Handoff\n\nOne.\n")
    repo.commit("handoff one")
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, f"---\nbase: {first}\n---\n# Handoff\n\nTwo.\n")
    repo.commit("handoff two")
    result = repo.run("check", "handoff-matches", "--base", "HEAD~1")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 2)
    )


def test_unknown_front_matter_base_is_exit_2(repo: Repo) -> None:
    start(repo)
    repo.write(NOTES, "---\nbase: nosuchrev\n---\n# Handoff\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (2, "")
    assert result.stderr == (
        f"plankeeper: error: {NOTES}: front matter base: unknown revision 'nosuchrev'\n"
    )


def test_new_notes_in_first_commit_describe_everything(repo: Repo) -> None:
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write("src/a.py", "a = 1\n")
    repo.write(NOTES, "# Handoff\n\nStarted.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 3)
    )


# -- PK302 and PK303 -----------------------------------------------------------------------


def test_staged_listed_file_that_did_not_change_is_pk302(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n\n- `src/a.py`\n- `src/b.py`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}:6: PK302 src/b.py is listed as changed but did not change "
        "[handoff-matches]\n" + summary(1, 0, 2)
    )


def test_range_listed_file_in_a_table_that_did_not_change_is_pk302(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    table = (
        "| File | Status |\n| --- | --- |\n| `src/a.py` | Modified |\n| `src/b.py` | Modified |\n"
    )
    repo.write(NOTES, f"# Handoff\n\n### Files modified\n\n{table}")
    repo.commit("work")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert unbased(result.stdout) == (
        f"{NOTES}:8: PK302 src/b.py is listed as changed but did not change "
        "[handoff-matches]\n" + summary(1, 0, 2)
    )


def test_verify_listed_file_that_did_not_change_is_pk302(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n## Files changed\n- `src/a.py`\n- [b](src/b.py)\n")
    assert verify_lines(repo) == [
        f"{NOTES}:5: PK302 src/b.py is listed as changed but did not change [handoff-matches]"
    ]


def test_unchanged_file_outside_the_changed_files_list_is_fine(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n- `src/a.py`\n\n## Next\n- `src/b.py`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 2))


def test_staged_missing_path_is_pk303(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n\nSee `docs/gone.md` and src/ghost.py.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}:5: PK303 docs/gone.md does not exist [handoff-matches]\n"
        f"{NOTES}:5: PK303 src/ghost.py does not exist [handoff-matches]\n" + summary(2, 0, 2)
    )


def test_range_missing_path_is_pk303(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n- `lib/missing.py:3`\n")
    repo.commit("work")
    result = repo.run("check", "handoff-matches", "--base", "main")
    assert unbased(result.stdout) == (
        f"{NOTES}:4: PK303 lib/missing.py does not exist [handoff-matches]\n" + summary(1, 0, 2)
    )


def test_verify_missing_path_is_pk303(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n- [spec](docs/spec.md)\n")
    assert verify_lines(repo) == [f"{NOTES}:4: PK303 docs/spec.md does not exist [handoff-matches]"]


def test_listed_missing_path_is_pk303_only(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n- `src/a.py`\n- `src/ghost.py`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}:5: PK303 src/ghost.py does not exist [handoff-matches]\n" + summary(1, 0, 2)
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Ran it and/or skipped it on 12/04/2026, N/A.", id="slash-words"),
        pytest.param("Call `foo()` with `x` on localhost:3000.", id="no-path-code"),
        pytest.param("Read https://example.com/docs/a.md and `/etc/hosts`.", id="url-absolute"),
        pytest.param("Compare with `../other-repo/a.py`.", id="outside"),
        pytest.param("Everything under `src/` and `src/**/*.py`.", id="folder-and-glob"),
        pytest.param("Works on src/a.py and `README.md`? No: `src/a.py`.", id="existing"),
    ],
)
def test_words_that_are_no_missing_paths(repo: Repo, body: str) -> None:
    start(repo)
    repo.write("README.md", "readme\n")
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, f"# Handoff\n\n- `src/a.py`\n- `README.md`\n\n{body}\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 3))


def test_glob_that_matches_nothing_is_pk303(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/a.py`\n- `lib/**/*.rs`\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert unbased(result.stdout) == (
        f"{NOTES}:4: PK303 lib/**/*.rs does not exist [handoff-matches]\n" + summary(1, 0, 2)
    )


def test_ignored_file_exists_in_verify_mode(repo: Repo) -> None:
    start(repo)
    repo.write(".gitignore", ".env\n")
    repo.write(".env", "SECRET=1\n")
    repo.write(NOTES, "# Handoff\n\n- `.gitignore`\n\nSet `.env` first.\n")
    assert verify_lines(repo) == []


def test_link_relative_to_notes_in_a_folder(repo: Repo) -> None:
    start(repo)
    notes = "docs/plans/DEMO_HANDOFF.md"
    repo.write("src/a.py", "a = 2\n")
    repo.write(notes, "# Handoff\n\n- [a](../../src/a.py)\n- [plan](DEMO_MASTERPLAN.md)\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 2))


# -- modes ---------------------------------------------------------------------------------


def test_whole_tree_mode_has_no_findings(repo: Repo) -> None:
    start(repo, "# Handoff\n\n- `src/ghost.py`\n")
    result = repo.run("check", "handoff-matches", "--all-files")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 4))


def test_check_from_a_subdirectory(repo: Repo) -> None:
    start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\nNothing.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches", cwd=Path(repo.path / "src"))
    assert unbased(result.stdout).splitlines()[0] == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it [handoff-matches]"
    )


def test_pk301_can_be_turned_off(repo: Repo) -> None:
    start(repo)
    repo.write(".plankeeper.yaml", "checks:\n  PK301: off\n")
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\nNothing.\n")
    repo.stage()
    result = repo.run("check", "handoff-matches")
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 3))


# -- event mode (`--base auto` with a pull-request payload) ---------------------------------


def pull_request_event(repo: Repo, tmp_path: Path, base: str) -> dict[str, str]:
    import json

    head = repo.git("rev-parse", "HEAD").strip()
    payload = {
        "number": 3,
        "pull_request": {
            "number": 3,
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head, "ref": "work"},
            "labels": [],
        },
        "repository": {"full_name": "octo/demo", "default_branch": "main"},
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(path)}


def test_event_code_change_without_notes_update_is_pk300(repo: Repo, tmp_path: Path) -> None:
    base = start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.commit("code only")
    environ = pull_request_event(repo, tmp_path, base)
    result = repo.run("check", "handoff-matches", "--base", "auto", env=environ)
    assert (result.returncode, result.stderr) == (0, "")
    assert unbased(result.stdout) == (
        f"{NOTES}: PK300 src/a.py changed but the handoff notes were not updated "
        "[handoff-matches]\n" + summary(0, 1, 1)
    )


def test_event_unmentioned_change_is_pk301(repo: Repo, tmp_path: Path) -> None:
    base = start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write("src/b.py", "b = 2\n")
    repo.write(NOTES, "# Handoff\n\n- `src/b.py`\n")
    repo.commit("work")
    environ = pull_request_event(repo, tmp_path, base)
    result = repo.run("check", "handoff-matches", "--base", "auto", env=environ)
    assert result.returncode == 1
    assert unbased(result.stdout) == (
        f"{NOTES}: PK301 src/a.py changed but the handoff notes do not mention it "
        "[handoff-matches]\n" + summary(1, 0, 3)
    )


def test_event_notes_that_mention_every_change_pass(repo: Repo, tmp_path: Path) -> None:
    base = start(repo)
    repo.write("src/a.py", "a = 2\n")
    repo.write(NOTES, "# Handoff\n\n## Changed files\n\n- `src/a.py`\n")
    repo.commit("work")
    environ = pull_request_event(repo, tmp_path, base)
    result = repo.run("check", "handoff-matches", "--base", "auto", env=environ)
    assert (result.returncode, unbased(result.stdout)) == (0, summary(0, 0, 2))
