"""Shell: every here-document opener, the heredoc line's comment, nested quotes, fish."""

from __future__ import annotations

import pytest

from tests.todos.families import texts

CASES = [
    ("cat <<\\EOF\n# TODO not\nEOF\n# TODO here\n", "backslash-word"),
    ("cat <<-\\EOF\n\t# TODO not\n\tEOF\n# TODO here\n", "dash-backslash-word"),
    ("cat << \\EOF\n# TODO not\nEOF\n# TODO here\n", "space-backslash-word"),
    ("cat <<EOF # TODO here\n# TODO not\nEOF\n", "comment-on-heredoc-line"),
    ('x="$(echo "a # TODO not")"\n# TODO here\n', "nested-quotes"),
    ('x="${y:-"a # TODO not"}"\n# TODO here\n', "nested-in-parameter"),
    ('x="$(( 1 + 2 ))" # TODO here\n', "arithmetic"),
    ("echo 'a\\' # TODO here\n", "backslash-ends-single-quotes"),
    ("x=$((1 << 2)) # TODO here\n", "shift-operator"),
]


@pytest.mark.parametrize(("source", "name"), CASES, ids=[name for _, name in CASES])
def test_shell(source: str, name: str) -> None:
    assert texts("a.sh", source) == ["here"]


def test_fish_escapes_quotes_in_single_quotes() -> None:
    assert texts("a.fish", "echo 'it\\'s # TODO not'\n# TODO here\n") == ["here"]


def test_a_file_named_by_its_shebang() -> None:
    assert texts("bin/tool", "#!/usr/bin/env fish\necho 'a\\'b'\n# TODO here\n") == ["here"]
