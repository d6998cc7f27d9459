"""Which platforms this process can sync, and why the others cannot: built by bot/ from settings
(bot/sync_clients.py), handed to the sync jobs, the CLI and Slack as plain data.

storage/ and handlers/ never read settings or keys: they get a `Connection` per configured
platform, which opens a client (and its HTTP connection pool) for one run and closes it after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from ...influence.platforms import Platform
from .fetched import PlatformClient

ORDER = ("youtube", "instagram", "tiktok")
LABELS = {p: Platform(p).label for p in ORDER}  # in ORDER, for listings


@dataclass(frozen=True, slots=True)
class Connection:
    open: Callable[[], AbstractContextManager[PlatformClient]]
    quota_left: Callable[[], int] | None = None  # units left today, for platforms with a daily quota


@dataclass(frozen=True, slots=True)
class SyncPlatforms:
    connections: Mapping[str, Connection] = field(default_factory=dict)
    unconfigured: Mapping[str, str] = field(default_factory=dict)  # platform -> why, naming the settings

    def configured(self, only: str | None = None) -> list[str]:
        return [p for p in ORDER if p in self.connections and (only is None or p == only)]

    def quota_left(self, platform: str) -> int | None:
        connection = self.connections.get(platform)
        return connection.quota_left() if connection and connection.quota_left else None
