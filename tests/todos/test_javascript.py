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


JSX = [
    ("const p = <p>Don't do this</p>;\n// TODO here\n", "apostrophe-in-text"),
    ("return (\n  <div title='a'>\n    it`s {/* TODO here */}\n  </div>\n);\n", "backtick"),
    ("const f = <>\n  <a href={`x`}>it's</a>\n</>; // TODO here\n", "fragment"),
    ("x = a < b; // TODO here\n", "comparison"),
    ("const f = <T,>(x: T) => x; // TODO here\n", "generic-arrow-in-tsx"),
    ("const p = <p>{'// TODO not'}</p>;\n// TODO here\n", "string-in-expression"),
]


@pytest.mark.parametrize(("source", "name"), JSX, ids=[name for _, name in JSX])
def test_jsx(source: str, name: str) -> None:
    assert texts("a.tsx", source) == ["here"]


def test_typescript_type_assertion_is_no_tag() -> None:
    assert texts("a.ts", "const x = <Foo>bar; // TODO here\nconst s = 'it';\n") == ["here"]
