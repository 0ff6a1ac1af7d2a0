"""Hostile repositories: strange names, contents and layouts never crash plankeeper.

Every test builds a real repository with the real git and runs the real CLI; it checks
the exit code, the exact output and that no traceback reached stderr.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PLAN, Repo, Result, git_environment

PLAN = "docs/plans/DEMO_MASTERPLAN.md"
RESUME = "skills/demo-resume.md"
RESUME_TEXT = f"# Resume\n\nRead {PLAN} first.\n"


def clean(result: Result, code: int, stdout: str, stderr: str = "") -> None:
    """The exact exit code and output, and never a traceback."""
    assert "Traceback" not in result.stderr
    assert (result.returncode, result.report, result.stderr) == (code, stdout, stderr)


def summary(errors: int = 0, warnings: int = 0) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return f"plankeeper: {plural(errors, 'error')}, {plural(warnings, 'warning')}\n"


def pk101(*names: str) -> str:
    return f"{PLAN}: PK101 {', '.join(names)} changed but the plan was not updated [plan-updated]\n"


def error_line(message: str) -> str:
    return f"plankeeper: error: {message}\n"


def planned(repo: Repo) -> str:
    """A repository whose plan and resume file pass every check; returns the commit."""
    repo.write(PLAN, MINIMAL_PLAN)
    repo.write(RESUME, RESUME_TEXT)
    return repo.commit("plan")


def fs_name(name: str | bytes) -> str:
    return os.fsdecode(name) if isinstance(name, bytes) else name


# -- file names --------------------------------------------------------------------------

NAMES = [
    pytest.param("with space.py", "with space.py", id="space"),
    pytest.param("new\nline.py", "new\\nline.py", id="newline"),
    pytest.param("car\rriage.py", "car\\rriage.py", id="carriage-return"),
    pytest.param('double"quote.py', 'double"quote.py', id="double-quote"),
    pytest.param("it's.py", "it's.py", id="single-quote"),
    pytest.param("-dash.py", "-dash.py", id="leading-dash"),
    pytest.param("--help", "--help", id="option-like"),
    pytest.param("tab\tname.py", "tab\tname.py", id="tab"),
    pytest.param("back\\slash.py", "back\\slash.py", id="backslash"),
    pytest.param("caf\u00e9 \u65e5\u672c.py", "caf\u00e9 \u65e5\u672c.py", id="unicode"),
    pytest.param(b"caf\xff.py", "caf\ufffd.py", id="non-utf8"),
    pytest.param("::error file=x::y.py", "::error file=x::y.py", id="workflow-command"),
]


@pytest.mark.parametrize("quotepath", ["true", "false"])
@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_hostile_name_staged_is_reported_once(
    repo: Repo, name: str | bytes, shown: str, quotepath: str
) -> None:
    planned(repo)
    repo.git("config", "core.quotepath", quotepath)
    repo.write(fs_name(name), "x = 1\n")
    repo.stage()
    clean(repo.run("check", "plan-updated"), 1, pk101(shown) + summary(1))


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_hostile_name_in_a_range_is_reported_once(
    repo: Repo, name: str | bytes, shown: str
) -> None:
    base = planned(repo)
    repo.git("config", "core.quotepath", "true")
    repo.write(fs_name(name), "x = 1\n")
    repo.commit("code")
    clean(repo.run("check", "plan-updated", "--base", base), 1, pk101(shown) + summary(1))


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_hostile_name_in_whole_tree_passes(repo: Repo, name: str | bytes, shown: str) -> None:
    planned(repo)
    repo.write(fs_name(name), "x = 1\n")
    repo.commit("code")
    clean(repo.run("check", "--all-files"), 0, summary())


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_hostile_name_renamed_counts_as_its_new_path(
    repo: Repo, name: str | bytes, shown: str
) -> None:
    planned(repo)
    repo.write("old_name.py", "".join(f"line {n}\n" for n in range(20)))
    repo.commit("code")
    repo.git("mv", "--", "old_name.py", fs_name(name))
    clean(repo.run("check", "plan-updated"), 1, pk101(shown) + summary(1))


def test_non_utf8_name_in_json_is_replacement_character(repo: Repo) -> None:
    import json

    planned(repo)
    repo.write(fs_name(b"caf\xff.py"), "x = 1\n")
    repo.stage()
    result = repo.run("check", "plan-updated", "--format", "json")
    assert (result.returncode, result.stderr) == (1, "")
    findings = json.loads(result.stdout)["findings"]
    assert [item["message"] for item in findings] == [
        "caf\ufffd.py changed but the plan was not updated"
    ]


def test_deleted_file_with_newline_in_name_counts_as_changed(repo: Repo) -> None:
    planned(repo)
    repo.write("gone\nfile.py", "x = 1\n")
    repo.commit("code")
    repo.git("rm", "-q", "--", "gone\nfile.py")
    clean(repo.run("check", "plan-updated"), 1, pk101("gone\\nfile.py") + summary(1))


def test_file_argument_with_leading_dash_is_a_file(repo: Repo) -> None:
    planned(repo)
    repo.write("-n.py", "x = 1\n")
    repo.stage()
    clean(repo.run("check", "plan-updated", "--", "-n.py"), 1, pk101("-n.py") + summary(1))


# -- contents ----------------------------------------------------------------------------

CONTENTS = [
    pytest.param(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4, id="binary"),
    pytest.param(b"var a=1;" * 250_000, id="minified-one-line"),
    pytest.param(b"text\0with\0nul\nbytes\0\n", id="nul"),
    pytest.param(b"line one\r\nline two\r\n", id="crlf"),
    pytest.param(b"one\r\ntwo\nthree\rfour", id="mixed-endings"),
    pytest.param("# caf\u00e9 \u65e5\u672c\n".encode("utf-16"), id="utf-16"),
    pytest.param("# caf\u00e9 na\u00efve\n".encode("latin-1"), id="latin-1"),
    pytest.param(b"\xef\xbb\xbf# bom\n", id="utf-8-bom"),
    pytest.param(b"", id="empty"),
    pytest.param(b"\n" * 100_000, id="many-empty-lines"),
]


@pytest.mark.parametrize("data", CONTENTS)
def test_hostile_content_committed_passes_whole_tree(repo: Repo, data: bytes) -> None:
    planned(repo)
    repo.write("src/hostile.py", data)
    repo.commit("code")
    clean(repo.run("check", "--all-files"), 0, summary())


@pytest.mark.parametrize("data", CONTENTS)
def test_hostile_content_staged_needs_the_plan(repo: Repo, data: bytes) -> None:
    planned(repo)
    repo.write("src/hostile.py", data)
    repo.stage()
    clean(repo.run("check"), 1, pk101("src/hostile.py") + summary(1))


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 50 MB sparse file, written once for the module (no blocks on disk)."""
    path = tmp_path_factory.mktemp("huge") / "huge.py"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    return path


def test_huge_untracked_file_passes_whole_tree(repo: Repo, huge_file: Path) -> None:
    planned(repo)
    os.link(huge_file, repo.path / "huge.py")
    clean(repo.run("check", "--all-files"), 0, summary())


def test_huge_untracked_file_is_not_staged_and_not_checked(repo: Repo, huge_file: Path) -> None:
    planned(repo)
    os.link(huge_file, repo.path / "huge.py")
    clean(repo.run("check"), 0, summary())


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16"),
        pytest.param(lambda text: text.encode("latin-1"), id="latin-1"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="bom"),
    ],
)
def test_plan_in_another_encoding_passes_whole_tree(repo: Repo, encode: object) -> None:
    assert callable(encode)
    repo.write(PLAN, encode(MINIMAL_PLAN))
    repo.write(RESUME, RESUME_TEXT)
    repo.commit("plan")
    clean(repo.run("check", "--all-files"), 0, summary())


def test_plan_changed_only_to_crlf_is_pk102(repo: Repo) -> None:
    planned(repo)
    repo.write(PLAN, MINIMAL_PLAN.replace("\n", "\r\n"))
    repo.write("a.py", "x = 1\n")
    repo.stage()
    clean(
        repo.run("check", "plan-updated"),
        0,
        f"{PLAN}: PK102 a.py changed but the plan changed only in whitespace [plan-updated]\n"
        + summary(0, 1),
    )


# -- links, submodules, worktrees, sparse and LFS ----------------------------------------


def test_symlinked_plan_to_outside_is_no_plan(repo: Repo) -> None:
    (repo.path / "docs/plans").mkdir(parents=True)
    os.symlink("/etc/passwd", repo.path / PLAN)
    repo.commit("link")
    repo.write("a.py", "x = 1\n")
    repo.stage()
    clean(
        repo.run("check", "plan-updated"),
        1,
        "PK101 1 code file(s) changed but this repository has no plan: run `plankeeper init` "
        "[plan-updated]\n" + summary(1),
    )


def test_symlinked_plan_beside_a_real_one_is_ignored(repo: Repo) -> None:
    planned(repo)
    os.symlink("/etc/passwd", repo.path / "docs/plans/AAA_MASTERPLAN.md")
    repo.commit("link")
    repo.write("a.py", "x = 1\n")
    repo.stage()
    clean(repo.run("check", "plan-updated"), 1, pk101("a.py") + summary(1))


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("/etc/passwd", id="outside-file"),
        pytest.param("/", id="outside-folder"),
        pytest.param("loop-b", id="loop"),
        pytest.param("missing/target", id="dangling"),
        pytest.param(".", id="self-folder"),
    ],
)
def test_symlinks_pass_whole_tree(repo: Repo, target: str) -> None:
    planned(repo)
    os.symlink(target, repo.path / "loop-a")
    os.symlink("loop-a", repo.path / "loop-b")
    repo.commit("links")
    clean(repo.run("check", "--all-files"), 0, summary())


def test_symlink_staged_needs_the_plan(repo: Repo) -> None:
    planned(repo)
    os.symlink("/etc/passwd", repo.path / "passwd")
    repo.stage()
    clean(repo.run("check"), 1, pk101("passwd") + summary(1))


def _submodule(repo: Repo, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=sub, check=True)
    (sub / "inside.py").write_text("# TODO(T999) not ours\n")
    subprocess.run(["git", "add", "-A"], cwd=sub, check=True)
    subprocess.run(
        ["git", "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "sub"], cwd=sub, check=True
    )
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/sub")


def test_submodule_added_needs_the_plan(repo: Repo, tmp_path: Path) -> None:
    planned(repo)
    _submodule(repo, tmp_path)
    clean(repo.run("check"), 1, pk101(".gitmodules", "vendor/sub") + summary(1))


def test_submodule_contents_are_not_scanned(repo: Repo, tmp_path: Path) -> None:
    planned(repo)
    _submodule(repo, tmp_path)
    repo.commit("sub")
    clean(repo.run("check", "--all-files"), 0, summary())


def test_check_inside_a_submodule_uses_the_submodule(repo: Repo, tmp_path: Path) -> None:
    planned(repo)
    _submodule(repo, tmp_path)
    repo.commit("sub")
    # Paths are relative to the submodule's own root: it is the repository there.
    clean(
        repo.run("check", "--all-files", cwd=repo.path / "vendor/sub"),
        1,
        "inside.py:1:3: PK203 TODO(T999) references T999, which no plan defines [todos-tracked]\n"
        + summary(1),
    )


def test_gitlink_without_gitmodules_needs_the_plan(repo: Repo) -> None:
    base = planned(repo)
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{base},vendored")
    clean(repo.run("check"), 1, pk101("vendored") + summary(1))


def test_linked_worktree_where_git_is_a_file(repo: Repo, tmp_path: Path) -> None:
    planned(repo)
    worktree = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "-b", "side", str(worktree))
    assert (worktree / ".git").is_file()
    (worktree / "a.py").write_text("x = 1\n")
    subprocess.run(["git", "add", "a.py"], cwd=worktree, check=True)
    clean(repo.run("check", cwd=worktree), 1, pk101("a.py") + summary(1))


def test_linked_worktree_from_a_subfolder_whole_tree(repo: Repo, tmp_path: Path) -> None:
    planned(repo)
    worktree = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "-b", "side", str(worktree))
    clean(repo.run("check", "--all-files", cwd=worktree / "docs/plans"), 0, summary())


def test_sparse_checkout_leaves_out_absent_files(repo: Repo) -> None:
    planned(repo)
    repo.write("src/app.py", "x = 1\n")
    repo.commit("code")
    repo.git("sparse-checkout", "set", "docs", "skills")
    assert not (repo.path / "src/app.py").exists()
    clean(repo.run("check", "--all-files"), 0, summary())


def test_sparse_checkout_range_sees_absent_files(repo: Repo) -> None:
    base = planned(repo)
    repo.write("src/app.py", "x = 1\n")
    repo.commit("code")
    repo.git("sparse-checkout", "set", "docs", "skills")
    clean(
        repo.run("check", "plan-updated", "--base", base),
        1,
        pk101("src/app.py") + summary(1),
    )


LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n"
)


def test_lfs_pointer_files_are_plain_text(repo: Repo) -> None:
    planned(repo)
    repo.write(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n")
    repo.write("assets/model.bin", LFS_POINTER)
    repo.commit("lfs")
    clean(repo.run("check", "--all-files"), 0, summary())


def test_plan_stored_as_lfs_pointer_passes_plan_updated(repo: Repo) -> None:
    planned(repo)
    repo.write(".gitattributes", "*.md filter=lfs diff=lfs merge=lfs -text\n")
    repo.commit("attributes")
    repo.write(PLAN, LFS_POINTER)
    repo.write("a.py", "x = 1\n")
    repo.stage()
    clean(repo.run("check", "plan-updated"), 0, summary())


# -- history shapes ----------------------------------------------------------------------


def test_detached_head_staged(repo: Repo) -> None:
    planned(repo)
    repo.git("checkout", "-q", "--detach")
    repo.write("a.py", "x = 1\n")
    repo.stage()
    clean(repo.run("check"), 1, pk101("a.py") + summary(1))


def test_detached_head_range(repo: Repo) -> None:
    base = planned(repo)
    repo.write("a.py", "x = 1\n")
    repo.commit("code")
    repo.git("checkout", "-q", "--detach")
    clean(repo.run("check", "plan-updated", "--base", base), 1, pk101("a.py") + summary(1))


def _branch(repo: Repo, base: str, name: str, path: str, plan: bool) -> None:
    repo.git("checkout", "-q", "-b", name, base)
    repo.write(path, "x = 1\n")
    if plan:
        repo.write(PLAN, MINIMAL_PLAN + f"\n- [ ] {name} task\n")
    repo.commit(name)


def test_octopus_merge_range_sees_every_branch(repo: Repo) -> None:
    base = planned(repo)
    for name in ("one", "two", "three"):
        _branch(repo, base, name, f"{name}.py", plan=False)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-edit", "one", "two", "three")
    assert len(repo.git("rev-list", "--parents", "-n1", "HEAD").split()) == 4
    clean(
        repo.run("check", "plan-updated", "--base", base),
        1,
        pk101("one.py", "three.py", "two.py") + summary(1),
    )


def test_merge_commit_with_plan_change_on_one_side_passes(repo: Repo) -> None:
    base = planned(repo)
    _branch(repo, base, "feature", "feature.py", plan=True)
    _branch(repo, base, "other", "other.py", plan=False)
    repo.git("merge", "-q", "--no-edit", "feature")
    clean(repo.run("check", "plan-updated", "--base", base), 0, summary())


def test_range_base_on_a_merged_side_branch_uses_the_merge_base(repo: Repo) -> None:
    base = planned(repo)
    _branch(repo, base, "feature", "feature.py", plan=True)
    repo.git("checkout", "-q", "main")
    repo.write("main.py", "x = 1\n")
    repo.commit("main")
    repo.git("merge", "-q", "--no-edit", "feature")
    clean(
        repo.run("check", "plan-updated", "--base", "feature"),
        1,
        pk101("main.py") + summary(1),
    )


def test_skip_trailer_in_a_merged_commit_skips(repo: Repo) -> None:
    base = planned(repo)
    repo.git("checkout", "-q", "-b", "side")
    repo.write("a.py", "x = 1\n")
    repo.commit("code\n\nPlankeeper-Skip: plan-updated")
    repo.git("checkout", "-q", "main")
    repo.write("b.py", "x = 1\n")
    repo.commit("main")
    repo.git("merge", "-q", "--no-edit", "side")
    clean(
        repo.run("check", "plan-updated", "--base", base),
        0,
        "plankeeper: skipped plan-updated (Plankeeper-Skip trailer)\n" + summary(),
    )


# -- empty, bare, outside, refused -------------------------------------------------------


def test_empty_repository_staged(repo: Repo) -> None:
    clean(repo.run("check"), 0, summary())


def test_empty_repository_whole_tree(repo: Repo) -> None:
    clean(repo.run("check", "--all-files"), 0, summary())


def test_empty_repository_with_staged_code_has_no_plan(repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.stage()
    clean(
        repo.run("check"),
        1,
        "PK101 1 code file(s) changed but this repository has no plan: run `plankeeper init` "
        "[plan-updated]\n" + summary(1),
    )


def test_empty_repository_base_head_is_one_line(repo: Repo) -> None:
    clean(
        repo.run("check", "--base", "HEAD"),
        2,
        "",
        error_line("--base: HEAD has no commit yet (a repository without commits)"),
    )


def test_empty_repository_default_head_is_one_line(repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.stage()
    tree = repo.git("write-tree").strip()
    commit = repo.git("commit-tree", tree, "-m", "dangling").strip()
    clean(
        repo.run("check", "--base", commit),
        2,
        "",
        error_line("--head: HEAD has no commit yet (a repository without commits)"),
    )


def test_bare_repository_is_one_line(repo: Repo, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    repo.git("init", "-q", "--bare", str(bare))
    clean(
        repo.run("check", cwd=bare),
        2,
        "",
        error_line(f"{bare} is a bare repository: run plankeeper in a working tree"),
    )


def test_inside_dot_git_folder_is_one_line(repo: Repo) -> None:
    planned(repo)
    where = repo.path / ".git"
    clean(
        repo.run("check", cwd=where),
        2,
        "",
        error_line(f"{where} is inside a .git folder: run plankeeper in a working tree"),
    )


def test_outside_any_repository_is_one_line(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    environ = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    clean(
        repo.run("check", cwd=outside, env=environ),
        2,
        "",
        error_line(f"not a git repository: {outside} (or any parent)"),
    )


def _chown_tree(path: Path, uid: int) -> None:
    os.chown(path, uid, uid, follow_symlinks=False)
    for folder, names, files in os.walk(path):
        for name in names + files:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the repository away")
def test_dubious_ownership_is_one_line_with_the_fix(repo: Repo) -> None:
    planned(repo)
    _chown_tree(repo.path, 12345)
    try:
        refused = subprocess.run(
            ["git", "status"], cwd=repo.path, env=git_environment(), capture_output=True
        )
        if refused.returncode == 0:
            pytest.skip("git does not refuse a repository owned by another user here")
        assert b"dubious ownership" in refused.stderr
        clean(
            repo.run("check"),
            2,
            "",
            error_line(
                "git refuses this repository (dubious ownership): run "
                f"`git config --global --add safe.directory {repo.path}`"
            ),
        )
    finally:
        _chown_tree(repo.path, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--base", "nope"), "--base: unknown revision 'nope'", id="base"),
        pytest.param(
            ("--base", "main", "--head", "nope"), "--head: unknown revision 'nope'", id="head"
        ),
        pytest.param(("--base=-x",), "--base: '-x' is not a revision", id="option-like"),
        pytest.param(("--base=--all",), "--base: '--all' is not a revision", id="git-option"),
        pytest.param(
            ("--base", "main..HEAD"),
            "--base: 'main..HEAD' is a range, not one revision",
            id="range",
        ),
        pytest.param(
            ("--base", "main...HEAD"),
            "--base: 'main...HEAD' is a range, not one revision",
            id="symmetric",
        ),
        pytest.param(("--base", "a\nb"), "--base: unknown revision 'a\\nb'", id="newline"),
    ],
)
def test_bad_revision_is_one_line(repo: Repo, args: tuple[str, ...], message: str) -> None:
    planned(repo)
    clean(repo.run("check", *args), 2, "", error_line(message))


def test_unrelated_histories_are_one_line(repo: Repo) -> None:
    planned(repo)
    repo.git("checkout", "-q", "--orphan", "island")
    repo.commit("island")
    main = repo.git("rev-parse", "main").strip()
    head = repo.git("rev-parse", "HEAD").strip()
    clean(
        repo.run("check", "--base", "main"),
        2,
        "",
        error_line(f"{main[:12]} and {head[:12]} have no common ancestor"),
    )


# -- configuration -----------------------------------------------------------------------

BAD_CONFIGS = [
    pytest.param(
        ".plankeeper.yaml",
        "exempt: []\nplns: [docs/*.md]\n",
        ".plankeeper.yaml:2: unknown key 'plns' (did you mean 'plans'?)",
        id="yaml-unknown-key",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "todo:\n  inbox: Backlog\n  tgs: [TODO]\n",
        ".plankeeper.yaml:3: unknown key 'tgs' (did you mean 'tags'?)",
        id="yaml-unknown-nested-key",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "checks:\n  plan-updatd: off\n",
        ".plankeeper.yaml:2: unknown key 'plan-updatd' (did you mean 'plan-updated'?)",
        id="yaml-unknown-check",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "plans: 3\n",
        ".plankeeper.yaml:1: 'plans' must be a list of globs or {path, covers} mappings",
        id="yaml-wrong-type",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "checks:\n  PK101: loud\n",
        ".plankeeper.yaml:2: 'checks.PK101' must be error, warning or off, not 'loud'",
        id="yaml-wrong-level",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "plans: [docs/*.md\n",
        ".plankeeper.yaml:2: invalid YAML: expected ',' or ']', but got '<stream end>'",
        id="yaml-syntax",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "plans:\n\t- a\n",
        ".plankeeper.yaml:2: invalid YAML: found character '\\t' that cannot start any token",
        id="yaml-tab",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "- plans\n",
        ".plankeeper.yaml:1: the configuration must be a mapping of keys",
        id="yaml-list",
    ),
    pytest.param(
        ".plankeeper.yaml",
        "!!python/object/apply:os.system [echo pwned]\n",
        ".plankeeper.yaml:1: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
        id="yaml-python-tag",
    ),
    pytest.param(
        ".plankeeper.yaml",
        b"plans: [caf\xff]\n",
        ".plankeeper.yaml: not UTF-8 (invalid start byte)",
        id="yaml-not-utf8",
    ),
    pytest.param(
        "pyproject.toml",
        "[tool.plankeeper]\nexempt = []\nplns = []\n",
        "pyproject.toml:3: unknown key 'plns' (did you mean 'plans'?)",
        id="toml-unknown-key",
    ),
    pytest.param(
        "pyproject.toml",
        "[tool.plankeeper]\nplans = 3\n",
        "pyproject.toml:2: 'plans' must be a list of globs or {path, covers} mappings",
        id="toml-wrong-type",
    ),
    pytest.param(
        "pyproject.toml",
        "[tool.plankeeper]\nplans = [\n",
        "pyproject.toml:2: invalid TOML: Invalid value",
        id="toml-syntax-at-end",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.plankeeper]\nplans = "a\\q"\n',
        "pyproject.toml:2: invalid TOML: Unescaped '\\' in a string",
        id="toml-syntax",
    ),
    pytest.param(
        "pyproject.toml",
        "[tool]\nplankeeper = 1\n",
        "pyproject.toml: [tool.plankeeper] must be a table",
        id="toml-not-a-table",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_CONFIGS)
def test_bad_config_is_one_line_naming_file_and_line(
    repo: Repo, name: str, text: str | bytes, message: str
) -> None:
    planned(repo)
    repo.write(name, text)
    clean(repo.run("check"), 2, "", error_line(message))


def test_missing_explicit_config_is_one_line(repo: Repo) -> None:
    planned(repo)
    clean(
        repo.run("check", "--config", "nope.yaml"),
        2,
        "",
        error_line("config file nope.yaml not found"),
    )


def test_explicit_config_that_is_a_folder_is_one_line(repo: Repo) -> None:
    planned(repo)
    (repo.path / "conf.yaml").mkdir()
    clean(
        repo.run("check", "--config", "conf.yaml"),
        2,
        "",
        error_line("config file conf.yaml not found"),
    )


def test_config_linked_outside_the_repository_is_refused(repo: Repo, tmp_path: Path) -> None:
    planned(repo)
    secret = tmp_path / "secret.yaml"
    secret.write_text("checks:\n  PK101: hunter2\n")
    os.symlink(secret, repo.path / ".plankeeper.yaml")
    clean(
        repo.run("check"),
        2,
        "",
        error_line(
            ".plankeeper.yaml: is a link to a file outside the repository; "
            "plankeeper does not follow it"
        ),
    )


def test_config_linked_inside_the_repository_is_used(repo: Repo) -> None:
    planned(repo)
    repo.write("config/plankeeper.yaml", "checks:\n  plan-updated: off\n")
    os.symlink("config/plankeeper.yaml", repo.path / ".plankeeper.yaml")
    repo.write("a.py", "x = 1\n")
    repo.stage("a.py")
    clean(repo.run("check", "plan-updated"), 0, summary())


def test_unreadable_git_binary_is_one_line(repo: Repo) -> None:
    planned(repo)
    python = shutil.which("python3") or "python3"
    environ = {"PATH": str(Path(python).parent.parent / "no-such-bin")}
    result = repo.run("check", env=environ)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert result.stderr == error_line("git is not installed or not on PATH")
