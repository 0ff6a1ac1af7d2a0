"""Markdown indented code; Make recipes are shell; continued `//` and `#` comments; Groovy."""

from __future__ import annotations

import pytest

from plankeeper.todos.languages import syntax_for
from tests.todos.families import texts

CASES = [
    ("a.md", "Text\n\n    <!-- TODO not -->\n\n<!-- TODO here -->\n", "markdown-indented-code"),
    ("a.md", "- item\n\n    <!-- TODO here -->\n", "markdown-list-continuation"),
    ("a.md", "`` a ` <!-- TODO not --> ``\n<!-- TODO here -->\n", "markdown-double-backticks"),
    ("Makefile", "all:\n\techo '# TODO not'\n# TODO here\n", "make-recipe-quotes"),
    ("Makefile", 'all:\n\techo "a#b" # TODO here\n', "make-recipe-comment"),
    ("Makefile.am", "# TODO here\n", "makefile-am"),
    ("Makefile.in", "# TODO here\n", "makefile-in"),
    ("Makefile", "# a \\\n TODO here\nx = 1\n", "make-continued-comment"),
    ("a.c", "// a \\\nTODO here\nint x;\n", "c-continued-comment"),
    ("a.cpp", "// a \\\r\nTODO here\nint x;\n", "cpp-continued-comment-crlf"),
    ("a.groovy", "def s = 'it\\'s // TODO not'\n// TODO here\n", "groovy-single-quotes"),
    ("build.gradle", "def s = '''\n// TODO not\n'''\n// TODO here\n", "gradle-triple"),
]


@pytest.mark.parametrize(("path", "source", "name"), CASES, ids=[name for *_, name in CASES])
def test_family(path: str, source: str, name: str) -> None:
    assert texts(path, source) == ["here"]


def test_jenkinsfile_is_groovy() -> None:
    syntax = syntax_for("Jenkinsfile")
    assert syntax is not None
    assert syntax.name == "groovy"
