"""TODO comments: languages, a comment-aware scanner, references to tasks and tracking.

The scanner is a small lexer per language family. Each token that can open a comment or
a string has a regular expression and an action; the action skips a string, or returns
the span of a comment. Only files that hold a tag are lexed, and within a file only as
far as needed (see `Syntax.comments`), so the cost follows the TODOs, not the repository.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from plankeeper.context import role_of
from plankeeper.edit import append_lines, insert_lines
from plankeeper.errors import PlankeeperError
from plankeeper.globs import matches_any
from plankeeper.plan import Plan, Task, decode, parse_id

if TYPE_CHECKING:
    from plankeeper.config import Config
    from plankeeper.git import Repository, State

# An action gets the text and the opener's span; it returns where lexing resumes and the
# span of the comment it found, if any.
Span = tuple[int, int]
Action = Callable[[str, int, int], tuple[int, Span | None]]


# -- actions ---------------------------------------------------------------------------------


def _line_comment(text: str, start: int, end: int) -> tuple[int, Span | None]:
    eol = text.find("\n", end)
    eol = len(text) if eol < 0 else eol
    return eol, (end, eol)


def _at_line_start(action: Action) -> Action:
    """`action` for an opener that only counts first on its line (`#` in a Dockerfile)."""

    def checked(text: str, start: int, end: int) -> tuple[int, Span | None]:
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(" \t"):
            return end, None
        return action(text, start, end)

    return checked


def _block_comment(close: str, nested_open: str | None = None) -> Action:
    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        if nested_open is None:
            found = text.find(close, end)
            stop = len(text) if found < 0 else found
            return (len(text) if found < 0 else found + len(close)), (end, stop)
        depth, position = 1, end
        while depth:
            found = text.find(close, position)
            if found < 0:
                return len(text), (end, len(text))
            inner = text.find(nested_open, position, found)
            if inner >= 0:
                depth += 1
                position = inner + len(nested_open)
            else:
                depth -= 1
                position = found + len(close)
        return position, (end, position - len(close))

    return action


def _string(body: str) -> Action:
    """A string whose rest (content and closer) `body` matches; unterminated: where it stops."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        match = _regex(body).match(text, end)
        return (match.end() if match else end), None

    return action


@cache
def _regex(body: str) -> re.Pattern[str]:
    # Compiled on first use: the hook imports this module on every commit.
    return re.compile(body, re.M)


def _quoted(quote: str, *, multiline: bool = False, escapes: bool = True) -> Action:
    """A string closed by `quote`, with backslash escapes or, without, doubled quotes."""
    q = re.escape(quote)
    newline = "" if multiline else r"\n"
    if escapes:
        return _string(rf"[^{q}\\{newline}]*(?:\\[\s\S][^{q}\\{newline}]*)*{q}?")
    return _string(rf"[^{q}{newline}]*(?:{q}{q}[^{q}{newline}]*)*{q}?")


def _triple(quote: str) -> Action:
    """A triple-quoted string with backslash escapes."""
    q = re.escape(quote)
    return _string(rf"[^{q}\\]*(?:(?:\\[\s\S]|{q}(?!{q}{q}))[^{q}\\]*)*(?:{q}{{3}}|\Z)")


def _until(close: str) -> Action:
    """A string that runs to `close` (or the end of the file)."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        found = text.find(close, end)
        return (len(text) if found < 0 else found + len(close)), None

    return action


def _skip(text: str, start: int, end: int) -> tuple[int, Span | None]:
    return end, None


def _to_end(text: str, start: int, end: int) -> tuple[int, Span | None]:
    return len(text), None


def _dynamic(close_of: Callable[[str], str], *, comment: bool = False) -> Action:
    """A string or comment whose closer depends on its opener (`r##"`, `[==[`, `R"x(`)."""

    def action(text: str, start: int, end: int) -> tuple[int, Span | None]:
        close = close_of(text[start:end])
        found = text.find(close, end)
        stop = len(text) if found < 0 else found
        return (len(text) if found < 0 else found + len(close)), ((end, stop) if comment else None)

    return action


def _not_after_word(action: Action, otherwise: Action) -> Action:
    """`action` for a prefixed opener (`r"`, `R"(`); after a word it is `otherwise` at `"`."""

    def checked(text: str, start: int, end: int) -> tuple[int, Span | None]:
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            quote = text.index('"', start)
            return otherwise(text, quote, quote + 1)
        return action(text, start, end)

    return checked


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


# -- languages -------------------------------------------------------------------------------


class Embedded(NamedTuple):
    """A block in another language up to its closing tag (`<script>` in HTML), lexed by
    the language that `language` picks from the opening tag (None: nothing to lex)."""

    close: re.Pattern[str]
    language: Callable[[str], Syntax | None]


Token = tuple[str, "Action | Embedded", str]


def _first(regex: str) -> str:
    """The character a token's regex starts with, after any lookbehinds."""
    index = 0
    while regex.startswith(("(?<!", "(?<="), index):
        depth, in_class = 0, False
        while True:
            char = regex[index]
            if char == "\\":
                index += 2
                continue
            if in_class:
                in_class = char != "]"
            elif char == "[":
                in_class = True
                index += 2 if regex.startswith("[^", index) else 1
                continue
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    index += 1
                    break
            index += 1
    char = regex[index]
    if char == "\\":
        return regex[index + 1]
    assert char not in ".^$*+?{}[]|()", regex
    return char


def _token(regex: str, action: Action | Embedded, first: str | None = None) -> Token:
    return regex, action, _first(regex) if first is None else first


class Syntax(NamedTuple):
    """The comment and string tokens of a language family.

    `spans_lines` finds every opener of a token that can run over a line end (`/*`,
    three quotes, a backslash before a newline); "" when no token can.
    """

    name: str
    tokens: tuple[Token, ...]
    spans_lines: str = ""

    def comments(self, text: str, tags: Sequence[int]) -> Iterator[Span]:
        """Spans of the comments that may hold the tags at `tags` (sorted offsets), in order.

        Lexing starts at the top, where the state is known. Once past the last opener of a
        token that can span lines, every line starts in code: from there on only the lines
        that hold a tag are lexed, so a long file with one TODO near its end costs little.
        """
        starts, pattern, spanning = _compile(self)
        actions = [token[1] for token in self.tokens]
        stop = tags[-1]
        boundary = -1
        if spanning is not None:
            for opener in spanning.finditer(text, 0, stop):
                boundary = opener.end()
        position = 0
        limit = len(text)
        line_end = -1
        for tag in (-1, *tags):
            if tag >= 0:
                # After the boundary: lex the tag's line only, from its start.
                if tag < position or tag <= line_end:
                    continue
                position = max(position, text.rfind("\n", 0, tag) + 1)
                line_end = text.find("\n", tag)
                limit = len(text) if line_end < 0 else line_end
            while position < limit:
                start = starts.search(text, position, limit)
                if start is None:
                    break
                match = pattern.match(text, start.start())
                if match is None:
                    position = start.end()
                    continue
                if tag < 0 and match.start() > stop:
                    return
                action = actions[match.lastindex - 1]  # type: ignore[operator]
                if isinstance(action, Embedded):
                    position = yield from _embedded(action, text, match, tags)
                else:
                    position, span = action(text, match.start(), match.end())
                    if span is not None:
                        yield span
                if tag < 0 and position > boundary:
                    break


def _embedded(
    block: Embedded, text: str, opener: re.Match[str], tags: Sequence[int]
) -> Generator[Span, None, int]:
    """The comments of an embedded block, lexed by its own language; returns where the
    block ends. An opener that no closing tag follows is taken for text."""
    close = block.close.search(text, opener.end())
    if close is None:
        return opener.end()
    language = block.language(opener.group())
    inner = [tag - opener.end() for tag in tags if opener.end() <= tag < close.start()]
    if language is not None and inner:
        body = text[opener.end() : close.start()]
        for begin, end in language.comments(body, inner):
            yield begin + opener.end(), end + opener.end()
    return close.end()


@cache
def _compile(syntax: Syntax) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None]:
    """A class of the characters that start tokens, the tokens' alternation, the spanners.

    Searching for the class is fast (a plain character scan); the alternation is then only
    tried where a token can start.
    """
    firsts = "".join(sorted({token[2] for token in syntax.tokens}))
    starts = re.compile(f"[{re.escape(firsts)}]")
    pattern = re.compile("|".join(f"({token[0]})" for token in syntax.tokens), re.M)
    # The action of a match is found by its group number: no token may add a group.
    assert pattern.groups == len(syntax.tokens), syntax.name
    spanning = re.compile(syntax.spans_lines, re.M) if syntax.spans_lines else None
    return starts, pattern, spanning


_HASH = _token("#", _line_comment)
_SLASHES = _token("//", _line_comment)
_C_BLOCK = _token(r"/\*", _block_comment("*/"))
_C_NESTED = _token(r"/\*", _block_comment("*/", "/*"))
_DQ_ACTION = _quoted('"')
_DQ_MULTI_ACTION = _quoted('"', multiline=True)
_DQ = _token('"', _DQ_ACTION)
_DQ_MULTI = _token('"', _DQ_MULTI_ACTION)
_SQ = _token("'", _quoted("'"))
_SQ_MULTI = _token("'", _quoted("'", multiline=True))
_SQ_RAW_MULTI = _token("'", _quoted("'", multiline=True, escapes=False))
# A character literal, told from a lifetime (`'a`) or a digit separator (`1'000`).
_CHAR = _token(r"'(?:\\[^\n]{1,10}?|[^'\\\n])'", _skip)
_TEMPLATE = _token("`", _quoted("`", multiline=True))
_HEREDOC_WORD = r"""[ \t]*['"]?[A-Za-z_][A-Za-z0-9_]*['"]?"""
_ESCAPE = _token(r"\\[\s\S]", _skip)
# What can run over a line end: a backslash before it (an escaped newline in a string).
_CONTINUED = r"\\\r?\n"
_TRIPLES = rf"\"\"\"|'''|{_CONTINUED}"


def _syntax(name: str, *tokens: Token, spans: str = "") -> Syntax:
    return Syntax(name, tokens, spans)


PYTHON = _syntax(
    "python",
    _HASH,
    _token('"""', _triple('"')),
    _token("'''", _triple("'")),
    _DQ,
    _SQ,
    spans=_TRIPLES,
)
SHELL = _syntax(
    "shell",
    _ESCAPE,
    _token(r"#(?<![^\s;&|()<>]#)", _line_comment),
    _token(r"<<(?<!<<<)-?" + _HEREDOC_WORD, _heredoc),
    _token(r"\$'", _quoted("'", multiline=True)),
    _SQ_RAW_MULTI,
    _DQ_MULTI,
    _TEMPLATE,
    spans=r"""["'`]|<<""",
)
RUBY = _syntax(
    "ruby",
    _token(r"=begin\b", _at_line_start(_string(r"[\s\S]*?(?:^=end\b[^\n]*|\Z)"))),
    _token(r"\?[#'\"`]", _skip),
    _HASH,
    _token(r"<<[-~]?['\"]?[A-Za-z_][A-Za-z0-9_]*['\"]?", _heredoc),
    _DQ_MULTI,
    _SQ_MULTI,
    _TEMPLATE,
    spans=r"""["'`]|<<|^=begin""",
)
PERL = _syntax(
    "perl",
    _token(r"__(?:END|DATA)__\b", _at_line_start(_to_end)),
    _token(r"=[A-Za-z]", _at_line_start(_string(r"[\s\S]*?(?:^=cut\b[^\n]*|\Z)"))),
    _token(r"[$@]#", _skip, "$@"),
    _HASH,
    _token(r"<<~?['\"]?[A-Za-z_][A-Za-z0-9_]*['\"]?", _heredoc),
    _DQ_MULTI,
    _SQ_MULTI,
    spans=r"""["']|<<|^=[A-Za-z]|^__(?:END|DATA)__""",
)
R = _syntax("r", _HASH, _DQ_MULTI, _SQ_MULTI, _token("`", _quoted("`")), spans=r"""["']""")
POWERSHELL = _syntax(
    "powershell",
    _token("<#", _block_comment("#>")),
    _token(r"`[\s\S]", _skip),
    _HASH,
    _token('@"', _string(r'[\s\S]*?(?:^"@|\Z)')),
    _token("@'", _string(r"[\s\S]*?(?:^'@|\Z)")),
    _token("'", _quoted("'", multiline=True, escapes=False)),
    _token('"', _string(r'[^"`]*(?:`[\s\S][^"`]*)*"?')),
    spans=r"""<#|["']|`\r?\n""",
)
YAML = _syntax(
    "yaml",
    _token(r"#(?<!\S#)", _line_comment),
    _token(r"[|>](?<=[:\-] [|>])[0-9+\-]*[ \t]*(?=#|\r?$)", _yaml_block_scalar, "|>"),
    _token(r"\"(?<![^\s\[{,]\")", _quoted('"', multiline=True)),
    _token(r"'(?<![^\s\[{,]')", _quoted("'", multiline=True, escapes=False)),
    spans=r"""["'|>]""",
)
TOML = _syntax(
    "toml",
    _HASH,
    _token('"""', _triple('"')),
    _token("'''", _until("'''")),
    _DQ,
    _token("'", _string(r"[^'\n]*'?")),
    spans=_TRIPLES,
)
INI = _syntax("ini", _token(r"[#;](?<!\S[#;])", _line_comment, "#;"))
# Dockerfile, .gitignore and the like: a comment is a line that starts with `#`.
HASH_LINES = _syntax("hash-lines", _token("#", _at_line_start(_line_comment)))
MAKE = _syntax("make", _ESCAPE, _HASH)
CMAKE = _syntax(
    "cmake",
    _token(r"#\[=*\[", _dynamic(_lua_close, comment=True)),
    _HASH,
    _token(r"\[=*\[", _dynamic(_lua_close)),
    _DQ_MULTI,
    spans=r'\[=*\[|"',
)

_C_SPANS = rf"/\*|{_CONTINUED}"
C = _syntax("c", _SLASHES, _C_BLOCK, _DQ, _CHAR, spans=_C_SPANS)
CPP = _syntax(
    "cpp",
    _SLASHES,
    _C_BLOCK,
    _token(
        r'(?:u8|[uUL])?R"[^()\\\s"]{0,16}\(',
        _not_after_word(_dynamic(_cpp_raw_close), _DQ_ACTION),
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
    _token(r'\$*"""+', _dynamic(_cs_raw_close), '$"'),
    _token(r'(?:\$@|@\$?)"', _quoted('"', multiline=True, escapes=False), "$@"),
    _DQ,
    _CHAR,
    spans=rf'{_C_SPANS}|"""|@',
)
JAVA = _syntax(
    "java",
    _SLASHES,
    _C_BLOCK,
    _token('"""', _triple('"')),
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
    _token("/", _js_slash),
    spans=rf"{_C_SPANS}|`",
)
GO = _syntax(
    "go",
    _SLASHES,
    _C_BLOCK,
    _token("`", _until("`")),
    _DQ,
    _CHAR,
    spans=rf"{_C_SPANS}|`",
)
RUST = _syntax(
    "rust",
    _SLASHES,
    _C_NESTED,
    _token(r'[bc]?r#*"', _not_after_word(_dynamic(_rust_close), _DQ_MULTI_ACTION), "bcr"),
    _DQ_MULTI,
    _token(r"'(?:\\[^\n]{1,10}?|[^'\\\n])'", _skip),
    spans=r'/\*|"',
)
SWIFT = _syntax(
    "swift",
    _SLASHES,
    _C_NESTED,
    _token(r'#+(?:"""|")', _dynamic(_swift_close)),
    _token('"""', _triple('"')),
    _DQ,
    spans=rf'{_C_SPANS}|"""|#+"',
)
KOTLIN = _syntax(
    "kotlin",
    _SLASHES,
    _C_NESTED,
    _token('"""', _until('"""')),
    _DQ,
    _CHAR,
    spans=rf'{_C_SPANS}|"""',
)
DART = _syntax(
    "dart",
    _SLASHES,
    _C_NESTED,
    _token('"""', _triple('"')),
    _token("'''", _triple("'")),
    _DQ,
    _SQ,
    spans=rf"{_C_SPANS}|{_TRIPLES}",
)
PHP = _syntax(
    "php",
    _token(r"#(?!\[)", _line_comment),
    _SLASHES,
    _C_BLOCK,
    _token(r"<<<" + _HEREDOC_WORD, _heredoc),
    _DQ_MULTI,
    _SQ_MULTI,
    spans=r"""/\*|["']|<<<""",
)
CSS = _syntax("css", _C_BLOCK, _DQ, _SQ, spans=_C_SPANS)
SCSS = _syntax(
    "scss",
    _token(r"url\([^)'\"]*\)", _skip),
    _SLASHES,
    _C_BLOCK,
    _DQ,
    _SQ,
    spans=_C_SPANS,
)

SQL = _syntax(
    "sql",
    _token("--", _line_comment),
    _C_BLOCK,
    _token("'", _quoted("'", multiline=True, escapes=False)),
    _token('"', _quoted('"', multiline=True, escapes=False)),
    _token("`", _quoted("`", multiline=True, escapes=False)),
    _token(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$", _dynamic(_same)),
    spans=r"""/\*|["'`$]""",
)
LUA = _syntax(
    "lua",
    _token(r"--\[=*\[", _dynamic(_lua_close, comment=True)),
    _token("--", _line_comment),
    _token(r"\[=*\[", _dynamic(_lua_close)),
    _DQ,
    _SQ,
    spans=rf"\[=*\[|{_CONTINUED}",
)
HASKELL = _syntax(
    "haskell",
    _token(r"\{-", _block_comment("-}", "{-")),
    _token(r"--+(?![!#$%&*+./<=>?@\\^|~:])", _line_comment),
    _DQ,
    _token(r"'(?<![A-Za-z0-9_']')(?:\\[^\n]{1,10}?|[^'\\\n])'", _skip),
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
    _token("<!--", _block_comment("-->")),
    _token(r"<!\[CDATA\[", _until("]]>")),
    # Vue and Svelte components too: their scripts and styles are such blocks.
    _token(
        r"(?i:<script)(?=[\s>/])[^>]*>",
        Embedded(re.compile(r"</script\s*>", re.I), _script_language),
        "<",
    ),
    _token(
        r"(?i:<style)(?=[\s>/])[^>]*>",
        Embedded(re.compile(r"</style\s*>", re.I), _style_language),
        "<",
    ),
    spans=r"<!--|<!\[CDATA\[|(?i:<script|<style)",
)
MARKDOWN = _syntax(
    "markdown",
    _token("<!--", _block_comment("-->")),
    _token("`+", _markdown_backticks),
    _token("~{3,}", _at_line_start(_markdown_fence)),
    spans=r"<!--|`|~~~",
)
LISP = _syntax(
    "lisp",
    _ESCAPE,
    _token(r"#\|", _block_comment("|#", "#|")),
    _token(";", _line_comment),
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


class Reference(NamedTuple):
    """A task id a TODO names, `plan` being the plan qualifier of `001-auth/T014`."""

    id: str
    plan: str | None = None

    def __str__(self) -> str:
        return f"{self.plan}/{self.id}" if self.plan else self.id


class Todo(NamedTuple):
    """One tagged comment line; `text` is as written after the tag and any `(...)` part."""

    path: str
    line: int
    column: int
    tag: str
    text: str
    reference: Reference | None = None
    note: str = ""  # the parenthesized or bracketed part with its brackets, as written
    suppressed: bool = False  # the line says `plankeeper: ignore`

    @property
    def label(self) -> str:
        return self.tag + self.note


_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_NOTE = re.compile(r"\(([^()\n]*)\)|\[([^\[\]\n]*)\]")
_LEAD = " \t:-,;.>"
# Inline suppression, in the form of `# type: ignore` and `# pyright: ignore`.
_IGNORE = re.compile(r"(?<![\w-])plankeeper:\s*ignore(?![\w-])", re.IGNORECASE)
_OPENERS = "#/;-*(<!"


@lru_cache(maxsize=8)
def _tag_patterns(tags: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[bytes]]:
    """The tags, each followed by no word character; `find_tags` checks the one before.

    Tags are validated as `[A-Z][A-Z0-9_]*` by the configuration, so joining them is safe.
    A pattern that starts with the words themselves lets `re` scan for their first letters;
    a lookbehind in front would be tried at every position.
    """
    words = "|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True))
    text = rf"(?:{words})(?![A-Za-z0-9_])"
    return re.compile(text), re.compile(text.encode("ascii"))


def find_tags(text: str, tags: Sequence[str]) -> list[re.Match[str]]:
    """Tags as whole words, as `git grep -w` sees words (ASCII letters, digits and `_`)."""
    return [
        match
        for match in _tag_patterns(tuple(tags))[0].finditer(text)
        if not match.start() or text[match.start() - 1] not in _WORD_CHARS
    ]


def parse_reference(note: str) -> Reference | None:
    """`T001`, `#AUTH-12`, `001-auth/T014`; None when the note is no id (`alice`)."""
    value = note.strip()
    qualifier, _, word = value.rpartition("/")
    word = word.strip().lstrip("#")
    if not word or " " in word:
        return None
    identifier, rest = parse_id(word)
    if identifier is None or rest:
        return None
    # `specs/001-auth/T014` names the plan by its last folder or file name.
    qualifier = qualifier.strip().rsplit("/", 1)[-1]
    if " " in qualifier:
        return None
    return Reference(identifier, qualifier or None)


def scan(path: str, data: bytes, tags: Sequence[str]) -> list[Todo]:
    """Every TODO in the comments of a file; none for binary files and unknown languages."""
    syntax = syntax_for(path, data[:256])
    if syntax is None or b"\0" in data:
        return []
    if not _tag_patterns(tuple(tags))[1].search(data):
        return []
    text = decode(data)
    found = find_tags(text, tags)
    if not found:
        return []
    todos: list[Todo] = []
    index = 0
    line, counted = 1, 0
    last_line = 0
    for begin, stop in syntax.comments(text, [match.start() for match in found]):
        while index < len(found) and found[index].start() < begin:
            index += 1
        while index < len(found) and found[index].end() <= stop:
            match = found[index]
            index += 1
            line += text.count("\n", counted, match.start())
            counted = match.start()
            if line == last_line:
                continue  # one per comment line: the first tag, the rest is its text
            last_line = line
            todos.append(_todo(path, text, match, stop, line))
        if index >= len(found):
            break
    return todos


def _todo(path: str, text: str, match: re.Match[str], stop: int, line: int) -> Todo:
    eol = text.find("\n", match.end(), stop)
    end = stop if eol < 0 else eol
    note_match = _NOTE.match(text, match.end(), end)
    note = ""
    reference = None
    after = match.end()
    if note_match is not None:
        note = note_match.group()
        reference = parse_reference(note[1:-1])
        after = note_match.end()
    written = text[after:end].strip().lstrip(_LEAD).strip()
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    ignore = _IGNORE.search(written)
    if ignore is not None:
        # `# TODO: x  # plankeeper: ignore`: the marker and its comment opener are no text.
        written = written[: ignore.start()].rstrip().rstrip(_OPENERS).rstrip()
    return Todo(path, line, column, match.group(), written, reference, note, ignore is not None)


# -- which files ------------------------------------------------------------------------------


def is_scanned(config: Config, path: str, role: Callable[[str], str | None] | None = None) -> bool:
    """Code of a known language: never plan, resume, handoff or config files, nor `exclude`.

    A file without an extension may be a script that names its language with `#!`.
    """
    return (
        (syntax_for(path) is not None or "." not in path.rsplit("/", 1)[-1])
        and not matches_any(config.todo_exclude, path)
        and not matches_any(config.todo_vendored, path)
        and (role_of(config, path) if role is None else role(path)) is None
    )


LINGUIST = ("linguist-vendored", "linguist-generated")


def is_marked_vendored(attributes: Mapping[str, str]) -> bool:
    """GitHub's convention: `linguist-vendored` or `linguist-generated` set (or `true`)."""
    return any(attributes.get(name) in ("set", "true") for name in LINGUIST)


def collect(
    repo: Repository,
    config: Config,
    state: State,
    paths: Iterable[str],
    *,
    fallback: State | None = None,
    role: Callable[[str], str | None] | None = None,
) -> list[Todo]:
    """The TODOs of `paths` at `state` (else at `fallback`), in path and line order.

    For a whole tree, `paths` come from `Repository.grep_files`: only the files that hold
    a tag at all are read and lexed. `role` is `Context.role`, when there is a context.
    """
    wanted = [path for path in dict.fromkeys(paths) if is_scanned(config, path, role)]
    contents = repo.read_many(state, wanted)
    missing = [path for path in wanted if path not in contents]
    if fallback is not None and missing:
        contents.update(repo.read_many(fallback, missing))
    todos: list[Todo] = []
    for path in wanted:
        data = contents.get(path)
        if data is not None:
            todos.extend(scan(path, data, config.todo_tags))
    if config.linguist and todos:
        # Asked only of the files that hold a tag: most commits never start check-attr.
        attributes = repo.attributes(state, sorted({todo.path for todo in todos}), LINGUIST)
        todos = [todo for todo in todos if not is_marked_vendored(attributes.get(todo.path, {}))]
    return sorted(todos, key=lambda todo: (todo.path, todo.line, todo.column))


# -- tracking ---------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower case, punctuation dropped, spaces collapsed: the words the text rule compares."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def task_words(task: Task) -> str:
    """A task's normalized text, its id included (an added task may start with an id)."""
    return normalize(f"{task.id} {task.text}" if task.id else task.text)


_SUFFIX = re.compile(r"\s*\([^()]*\)\s*\Z")


def is_specific(words: str, task: Task, path: str) -> bool:
    """A text match counts only when specific (SPEC § Changes): the TODO's words are at
    least half of the task's (its id left out), or the task names the TODO's file, as
    the `(path)` suffix that `todos --fix` writes does.

    Otherwise a short TODO (`first`, `fix this`) would be tracked by any long task that
    happens to hold its words, and the bigger the backlog, the more would slip through.
    """
    counted = _SUFFIX.sub("", task.text)  # the suffix names a place, it adds no words
    return 2 * words.count(" ") + 2 >= len(normalize(counted).split()) or path in task.text


class Tracking(NamedTuple):
    """How a TODO is tracked: by `task` of `plan`, or not, and then why (`code`)."""

    code: str | None
    plan: Plan | None = None
    task: Task | None = None

    @property
    def is_tracked(self) -> bool:
        return self.code is None


class Tracker:
    """Answers which open task tracks a TODO, over every plan, in plan order."""

    def __init__(self, plans: Sequence[Plan]) -> None:
        self.plans = list(plans)
        self._by_id: dict[str, list[tuple[Plan, Task]]] = {}
        for plan in self.plans:
            for identifier, tasks in plan.tasks_by_id().items():
                self._by_id.setdefault(identifier, []).extend((plan, task) for task in tasks)
        # The open tasks' words, one per line: one substring search finds the first match.
        self._open: list[tuple[Plan, Task]] = []
        self._offsets: list[int] = []
        self._words: list[str] = []
        self._size = 0
        self._joined = ""
        for plan in self.plans:
            for task in plan.tasks:
                if task.is_open:
                    self.add(plan, task)

    def add(self, plan: Plan, task: Task, words: str | None = None) -> None:
        """Count one more open task, such as one that `todos --fix` has just appended."""
        padded = f" {task_words(task) if words is None else words} "
        self._offsets.append(self._size)
        self._size += len(padded) + 1
        self._open.append((plan, task))
        self._words.append(padded)
        self._joined = ""

    def _find(self, words: str, path: str) -> tuple[Plan, Task] | None:
        """The first open task whose words contain `words` and that is specific to them."""
        if not self._joined and self._words:
            self._joined = "\n".join(self._words)
        needle = f" {words} "
        found = self._joined.find(needle)
        while found >= 0:
            index = bisect_right(self._offsets, found) - 1
            plan, task = self._open[index]
            if is_specific(words, task, path):
                return plan, task
            # The next task's words start after this one's line.
            found = self._joined.find(needle, self._offsets[index] + len(self._words[index]))
        return None

    def track(self, todo: Todo) -> Tracking:
        if todo.suppressed:
            return Tracking(None)
        reference = todo.reference
        if reference is not None:
            defining = [
                (plan, task)
                for plan, task in self._by_id.get(reference.id, [])
                if reference.plan is None or reference.plan in (plan.name, plan.folder)
            ]
            if not defining:
                return Tracking("PK203")
            for plan, task in defining:
                if task.is_open:
                    return Tracking(None, plan, task)
            return Tracking("PK202", *defining[0])
        words = normalize(todo.text)
        if words:
            found = self._find(words, todo.path)
            if found is not None:
                return Tracking(None, *found)
        return Tracking("PK201")


def is_tracked(todo: Todo, plans: Sequence[Plan]) -> bool:
    return Tracker(plans).track(todo).is_tracked


# -- the inbox --------------------------------------------------------------------------------


def _utf16_edit(data: bytes, plan: Plan, inbox: str, entries: Sequence[str]) -> tuple[bytes, int]:
    """The inbox edit of a UTF-16 plan, made in UTF-8 and written back as the file was:
    its byte order mark and byte order kept, every line but the inserted ones unchanged."""
    codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
    try:
        text = data[2:].decode(codec, "surrogatepass")
    except UnicodeDecodeError:
        raise PlankeeperError(f"{plan.path} is not valid UTF-16: add the tasks by hand") from None
    edited, line = inbox_edit(text.encode("utf-8", "surrogatepass"), plan, inbox, entries)
    return data[:2] + edited.decode("utf-8", "surrogatepass").encode(codec, "surrogatepass"), line


def inbox_edit(data: bytes, plan: Plan, inbox: str, entries: Sequence[str]) -> tuple[bytes, int]:
    """`data` with `- [ ] entry` lines at the end of the inbox section, and the first's line.

    The section is created as `## <inbox>` at the end of the file when the plan has none.
    Only inserted lines differ (see edit.py); the plan is the parse of `data`.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16_edit(data, plan, inbox, entries)
    items = [f"- [ ] {entry}".encode() for entry in entries]
    lines = data.splitlines()
    wanted = inbox.strip().casefold()
    heading = next((h for h in plan.headings if h.text.strip().casefold() == wanted), None)
    if heading is None:
        block = [b""] if lines and lines[-1].strip() else []
        block += [f"## {inbox}".encode(), b"", *items]
        return append_lines(data, block), len(lines) + len(block) - len(items) + 1
    end = next(
        (h.line for h in plan.headings if h.line > heading.line and h.level <= heading.level),
        len(lines) + 1,
    )
    last = next(
        (number for number in range(end - 1, heading.line, -1) if lines[number - 1].strip()),
        heading.line,
    )
    if last != heading.line:
        return insert_lines(data, last, items), last + 1
    # An empty section: a blank line after the heading, and one before what follows.
    block = [b"", *items]
    if last < len(lines) and lines[last].strip():
        block.append(b"")
    return insert_lines(data, last, block), last + 2
