"""The TODO scanner: tags in comments of every language family, never in strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plankeeper.todos.languages import syntax_for
from plankeeper.todos.lexer import Syntax
from plankeeper.todos.scan import Reference, find_tags, parse_reference, scan
from plankeeper.todos.tracking import normalize

TAGS = ("TODO", "FIXME", "XXX", "HACK")


def found(path: str, source: str | bytes) -> list[tuple[int, str, str]]:
    """(line, tag, text) of every TODO the scanner finds."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    return [(todo.line, todo.tag, todo.text) for todo in scan(path, data, TAGS)]


def case(*values: str | bool) -> object:
    """A row: [path,] source, whether it holds a TODO, and the row's id."""
    *row, name = values
    return pytest.param(*row, id=str(name))


# Each row: a snippet and whether it holds a tag comment (its text always "here").
PYTHON = [
    case("# TODO here\n", True, "comment"),
    case("x = 1  # TODO here\n", True, "trailing-comment"),
    case("x = 'TODO not'\n", False, "single-quoted"),
    case('x = "# TODO not"\n', False, "hash-in-string"),
    case('x = "a" + "b"  # TODO here\n', True, "after-strings"),
    case("x = r'\\' # TODO not'\n", False, "raw-escaped-quote"),
    case("x = rb'#TODO not'\n", False, "bytes-raw-prefix"),
    case("x = f'{y} # TODO not'\n", False, "f-string"),
    case('"""Docstring.\n\nTODO not\n"""\n', False, "docstring"),
    case("'''\n# TODO not\n'''\n", False, "triple-single"),
    case('x = """a\n"""  # TODO here\n', True, "after-triple"),
    case('x = "a\\\n# TODO not"\n', False, "continued-string"),
    case("# TODOS are plural, not tags\n", False, "not-whole-word"),
    case("# todo lower case\n", False, "lower-case"),
    case("# MY_TODO is a name\n", False, "underscore-prefix"),
]
SHELL = [
    case("# TODO here\n", True, "comment"),
    case("echo hi # TODO here\n", True, "trailing"),
    case('echo "# TODO not"\n', False, "double-quoted"),
    case("echo '# TODO not'\n", False, "single-quoted"),
    case("echo a#TODO not\n", False, "hash-inside-word"),
    case("echo ${#x} $# # TODO here\n", True, "parameter-hashes"),
    case("echo \\# TODO not\n", False, "escaped-hash"),
    case("cat <<EOF\n# TODO not\nEOF\n", False, "heredoc"),
    case("cat <<'EOF'\n# TODO not\nEOF\n# TODO here\n", True, "after-heredoc"),
    case('x="\n# TODO not\n"\n', False, "multi-line-string"),
]
C_LIKE = [
    case("a.c", "// TODO here\n", True, "c-line"),
    case("a.c", "/* one\n * TODO here\n */\n", True, "c-block-over-lines"),
    case("a.c", 'char *s = "// TODO not";\n', False, "c-slashes-in-string"),
    case("a.c", 'char *s = "/* TODO not */";\n', False, "c-block-in-string"),
    case("a.c", "char c = '\"'; // TODO here\n", True, "c-quote-char"),
    case("a.cpp", 'auto s = R"x(// TODO not)x";\n', False, "cpp-raw-string"),
    case("a.cpp", "int n = 1'000'000; // TODO here\n", True, "cpp-digit-separators"),
    case("a.java", 'String s = """\n// TODO not\n""";\n', False, "java-text-block"),
    case("a.cs", 'var s = @"C:\\ // TODO not";\n', False, "csharp-verbatim"),
    case("a.js", "const u = 'http://x.org/TODO'; // TODO here\n", True, "js-url-in-string"),
    case("a.js", "const t = `\n// TODO not\n${a}`;\n", False, "js-template-literal"),
    case("a.js", "const r = /\\/\\/ TODO not/;\n", False, "js-regex-literal"),
    case("a.js", "x = a / b; // TODO here\n", True, "js-division"),
    case("a.ts", "/** TODO here */\nlet x: number = 1;\n", True, "ts-doc-comment"),
    case("a.go", "var s = `\n// TODO not\n`\n", False, "go-raw-string"),
    case("a.go", "var s = `x` // TODO here\n", True, "go-after-raw"),
    case("a.rs", 'let s = r#"// TODO "not" "#;\n', False, "rust-raw-string"),
    case("a.rs", "fn f<'a>(x: &'a str) {} // TODO here\n", True, "rust-lifetimes"),
    case("a.rs", "/* /* inner */ TODO here */\n", True, "rust-nested-block"),
    case("a.rs", 'let s = "a\n// TODO not";\n', False, "rust-multi-line-string"),
    case("a.swift", 'let s = #"// TODO not"#\n', False, "swift-raw-string"),
    case("a.kt", 'val s = """\n// TODO not\n"""\n', False, "kotlin-raw-string"),
    case("a.scala", "// TODO here\n", True, "scala-line"),
    case("a.php", "<?php\n# TODO here\n", True, "php-hash"),
    case("a.php", "<?php\n#[Attribute] // TODO here\n", True, "php-attribute"),
    case("a.php", "<?php\n$s = 'a // TODO not';\n", False, "php-string"),
]
DASHES = [
    case("a.sql", "-- TODO here\n", True, "sql-line"),
    case("a.sql", "SELECT '-- TODO not' FROM t;\n", False, "sql-string"),
    case("a.sql", "SELECT 'it''s -- TODO not';\n", False, "sql-doubled-quote"),
    case("a.sql", "/* TODO here */ SELECT 1;\n", True, "sql-block"),
    case("a.lua", "-- TODO here\n", True, "lua-line"),
    case("a.lua", "--[[ one\nTODO here\n]]\n", True, "lua-block"),
    case("a.lua", "s = [[ -- TODO not ]]\n", False, "lua-long-string"),
    case("a.hs", "-- TODO here\n", True, "haskell-line"),
    case("a.hs", "{- TODO here -}\n", True, "haskell-block"),
    case("a.hs", 's = "-- TODO not"\n', False, "haskell-string"),
    case("a.hs", "x --> y -- TODO here\n", True, "haskell-operator"),
]
MARKUP = [
    case("a.html", "<!-- TODO here -->\n", True, "html-comment"),
    case("a.html", "<!--\n  TODO here\n-->\n", True, "html-over-lines"),
    case("a.html", "<p>TODO not</p>\n", False, "html-text"),
    case("a.xml", "<a><!-- TODO here --></a>\n", True, "xml-comment"),
    case("a.md", "<!-- TODO here -->\n", True, "markdown-comment"),
    case("a.md", "TODO not a comment\n", False, "markdown-text"),
    case("a.md", "```\n<!-- TODO not -->\n```\n", False, "markdown-fence"),
    case("a.md", "Use `<!-- TODO not -->` inline.\n", False, "markdown-code-span"),
    case("a.html", "<script>\n// TODO here\n</script>\n", True, "html-script"),
    case("a.html", "<SCRIPT defer>/* TODO here */</SCRIPT>\n", True, "html-script-block"),
    case("a.html", "<script>\nvar s = '<!-- TODO not -->';\n</script>\n", False, "script-string"),
    case("a.html", '<script type="text/x-template">\n// TODO not\n</script>\n', False, "template"),
    case("a.html", '<script type="module">\n// TODO here\n</script>\n', True, "module"),
    case("a.html", "<style>\n/* TODO here */\n</style>\n", True, "html-style"),
    case("a.html", "<style>\na { content: '// TODO not' }\n</style>\n", False, "style-string"),
    case("a.html", "<script>\n// TODO not in the page\n", False, "script-unclosed"),
    case("a.html", '<a title="<script>">\n<!-- TODO here -->\n', True, "script-in-attribute"),
    case("a.vue", "<template>\n  <!-- TODO here -->\n</template>\n", True, "vue-template"),
    case("a.vue", '<script setup lang="ts">\n// TODO here\n</script>\n', True, "vue-script"),
    case("a.vue", '<style lang="scss">\n// TODO here\n</style>\n', True, "vue-scss"),
    case("a.vue", "<style>\n// TODO not css\n</style>\n", False, "vue-css-slashes"),
    case("a.svelte", "<script>\n// TODO here\n</script>\n<p>TODO not</p>\n", True, "svelte"),
]
HASH_FAMILY = [
    case("a.rb", "# TODO here\n", True, "ruby"),
    case("a.rb", 'x = "#{y} # TODO not"\n', False, "ruby-interpolation"),
    case("a.rb", "=begin\nTODO here\n=end\n", True, "ruby-block-comment"),
    case("a.pl", "# TODO here\n", True, "perl"),
    case("a.pl", "my $n = $#list; # TODO here\n", True, "perl-last-index"),
    case("a.r", "x <- '# TODO not' # TODO here\n", True, "r"),
    case("a.ps1", "<# TODO here #>\n", True, "powershell-block"),
    case("a.ps1", "$s = 'a # TODO not'\n", False, "powershell-string"),
    case("a.yaml", "key: value # TODO here\n", True, "yaml"),
    case("a.yaml", 'key: "a # TODO not"\n', False, "yaml-quoted"),
    case("a.yaml", "url: http://x/#TODO-not\n", False, "yaml-hash-in-plain"),
    case("a.yaml", "run: |\n  # TODO not\n  echo\n", False, "yaml-block-scalar"),
    case("a.toml", "a = 1 # TODO here\n", True, "toml"),
    case("a.toml", "a = '''\n# TODO not\n'''\n", False, "toml-multi-line"),
    case("a.ini", "; TODO here\n", True, "ini-semicolon"),
    case("a.ini", "# TODO here\n", True, "ini-hash"),
    case("Dockerfile", "# TODO here\nFROM x\n", True, "dockerfile"),
    case("Dockerfile", "RUN echo a # TODO not\n", False, "dockerfile-mid-line"),
    case("Makefile", "all: # TODO here\n", True, "makefile"),
    case("Makefile", "x = a\\# TODO not\n", False, "makefile-escaped"),
    case("a.clj", "; TODO here\n", True, "clojure"),
    case("a.clj", '(def s "; TODO not")\n', False, "clojure-string"),
    case("a.clj", "(str \\;) ;; TODO here\n", True, "clojure-char"),
    case("a.lisp", "#| TODO here |#\n", True, "lisp-block"),
]


def expect(path: str, source: str, expected: bool) -> None:
    texts = [text for _, _, text in found(path, source)]
    assert texts == (["here"] if expected else [])


@pytest.mark.parametrize(("source", "expected"), PYTHON)
def test_python(source: str, expected: bool) -> None:
    expect("src/a.py", source, expected)


@pytest.mark.parametrize(("source", "expected"), SHELL)
def test_shell(source: str, expected: bool) -> None:
    expect("bin/run.sh", source, expected)


@pytest.mark.parametrize(("path", "source", "expected"), C_LIKE)
def test_c_family(path: str, source: str, expected: bool) -> None:
    expect(path, source, expected)


@pytest.mark.parametrize(("path", "source", "expected"), DASHES)
def test_dash_family(path: str, source: str, expected: bool) -> None:
    expect(path, source, expected)


@pytest.mark.parametrize(("path", "source", "expected"), MARKUP)
def test_markup_family(path: str, source: str, expected: bool) -> None:
    expect(path, source, expected)


@pytest.mark.parametrize(("path", "source", "expected"), HASH_FAMILY)
def test_hash_and_semicolon_families(path: str, source: str, expected: bool) -> None:
    expect(path, source, expected)


def test_todo_records_line_column_tag_and_text() -> None:
    todos = scan("a.py", b"x = 1\n    # FIXME(T001): fix it  \n", TAGS)
    assert [(t.path, t.line, t.column, t.tag, t.text, t.reference) for t in todos] == [
        ("a.py", 2, 7, "FIXME", "fix it", Reference("T001"))
    ]


def test_each_tag_line_of_a_block_comment_is_one_todo() -> None:
    source = "/*\n * TODO first\n * HACK second\n */\n"
    assert found("a.c", source) == [(2, "TODO", "first"), (3, "HACK", "second")]


def test_one_todo_per_comment_line_keeps_later_tags_in_its_text() -> None:
    assert found("a.py", "# TODO: handle FIXME markers\n") == [(1, "TODO", "handle FIXME markers")]


def test_block_comment_text_stops_at_its_end() -> None:
    assert found("a.c", "/* TODO close it */ int x;\n") == [(1, "TODO", "close it")]


def test_crlf_lines_keep_numbers_and_lose_the_carriage_return() -> None:
    assert found("a.py", "x = 1\r\n# TODO crlf\r\n") == [(2, "TODO", "crlf")]


def test_configured_tags_replace_the_default_ones() -> None:
    todos = scan("a.py", b"# TODO no\n# NOTE_2 yes\n", ("NOTE_2",))
    assert [(todo.tag, todo.text) for todo in todos] == [("NOTE_2", "yes")]


def test_binary_file_is_skipped() -> None:
    assert found("a.py", b"# TODO here\n\0\x01\x02") == []


def test_undecodable_bytes_do_not_stop_the_scan() -> None:
    assert found("a.py", b"# TODO caf\xe9 \xff here\n") == [(1, "TODO", "caf\ufffd \ufffd here")]


def test_unknown_file_type_is_skipped() -> None:
    assert found("notes.txt", "# TODO here\n") == []


def test_script_without_extension_is_known_by_its_shebang() -> None:
    assert found("bin/tool", "#!/usr/bin/env python3\n# TODO here\n") == [(2, "TODO", "here")]


@pytest.mark.parametrize(
    ("path", "family"),
    [
        pytest.param("Dockerfile", "hash-lines", id="dockerfile"),
        pytest.param("Dockerfile.dev", "hash-lines", id="dockerfile-variant"),
        pytest.param("GNUmakefile", "make", id="makefile"),
        pytest.param("x/CMakeLists.txt", "cmake", id="cmake"),
        pytest.param("a.PY", "python", id="upper-case-extension"),
        pytest.param(".gitignore", "hash-lines", id="dot-file"),
        pytest.param("a.tsx", "javascript", id="tsx"),
        pytest.param("a.json", None, id="json-has-no-comments"),
    ],
)
def test_language_by_name(path: str, family: str | None) -> None:
    syntax = syntax_for(path)
    assert (syntax.name if syntax else None) == family


@pytest.mark.parametrize(
    ("note", "reference"),
    [
        pytest.param("T001", Reference("T001"), id="task-id"),
        pytest.param("P2.3", Reference("P2.3"), id="dotted"),
        pytest.param("#AUTH-12", Reference("AUTH-12"), id="hash-prefix"),
        pytest.param("001-auth/T014", Reference("T014", "001-auth"), id="qualified"),
        pytest.param("specs/001-auth/T014", Reference("T014", "001-auth"), id="qualified-path"),
        pytest.param("alice", None, id="name-has-no-digit"),
        pytest.param("T001 T002", None, id="two-words"),
        pytest.param("", None, id="empty"),
    ],
)
def test_reference_parsing(note: str, reference: Reference | None) -> None:
    assert parse_reference(note) == reference


def test_bracket_reference_is_read_like_parentheses() -> None:
    (todo,) = scan("a.py", b"# FIXME[P2.3] later\n", TAGS)
    assert (todo.reference, todo.note, todo.text) == (Reference("P2.3"), "[P2.3]", "later")


def test_non_reference_note_is_dropped_from_the_text() -> None:
    (todo,) = scan("a.py", b"# TODO(alice): call Bob\n", TAGS)
    assert (todo.reference, todo.label, todo.text) == (None, "TODO(alice)", "call Bob")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("Fix the Parser!", "fix the parser", id="case-and-punctuation"),
        pytest.param("  a\t  b  ", "a b", id="spaces"),
        pytest.param("see `parse()` in src/a.py", "see parse in src a py", id="code-and-path"),
        pytest.param("...", "", id="no-word"),
    ],
)
def test_normalize(text: str, words: str) -> None:
    assert normalize(text) == words


def test_find_tags_matches_whole_words_only() -> None:
    text = "TODO xTODO TODOx _TODO TODO_ XXXX (HACK) FIXME."
    assert [match.start() for match in find_tags(text, TAGS)] == [0, 35, 41]


# -- properties --------------------------------------------------------------------------

# A string literal that holds a tag, written as each family quotes strings.
_QUOTES = {
    "a.py": ['"{}"', "'{}'", '"""{}"""', "r'{}'", "f'{}'"],
    "a.js": ['"{}"', "'{}'", "`{}`"],
    "a.go": ['"{}"', "`{}`"],
    "a.rs": ['"{}"', 'r#"{}"#'],
    "a.c": ['"{}"'],
    "a.sql": ["'{}'"],
    "a.sh": ['"{}"', "'{}'"],
    "a.lua": ['"{}"', "[[{}]]"],
    "a.rb": ['"{}"', "'{}'"],
}
_INNER = st.lists(
    st.sampled_from([*TAGS, " ", "#", "//", "--", "/*", "*/", ";", "<!--", "x", "1", ":"]),
    min_size=1,
    max_size=12,
).map("".join)
_CODE = st.sampled_from(["x = 1", "f(y)", "a + b", "", "z"])


@settings(max_examples=300, deadline=None)
@given(
    path=st.sampled_from(sorted(_QUOTES)),
    data=st.data(),
)
def test_tags_only_inside_string_literals_are_never_found(path: str, data: st.DataObject) -> None:
    lines = []
    for _ in range(data.draw(st.integers(1, 6))):
        inner = data.draw(_INNER).replace("\\", "")
        quote = data.draw(st.sampled_from(_QUOTES[path]))
        # Each quote style's own closer may not appear inside it.
        for closer in ('"', "'", "`", "]]"):
            if closer in quote.replace("{}", ""):
                inner = inner.replace(closer[0], "")
        lines.append(f"{data.draw(_CODE)} {quote.format(inner)} {data.draw(_CODE)}")
    assert found(path, "\n".join(lines) + "\n") == []


_PIECES = (
    *('"', "'", "`", "#", "//", "/*", "*/", '"""', "--", "{-", "-}", "<!--", "-->", "```"),
    *("\n", "\n", " ", "x", "TODO", "FIXME", "\\", "r#", '"#'),
)


@settings(max_examples=200, deadline=None)
@given(
    path=st.sampled_from(["a.py", "a.js", "a.c", "a.go", "a.rs", "a.sh", "a.hs", "a.md"]),
    pieces=st.lists(st.sampled_from(_PIECES), max_size=40),
)
def test_staged_lexing_finds_what_full_lexing_finds(path: str, pieces: list[str]) -> None:
    text = "".join(pieces)
    syntax = syntax_for(path)
    assert syntax is not None
    # A `spans_lines` that matches everywhere turns the line-by-line shortcut off.
    full = syntax._replace(spans_lines=r"[\s\S]")
    tags = [(match.start(), match.end()) for match in find_tags(text, TAGS)]
    if not tags:
        return

    def in_comments(lexer: Syntax) -> list[tuple[int, int]]:
        spans = list(lexer.comments(text, [start for start, _ in tags]))
        return [(s, e) for s, e in tags if any(a <= s and e <= b for a, b in spans)]

    assert in_comments(syntax) == in_comments(full)


def test_syntax_is_hashable_for_its_compiled_cache() -> None:
    syntax = syntax_for("a.py")
    assert isinstance(syntax, Syntax)
    assert hash(syntax) == hash(syntax_for("b.py"))
