"""Perl: quote-like operators with any delimiter, `split /'/`, and every Perl file."""

from __future__ import annotations

import pytest

from plankeeper.todos.languages import syntax_for
from tests.todos.families import texts

CASES = [
    ("$x =~ s/'//g;\n# TODO here\n", "substitute"),
    ('$x =~ tr/"//d;\n# TODO here\n', "transliterate"),
    ("$x =~ y/'/x/;\n# TODO here\n", "y"),
    ("my @a = split /'/, $s;\n# TODO here\n", "split-regex"),
    ("my @w = qw(it's # TODO not);\n# TODO here\n", "qw"),
    ("my $s = q#it's#; # TODO here\n", "q-hash-delimiter"),
    ("my $r = qr#'#;\n# TODO here\n", "qr-hash-delimiter"),
    ("my $s = qq{a {b} ' # TODO not};\n# TODO here\n", "qq-nested"),
    ("$s =~ s{'}\n  {x}g;\n# TODO here\n", "substitute-brackets"),
    ("my $s = q # TODO here\n  (x);\n", "q-space-hash-is-comment"),
    ("my %h = (s => 1, y => 2); # TODO here\n", "fat-comma-words"),
    ("print $h{s}; # TODO here\n", "hash-key"),
    ("my $n = $x / 2; # TODO here\n", "division"),
    ("print $';\n# TODO here\n", "postmatch"),
    ("print <<EOF; # TODO here\n# TODO not\nEOF\n", "heredoc-line-comment"),
]


@pytest.mark.parametrize(("source", "name"), CASES, ids=[name for _, name in CASES])
def test_perl(source: str, name: str) -> None:
    assert texts("a.pl", source) == ["here"]


@pytest.mark.parametrize("path", ["git-svn.perl", "a.pm", "t/a.t", "a.pod", "a.plx"])
def test_perl_extensions(path: str) -> None:
    assert texts(path, "# TODO here\n") == ["here"]


def test_cgi_is_read_by_its_shebang() -> None:
    assert texts("web/form.cgi", "#!/usr/bin/perl -w\n$s =~ s/'//;\n# TODO here\n") == ["here"]
    assert syntax_for("web/form.cgi", b"#!/bin/sh\n") is not None
    assert syntax_for("web/form.cgi", b"plain\n") is None
