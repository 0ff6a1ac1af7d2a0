"""The language table: each family's comment and string tokens, by name, extension, `#!`."""

from __future__ import annotations

import re
from functools import lru_cache

from plankeeper.todos.lexer import (
    Embedded,
    Span,
    Syntax,
    Token,
    at_line_start,
    block_comment,
    dynamic,
    line_comment,
    not_after_word,
    quoted,
    skip,
    string,
    to_end,
    token,
    triple,
    until,
)


def _lua_close(opener: str) -> str:
    return "]" + "=" * opener.count("=") + "]"


def _rust_close(opener: str) -> str:
    return '"' + "#" * opener.count("#")


def _swift_close(opener: str) -> str:
    return opener.lstrip("#")[::-1] + "#" * (len(opener) - len(opener.lstrip("#")))


def _cpp_raw_close(opener: str) -> str:
    return ")" + opener[opener.index('"') + 1 : -1] + '"'


def _cs_raw_close(opener: str) -> str:
    return '"' * opener.count('"')


def _same(opener: str) -> str:
    return opener


def _heredoc(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A here-document: from its opener to the line that holds only its word.

    When no such line follows, the opener was an operator (`x << y`) and lexing goes on.
    """
    word = text[start:end].lstrip("<-~ \t").strip("'\"")
    eol = text.find("\n", end)
    if eol < 0:
        return end, None
    found = _closing_line(word).search(text, eol + 1)
    return (end, None) if found is None else (found.end(), None)


@lru_cache(maxsize=64)
def _closing_line(word: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*{re.escape(word)}[ \t;,)]*\r?$", re.M)


_JS_REGEX_BODY = re.compile(r"(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/")
_JS_BEFORE_REGEX = frozenset("(,=:[!&|?{};+-*%<>~^")
_JS_KEYWORD_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield"
    r"|await|instanceof)\Z"
)


def _js_slash(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A `/` that opens a regular expression literal, told from division by what precedes it."""
    before = text[max(0, start - 16) : start].rstrip()
    if not before or before[-1] in _JS_BEFORE_REGEX or _JS_KEYWORD_BEFORE.search(before):
        match = _JS_REGEX_BODY.match(text, end)
        if match is not None:
            return match.end(), None
    return end, None


def _yaml_block_scalar(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A block scalar (`key: |`): its more-indented lines are content, not comments."""
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    indent = len(line) - len(line.lstrip(" "))
    eol = text.find("\n", end)
    if eol < 0:
        return len(text), None
    rest = text[end:eol]
    hash_at = rest.find("#")
    span = (end + hash_at + 1, eol) if hash_at >= 0 else None
    position = eol
    while position < len(text):
        following = text.find("\n", position + 1)
        following = len(text) if following < 0 else following
        content = text[position + 1 : following]
        stripped = content.lstrip(" ")
        if stripped.strip() and len(content) - len(stripped) <= indent:
            break
        position = following
    return position, span


def _markdown_fence(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A fenced code block from its opening fence to its closing one (or the end)."""
    fence = text[start:end]
    closer = re.compile(rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*\r?$", re.M)
    eol = text.find("\n", end)
    if eol < 0:
        return len(text), None
    found = closer.search(text, eol + 1)
    return (len(text) if found is None else found.end()), None


@lru_cache(maxsize=16)
def _backticks(run: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{run}}}(?!`)")


def _markdown_backticks(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A fence when three or more open a line (indented at most three), else a code span."""
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    if end - start >= 3 and len(indent) <= 3 and not indent.strip(" \t"):
        return _markdown_fence(text, start, end)
    found = _backticks(end - start).search(text, end)
    return (end if found is None else found.end()), None


_HASH = token("#", line_comment)
_SLASHES = token("//", line_comment)
_C_BLOCK = token(r"/\*", block_comment("*/"))
_C_NESTED = token(r"/\*", block_comment("*/", "/*"))
_DQ_ACTION = quoted('"')
_DQ_MULTI_ACTION = quoted('"', multiline=True)
_DQ = token('"', _DQ_ACTION)
_DQ_MULTI = token('"', _DQ_MULTI_ACTION)
_SQ = token("'", quoted("'"))
_SQ_MULTI = token("'", quoted("'", multiline=True))
_SQ_RAW_MULTI = token("'", quoted("'", multiline=True, escapes=False))
# A character literal, told from a lifetime (`'a`) or a digit separator (`1'000`).
_CHAR = token(r"'(?:\\[^\n]{1,10}?|[^'\\\n])'", skip)
_TEMPLATE = token("`", quoted("`", multiline=True))
_HEREDOC_WORD = r"""[ \t]*['"]?[A-Za-z_][A-Za-z0-9_]*['"]?"""
_ESCAPE = token(r"\\[\s\S]", skip)
# What can run over a line end: a backslash before it (an escaped newline in a string).
_CONTINUED = r"\\\r?\n"
_TRIPLES = rf"\"\"\"|'''|{_CONTINUED}"


def _syntax(name: str, *tokens: Token, spans: str = "") -> Syntax:
    return Syntax(name, tokens, spans)


PYTHON = _syntax(
    "python",
    _HASH,
    token('"""', triple('"')),
    token("'''", triple("'")),
    _DQ,
    _SQ,
    spans=_TRIPLES,
)
SHELL = _syntax(
    "shell",
    _ESCAPE,
    token(r"#(?<![^\s;&|()<>]#)", line_comment),
    token(r"<<(?<!<<<)-?" + _HEREDOC_WORD, _heredoc),
    token(r"\$'", quoted("'", multiline=True)),
    _SQ_RAW_MULTI,
    _DQ_MULTI,
    _TEMPLATE,
    spans=r"""["'`]|<<""",
)
RUBY = _syntax(
    "ruby",
    token(r"=begin\b", at_line_start(string(r"[\s\S]*?(?:^=end\b[^\n]*|\Z)"))),
    token(r"\?[#'\"`]", skip),
    _HASH,
    token(r"<<[-~]?['\"]?[A-Za-z_][A-Za-z0-9_]*['\"]?", _heredoc),
    _DQ_MULTI,
    _SQ_MULTI,
    _TEMPLATE,
    spans=r"""["'`]|<<|^=begin""",
)
PERL = _syntax(
    "perl",
    token(r"__(?:END|DATA)__\b", at_line_start(to_end)),
    token(r"=[A-Za-z]", at_line_start(string(r"[\s\S]*?(?:^=cut\b[^\n]*|\Z)"))),
    token(r"[$@]#", skip, "$@"),
    _HASH,
    token(r"<<~?['\"]?[A-Za-z_][A-Za-z0-9_]*['\"]?", _heredoc),
    _DQ_MULTI,
    _SQ_MULTI,
    spans=r"""["']|<<|^=[A-Za-z]|^__(?:END|DATA)__""",
)
R = _syntax("r", _HASH, _DQ_MULTI, _SQ_MULTI, token("`", quoted("`")), spans=r"""["']""")
POWERSHELL = _syntax(
    "powershell",
    token("<#", block_comment("#>")),
    token(r"`[\s\S]", skip),
    _HASH,
    token('@"', string(r'[\s\S]*?(?:^"@|\Z)')),
    token("@'", string(r"[\s\S]*?(?:^'@|\Z)")),
    token("'", quoted("'", multiline=True, escapes=False)),
    token('"', string(r'[^"`]*(?:`[\s\S][^"`]*)*"?')),
    spans=r"""<#|["']|`\r?\n""",
)
YAML = _syntax(
    "yaml",
    token(r"#(?<!\S#)", line_comment),
    token(r"[|>](?<=[:\-] [|>])[0-9+\-]*[ \t]*(?=#|\r?$)", _yaml_block_scalar, "|>"),
    token(r"\"(?<![^\s\[{,]\")", quoted('"', multiline=True)),
    token(r"'(?<![^\s\[{,]')", quoted("'", multiline=True, escapes=False)),
    spans=r"""["'|>]""",
)
TOML = _syntax(
    "toml",
    _HASH,
    token('"""', triple('"')),
    token("'''", until("'''")),
    _DQ,
    token("'", string(r"[^'\n]*'?")),
    spans=_TRIPLES,
)
INI = _syntax("ini", token(r"[#;](?<!\S[#;])", line_comment, "#;"))
# Dockerfile, .gitignore and the like: a comment is a line that starts with `#`.
HASH_LINES = _syntax("hash-lines", token("#", at_line_start(line_comment)))
MAKE = _syntax("make", _ESCAPE, _HASH)
CMAKE = _syntax(
    "cmake",
    token(r"#\[=*\[", dynamic(_lua_close, comment=True)),
    _HASH,
    token(r"\[=*\[", dynamic(_lua_close)),
    _DQ_MULTI,
    spans=r'\[=*\[|"',
)

_C_SPANS = rf"/\*|{_CONTINUED}"
C = _syntax("c", _SLASHES, _C_BLOCK, _DQ, _CHAR, spans=_C_SPANS)
CPP = _syntax(
    "cpp",
    _SLASHES,
    _C_BLOCK,
    token(
        r'(?:u8|[uUL])?R"[^()\\\s"]{0,16}\(',
        not_after_word(dynamic(_cpp_raw_close), _DQ_ACTION),
        "uULR",
    ),
    _DQ,
    _CHAR,
    spans=rf'{_C_SPANS}|R"',
)
CSHARP = _syntax(
    "csharp",
    _SLASHES,
    _C_BLOCK,
    token(r'\$*"""+', dynamic(_cs_raw_close), '$"'),
    token(r'(?:\$@|@\$?)"', quoted('"', multiline=True, escapes=False), "$@"),
    _DQ,
    _CHAR,
    spans=rf'{_C_SPANS}|"""|@',
)
JAVA = _syntax(
    "java",
    _SLASHES,
    _C_BLOCK,
    token('"""', triple('"')),
    _DQ,
    _CHAR,
    spans=rf'{_C_SPANS}|"""',
)
JAVASCRIPT = _syntax(
    "javascript",
    _SLASHES,
    _C_BLOCK,
    _TEMPLATE,
    _DQ,
    _SQ,
    token("/", _js_slash),
    spans=rf"{_C_SPANS}|`",
)
GO = _syntax(
    "go",
    _SLASHES,
    _C_BLOCK,
    token("`", until("`")),
    _DQ,
    _CHAR,
    spans=rf"{_C_SPANS}|`",
)
RUST = _syntax(
    "rust",
    _SLASHES,
    _C_NESTED,
    token(r'[bc]?r#*"', not_after_word(dynamic(_rust_close), _DQ_MULTI_ACTION), "bcr"),
    _DQ_MULTI,
    token(r"'(?:\\[^\n]{1,10}?|[^'\\\n])'", skip),
    spans=r'/\*|"',
)
SWIFT = _syntax(
    "swift",
    _SLASHES,
    _C_NESTED,
    token(r'#+(?:"""|")', dynamic(_swift_close)),
    token('"""', triple('"')),
    _DQ,
    spans=rf'{_C_SPANS}|"""|#+"',
)
KOTLIN = _syntax(
    "kotlin",
    _SLASHES,
    _C_NESTED,
    token('"""', until('"""')),
    _DQ,
    _CHAR,
    spans=rf'{_C_SPANS}|"""',
)
DART = _syntax(
    "dart",
    _SLASHES,
    _C_NESTED,
    token('"""', triple('"')),
    token("'''", triple("'")),
    _DQ,
    _SQ,
    spans=rf"{_C_SPANS}|{_TRIPLES}",
)
PHP = _syntax(
    "php",
    token(r"#(?!\[)", line_comment),
    _SLASHES,
    _C_BLOCK,
    token(r"<<<" + _HEREDOC_WORD, _heredoc),
    _DQ_MULTI,
    _SQ_MULTI,
    spans=r"""/\*|["']|<<<""",
)
CSS = _syntax("css", _C_BLOCK, _DQ, _SQ, spans=_C_SPANS)
SCSS = _syntax(
    "scss",
    token(r"url\([^)'\"]*\)", skip),
    _SLASHES,
    _C_BLOCK,
    _DQ,
    _SQ,
    spans=_C_SPANS,
)

SQL = _syntax(
    "sql",
    token("--", line_comment),
    _C_BLOCK,
    token("'", quoted("'", multiline=True, escapes=False)),
    token('"', quoted('"', multiline=True, escapes=False)),
    token("`", quoted("`", multiline=True, escapes=False)),
    token(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$", dynamic(_same)),
    spans=r"""/\*|["'`$]""",
)
LUA = _syntax(
    "lua",
    token(r"--\[=*\[", dynamic(_lua_close, comment=True)),
    token("--", line_comment),
    token(r"\[=*\[", dynamic(_lua_close)),
    _DQ,
    _SQ,
    spans=rf"\[=*\[|{_CONTINUED}",
)
HASKELL = _syntax(
    "haskell",
    token(r"\{-", block_comment("-}", "{-")),
    token(r"--+(?![!#$%&*+./<=>?@\\^|~:])", line_comment),
    _DQ,
    token(r"'(?<![A-Za-z0-9_']')(?:\\[^\n]{1,10}?|[^'\\\n])'", skip),
    spans=rf"\{{-|{_CONTINUED}",
)


def _script_language(opener: str) -> Syntax | None:
    """JavaScript (or TypeScript) unless the `type` names something else (a template)."""
    kind = _ATTRIBUTE_TYPE.search(opener)
    if kind is None or kind.group(1).lower() in _SCRIPT_TYPES:
        return JAVASCRIPT
    return None


def _style_language(opener: str) -> Syntax:
    lang = _ATTRIBUTE_LANG.search(opener)
    return SCSS if lang is not None and lang.group(1).lower() in ("scss", "less", "sass") else CSS


_ATTRIBUTE_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
_ATTRIBUTE_LANG = re.compile(r"""\blang\s*=\s*["']?([^"'\s>]*)""", re.I)
_SCRIPT_TYPES = frozenset(
    ["", "module", "text/javascript", "application/javascript", "text/typescript", "ts"]
)

HTML = _syntax(
    "html",
    token("<!--", block_comment("-->")),
    token(r"<!\[CDATA\[", until("]]>")),
    # Vue and Svelte components too: their scripts and styles are such blocks.
    token(
        r"(?i:<script)(?=[\s>/])[^>]*>",
        Embedded(re.compile(r"</script\s*>", re.I), _script_language),
        "<",
    ),
    token(
        r"(?i:<style)(?=[\s>/])[^>]*>",
        Embedded(re.compile(r"</style\s*>", re.I), _style_language),
        "<",
    ),
    spans=r"<!--|<!\[CDATA\[|(?i:<script|<style)",
)
MARKDOWN = _syntax(
    "markdown",
    token("<!--", block_comment("-->")),
    token("`+", _markdown_backticks),
    token("~{3,}", at_line_start(_markdown_fence)),
    spans=r"<!--|`|~~~",
)
LISP = _syntax(
    "lisp",
    _ESCAPE,
    token(r"#\|", block_comment("|#", "#|")),
    token(";", line_comment),
    _DQ_MULTI,
    spans=r'#\||"',
)

_BY_EXTENSION: dict[str, Syntax] = {}
for _syntax_of, _extensions in (
    (PYTHON, "py pyi pyw pyx pxd"),
    (SHELL, "sh bash zsh ksh fish bats"),
    (RUBY, "rb rake gemspec ru"),
    (PERL, "pl pm t psgi"),
    (R, "r"),
    (POWERSHELL, "ps1 psm1 psd1"),
    (YAML, "yaml yml"),
    (TOML, "toml"),
    (INI, "ini cfg conf properties editorconfig"),
    (HASH_LINES, "dockerfile gitignore gitattributes dockerignore"),
    (MAKE, "mk mak make"),
    (CMAKE, "cmake"),
    (C, "c h"),
    (CPP, "cc cpp cxx c++ hpp hh hxx h++ ino ipp tpp m mm"),
    (CSHARP, "cs"),
    (JAVA, "java groovy gradle proto"),
    (JAVASCRIPT, "js jsx mjs cjs ts tsx mts cts"),
    (GO, "go"),
    (RUST, "rs"),
    (SWIFT, "swift"),
    (KOTLIN, "kt kts scala sc sbt"),
    (DART, "dart"),
    (PHP, "php"),
    (CSS, "css"),
    (SCSS, "scss less"),
    (SQL, "sql"),
    (LUA, "lua"),
    (HASKELL, "hs elm purs"),
    (HTML, "html htm xhtml xml xsd xsl xslt svg plist xaml csproj props targets vue svelte"),
    (MARKDOWN, "md markdown mdown mkd"),
    (LISP, "lisp lsp cl el scm ss rkt clj cljs cljc edn"),
):
    for _extension in _extensions.split():
        _BY_EXTENSION[_extension] = _syntax_of

_BY_NAME: dict[str, Syntax] = {
    "Dockerfile": HASH_LINES,
    "Containerfile": HASH_LINES,
    "Makefile": MAKE,
    "makefile": MAKE,
    "GNUmakefile": MAKE,
    "CMakeLists.txt": CMAKE,
    "Rakefile": RUBY,
    "Gemfile": RUBY,
    "Vagrantfile": RUBY,
    "Podfile": RUBY,
    "Brewfile": RUBY,
    "Pipfile": TOML,
    ".bashrc": SHELL,
    ".bash_profile": SHELL,
    ".profile": SHELL,
    ".zshrc": SHELL,
    ".env": INI,
    ".Rprofile": R,
}

_SHEBANG = re.compile(rb"#![^\n]*?\b(python|sh|bash|zsh|ksh|dash|ruby|perl|node|Rscript|pwsh)\d*\b")
_BY_INTERPRETER = {
    b"python": PYTHON,
    b"sh": SHELL,
    b"bash": SHELL,
    b"zsh": SHELL,
    b"ksh": SHELL,
    b"dash": SHELL,
    b"ruby": RUBY,
    b"perl": PERL,
    b"node": JAVASCRIPT,
    b"Rscript": R,
    b"pwsh": POWERSHELL,
}


def syntax_for(path: str, head: bytes = b"") -> Syntax | None:
    """The language family of a file, by name, extension, or for a script its `#!` line."""
    name = path.rsplit("/", 1)[-1]
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith(("Dockerfile.", "Containerfile.")):
        return HASH_LINES
    _, dot, extension = name.rpartition(".")
    if dot:  # `.gitignore` too: its "extension" is its name
        return _BY_EXTENSION.get(extension.lower())
    if head.startswith(b"#!"):
        match = _SHEBANG.match(head[: head.find(b"\n") if b"\n" in head else 200])
        if match:
            return _BY_INTERPRETER[match.group(1)]
    return None


# -- TODOs -----------------------------------------------------------------------------------
