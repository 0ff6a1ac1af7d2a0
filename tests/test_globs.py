"""Globs: anchored at the root, `**` spans folders, folders cover what is below them."""

from __future__ import annotations

import pytest

from plankeeper.globs import Glob


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        pytest.param(
            "docs/plans/*MASTERPLAN*.md", "docs/plans/SHOP_MASTERPLAN.md", True, id="star"
        ),
        pytest.param(
            "docs/plans/*MASTERPLAN*.md",
            "docs/plans/sub/X_MASTERPLAN.md",
            False,
            id="star-stays-in-folder",
        ),
        pytest.param(
            "**/specs/*/tasks.md", "specs/001-auth/tasks.md", True, id="doublestar-zero-folders"
        ),
        pytest.param(
            "**/specs/*/tasks.md", "a/b/specs/001/tasks.md", True, id="doublestar-many-folders"
        ),
        pytest.param(
            "**/specs/*/tasks.md", "specs/tasks.md", False, id="doublestar-needs-the-star"
        ),
        pytest.param("src/**/*.py", "src/a.py", True, id="middle-doublestar-zero"),
        pytest.param("src/**/*.py", "src/a/b/c.py", True, id="middle-doublestar-many"),
        pytest.param("src/**/*.py", "lib/a.py", False, id="other-root"),
        pytest.param("src/auth/", "src/auth/login.py", True, id="folder-covers"),
        pytest.param("src/auth", "src/auth/deep/x.py", True, id="folder-without-slash"),
        pytest.param("src/auth/", "src/authz.py", False, id="folder-prefix-is-not-enough"),
        pytest.param("SESSION_HANDOFF.md", "SESSION_HANDOFF.md", True, id="literal"),
        pytest.param("SESSION_HANDOFF.md", "sub/SESSION_HANDOFF.md", False, id="anchored-at-root"),
        pytest.param("file?.txt", "file1.txt", True, id="question-mark"),
        pytest.param("[a-c]x", "bx", True, id="class"),
        pytest.param("[!a-c]x", "bx", False, id="negated-class"),
        pytest.param("[x", "[x", True, id="unterminated-class-is-literal"),
        pytest.param("./docs/*.md", "docs/a.md", True, id="leading-dot-slash"),
    ],
)
def test_glob_matching(pattern: str, path: str, expected: bool) -> None:
    assert Glob(pattern).matches(path) is expected


def test_ignore_case_matches_other_case() -> None:
    glob = Glob("docs/plans/*MASTERPLAN*.md", ignore_case=True)
    assert glob.matches("docs/plans/shop_masterplan.md")
    assert not Glob("docs/plans/*MASTERPLAN*.md").matches("docs/plans/shop_masterplan.md")
