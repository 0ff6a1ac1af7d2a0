"""The language table: each family's comment and string tokens, by name, extension, `#!`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from plankeeper.todos.lexer import (
    Embedded,
    Found,
    Span,
    Syntax,
    Token,
    at_column_zero,
    at_line_start,
    block_comment,
    block_lines,
    close,
    continued_line_comment,
    dynamic,
    lex,
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


def heredoc(language: Callable[[], Syntax]) -> Callable[[str, int, int], tuple[int, Found]]:
    """A here-document: from its opener to the line that holds only its word; the rest of
    the opener's line is code (`cat <<EOF # a comment`).

    When no such line follows, the opener was an operator (`x << y`) and lexing goes on.
    """

    def action(text: str, start: int, end: int) -> tuple[int, Found]:
        word = text[start:end].lstrip("<-~ \t\\").strip("'\"")
        eol = text.find("\n", end)
        if eol < 0:
            return end, None
        found = _closer(text, word, eol + 1)
        if found < 0:
            return end, None
        stop, spans = lex(language(), text, end, eol)
        return max(found, stop), spans

    return action


def _closer(text: str, word: str, position: int) -> int:
    """The end of the first line from `position` that holds only `word` (-1: none).

    The lines that could close a here-document are indexed once per text, so a file full of
    unclosed `<<` operators costs one pass, not one per operator.
    """
    cached = _closers_cache[0]
    if cached[0] is not text:
        index: dict[str, list[int]] = {}
        for line in _CLOSING_LINE.finditer(text):
            index.setdefault(line.group(1), []).append(line.end())
        cached = (text, index)
        _closers_cache[0] = cached
    ends = cached[1].get(word)
    if not ends:
        return -1
    at = bisect.bisect_right(ends, position)
    return ends[at] if at < len(ends) else -1


_CLOSING_LINE = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t;,)]*\r?$", re.M)
_closers_cache: list[tuple[str, dict[str, list[int]]]] = [("", {})]


def _regex_end(text: str, body: int, *, empty: bool) -> int:
    """The end of a `/…/` regular expression literal whose body starts at `body`, on one
    line (-1: none, the `/` was division).

    A scan that fails is remembered with the character classes it saw, so the next `/` of
    the same line does not scan to its end again: from a place where the failed scan was
    outside a class the new one fails the same way; inside one, it only runs to where the
    two agree again (a `[` or that class's `]`). A line of many unclosed `/[` costs one pass.
    """
    cached = _failed_regex[0]
    if cached[0] is text and cached[1] <= body < cached[2]:
        inside = None
        for opened, shut in cached[3]:
            if opened < body <= shut:
                inside = shut
                break
        if inside is None:
            return -1
        found = _REGEX_STOP.search(text, body, inside)
        while found is not None and found.group()[0] == "\\":
            found = _REGEX_STOP.search(text, found.end(), inside)
        if found is None or found.group() != "/" or (found.start() == body and not empty):
            return -1
        return found.end()
    position, classes = body, []
    eol = text.find("\n", body)
    eol = len(text) if eol < 0 else eol
    while True:
        found = _REGEX_STOP.search(text, position, eol)
        if found is None:
            break
        char = found.group()
        if char == "/":
            return found.end() if found.start() > body or empty else -1
        if char == "[":
            closed = _CLASS_END.match(text, found.end(), eol)
            if closed is None:
                classes.append((found.start(), eol))
                break
            classes.append((found.start(), closed.start(1)))
            position = closed.end()
        else:
            position = found.end()
    _failed_regex[0] = (text, body, eol, classes)
    return -1


_REGEX_STOP = re.compile(r"\\.|[/\[]")
_CLASS_END = re.compile(r"(?:[^\]\\\n]|\\.)*(\])")
_failed_regex: list[tuple[str, int, int, list[tuple[int, int]]]] = [("", 0, 0, [])]


_JS_BEFORE_REGEX = frozenset("(,=:[!&|?{};+-*%<>~^")
_JS_KEYWORD_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield"
    r"|await|instanceof)\Z"
)


_JSX_BEFORE = frozenset("(,=:[!&|?{};>")
_JSX_KEYWORD_BEFORE = re.compile(r"(?<![A-Za-z0-9_$])(?:return|yield|default|case|await)\Z")
_JSX_TAG = re.compile(r"<(/?)(?:[A-Za-z][\w.:-]*)?(?=[\s/>{])")
_JSX_IN_TAG = re.compile(r"""["'{>]|/>""")
_JSX_CHILD = re.compile(r"[<{]")
_jsx_failed: list[str] = [""]


def _jsx(text: str, start: int, end: int) -> tuple[int, Found]:
    """A JSX element where an expression may start (`return <p>Don't</p>`): its text is
    no code (an apostrophe opens no string); its `{ … }` are code, comments and all.

    Once an element fails to close, `<` is an operator for the rest of the file, so a
    file of misread `<` costs one pass.
    """
    before = text[max(0, start - 16) : start].rstrip()
    if before and before[-1] not in _JSX_BEFORE and not _JSX_KEYWORD_BEFORE.search(before):
        return end, None
    if _jsx_failed[0] is text:
        return end, None
    found = _jsx_element(text, start)
    if found is None:
        _jsx_failed[0] = text
        return end, None
    return found


def _jsx_element(text: str, position: int) -> tuple[int, list[Span]] | None:
    depth, spans = 0, list[Span]()
    while True:
        tag = _JSX_TAG.match(text, position)
        if tag is None:
            return None
        position, closing, alone = tag.end(), tag.group(1) == "/", False
        while True:  # attributes: strings and `{ … }` up to `>` or `/>`
            found = _JSX_IN_TAG.search(text, position)
            if found is None:
                return None
            part = found.group()
            if part in "\"'":
                shut = text.find(part, found.end())
                if shut < 0:
                    return None
                position = shut + 1
            elif part == "{":
                position, inner = lex(JAVASCRIPT, text, found.end(), nest="{}")
                spans.extend(inner)
            else:
                position, alone = found.end(), part == "/>"
                break
        depth += -1 if closing else 0 if alone else 1
        if depth <= 0:
            return position, spans
        while True:  # children: text, `{ … }`, elements
            found = _JSX_CHILD.search(text, position)
            if found is None:
                return None
            if found.group() == "<":
                position = found.start()
                break
            position, inner = lex(JAVASCRIPT, text, found.end(), nest="{}")
            spans.extend(inner)


def _js_slash(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A `/` that opens a regular expression literal, told from division by what precedes it."""
    before = text[max(0, start - 16) : start].rstrip()
    if not before or before[-1] in _JS_BEFORE_REGEX or _JS_KEYWORD_BEFORE.search(before):
        stop = _regex_end(text, end, empty=False)
        if stop >= 0:
            return stop, None
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


def _markdown_backticks(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """A fence when three or more open a line (indented at most three), else a code span:
    up to the next run of exactly as many backticks."""
    index = start - 1
    while index >= start - 4 and index >= 0 and text[index] == " ":
        index -= 1
    first = start - index <= 4 and (index < 0 or text[index] == "\n")
    if end - start >= 3 and first:
        return _markdown_fence(text, start, end)
    runs = _backtick_runs(text).get(end - start)
    if runs:
        at = bisect.bisect_right(runs, start)
        if at < len(runs):
            return runs[at] + end - start, None
    return end, None


def _backtick_runs(text: str) -> dict[int, list[int]]:
    """The starts of the backtick runs of `text` by length, found once per text: a file of
    unclosed runs costs one pass, not one search to its end per run."""
    cached = _runs_cache[0]
    if cached[0] is not text:
        runs: dict[int, list[int]] = {}
        for run in _RUN.finditer(text):
            runs.setdefault(run.end() - run.start(), []).append(run.start())
        cached = (text, runs)
        _runs_cache[0] = cached
    return cached[1]


_RUN = re.compile("`+")
_runs_cache: list[tuple[str, dict[int, list[int]]]] = [("", {})]


def _indented_code(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """An indented code block after a blank line, unless it continues a list item."""
    line_end = start
    while True:  # the last line with text before the blank line(s)
        line_start = text.rfind("\n", 0, line_end) + 1
        before = text[line_start:line_end]
        if before.strip() or not line_start:
            break
        line_end = line_start - 1
    if before[:1] in (" ", "\t") or _LIST_ITEM.match(before):
        return end, None
    position = last = text.rfind("\n", 0, end) + 1
    while position < len(text):
        eol = text.find("\n", position)
        eol = len(text) if eol < 0 else eol
        if text.startswith(("    ", "\t"), position):
            last = eol
        elif text[position:eol].strip():
            break
        position = eol + 1
    return last, None


_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


# -- context: whether `/` or `%` opens a literal or is an operator ---------------------------

_BEFORE_OPERAND = frozenset("(,=:[!&|?{};+-*%<>~^")


def _operand_here(text: str, start: int, keywords: frozenset[str]) -> bool:
    """Whether a literal may start at `start`, judged by what precedes it: an operator, a
    keyword, or a method name and a space with no space after (`split /'/`, `puts %w[a]`)."""
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    if index < 0 or text[index] == "\n" or text[index] in _BEFORE_OPERAND:
        return True
    if not (text[index].isalpha() or text[index] == "_"):
        return False
    word_start = index
    while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "_"):
        word_start -= 1
    if text[word_start].isdigit() or (word_start and text[word_start - 1] in "$@%.:"):
        return False  # a number, a variable or a method called on something
    if text[word_start : index + 1] in keywords:
        return True
    after = start + 1
    return index < start - 1 and after < len(text) and not text[after].isspace()


_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _delimited(text: str, position: int, opener: str) -> int:
    """Where a string opened by `opener` (nesting when it is a bracket) ends; the text's end
    when it never does."""
    closer = _PAIRS.get(opener, opener)
    if closer == opener:
        found = _plain_body(opener).match(text, position)
        return found.end() if found is not None else len(text)
    depth = 1
    for found in _nested_body(opener).finditer(text, position):
        char = found.group()
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if not depth:
                return found.end()
    return len(text)


@lru_cache(maxsize=64)
def _plain_body(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    return re.compile(rf"[^{d}\\]*(?:\\[\s\S][^{d}\\]*)*{d}")


@lru_cache(maxsize=8)
def _nested_body(opener: str) -> re.Pattern[str]:
    return re.compile(rf"\\[\s\S]|[{re.escape(opener + _PAIRS[opener])}]")


def _slash_regex(keywords: frozenset[str]) -> Callable[[str, int, int], tuple[int, Found]]:
    """A `/…/` regular expression on one line where an operand may start (Ruby, Perl)."""

    def action(text: str, start: int, end: int) -> tuple[int, Found]:
        if _operand_here(text, start, keywords):
            stop = _regex_end(text, end, empty=True)
            if stop >= 0:
                return stop, None
        return end, None

    return action


_RUBY_KEYWORDS = frozenset(
    [
        "if",
        "elsif",
        "unless",
        "while",
        "until",
        "when",
        "case",
        "and",
        "or",
        "not",
        "return",
        "then",
        "do",
        "in",
        "puts",
        "print",
        "p",
        "raise",
        "yield",
    ]
)
_PERL_KEYWORDS = frozenset(
    [
        "if",
        "elsif",
        "unless",
        "while",
        "until",
        "and",
        "or",
        "not",
        "return",
        "split",
        "grep",
        "map",
        "join",
        "push",
        "unshift",
        "x",
        "lt",
        "gt",
        "le",
        "ge",
        "eq",
        "ne",
        "cmp",
        "when",
    ]
)


def _ruby_percent(text: str, start: int, end: int) -> tuple[int, Found]:
    """`%w[…]`, `%q(…)`, `%r{…}`, `%{…}`: a string, where an operand may start."""
    if not _operand_here(text, start, _RUBY_KEYWORDS):
        return end, None
    return _delimited(text, end, text[end - 1]), None


def _perl_quote(text: str, start: int, end: int) -> tuple[int, Found]:
    """`q(…)`, `qw{…}`, `m#…#`, `s/…/…/`, `tr[…][…]`: any delimiter, brackets nest."""
    opener = text[end - 1]
    position = _delimited(text, end, opener)
    if text[start] in "st" or text.startswith("y", start):
        if opener in _PAIRS:  # `s{…}{…}`, `s{…} /…/`: the second part has its own
            while position < len(text) and text[position].isspace():
                position += 1
            if position < len(text):
                position = _delimited(text, position + 1, text[position])
        else:
            position = _delimited(text, position, opener)
    return position, None


def interpolated(
    quote: str, openers: str, language: Callable[[], Syntax]
) -> Callable[[str, int, int], tuple[int, Found]]:
    """A string closed by `quote` whose `openers` (`#{`, `${`, `$(`) hold code up to their
    matching bracket, code that may hold strings and comments of its own."""
    pattern = re.compile(rf"\\[\s\S]|{re.escape(quote)}|{openers}")

    def action(text: str, start: int, end: int) -> tuple[int, Found]:
        position, spans = end, list[Span]()
        while True:
            found = pattern.search(text, position)
            if found is None:
                return len(text), spans
            part = found.group()
            if part == quote:
                return found.end(), spans
            if part[0] == "\\":
                position = found.end()
                continue
            nest = "()" if part.endswith("(") else "{}"
            position, inner = lex(language(), text, found.end(), nest=nest)
            spans.extend(inner)

    return action


def _yaml_scalar_start(text: str, start: int) -> bool:
    """Whether a node may start at `start` in block context: first on its line, or after
    `- `, `? `, `key: `, a tag or an anchor, never inside a plain scalar (`a: it's`).

    It looks back over blanks and one word at a time, so a long line costs its length.
    """
    position = start
    while True:
        index = position - 1
        while index >= 0 and text[index] in " \t":
            index -= 1
        if index < 0 or text[index] == "\n":
            return True
        if index == position - 1:
            return False
        if text[index] == ":":
            return True
        if text[index] in "-?":
            position = index
            continue
        word = index
        while word > 0 and text[word - 1] not in " \t\n":
            word -= 1
        if text[word] not in "!&":
            return False
        position = word


def _yaml_quote(
    action: Callable[[str, int, int], tuple[int, Found]],
) -> Callable[[str, int, int], tuple[int, Found]]:
    def checked(text: str, start: int, end: int) -> tuple[int, Found]:
        return action(text, start, end) if _yaml_scalar_start(text, start) else (end, None)

    return checked


def _yaml_block(text: str, start: int, end: int) -> tuple[int, Found]:
    if not _yaml_scalar_start(text, start):
        return end, None
    return _yaml_block_scalar(text, start, end)


_YAML_DQ = quoted('"', multiline=True)
_YAML_SQ = quoted("'", multiline=True, escapes=False)
_FLOW_STOP = re.compile(r"""[\[\]{}"'#]""")


def _yaml_flow(text: str, start: int, end: int) -> tuple[int, Found]:
    """A flow collection (`[a, "b"]`, `{a: 'b'}`) up to its closing bracket: a quote opens a
    string only after `[ { , :` (or first on a line), its comments are comments."""
    if not _yaml_scalar_start(text, start):
        return end, None
    depth, position, spans = 1, end, list[Span]()
    while depth:
        found = _FLOW_STOP.search(text, position)
        if found is None:
            return len(text), spans
        char, at = found.group(), found.start()
        position = at + 1
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "#":
            if text[at - 1] in " \t\n":
                eol = text.find("\n", at)
                position = len(text) if eol < 0 else eol
                spans.append((at + 1, position))
        else:
            index = at - 1
            while index >= 0 and text[index] in " \t\r\n":
                index -= 1
            if index < 0 or text[index] in "[{,:?":
                position, _ = (_YAML_DQ if char == '"' else _YAML_SQ)(text, at, at + 1)
    return position, spans


def _recipe(text: str, start: int, end: int) -> tuple[int, Found]:
    """A Make recipe line (and its backslash continuations): shell code."""
    eol = text.find("\n", end)
    while eol > 0 and text[eol - 1 - (text[eol - 1] == "\r")] == "\\":
        eol = text.find("\n", eol + 1)
    eol = len(text) if eol < 0 else eol
    _, spans = lex(SHELL, text, end, eol)
    return eol, [(begin, min(stop, eol)) for begin, stop in spans if begin < eol]


def _php_line_comment(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """`//` or `#` to the end of the line or to `?>`, which ends PHP code even there."""
    eol = text.find("\n", end)
    eol = len(text) if eol < 0 else eol
    closing = text.find("?>", end, eol)
    stop = eol if closing < 0 else closing
    return stop, (end, stop)


def _php_code(text: str, start: int, end: int) -> tuple[int, Found]:
    return lex(PHP_CODE, text, end)


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
_HEREDOC_WORD = r"""[ \t]*\\?['"]?[A-Za-z_][A-Za-z0-9_]*['"]?"""
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
_SHELL_TOKENS = (
    _ESCAPE,
    token(r"#(?<![^\s;&|()<>]#)", line_comment),
    token(r"<<(?<!<<<)-?" + _HEREDOC_WORD, heredoc(lambda: SHELL)),
    token(r"\$'", quoted("'", multiline=True)),
)
_SHELL_STRINGS = (
    token('"', interpolated('"', r"\$\(|\$\{", lambda: SHELL)),
    token("`", interpolated("`", r"\$\(|\$\{", lambda: SHELL)),
)
SHELL: Syntax = _syntax(
    "shell", *_SHELL_TOKENS, _SQ_RAW_MULTI, *_SHELL_STRINGS, spans=r"""["'`]|<<"""
)
# fish: a single-quoted string knows `\'` and `\\`.
FISH: Syntax = _syntax("fish", *_SHELL_TOKENS, _SQ_MULTI, *_SHELL_STRINGS, spans=r"""["'`]|<<""")
RUBY: Syntax = _syntax(
    "ruby",
    token(r"=begin\b", at_column_zero(block_lines("=end"))),
    token(r"\?[#'\"`]", skip),
    token(r"\$['\"`]", skip),
    _HASH,
    token(r"<<[-~]?['\"`]?[A-Za-z_][A-Za-z0-9_]*['\"`]?", heredoc(lambda: RUBY)),
    token('"', interpolated('"', r"#\{", lambda: RUBY)),
    _SQ_MULTI,
    token("`", interpolated("`", r"#\{", lambda: RUBY)),
    token(r"%(?:[qQwWiIrsx][^\w\s]|[^\w\s=])", _ruby_percent),
    token("/", _slash_regex(_RUBY_KEYWORDS)),
    spans=r"""["'`%/]|<<|^=begin""",
)
PERL: Syntax = _syntax(
    "perl",
    token(r"__(?:END|DATA)__\b", at_line_start(to_end)),
    token(r"=[A-Za-z]", at_line_start(string(r"[\s\S]*?(?:^=cut\b[^\n]*|\Z)"))),
    token(r"[$@]#", skip, "$@"),
    token(r"\$['\"`]", skip),
    token(
        r"(?<![\w$@%&*>:'-])(?:tr|qr|qq|qw|qx|[smqy])(?:[^\w\s=,;)}\]>]|\s+[^\w\s=,;)}\]>#])",
        _perl_quote,
        "tqsmy",
    ),
    _HASH,
    token(r"<<~?[ \t]*['\"]?[A-Za-z_][A-Za-z0-9_]*['\"]?", heredoc(lambda: PERL)),
    _DQ_MULTI,
    _SQ_MULTI,
    token("/", _slash_regex(_PERL_KEYWORDS)),
    spans=r"""["'/]|<<|^=[A-Za-z]|^__(?:END|DATA)__|\b(?:tr|qr|qq|qw|qx|[smqy])\W""",
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
    token(r"[|>][0-9+\-]*[ \t]*(?=#|\r?$)", _yaml_block, "|>"),
    token('"', _yaml_quote(_YAML_DQ)),
    token("'", _yaml_quote(_YAML_SQ)),
    token(r"[\[{]", _yaml_flow, "[{"),
    spans=r"""["'|>\[{]""",
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
MAKE = _syntax(
    "make",
    _ESCAPE,
    token(r"(?<![^\n])\t", _recipe, "\t"),
    token("#", continued_line_comment),
    spans=r"^\t|\\\r?\n",
)
CMAKE = _syntax(
    "cmake",
    token(r"#\[=*\[", dynamic(_lua_close, comment=True)),
    _HASH,
    token(r"\[=*\[", dynamic(_lua_close)),
    _DQ_MULTI,
    spans=r'\[=*\[|"',
)

_C_SPANS = rf"/\*|{_CONTINUED}"
# In C and C++ a backslash at the end of a `//` comment's line continues the comment.
_SLASHES_CONTINUED = token("//", continued_line_comment)
C = _syntax("c", _SLASHES_CONTINUED, _C_BLOCK, _DQ, _CHAR, spans=_C_SPANS)
CPP = _syntax(
    "cpp",
    _SLASHES_CONTINUED,
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
GROOVY = _syntax(
    "groovy",
    _SLASHES,
    _C_BLOCK,
    token('"""', triple('"')),
    token("'''", triple("'")),
    _DQ,
    _SQ,
    spans=rf"{_C_SPANS}|{_TRIPLES}",
)
_JS_TOKENS = (_SLASHES, _C_BLOCK, _DQ, _SQ, token("/", _js_slash))
# JavaScript with JSX (.js, .jsx, .tsx); TypeScript's `<T>x` is a type assertion, no tag.
JAVASCRIPT: Syntax = _syntax(
    "javascript",
    *_JS_TOKENS,
    token("`", interpolated("`", r"\$\{", lambda: JAVASCRIPT)),
    token(r"<(?=[A-Za-z>])", _jsx),
    spans=rf"{_C_SPANS}|`|<(?=[A-Za-z>])",
)
TYPESCRIPT: Syntax = _syntax(
    "typescript",
    *_JS_TOKENS,
    token("`", interpolated("`", r"\$\{", lambda: TYPESCRIPT)),
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
PHP_CODE: Syntax = _syntax(
    "php-code",
    token(r"#(?!\[)", _php_line_comment),
    token("//", _php_line_comment),
    _C_BLOCK,
    token(r"<<<" + _HEREDOC_WORD, heredoc(lambda: PHP_CODE)),
    _DQ_MULTI,
    _SQ_MULTI,
    token(r"\?>", close),
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
# A PHP file is HTML outside its `<?php … ?>` blocks.
PHP: Syntax = _syntax(
    "php",
    token(r"<\?(?:php\b|=|(?=\s))", _php_code),
    *HTML.tokens,
    spans=rf"<\?|{HTML.spans_lines}",
)
MARKDOWN = _syntax(
    "markdown",
    token("<!--", block_comment("-->")),
    token("`+", _markdown_backticks),
    token("~{3,}", at_line_start(_markdown_fence)),
    token(r"\n[ \t]*\n(?: {4}|\t)", _indented_code, "\n"),
    spans=r"<!--|`|~~~|\n[ \t]*\n(?: {4}|\t)",
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
    (SHELL, "sh bash zsh ksh bats"),
    (FISH, "fish"),
    (RUBY, "rb rake gemspec ru"),
    (PERL, "pl pm t psgi perl pod plx"),
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
    (JAVA, "java proto"),
    (GROOVY, "groovy gradle gvy"),
    (JAVASCRIPT, "js jsx mjs cjs tsx"),
    (TYPESCRIPT, "ts mts cts"),
    (GO, "go"),
    (RUST, "rs"),
    (SWIFT, "swift"),
    (KOTLIN, "kt kts scala sc sbt"),
    (DART, "dart"),
    (PHP, "php phtml ctp"),
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
    "Makefile.am": MAKE,
    "Makefile.in": MAKE,
    "Jenkinsfile": GROOVY,
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

# Extensions whose language only the `#!` line names (a CGI script may be Perl or shell).
BY_SHEBANG = frozenset(["cgi", "fcgi"])
_SHEBANG = re.compile(
    rb"#![^\n]*?\b(python|sh|bash|zsh|ksh|dash|fish|ruby|perl|php|node|Rscript|pwsh)\d*\b"
)
_BY_INTERPRETER = {
    b"python": PYTHON,
    b"sh": SHELL,
    b"bash": SHELL,
    b"zsh": SHELL,
    b"ksh": SHELL,
    b"dash": SHELL,
    b"fish": FISH,
    b"ruby": RUBY,
    b"perl": PERL,
    b"php": PHP,
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
    if dot and extension.lower() not in BY_SHEBANG:  # `.gitignore` too: its name
        return _BY_EXTENSION.get(extension.lower())
    if head.startswith(b"#!"):
        match = _SHEBANG.match(head[: head.find(b"\n") if b"\n" in head else 200])
        if match:
            return _BY_INTERPRETER[match.group(1)]
    return None


# -- TODOs -----------------------------------------------------------------------------------


# -- which files can hold a tag comment at all ------------------------------------------------

# Each family's comment openers: (on the tag's own line, anywhere before it). A tag can only
# be inside a comment when a line comment opens before it on its line, or a comment that
# can span lines (or a backslash that continues a line comment) opens anywhere before it.
_OPENERS: dict[str, tuple[str, str]] = {
    "python": ("#", ""),
    "shell": ("#", ""),
    "fish": ("#", ""),
    "ruby": ("#", r"^=begin"),
    "perl": ("#", ""),
    "r": ("#", ""),
    "powershell": ("#", "<#"),
    "yaml": ("#", ""),
    "toml": ("#", ""),
    "ini": ("[#;]", ""),
    "hash-lines": ("#", ""),
    "make": ("#", r"\\\r?\n"),
    "cmake": ("#", r"#\[=*\["),
    "c": ("//", r"/\*|\\\r?\n"),
    "cpp": ("//", r"/\*|\\\r?\n"),
    "csharp": ("//", r"/\*"),
    "java": ("//", r"/\*"),
    "groovy": ("//", r"/\*"),
    "javascript": ("//", r"/\*"),
    "typescript": ("//", r"/\*"),
    "go": ("//", r"/\*"),
    "rust": ("//", r"/\*"),
    "swift": ("//", r"/\*"),
    "kotlin": ("//", r"/\*"),
    "dart": ("//", r"/\*"),
    "php-code": ("#|//", r"/\*"),
    "php": ("#|//", r"/\*|<!--|(?i:<script|<style)"),
    "css": ("", r"/\*"),
    "scss": ("//", r"/\*"),
    "sql": ("--", r"/\*"),
    "lua": ("--", r"--\[=*\["),
    "haskell": ("--", r"\{-"),
    "html": ("", r"<!--|(?i:<script|<style)"),
    "markdown": ("", "<!--"),
    "lisp": (";", r"#\|"),
}


@lru_cache(maxsize=64)
def _openers(name: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None:
    if name not in _OPENERS:
        return None
    line, block = _OPENERS[name]
    return (re.compile(line) if line else None), (re.compile(block, re.M) if block else None)


def may_hold_comments(syntax: Syntax, text: str, tags: Sequence[int]) -> bool:
    """False when no tag at `tags` (sorted offsets) can be inside a comment, so the file
    needs no lexing: a file whose tags are all in strings, with no comment before them,
    costs a search. A cheap, exact bound: True does not say a tag is in a comment."""
    openers = _openers(syntax.name)
    if openers is None:
        return True
    line, block = openers
    if block is not None and block.search(text, 0, tags[-1]):
        return True
    if line is None:
        return False
    line_start, previous = 0, 0
    for tag in tags:
        # Only the stretch since the previous tag is new: a long line costs its length.
        newline = text.rfind("\n", previous, tag)
        if newline >= 0:
            line_start = newline + 1
        if line.search(text, max(line_start, previous), tag):
            return True
        previous = tag
    return False
