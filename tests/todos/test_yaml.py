"""YAML: quotes inside plain scalars are text; block scalars with anchors, tags, spaces."""

from __future__ import annotations

import pytest

from tests.todos.families import texts

CASES = [
    ("- !ruby/regexp /x [\"']/\n# TODO here\n", "quote-in-plain-scalar"),
    ("a: it's fine\n# TODO here\n", "apostrophe-in-plain-scalar"),
    ('a: b "c\n# TODO here\n', "quote-mid-scalar"),
    ("run: &cmd |\n  # TODO not\n# TODO here\n", "block-with-anchor"),
    ("run: !!str |\n  # TODO not\n# TODO here\n", "block-with-tag"),
    ("run:  |\n  # TODO not\n# TODO here\n", "block-extra-space"),
    ("run: >-\n  # TODO not\n# TODO here\n", "folded"),
    ("a: 'x # TODO not'\n# TODO here\n", "quoted"),
    ("a: !!str 'x # TODO not'\n# TODO here\n", "tagged-quoted"),
    ('a: [x, "y # TODO not"] # TODO here\n', "flow-sequence"),
    ('a: [\n  "x # TODO not", "y # TODO not",\n] # TODO here\n', "flow-over-lines"),
    ("- 'a # TODO not'\n# TODO here\n", "list-item"),
]


@pytest.mark.parametrize(("source", "name"), CASES, ids=[name for _, name in CASES])
def test_yaml(source: str, name: str) -> None:
    assert texts("a.yml", source) == ["here"]
