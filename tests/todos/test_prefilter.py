"""The prefilter that skips lexing a file never hides a TODO the lexer would find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plankeeper.todos import scan as scanner
from plankeeper.todos.languages import _OPENERS, syntax_for

TAGS = ("TODO", "FIXME")
_PIECES = (
    *('"', "'", "`", "#", "//", "/*", "*/", '"""', "--", "{-", "-}", "<!--", "-->", "```"),
    *("\n", "\n", " ", "x", " TODO ", " FIXME: ", "\\", "\\\n", ";", "#|", "<#", "=begin"),
    *("--[[", "#[[", "<script>", "</script>", "<?php ", "?>", "\n    ", "<<EOF\n", "EOF\n"),
)
_PATHS = sorted(
    {
        "a.py", "a.sh", "a.fish", "a.rb", "a.pl", "a.r", "a.ps1", "a.yml", "a.toml", "a.ini",
        "Dockerfile", "Makefile", "CMakeLists.txt", "a.c", "a.cpp", "a.cs", "a.java",
        "a.groovy", "a.js", "a.ts", "a.go", "a.rs", "a.swift", "a.kt", "a.dart", "a.php",
        "a.css", "a.scss", "a.sql", "a.lua", "a.hs", "a.html", "a.md", "a.lisp",
    }
)  # fmt: skip


def test_every_family_has_openers() -> None:
    names = {syntax.name for path in _PATHS if (syntax := syntax_for(path)) is not None}
    assert names - {"php-code"} <= set(_OPENERS)


@pytest.mark.parametrize("path", _PATHS)
@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=30))
def test_the_prefilter_hides_nothing(path: str, pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    filtered = scanner.scan(path, data, TAGS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scanner, "may_hold_comments", lambda *_: True)
        assert scanner.scan(path, data, TAGS) == filtered
