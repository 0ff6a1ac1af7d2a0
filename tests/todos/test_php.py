"""PHP: text outside `<?php … ?>` is HTML; `?>` ends PHP code even in a line comment."""

from __future__ import annotations

import pytest

from tests.todos.families import texts

CASES = [
    ("<p>Don't # TODO not</p>\n<!-- TODO here -->\n", "html-outside"),
    ("<?php echo 1; // TODO here ?>\n<p>it's</p>\n<?php\n// TODO here\n", "line-comment-ends"),
    ("<?= $x ?>'\n<!-- TODO here -->\n", "short-echo"),
    ("<?php\n$s = '?> # TODO not';\n# TODO here\n", "close-tag-in-string"),
    ("<?php\n$s = <<<EOT\n# TODO not\nEOT;\n# TODO here\n", "heredoc"),
]


@pytest.mark.parametrize(("source", "name"), CASES, ids=[name for _, name in CASES])
def test_php(source: str, name: str) -> None:
    assert set(texts("a.php", source)) == {"here"}


@pytest.mark.parametrize("path", ["a.phtml", "a.ctp"])
def test_php_templates(path: str) -> None:
    assert texts(path, "<?php // TODO here ?>\n") == ["here"]
