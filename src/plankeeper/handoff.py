"""Handoff notes: the paths they mention, their changed-files lists and their handoff base.

Block structure comes from marko (markdown.py): headings, list items, paragraphs, block
quotes, link reference definitions; fenced and indented code and HTML blocks are never
read. YAML front matter is read first and blanked, so marko sees no setext heading in it.
Within each block, a linear scanner reads code spans, link targets and words line by
line: marko's inline parser would double the time of notes that list 10,000 files.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from plankeeper.errors import PlankeeperError
from plankeeper.globs import Glob, literal_folder
from plankeeper.plans.markdown import normalize_newlines

if TYPE_CHECKING:
    from plankeeper.plans.markdown import Lines

Kind = Literal["code", "link", "text"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A path the notes name in a code span, a link or (with a `/`) plain text."""

    path: str  # repo-relative and normalized; a folder without its trailing `/`
    line: int
    kind: Kind
    is_folder: bool
    is_glob: bool
    # Under a changed-files heading, in a list item or a table row.
    listed: bool
    # A link target read relative to the notes' folder, when that differs from `path`.
    relative: str | None = None

    @property
    def candidates(self) -> tuple[str, ...]:
        return (self.path,) if self.relative is None else (self.path, self.relative)

    @property
    def has_extension(self) -> bool:
        return _EXTENSION.search(self.path) is not None

    def counts_as_path(self) -> bool:
        """Whether the mention may name a file: plain text has a `/`, code spans and links
        hold no whitespace. URLs and absolute paths never become mentions.

        Whether it can be dangling is `is_plainly_path`'s question (SPEC "Handoff paths").
        """
        return self.kind == "text" or not _SPACE.search(self.path)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int
    end: int  # the last line of its section: before the next heading of the same or higher level
    is_changed_files: bool


@dataclass(slots=True)
class Notes:
    """What handoff-matches and `plankeeper handoff` need to know about one notes file."""

    path: str
    base: str | None
    mentions: list[Mention]
    # Every normalized mention and plain-text word, for "is this file mentioned".
    names: set[str]
    headings: list[Heading]
    line_count: int
    front_matter_lines: int = 0
    # Lines that belong to a list item (its first line or a continuation).
    list_lines: set[int] = field(default_factory=set)

    def changed_files_headings(self) -> list[Heading]:
        return [heading for heading in self.headings if heading.is_changed_files]


# -- words and paths ---------------------------------------------------------------------

_EXTENSION = re.compile(r"[^/.]\.[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*\Z")
_LINE_SUFFIX = re.compile(r":\d+(?:[-:]\d+)?\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CHANGED_WORDS = frozenset({"changed", "modified", "touched"})
_FILE_WORDS = frozenset({"file", "files"})
_WORD = re.compile(r"[a-z]+")
# Quotes and brackets around a word, typographic ones included (written as escapes).
_OPENERS = "([{<\"'`\u201c\u2018\u00ab"
_CLOSERS = ")]}>\"'`\u201d\u2019\u00bb.,;:!?\u2026"
_EMPHASIS = "*_~"
_LEADING = frozenset(_OPENERS + _EMPHASIS)
_TRAILING = frozenset(_CLOSERS + _EMPHASIS)
_SPACE = re.compile(r"\s")


# `example.com`, `api.github.com`: a first segment that reads as a host name.
_HOST = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\Z")
# `11-090/200`, `2026/04`: numbers, dates and ratios.
_NUMBER = re.compile(r"[\d.,:-]+\Z")
# Placeholders (`packages/<name>`, `{a,b}.cc`, `linux-$arch`), markup, assignments
# (`offset=0/`), code (`File::Read/Write`) and elisions (`src/.../x.kt`).
_NOT_PLAIN = re.compile(r"[<>{}$=\"]|::|\u2026|(?:\A|/)\.\.\.(?:/|\Z)")
# `origin/main`: a branch of a remote, not a folder.
_REMOTES = frozenset({"origin", "upstream"})


def is_plainly_path(mention: Mention) -> bool:
    """A mention with a `/` that is no host name, e-mail, number, placeholder or branch.

    Only such a mention can be dangling (PK303); a bare name is a path only when it names
    a file of the old or new state. A folder that is there is found before this question
    is asked, so a missing `socket.io/x` may be taken for a host's page.
    """
    path = mention.path
    if not (mention.is_folder or "/" in path) or "@" in path or _NOT_PLAIN.search(path):
        return False
    segments = path.split("/")
    first = segments[0]
    if _HOST.match(first) or _NUMBER.match(first):
        return False
    if first in _REMOTES and not mention.has_extension:
        return False
    # `↑/k`: every part of a path has a letter or a digit, or is a wildcard.
    return all(any(char.isalnum() or char in "*?" for char in part) for part in segments)


def is_changed_files_heading(text: str) -> bool:
    """A heading that pairs "changed", "modified" or "touched" with "file(s)"."""
    words = set(_WORD.findall(text.lower()))
    return bool(words & _CHANGED_WORDS) and bool(words & _FILE_WORDS)


def clean_word(word: str) -> str:
    """A plain-text word without the punctuation and emphasis around it."""
    if not word or (word[0] not in _LEADING and word[-1] not in _TRAILING):
        return word
    # A few rounds clean any real word; the bound keeps a hostile one from being quadratic.
    for _ in range(8):
        before = word
        word = word.lstrip(_OPENERS).rstrip(_CLOSERS)
        for mark in _EMPHASIS:
            if len(word) > 1 and word[0] == mark and word[-1] == mark:
                lead = len(word) - len(word.lstrip(mark))
                trail = len(word) - len(word.rstrip(mark))
                count = min(lead, trail)
                word = word[count:-count] if count * 2 < len(word) else ""
        if word == before:
            break
    return word


def normalize_path(text: str, kind: Kind) -> tuple[str, bool] | None:
    """The repo-relative path a mention names and whether it is a folder; None if it is none.

    URLs, absolute paths and paths that leave the repository are never paths.
    """
    target = _target(text, kind)
    return None if target is None else _resolve(target)


def _target(text: str, kind: Kind) -> str | None:
    """A mention as a relative path (`@`, `:12`, anchors dropped); None for a URL or `/abs`."""
    text = text.strip()
    if kind != "code" and "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if kind == "link":
        text = text.split("#", 1)[0].split("?", 1)[0]
        if "%" in text:
            from urllib.parse import unquote

            text = unquote(text)
    if text.startswith("@"):
        text = text[1:]
    if ":" in text:
        text = _LINE_SUFFIX.sub("", text)
        # `https:`, `mailto:`, and `C:` of a Windows path.
        if _SCHEME.match(text):
            return None
    if not text or text.startswith(("/", "~", "\\", "www.")):
        return None
    return text


def _resolve(text: str) -> tuple[str, bool] | None:
    """The normalized path and whether it names a folder; None when it leaves the repository."""
    is_folder = text.endswith("/")
    if is_folder or "//" in text or text.startswith(".") or "/." in text:
        text = posixpath.normpath(text)
        if text in (".", "..") or text.startswith("../"):
            return None
    return text, is_folder


def _is_glob(path: str) -> bool:
    return "*" in path or "?" in path


# -- inline scanning ---------------------------------------------------------------------

_TICKS = re.compile(r"`+")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>")
# `<target>`, or a target without spaces whose parentheses nest one level (CommonMark).
_LINK_TARGET = re.compile(r"[ \t]*(?:<([^>\n]*)>|([^\s()]*(?:\([^\s()]*\)[^\s()]*)*))")


def _code_spans(line: str) -> tuple[list[str], str]:
    """The code spans of a line and the line with them blanked out.

    A run of n backticks opens a span that the next run of exactly n closes (CommonMark);
    runs are grouped by length so that finding each closer is a step forward, never a
    rescan. An escaped backtick (`\\``) opens nothing.
    """
    if "`" not in line:
        return [], line
    runs = [
        (match.start(), match.end())
        for match in _TICKS.finditer(line)
        if not (match.start() and line[match.start() - 1] == "\\")
    ]
    by_length: dict[int, list[int]] = {}
    position: list[int] = []
    for index, (start, end) in enumerate(runs):
        group = by_length.setdefault(end - start, [])
        position.append(len(group))
        group.append(index)
    spans: list[str] = []
    pieces: list[str] = []
    last = 0
    index = 0
    while index < len(runs):
        start, end = runs[index]
        group = by_length[end - start]
        following = position[index] + 1
        if following >= len(group):
            index += 1
            continue
        closer = group[following]
        content = line[end : runs[closer][0]]
        # One space on each side is padding when both are there (CommonMark).
        if len(content) > 2 and content[0] == " " and content[-1] == " " and content.strip():
            content = content[1:-1]
        spans.append(content)
        pieces.append(line[last:start])
        last = runs[closer][1]
        index = closer + 1
    pieces.append(line[last:])
    return spans, " ".join(pieces)


def _link_targets(text: str) -> tuple[list[str], str]:
    """Inline link and image targets (`](target "title")`) and the text without them."""
    if "](" not in text:
        return [], text
    targets: list[str] = []
    pieces: list[str] = []
    last = 0
    while True:
        found = text.find("](", last)
        if found < 0:
            break
        match = _LINK_TARGET.match(text, found + 2)
        assert match is not None  # every part of the pattern may be empty
        target = match.group(1) if match.group(1) is not None else match.group(2)
        # The title and the closing parenthesis are no text either.
        close = text.find(")", match.end())
        end = len(text) if close < 0 else close + 1
        targets.append(target)
        pieces.append(text[last : found + 1])
        last = end
    pieces.append(text[last:])
    return targets, " ".join(pieces)


def _without_comments(text: str) -> tuple[str, bool]:
    """The text without inline HTML comments; True when a comment stays open past the line."""
    if "<!--" not in text:
        return text, False
    pieces: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            pieces.append(text[position:])
            return " ".join(pieces), False
        pieces.append(text[position:start])
        end = text.find("-->", start + 4)
        if end < 0:
            return " ".join(pieces), True
        position = end + 3


# -- block structure ---------------------------------------------------------------------

_QUOTE = re.compile(r" {0,3}> ?")
_BULLET = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|\Z)")
_DELIMITER_ROW = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\Z")


def is_list_line(line: str) -> bool:
    """A line that starts a list item (after any block-quote markers)."""
    return _BULLET.match(_strip_quotes(line)) is not None


def _strip_quotes(line: str) -> str:
    position = 0
    while True:
        match = _QUOTE.match(line, position)
        if match is None:
            return line[position:]
        position = match.end()


def _front_matter(lines: list[str], path: str = "") -> tuple[int, str | None]:
    """How many lines the YAML front matter takes, and its `base:` if any.

    Only a block between `---` lines that YAML reads as a mapping is front matter: a
    thematic break at the top of the notes is not. Anchors, aliases and deep nesting
    are an error (the notes come from a pull request: they must not exhaust memory).
    """
    if not lines or lines[0].rstrip() != "---":
        return 0, None
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            break
    else:
        return 0, None
    import yaml

    from plankeeper.config import YamlRefused, compose_yaml

    try:
        data, node = compose_yaml("\n".join(lines[1:number]))
    except YamlRefused as error:
        fix = "write each value out" if "alias" in error.message else "flatten it"
        where = f"{path or 'handoff notes'}:{error.line + 1}"
        if "alias" in error.message:
            raise PlankeeperError(f"{where}: {error.message} in the front matter: {fix}") from None
        raise PlankeeperError(f"{where}: front matter {error.message}: {fix}") from None
    except yaml.YAMLError:
        return 0, None
    if not isinstance(data, dict):
        return 0, None
    base = data.get("base")
    if isinstance(base, dict | list):
        line = next((key.start_mark.line + 2 for key, _ in node.value if key.value == "base"), 1)
        raise PlankeeperError(
            f"{path or 'handoff notes'}:{line}: front matter key 'base' must be a commit "
            "(a sha or a ref), not a mapping or a list"
        )
    # `base: 1234567` reads as a number; a quoted sha stays as written.
    return number + 1, None if base is None or isinstance(base, bool) else str(base)


class _Collector:
    """Turns the code spans, link targets and words of each line into mentions."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.mentions: list[Mention] = []
        self.names: set[str] = set()

    def link(self, target: str, number: int, *, listed: bool) -> None:
        self._add(target, "link", number, listed)

    def line(self, text: str, number: int, *, listed: bool) -> None:
        spans, text = _code_spans(text)
        for span in spans:
            self._add(span, "code", number, listed)
        targets, text = _link_targets(text)
        for target in targets:
            self._add(target, "link", number, listed)
        if "<" in text:
            text = _TAG.sub(" ", text)
        for raw in text.split():
            word = clean_word(_ESCAPE.sub(r"\1", raw) if "\\" in raw else raw)
            if not word:
                continue
            if "/" in word:
                self._add(word, "text", number, listed)
            elif word[0] in "@." or ":" in word or "\\" in word:
                normalized = normalize_path(word, "text")
                if normalized is not None:
                    self.names.add(normalized[0])
            else:
                self.names.add(word)

    def _add(self, raw: str, kind: Kind, number: int, listed: bool) -> None:
        target = _target(raw, kind)
        if target is None:
            return
        normalized = _resolve(target)
        relative = None
        if kind == "link" and self.folder:
            # GitHub reads a link from the notes' folder; agents often write it from the root.
            inside = _resolve(posixpath.join(self.folder, target))
            if normalized is None:
                normalized = inside
            elif inside is not None and inside[0] != normalized[0]:
                relative = inside[0]
        if normalized is None:
            return
        path, is_folder = normalized
        self.names.add(path)
        if relative is not None:
            self.names.add(relative)
        self.mentions.append(
            Mention(path, number, kind, is_folder, _is_glob(path), listed, relative)
        )


def parse_notes(text: str, path: str = "") -> Notes:
    """Read the mentions, headings and front matter of handoff notes; linear in their size.

    Block structure comes from marko (see markdown.py); fenced and indented code and HTML
    blocks are never read. Within a paragraph, heading or link reference definition, the
    lines go through the collector's inline scan.
    """
    from plankeeper.plans.markdown import Lines, parse_blocks, walk

    normalized = normalize_newlines(text)
    lines = normalized.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    skip, base = _front_matter(lines, path)
    if skip:
        # marko knows no front matter (its closing `---` makes a setext heading): blank
        # lines in its place keep every line number.
        after = 0
        for _ in range(skip):
            after = normalized.find("\n", after) + 1 or len(normalized)
        normalized = "\n" * skip + normalized[after:]
    index = Lines(normalized)
    collector = _Collector(posixpath.dirname(path))
    headings: list[tuple[int, str, int]] = []
    list_lines: set[int] = set()
    changed_level: int | None = None

    for block in walk(parse_blocks(normalized), index):
        kind = block.kind
        if kind == "Heading" or kind == "SetextHeading":
            level = int(block.element.level)
            if changed_level is not None and level <= changed_level:
                changed_level = None
            title = " ".join(part.strip() for part in str(block.element.inline_body).split("\n"))
            if is_changed_files_heading(title):
                changed_level = level
            headings.append((level, title, block.line))
            if kind == "Heading":
                collector.line(title, block.line, listed=False)
            else:
                # The underline is the last line of the block.
                last = index.line_of(block.end - 1)
                _paragraph(collector, index, block.start, block.line, last - 1, listed=False)
        elif kind == "Paragraph":
            last = index.line_of(max(block.end - 1, block.start))
            listed = changed_level is not None
            _paragraph(
                collector,
                index,
                block.start,
                block.line,
                last,
                listed=listed,
                item=bool(block.depth),
            )
        elif kind == "ListItem":
            list_lines.update(range(block.line, index.line_of(max(block.end - 1, block.start)) + 1))
        elif kind == "LinkRefDef":
            label = str(block.element.label)
            last = index.line_of(max(block.end - 1, block.start))
            if label.startswith("^"):
                # A footnote (GFM), which CommonMark reads as a definition: its text is text.
                _paragraph(collector, index, block.start, block.line, last, listed=False)
            else:
                collector.link(str(block.element.dest).strip("<>"), block.line, listed=False)

    return Notes(
        path,
        base,
        collector.mentions,
        collector.names,
        list(_sections(headings, len(lines))),
        len(lines),
        skip,
        list_lines,
    )


def _paragraph(
    collector: _Collector,
    index: Lines,
    start: int,
    first: int,
    last: int,
    *,
    listed: bool,
    item: bool = False,
) -> None:
    """Scan the lines of one paragraph; under a changed-files heading, items and table rows
    are listed (a table is a paragraph to CommonMark: a row of pipes, then a delimiter row).
    """
    in_comment = in_table = previous_has_pipe = False
    for number in range(first, last + 1):
        line = index.line(number)
        # The first line starts after its container's markers (`> `, `- `).
        content = line[start - index.start_of(number) :] if number == first else _strip_quotes(line)
        if in_comment:
            end = content.find("-->")
            if end < 0:
                continue
            content = content[end + 3 :]
        content, in_comment = _without_comments(content)
        has_pipe = "|" in content
        if previous_has_pipe and not in_table and has_pipe and _DELIMITER_ROW.match(content):
            in_table = True
            continue
        previous_has_pipe = has_pipe
        collector.line(content, number, listed=listed and (item or in_table))


def _sections(headings: list[tuple[int, str, int]], last_line: int) -> Iterator[Heading]:
    """Each heading with the last line of its section (a stack keeps this linear)."""
    ends = [last_line] * len(headings)
    open_headings: list[int] = []
    for index, (level, _, line) in enumerate(headings):
        while open_headings and headings[open_headings[-1]][0] >= level:
            ends[open_headings.pop()] = line - 1
        open_headings.append(index)
    for index, (level, title, line) in enumerate(headings):
        yield Heading(level, title, line, ends[index], is_changed_files_heading(title))


# -- what the notes cover ----------------------------------------------------------------


class Coverage:
    """Answers "do these mentions name this file": by path, by folder or by glob.

    Globs are kept by the folder their leading literal segments name: a path is matched
    only against those under one of its folders (and those with no literal folder), so
    thousands of globs and files cost about globs plus files, not their product.
    """

    def __init__(self, mentions: Iterable[Mention], names: Iterable[str] = ()) -> None:
        self.names = set(names)
        self.folders: set[str] = set()
        self.globs: dict[str, list[Glob]] = {}
        for mention in mentions:
            self.names.update(mention.candidates)
            if mention.is_glob:
                glob = Glob(mention.path)
                bucket = self.globs.setdefault(literal_folder(glob), [])
                if glob not in bucket:
                    bucket.append(glob)
            elif mention.is_folder or "/" in mention.path:
                self.folders.update(mention.candidates)

    def covers(self, path: str) -> bool:
        if path in self.names:
            return True
        slash = path.find("/")
        while slash > 0:
            if path[:slash] in self.folders:
                return True
            slash = path.find("/", slash + 1)
        if not self.globs:
            return False
        folders = [""]
        slash = path.find("/")
        while slash > 0:
            folders.append(path[:slash])
            slash = path.find("/", slash + 1)
        return any(glob.matches(path) for folder in folders for glob in self.globs.get(folder, ()))


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of `paths`, at any depth."""
    found: set[str] = set()
    for path in paths:
        slash = path.rfind("/")
        while slash > 0:
            folder = path[:slash]
            if folder in found:
                break
            found.add(folder)
            slash = path.rfind("/", 0, slash)
    return found
