"""`plankeeper todos`: the listing, FILE arguments, and `--fix` (surgical, idempotent, atomic)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, Repo, Result

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
PLAN_LINES = len(MINIMAL_PLAN.splitlines())


def run(repo: Repo, *args: str, cwd: Path | None = None) -> Result:
    result = repo.run("todos", *args, cwd=cwd)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def planned(repo: Repo) -> Repo:
    """A repository with the minimal masterplan (T001 open, T002 done) in its working tree."""
    repo.write(PLAN, MINIMAL_PLAN)
    return repo


# -- the listing --------------------------------------------------------------------------


def test_listing_names_the_tracking_task_or_untracked(planned: Repo) -> None:
    planned.write("notes/plan.md", "x")
    planned.write(
        "src/a.py",
        "# TODO(T001): later\n# FIXME: First task.\n# XXX(alice): Call Bob!\n",
    )
    result = run(planned)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"src/a.py:1: TODO later -> {PLAN}:10 [T001]\n"
        f"src/a.py:2: FIXME First task. -> {PLAN}:10 [T001]\n"
        "src/a.py:3: XXX Call Bob! -> untracked\n",
        "",
    )


def test_task_without_id_is_named_without_brackets(planned: Repo) -> None:
    planned.write(PLAN, MINIMAL_PLAN.replace("## Success", "- [ ] polish the docs\n\n## Success"))
    planned.write("src/a.sh", "# HACK polish the docs\n")
    result = run(planned)
    assert (result.returncode, result.stdout) == (
        0,
        f"src/a.sh:1: HACK polish the docs -> {PLAN}:13\n",
    )


def test_referenced_done_task_is_listed_as_untracked(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO(T002) again\n")
    assert (run(planned).returncode, run(planned).stdout) == (
        1,
        "src/a.py:1: TODO again -> untracked\n",
    )


def test_no_todos_lists_nothing(planned: Repo) -> None:
    planned.write("src/a.py", "x = 'TODO in a string'\n")
    result = run(planned)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_whole_tree_counts_untracked_files_and_skips_ignored_and_binary(planned: Repo) -> None:
    planned.write(".gitignore", "build/\n")
    planned.write("src/kept.py", "# TODO committed\n")
    planned.commit("kept")
    planned.write("src/new.rs", "// TODO untracked file\n")
    planned.write("build/gen.py", "# TODO ignored\n")
    planned.write("src/image.py", b"# TODO binary\0")
    result = run(planned)
    assert (result.returncode, result.stdout) == (
        1,
        "src/kept.py:1: TODO committed -> untracked\n"
        "src/new.rs:1: TODO untracked file -> untracked\n",
    )


def test_file_arguments_are_relative_to_the_current_directory(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO in a\n")
    planned.write("src/b.py", "# TODO in b\n")
    result = run(planned, "a.py", cwd=planned.path / "src")
    assert (result.returncode, result.stdout) == (1, "src/a.py:1: TODO in a -> untracked\n")


def test_folder_argument_stands_for_its_files(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO in a\n")
    planned.write("lib/b.py", "# TODO in b\n")
    result = run(planned, "src")
    assert (result.returncode, result.stdout) == (1, "src/a.py:1: TODO in a -> untracked\n")


def test_missing_file_argument_is_one_error_line(planned: Repo) -> None:
    result = run(planned, "nope.py")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "plankeeper: error: nope.py: no such file\n",
    )


def test_plan_given_as_file_argument_is_not_scanned(planned: Repo) -> None:
    planned.write(PLAN, MINIMAL_PLAN + "<!-- TODO not scanned -->\n")
    assert (run(planned, PLAN).returncode, run(planned, PLAN).stdout) == (0, "")


# -- --fix --------------------------------------------------------------------------------


def backlog(*entries: str, ending: str = "\n") -> str:
    lines = ["", "## Backlog", "", *(f"- [ ] {entry}" for entry in entries)]
    return "".join(line + ending for line in lines)


def test_fix_appends_a_backlog_section_when_missing(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO write the docs\n")
    result = run(planned, "--fix")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"{PLAN}:{PLAN_LINES + 4}: added - [ ] write the docs (src/a.py)\n",
        "",
    )
    assert planned.read(PLAN).decode() == MINIMAL_PLAN + backlog("write the docs (src/a.py)")


def test_fix_keeps_crlf_line_endings(planned: Repo) -> None:
    original = MINIMAL_PLAN.replace("\n", "\r\n")
    planned.write(PLAN, original)
    planned.write("src/a.py", "# TODO crlf plan\n")
    assert run(planned, "--fix").returncode == 1
    assert planned.read(PLAN).decode() == original + backlog("crlf plan (src/a.py)", ending="\r\n")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_fix_keeps_a_utf16_plan_utf16(planned: Repo, codec: str) -> None:
    bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    original = MINIMAL_PLAN.replace("Demo", "Démo 日本").replace("\n", "\r\n")
    planned.write(PLAN, bom + original.encode(codec))
    planned.write("src/a.py", "# TODO wide plan\n")
    assert run(planned, "--fix").returncode == 1
    data = planned.read(PLAN)
    expected = original + backlog("wide plan (src/a.py)", ending="\r\n")
    assert (data[:2], data[2:].decode(codec)) == (bom, expected)
    # From now on the added task tracks the tagged comment.
    assert run(planned).stdout == f"src/a.py:1: TODO wide plan -> {PLAN}:{PLAN_LINES + 4}\n"


def test_fix_refuses_a_plan_that_is_not_valid_utf16(planned: Repo) -> None:
    broken = b"\xff\xfe" + MINIMAL_PLAN.encode("utf-16-le") + b"\x00"
    planned.write(PLAN, broken)
    planned.write("src/a.py", "# TODO wide plan\n")
    result = run(planned, "--fix")
    assert (result.returncode, result.stderr) == (
        2,
        f"plankeeper: error: {PLAN} is not valid UTF-16: add the tasks by hand\n",
    )
    assert planned.read(PLAN) == broken


def test_fix_ends_a_last_line_without_line_ending_first(planned: Repo) -> None:
    original = MINIMAL_PLAN.rstrip("\n")
    planned.write(PLAN, original)
    planned.write("src/a.py", "# TODO no final newline\n")
    assert run(planned, "--fix").returncode == 1
    assert planned.read(PLAN).decode() == original + "\n" + backlog("no final newline (src/a.py)")


def test_fix_inserts_at_the_end_of_an_existing_inbox_section(planned: Repo) -> None:
    original = MINIMAL_PLAN.replace(
        "## Success criteria", "## Backlog\n- [ ] older idea\n\n## Success criteria"
    )
    planned.write(PLAN, original)
    planned.write("src/a.py", "# TODO newer idea\n")
    result = run(planned, "--fix")
    assert (result.returncode, planned.read(PLAN).decode()) == (
        1,
        original.replace("- [ ] older idea\n", "- [ ] older idea\n- [ ] newer idea (src/a.py)\n"),
    )


def test_fix_fills_an_empty_inbox_section(planned: Repo) -> None:
    original = MINIMAL_PLAN.replace("## Success criteria", "## backlog\n## Success criteria")
    planned.write(PLAN, original)
    planned.write("src/a.py", "# TODO first entry\n")
    assert run(planned, "--fix").returncode == 1
    assert planned.read(PLAN).decode() == original.replace(
        "## backlog\n", "## backlog\n\n- [ ] first entry (src/a.py)\n\n"
    )


def test_fix_uses_the_configured_inbox_heading(planned: Repo) -> None:
    planned.write(".plankeeper.yaml", "todo:\n  inbox: Inbox\n")
    planned.write("src/a.py", "# TODO goes to the inbox\n")
    assert run(planned, "--fix").returncode == 1
    assert (
        planned.read(PLAN).decode().endswith("\n## Inbox\n\n- [ ] goes to the inbox (src/a.py)\n")
    )


def test_fix_twice_adds_nothing_the_second_time(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO: Fix the parser!\n# FIXME T009 is an id-like start\n")
    assert run(planned, "--fix").returncode == 1
    after_first = planned.read(PLAN)
    second = run(planned, "--fix")
    assert (second.returncode, second.stdout, planned.read(PLAN)) == (0, "", after_first)
    assert run(planned).stdout == (
        f"src/a.py:1: TODO Fix the parser! -> {PLAN}:{PLAN_LINES + 4}\n"
        f"src/a.py:2: FIXME T009 is an id-like start -> {PLAN}:{PLAN_LINES + 5} [T009]\n"
    )


def test_fix_adds_the_same_text_once(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO shared text\n")
    planned.write("src/b.py", "# TODO shared text\n")
    result = run(planned, "--fix")
    assert (result.returncode, result.stdout) == (
        1,
        f"{PLAN}:{PLAN_LINES + 4}: added - [ ] shared text (src/a.py)\n",
    )


def test_fix_with_everything_tracked_changes_nothing(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO(T001) tracked\n")
    result = run(planned, "--fix")
    assert (result.returncode, result.stdout, planned.read(PLAN)) == (
        0,
        "",
        MINIMAL_PLAN.encode(),
    )


def test_fix_leaves_references_and_empty_todos_to_people(planned: Repo) -> None:
    planned.write("src/a.py", "# TODO(T404) unknown id\n# TODO\n")
    result = run(planned, "--fix")
    assert (result.returncode, result.stderr, planned.read(PLAN)) == (
        0,
        "src/a.py:1: TODO(T404) references T404, which no plan defines: not added\n"
        "src/a.py:2: TODO has no text: not added\n",
        MINIMAL_PLAN.encode(),
    )


def test_fix_appends_to_the_first_masterplan(planned: Repo) -> None:
    planned.write("docs/plans/ZZZ_MASTERPLAN.md", MINIMAL_PLAN)
    planned.write("src/a.py", "# TODO into the first\n")
    assert run(planned, "--fix").returncode == 1
    assert planned.read("docs/plans/ZZZ_MASTERPLAN.md") == MINIMAL_PLAN.encode()


def test_fix_keeps_a_byte_order_mark_and_other_bytes(planned: Repo) -> None:
    original = b"\xef\xbb\xbf" + MINIMAL_PLAN.encode() + b"caf\xe9 \xff\n"
    planned.write(PLAN, original)
    planned.write("src/a.py", "# TODO bytes kept\n")
    assert run(planned, "--fix").returncode == 1
    assert planned.read(PLAN) == original + backlog("bytes kept (src/a.py)").encode()


def test_fix_on_a_read_only_plan_changes_nothing_and_says_so(planned: Repo) -> None:
    path = planned.write("src/a.py", "# TODO cannot be added\n")
    plan = planned.path / PLAN
    plan.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        result = run(planned, "--fix")
    finally:
        plan.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert (result.returncode, result.stdout, len(result.stderr.splitlines())) == (2, "", 1)
    assert result.stderr.startswith(f"plankeeper: error: cannot write {planned.path / PLAN}")
    assert planned.read(PLAN) == MINIMAL_PLAN.encode()
    assert path.exists()
    assert sorted(os.listdir(plan.parent)) == ["DEMO_MASTERPLAN.md"]


def test_fix_without_a_masterplan_tells_to_run_init(repo: Repo) -> None:
    repo.write("src/a.py", "# TODO somewhere\n")
    result = run(repo, "--fix")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "plankeeper: error: no masterplan to add the TODOs to: run `plankeeper init` first\n",
    )


def test_suppressed_todo_is_listed_as_suppressed_and_passes(planned: Repo) -> None:
    planned.write("src/a.py", "x = 1  # TODO: placeholder  # plankeeper: ignore\n")
    result = run(planned)
    assert (result.returncode, result.stdout) == (0, "src/a.py:1: TODO placeholder -> suppressed\n")


def test_fix_leaves_a_suppressed_todo_out(planned: Repo) -> None:
    planned.write("src/a.c", "// FIXME: quoted tag // plankeeper: ignore\n")
    result = run(planned, "--fix")
    assert (result.returncode, result.stdout) == (0, "")
