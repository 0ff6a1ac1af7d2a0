"""JavaScript/TypeScript: comments inside a template's `${ … }`; nested templates."""

from __future__ import annotations

import pytest

from tests.todos.families import texts

CASES = [
    ("const s = `a ${f(/* TODO here */ x)} // TODO not`;\n", "comment-in-substitution"),
    ("const s = `${`'`} // TODO not`;\n// TODO here\n", "nested-template"),
    ("const s = `${ {a: '}'}.a }`;\n// TODO here\n", "braces-in-substitution"),
]


@pytest.mark.parametrize(("source", "name"), CASES, ids=[name for _, name in CASES])
def test_javascript(source: str, name: str) -> None:
    assert texts("a.ts", source) == ["here"]
