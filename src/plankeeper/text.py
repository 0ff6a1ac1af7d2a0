"""Repository text made safe to show: decoded, paths displayable, one line, no CI commands."""

from __future__ import annotations

import re

# What may end a line (str.splitlines, a terminal, GitHub's runner) or drive a terminal:
# C0 controls but the tab, DEL, C1 controls, the Unicode line and paragraph separators,
# and the bidirectional overrides and isolates that reorder what a reader sees.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
# The same without CR and LF, for a format that escapes line breaks losslessly itself.
_UNSAFE_BUT_BREAKS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (a BOM dropped), UTF-16 with a BOM; bad bytes become U+FFFD."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def display_path(path: str) -> str:
    """A path as it may be printed: undecodable bytes shown as U+FFFD, never a surrogate."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def one_line(text: str) -> str:
    """Repository text (file names, tagged comments) on one line, inert in a terminal:
    breaks shown as `\\n` and `\\r`, other controls and bidi overrides as `\\x1b`, `\\u202e`."""
    return _UNSAFE.sub(_escape, display_path(text))


def terminal_safe(text: str) -> str:
    """Repository text with controls and bidi overrides escaped, CR and LF kept (for the
    github format, whose own escaping carries line breaks to the runner and back)."""
    return _UNSAFE_BUT_BREAKS.sub(_escape, display_path(text))


def is_inert(text: str) -> bool:
    """Whether `text` holds nothing that one_line escapes (a line break, a control)."""
    return _UNSAFE.search(text) is None


def flat(text: str) -> str:
    """Repository text as part of one Markdown line (a task `todos --fix` appends): every
    line break and control character a space, so that it reads as the words it holds."""
    return _UNSAFE.sub(" ", display_path(text))


def inert_json(serialized: str) -> str:
    """JSON text with no raw `##[` (GitHub's runner reads its old commands anywhere in a
    log line): its `#` written `\\u0023`, the same data once decoded; C1 controls, line
    separators and bidi overrides written as `\\u` escapes too. `#` and those occur in
    JSON only inside strings, where such an escape is always valid."""
    # json.dumps escapes C0 controls itself: a raw one is the layout's own line break.
    escaped = _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", serialized)
    return escaped.replace("##[", "#\\u0023[")


def clean(text: str) -> str:
    """Repository text made safe for one output line: control characters escaped."""
    return one_line(text)


def break_commands(line: str) -> str:
    """Break every `##[`: GitHub's runner finds its old command syntax anywhere in a line.

    The zero-width space keeps the text readable; one pass suffices, as the inserted
    character sits right before each `[`.
    """
    return line.replace("##[", "##\u200b[")


def safe_lines(text: str) -> str:
    """Lines that may start with repository text (a path, a task), made inert for GitHub.

    A carriage return is shown as `\\r`; a line that starts with `::` gets `./` in front
    (such a line starts with a path, and `./path` names the same file); every `##[` is
    broken up.
    """
    # A carriage return ends a line for the runner too (.NET's ReadLine). Other controls
    # are escaped where repository text enters a line (one_line, clean): colours stay.
    lines = text.replace("\r", "\\r").split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith("::"):
            lines[index] = f"./{line}"
    return break_commands("\n".join(lines))
