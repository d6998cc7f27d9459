"""Platform clients from settings: the composition root's part of platform sync.

Only platforms whose credentials are configured get a `Connection`; the others are listed with
the settings they miss, which `sync` in the terminal and `/influencer sync status` repeat. Keys
and tokens are read from their SecretStr here and handed to the clients, never logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ..storage.sync.configured import Connection, SyncPlatforms
from ..storage.sync.fetched import PlatformClient
from ..storage.sync.http import HttpPolicy, make_client
from ..storage.sync.instagram import InstagramClient
from ..storage.sync.quota import QuotaLedger
from ..storage.sync.tiktok import IMPORT_ONLY_NOTE, TikTokClient
from ..storage.sync.youtube import YouTubeCache, YouTubeClient
from ..storage.sync.youtube_feed import open_feed
from .settings import Settings


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _opener(url: str, policy: HttpPolicy,
            build: Callable[[httpx.Client], PlatformClient]) -> Callable[[], AbstractContextManager[PlatformClient]]:
    """Opens a client for one run over its own connection pool, closed when the run ends."""
    @contextmanager
    def open_client() -> Iterator[PlatformClient]:
        with make_client(url, policy) as http:
            yield build(http)
    return open_client


def _missing(settings: Settings, *names: str) -> list[str]:
    return [name.upper() for name in names if not getattr(settings, name)]


def build_sync_platforms(settings: Settings, sessions: sessionmaker[Session], *,
                         clock: Callable[[], datetime] = _utcnow, policy: HttpPolicy | None = None) -> SyncPlatforms:
    policy = policy or HttpPolicy(timeout_s=settings.sync_timeout_s, max_attempts=settings.sync_max_attempts)
    connections: dict[str, Connection] = {}
    unconfigured: dict[str, str] = {}

    if settings.youtube_api_key:
        key = settings.youtube_api_key.get_secret_value()
        ledger = QuotaLedger(sessions, "youtube", key, settings.youtube_daily_quota, clock=clock)
        cache = YouTubeCache()  # lives as long as the process: ETags and upload lists save calls run after run

        @contextmanager
        def open_youtube() -> Iterator[PlatformClient]:
            # Two pools: the API's carries the key, the public feed's (upload ids, no quota) must not.
            with make_client(settings.youtube_api_url, policy) as http, \
                    open_feed(settings.youtube_feed_url, policy) as feed:
                yield YouTubeClient(key, http, ledger, cache=cache, feed=feed)

        connections["youtube"] = Connection(open_youtube, ledger.units_left)
    else:
        unconfigured["youtube"] = "not configured: set YOUTUBE_API_KEY (an API key with the YouTube Data API v3 enabled)."

    missing = _missing(settings, "instagram_access_token", "instagram_user_id")
    if not missing:
        token = settings.instagram_access_token.get_secret_value()  # type: ignore[union-attr]
        user_id = settings.instagram_user_id or ""
        connections["instagram"] = Connection(
            _opener(settings.instagram_api_url, policy, lambda http: InstagramClient(token, user_id, http)))
    else:
        unconfigured["instagram"] = (f"not configured: set {' and '.join(missing)} (your business account's "
                                     "token and Instagram user id, for business_discovery).")

    missing = _missing(settings, "tiktok_client_key", "tiktok_client_secret")
    if not missing:
        client_key = settings.tiktok_client_key.get_secret_value()  # type: ignore[union-attr]
        secret = settings.tiktok_client_secret.get_secret_value()  # type: ignore[union-attr]
        connections["tiktok"] = Connection(
            _opener(settings.tiktok_api_url, policy, lambda http: TikTokClient(client_key, secret, http)))
    else:
        unset = f" Missing: {missing[0]}." if len(missing) == 1 else ""  # the note names both
        unconfigured["tiktok"] = f"import-only. {IMPORT_ONLY_NOTE}{unset}"
    return SyncPlatforms(connections, unconfigured)
