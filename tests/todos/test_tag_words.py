"""A tag counts only as a word standing alone in its comment (the contract's change)."""

from __future__ import annotations

import pytest

from plankeeper.todos.scan import scan

TAGS = ("TODO", "FIXME", "XXX", "HACK")


def tags(path: str, source: str) -> list[str]:
    return [todo.label for todo in scan(path, source.encode(), TAGS)]


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        pytest.param("a.py", "# call +49-555-XXX-XXXX\n", [], id="phone-placeholder"),
        pytest.param("a.py", "# csp 'nonce-XXX' here\n", [], id="quoted-placeholder"),
        pytest.param("a.py", "# see (XXX bug) there\n", [], id="parenthesized"),
        pytest.param("a.py", "# path/TODO/x\n", [], id="in-a-path"),
        pytest.param("a.py", "# TODO-list of things\n", [], id="hyphenated"),
        pytest.param("a.py", "# This is a HACK around x\n", ["HACK"], id="mid-sentence"),
        pytest.param("a.py", "# TODO: x\n", ["TODO"], id="colon"),
        pytest.param("a.js", "// FIXME(T1) x\n", ["FIXME(T1)"], id="note"),
        pytest.param("a.js", "// FIXME[T1] x\n", ["FIXME[T1]"], id="bracket-note"),
        pytest.param("a.py", "#TODO x\n", ["TODO"], id="at-comment-start"),
        pytest.param("a.rs", "///TODO x\n", ["TODO"], id="after-doc-marker"),
        pytest.param("a.c", "/*TODO*/\n", ["TODO"], id="whole-block"),
        pytest.param("a.py", "# fix it, TODO.\n", ["TODO"], id="before-period"),
        pytest.param("a.py", "# really? TODO!\n", ["TODO"], id="before-bang"),
        pytest.param("a.py", "# a XXX-1 then TODO; x\n", ["TODO"], id="first-standing-tag"),
        pytest.param("a.py", "# TODO\n", ["TODO"], id="alone"),
        pytest.param("a.py", "#\tTODO\tx\n", ["TODO"], id="tabs"),
        pytest.param("a.py", "# TODO/x\n", [], id="slash-after"),
    ],
)
def test_a_tag_stands_alone(path: str, source: str, expected: list[str]) -> None:
    assert tags(path, source) == expected
