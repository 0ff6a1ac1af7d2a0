"""The record of one agent session, kept under the git folder, keyed by the hook's session_id.

It holds the HEAD the session started at (the old state of its work), the lines of context
already injected (a resume injects only what changed) and the stops already blocked (a
session is never blocked more than `agent.max_blocks` times).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

FOLDER = ("plankeeper", "agent-sessions")
# Records of sessions nobody resumed for this long are removed when a new one starts.
STALE_SECONDS = 30 * 24 * 3600
VERSION = 1


@dataclass(frozen=True)
class Session:
    """What plankeeper remembers of a session; a new session has no head and no lines."""

    session_id: str
    head: str | None = None
    injected: tuple[str, ...] = ()
    blocks: int = 0
    exists: bool = field(default=False, compare=False)

    def with_injected(self, lines: list[str]) -> Session:
        return replace(self, injected=tuple(dict.fromkeys([*self.injected, *lines])))

    def with_block(self) -> Session:
        return replace(self, blocks=self.blocks + 1)


def record_path(git_dir: Path, session_id: str) -> Path:
    """The record's file: a hash of the id, so that no id can name a path of its own."""
    digest = hashlib.sha256(session_id.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return git_dir.joinpath(*FOLDER, f"{digest}.json")


def load(git_dir: Path, session_id: str) -> Session:
    """The session's record; a missing or unreadable one is a session seen for the first time."""
    try:
        data = json.loads(record_path(git_dir, session_id).read_bytes())
    except (OSError, ValueError):
        return Session(session_id)
    if not isinstance(data, dict) or data.get("session_id") != session_id:
        return Session(session_id)
    head = data.get("head")
    injected = data.get("injected")
    blocks = data.get("blocks")
    return Session(
        session_id,
        head if isinstance(head, str) else None,
        tuple(line for line in injected if isinstance(line, str))
        if isinstance(injected, list)
        else (),
        blocks if isinstance(blocks, int) and not isinstance(blocks, bool) else 0,
        exists=True,
    )


def save(git_dir: Path, session: Session) -> None:
    """Write the record atomically: two hooks of one session never leave half a file."""
    from plankeeper.edit import atomic_write

    path = record_path(git_dir, session.session_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not session.exists:
        _prune(path.parent)
    data = {
        "version": VERSION,
        "session_id": session.session_id,
        "head": session.head,
        "injected": list(session.injected),
        "blocks": session.blocks,
    }
    atomic_write(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _prune(folder: Path) -> None:
    """Remove records of long-finished sessions; a record in use is rewritten, never old."""
    limit = time.time() - STALE_SECONDS
    with os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name.endswith(".json") and entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
