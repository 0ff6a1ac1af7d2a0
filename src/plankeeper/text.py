"""Repository text made safe to show: decoded, paths displayable, one line, no CI commands."""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls: repository text must never drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (a BOM dropped), UTF-16 with a BOM; bad bytes become U+FFFD."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def display_path(path: str) -> str:
    """A path as it may be printed: undecodable bytes shown as U+FFFD, never a surrogate."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def one_line(text: str) -> str:
    """Repository text (file names, tagged comments) on one line: breaks shown as `\\n`."""
    return display_path(text).replace("\r", "\\r").replace("\n", "\\n")


def clean(text: str) -> str:
    """Repository text made safe for one output line: control characters as U+FFFD."""
    return _CONTROL.sub("\ufffd", display_path(text))


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
    # A carriage return ends a line for the runner too (.NET's ReadLine).
    lines = text.replace("\r", "\\r").split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith("::"):
            lines[index] = f"./{line}"
    return break_commands("\n".join(lines))
