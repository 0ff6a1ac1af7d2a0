"""Ruby: percent literals, regexes, `$'` and `=begin` blocks never flip the string state."""

from __future__ import annotations

import pytest

from tests.todos.families import texts

CASES = [
    ("s = %{\n# TODO not\n}\n# TODO here\n", "percent-braces"),
    ("s = %w[a b # TODO not]\n# TODO here\n", "percent-words"),
    ("s = %q(it's (nested) # TODO not)\n# TODO here\n", "percent-q-nested"),
    ("r = %r{'}\n# TODO here\n", "percent-regex"),
    ("x = a % b # TODO here\n", "modulo"),
    ("x = t.gsub(/'/, '')\n# TODO here\n", "regex-quote"),
    ("x = a / b / c # TODO here\n", "division"),
    ('if x =~ /"/ then y end # TODO here\n', "regex-after-match"),
    ("case x\nwhen :$'\n  y\nend\n# TODO here\n", "symbol-of-global"),
    ("x = $' + $\"\n# TODO here\n", "special-globals"),
    ("=begin\nTODO here\n=end\n", "begin-end-is-a-comment"),
    # `=begin` opens a comment only in the first column (Ruby's reference): indented, it
    # is code, and the prefilter (`^=begin`) agrees.
    ("  =begin TODO not\nx = 1 # TODO here\n", "indented-begin-is-code"),
    ('s = "#{h["k"]} # TODO not"\n# TODO here\n', "interpolation-with-quotes"),
    ("f(<<~EOS) # TODO here\n  # TODO not\nEOS\n", "heredoc-line-comment"),
]


@pytest.mark.parametrize(("source", "name"), CASES, ids=[name for _, name in CASES])
def test_ruby(source: str, name: str) -> None:
    assert texts("a.rb", source) == ["here"]
