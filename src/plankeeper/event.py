"""The GitHub event change set (`--base auto`) and the skip label; built with the integrations."""

from __future__ import annotations

from collections.abc import Mapping

from plankeeper.errors import PlankeeperError
from plankeeper.git import ChangeSet, Repository
from plankeeper.skips import Skip


def change_set(repo: Repository, environ: Mapping[str, str], head: str | None = None) -> ChangeSet:
    raise PlankeeperError("--base auto: GitHub events are not supported yet")


def label_skip(environ: Mapping[str, str]) -> Skip | None:
    return None
