"""Errors a user can cause; the CLI turns each into one line and exit 2."""

from __future__ import annotations


class PlankeeperError(Exception):
    """Anything a user can cause: bad input, bad configuration, a git failure."""


class ConfigError(PlankeeperError):
    """A configuration file that cannot be used, with where and which key."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.key = key
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class GitError(PlankeeperError):
    """A git command failed or the repository is not usable."""
