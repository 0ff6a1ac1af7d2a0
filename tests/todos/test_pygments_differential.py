"""The scanner against an independent lexer (Pygments) on small probes in every language.

Each probe (tests/todos/probes/, written with `@T@` for the tag so that this repository's
own scan does not read them) and each generated snippet is lexed by both; a line where
they disagree on "a tag inside a comment" must be in ACCEPTED with the reason Pygments is
wrong there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment

from plankeeper.todos.scan import find_tags, scan, stands_alone

PROBES = Path(__file__).parent / "probes"
TAG = "TODO"

# (file, line): why Pygments is wrong there.
_MARKDOWN = "Pygments' Markdown lexer has no comment token: `<!-- -->` (an HTML block) stays text"
ACCEPTED: dict[tuple[str, int], str] = {
    ("a.md", 1): _MARKDOWN,
    ("b.md", 5): _MARKDOWN,
    ("b.sh", 9): "Pygments reads the rest of a here-document's opening line as its body; the"
    " shell reads it as code, so `cat <<EOF # x` holds a comment",
    ("b.php", 5): "Pygments runs a `//` comment past `?>`; PHP ends the comment and the code"
    " there (the manual: to the end of the line or of the PHP block), so line 2 is HTML",
}


# Where Pygments guesses another language for the extension (Prolog, REBOL) or reads PHP
# without the HTML around it.
_BY_NAME = {".pl": "perl", ".r": "splus", ".php": "html+php"}


def _lexer(name: str) -> Any:  # a Pygments lexer (Pygments has no type hints)
    options = {"stripnl": False, "ensurenl": False}
    alias = _BY_NAME.get(name[name.rfind(".") :])
    if alias is not None:
        return get_lexer_by_name(alias, **options)
    return get_lexer_for_filename(name, **options)


def scanner_lines(name: str, text: str) -> set[int]:
    return {todo.line for todo in scan(name, text.encode(), (TAG,))}


def pygments_lines(name: str, text: str) -> set[int]:
    """Lines where a tag standing alone starts inside a Pygments comment token (not a
    preprocessor line, which Pygments files under comments)."""
    lexer = _lexer(name)
    tokens = []
    position = 0
    for kind, value in lexer.get_tokens(text):
        tokens.append((position, position + len(value), kind))
        position += len(value)
    lines = set()
    for match in find_tags(text, (TAG,)):
        for begin, end, kind in tokens:
            if begin <= match.start() < end:
                comment = kind in Comment and kind not in Comment.Preproc
                if comment and end >= match.end() and stands_alone(text, match, begin, end):
                    lines.add(text.count("\n", 0, match.start()) + 1)
                break
    return lines


def disagreements(name: str, text: str) -> set[tuple[str, int]]:
    return {(name, line) for line in scanner_lines(name, text) ^ pygments_lines(name, text)}


# Generated: each string form holding every comment opener, then a real comment.
_GENERATED = {
    "g.py": (["'{}'", '"{}"', '"""{}"""', "r'{}'", "f'{}'"], ["#"]),
    "g.js": (["'{}'", '"{}"', "`{}`"], ["//", "/*"]),
    "g.c": (['"{}"'], ["//", "/*"]),
    "g.go": (['"{}"', "`{}`"], ["//", "/*"]),
    "g.rs": (['"{}"', 'r#"{}"#'], ["//", "/*"]),
    "g.java": (['"{}"'], ["//", "/*"]),
    "g.sh": (['"{}"', "'{}'"], ["#"]),
    "g.rb": (['"{}"', "'{}'", "%q({})"], ["#"]),
    "g.lua": (['"{}"', "'{}'", "[[{}]]"], ["--"]),
    "g.sql": (["'{}'"], ["--", "/*"]),
    "g.hs": (['"{}"'], ["--", "{-"]),
    "g.yaml": (['"{}"', "'{}'"], ["#"]),
}
_CLOSERS = {"/*": " */", "{-": " -}"}


def generated(name: str) -> str:
    quotes, markers = _GENERATED[name]
    lines = []
    for quote in quotes:
        for inner_marker in markers:
            for marker in markers:
                inner = quote.format(f"{inner_marker} @T@ not{_CLOSERS.get(inner_marker, '')}")
                key = "x: " if name.endswith(".yaml") else "x = "
                tail = f"{marker} @T@ yes{_CLOSERS.get(marker, '')}"
                lines.append(f"{key}{inner} {tail}")
    return "\n".join(lines).replace("@T@", TAG) + "\n"


@pytest.mark.parametrize("probe", sorted(p.name for p in PROBES.glob("*.probe")))
def test_probe_agrees_with_pygments(probe: str) -> None:
    name = probe.removesuffix(".probe")
    text = (PROBES / probe).read_text().replace("@T@", TAG)
    accepted = {key for key in ACCEPTED if key[0] == name}
    assert disagreements(name, text) == accepted


@pytest.mark.parametrize("name", sorted(_GENERATED))
def test_generated_snippets_agree_with_pygments(name: str) -> None:
    accepted = {key for key in ACCEPTED if key[0] == name}
    assert disagreements(name, generated(name)) == accepted


def test_every_accepted_disagreement_has_a_reason() -> None:
    assert all(re.search(r"\w{3}", reason) for reason in ACCEPTED.values())
