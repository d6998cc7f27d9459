"""The YouTube Data API v3 client of the sync: profiles and recent uploads for creators, current
numbers for campaign videos, at the fewest quota units the API allows.

Per 50 creators: one `channels.list` by `id` (50 ids a call; a creator known only by @handle
costs one `forHandle` call, the API takes one handle per call), each channel's latest upload ids
from its public Atom feed (`feed`, youtube_feed.py: no key, no quota units), and one `videos.list`
per 50 videos for their numbers. A channel whose feed fails (404, 5xx after retries, unreadable,
or fewer entries than wanted while the channel has more videos) has its uploads listed with
`playlistItems.list` instead, one unit: a failing feed never leaves a creator without videos.
Without a `feed`, every channel is listed that way. Every API call spends its units from the
quota ledger first (Google's costs: 1 unit each; search.list, at 100, is never used). Calls run
on a small thread pool (`workers`, default 4).

The API key travels in the `X-Goog-Api-Key` header, never in a URL, so no log line carries it;
the feed's own client sends no key at all.

Caching (`YouTubeCache`, in memory, bounded, optional; share one instance between runs of a
long-lived process to benefit): the ETag and parsed channels of each `channels.list` call, sent
back as `If-None-Match` (a 304 saves transfer and parsing, but Google charges every request, so
it still spends its unit), and each channel's video count with its latest upload ids: while the
count is unchanged the uploads are not listed again (a feed call saved, or one unit where the
feed failed), and a cached video that has vanished drops the channel's entry so the next run
lists it afresh.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any, TypeVar

import httpx

from ...influence.handles import CHANNEL_ID
from .answers import json_body
from .fetched import (AuthRefused, CreatorRef, FetchedPost, FetchedProfile, Missing, PostRef, QuotaExhausted,
                      QuotaGate)
from .quota import YOUTUBE_COSTS
from .youtube_feed import FeedUnavailable, YouTubeFeed
from .youtube_items import KEY_REASONS, QUOTA_REASONS, Channel, error_reason, read_channel, read_video

BATCH = 50
CHANNEL_PARTS = "snippet,statistics,topicDetails,contentDetails"
VIDEO_PARTS = "snippet,statistics"
T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


class CallFailed(Exception):
    """One call failed for good (retries spent, or an unexpected answer): its creators get a
    Missing("error"), the rest of the batch goes on."""


class NotFound(Exception):
    pass


class Lru(OrderedDict):
    """A dict that forgets its least recently stored entries beyond `size`; the pool's threads share it."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._lock = threading.Lock()

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self[key] = value
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)


class YouTubeCache:
    """ETags with the parsed channels of recent `channels.list` calls, and each channel's video
    count with its latest upload ids. About 1 KB a channel: the defaults stay under ~40 MB."""

    def __init__(self, max_lookups: int = 500, max_channels: int = 25_000) -> None:
        self.lookups: Lru = Lru(max_lookups)  # request params -> (etag, [Channel])
        self.uploads: Lru = Lru(max_channels)  # channel id -> (videoCount, upload ids)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def channel_id_of(ref: CreatorRef) -> str | None:
    for value in (ref.platform_id, ref.handle):
        if value and CHANNEL_ID.match(value):
            return value
    return None


class YouTubeClient:
    platform = "youtube"

    def __init__(self, api_key: str, http: httpx.Client, quota: QuotaGate, recent_videos: int = 12, *,
                 workers: int = 4, cache: YouTubeCache | None = None, feed: YouTubeFeed | None = None) -> None:
        if not 0 <= recent_videos <= BATCH:
            raise ValueError(f"recent_videos must be between 0 and {BATCH}")
        self._headers = {"X-Goog-Api-Key": api_key}
        self.http = http
        self.quota = quota
        self.recent_videos = recent_videos
        self.workers = max(1, workers)
        self.cache = cache if cache is not None else YouTubeCache()
        self.feed = feed
        self.feed_fallbacks = 0  # channels listed through playlistItems.list because their feed failed
        self._fallback_lock = threading.Lock()

    # -- PlatformClient ---------------------------------------------------------------------
    def fetch_profiles(self, refs: Iterable[CreatorRef]) -> Iterator[tuple[CreatorRef, FetchedProfile | Missing]]:
        with ThreadPoolExecutor(self.workers, thread_name_prefix="youtube") as pool:
            for chunk in chunks(refs, BATCH):
                yield from self._profiles(chunk, pool)

    def fetch_posts(self, refs: Iterable[PostRef]) -> Iterator[tuple[PostRef, FetchedPost | Missing]]:
        with ThreadPoolExecutor(self.workers, thread_name_prefix="youtube") as pool:
            for chunk in chunks(refs, BATCH * self.workers):
                ids = list(dict.fromkeys(r.external_id for r in chunk))
                found = self._videos(ids, pool)
                for ref in chunk:
                    yield ref, found.get(ref.external_id) or Missing(
                        "deleted", f"YouTube has no public video {ref.external_id} any more (deleted or made private).")

    # -- one chunk of creators ----------------------------------------------------------------
    def _profiles(self, refs: list[CreatorRef], pool: ThreadPoolExecutor
                  ) -> Iterator[tuple[CreatorRef, FetchedProfile | Missing]]:
        channels: dict[int, Channel | Missing] = {}
        by_id = {i: cid for i, ref in enumerate(refs) if (cid := channel_id_of(ref))}
        if by_id:
            try:
                listed = {c.id: c for c in self._channels({"id": ",".join(dict.fromkeys(by_id.values()))})}
                for i, cid in by_id.items():
                    channels[i] = listed.get(cid) or Missing("not_found", f"YouTube has no channel {cid}.")
            except CallFailed as exc:
                channels.update({i: Missing("error", str(exc)) for i in by_id})
        by_handle = [i for i in range(len(refs)) if i not in by_id]
        for i, got in zip(by_handle, pool.map(lambda i: self._by_handle(refs[i].handle), by_handle)):
            channels[i] = got
        found = [c for c in channels.values() if isinstance(c, Channel)]
        uploads = dict(zip((c.id for c in found), pool.map(self._uploads, found)))
        videos = self._videos([v for ids in uploads.values() if not isinstance(ids, Missing) for v in ids], pool)
        for i, ref in enumerate(refs):
            channel = channels[i]
            if isinstance(channel, Missing):
                yield ref, channel
                continue
            # A creator whose uploads could not be read gets no numbers rather than a profile
            # without posts, which would read as an inactive creator.
            ids = uploads[channel.id]
            failed = ids if isinstance(ids, Missing) else next(
                (got for v in ids if isinstance(got := videos.get(v), Missing)), None)
            if failed is not None:
                yield ref, failed
                continue
            posts = tuple(got for v in ids if isinstance(got := videos.get(v), FetchedPost))
            if len(posts) < len(ids):
                self.cache.uploads.pop(channel.id, None)  # a cached upload vanished: list afresh next time
            yield ref, FetchedProfile(
                handle=channel.handle or ref.handle, platform_id=channel.id, display_name=channel.title,
                followers=channel.subscribers, posts_total=channel.videos, bio=channel.description,
                country=channel.country, topics=channel.topics, recent_posts=posts)

    def _by_handle(self, handle: str) -> Channel | Missing:
        name = "@" + handle.strip().lstrip("@")
        try:
            found = self._channels({"forHandle": name})
        except CallFailed as exc:
            return Missing("error", str(exc))
        return found[0] if found else Missing("not_found", f"YouTube has no channel {name}.")

    def _channels(self, params: dict[str, str]) -> list[Channel]:
        key = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        cached = self.cache.lookups.get(key)
        body = self._get("channels", {"part": CHANNEL_PARTS, **params},
                         etag=cached[0] if cached else None)
        if body is None and cached:  # 304: nothing changed since the cached answer
            self.cache.lookups.put(key, cached)
            return cached[1]
        channels = [read_channel(item) for item in (body or {}).get("items") or ()]
        if body and body.get("etag"):
            self.cache.lookups.put(key, (body["etag"], channels))
        return channels

    def _uploads(self, channel: Channel) -> tuple[str, ...] | Missing:
        """The ids of the channel's latest uploads, newest first (empty when it has none)."""
        if not self.recent_videos or channel.videos == 0:
            return ()
        cached = self.cache.uploads.get(channel.id)
        if cached and channel.videos is not None and cached[0] == channel.videos:
            return cached[1]
        ids = self._from_feed(channel)
        if ids is None:
            ids = self._from_playlist(channel)
            if isinstance(ids, Missing):
                return ids
        if channel.videos is not None:
            self.cache.uploads.put(channel.id, (channel.videos, ids))
        return ids

    def _from_feed(self, channel: Channel) -> tuple[str, ...] | None:
        """The upload ids from the channel's feed, or None when the API must list them."""
        if self.feed is None:
            return None
        try:
            entries = self.feed.latest(channel.id)
            # The feed carries ~15 entries: fewer than wanted is enough only if that is all there is.
            if len(entries) < self.recent_videos and (channel.videos is None or len(entries) < channel.videos):
                raise FeedUnavailable(f"listed {len(entries)} of the channel's {channel.videos} videos")
        except FeedUnavailable as exc:
            with self._fallback_lock:
                self.feed_fallbacks += 1
                first = self.feed_fallbacks == 1
            (log.warning if first else log.debug)(
                "YouTube feed of %s %s; listing its uploads with playlistItems.list (1 unit).", channel.id, exc)
            return None
        return tuple(e.video_id for e in entries[:self.recent_videos])

    def _from_playlist(self, channel: Channel) -> tuple[str, ...] | Missing:
        if not channel.uploads:
            return ()
        try:
            body = self._get("playlistItems", {"part": "contentDetails", "playlistId": channel.uploads,
                                               "maxResults": str(self.recent_videos)})
        except NotFound:  # YouTube answers 404 playlistNotFound for a channel without uploads
            return ()
        except CallFailed as exc:
            return Missing("error", str(exc))
        return tuple(item["contentDetails"]["videoId"] for item in (body or {}).get("items") or ()
                     if (item.get("contentDetails") or {}).get("videoId"))

    def _videos(self, ids: Sequence[str], pool: ThreadPoolExecutor) -> dict[str, FetchedPost | Missing]:
        """Current numbers of these videos, 50 a call. Absent ids are deleted or private; the ids
        of a call that failed map to Missing("error"), never to "deleted"."""
        def batch(part: list[str]) -> dict[str, FetchedPost | Missing]:
            try:
                body = self._get("videos", {"part": VIDEO_PARTS, "id": ",".join(part)})
            except (NotFound, CallFailed) as exc:
                return dict.fromkeys(part, Missing("error", str(exc) or "YouTube answered 404 to videos.list."))
            return {item["id"]: read_video(item) for item in (body or {}).get("items") or ()}
        found: dict[str, FetchedPost | Missing] = {}
        for part in pool.map(batch, chunks(dict.fromkeys(ids), BATCH)):
            found.update(part)
        return found

    # -- one call -----------------------------------------------------------------------------
    def _get(self, method: str, params: dict[str, str], etag: str | None = None) -> dict[str, Any] | None:
        """The JSON answer of `method`, or None for 304 Not Modified. Spends the quota first."""
        self.quota.spend(YOUTUBE_COSTS[f"{method}.list"])
        headers = dict(self._headers, **({"If-None-Match": etag} if etag else {}))
        try:
            response = self.http.get(method, params=params, headers=headers)
        except httpx.HTTPError as exc:  # timeouts and dropped connections, after the retries
            raise CallFailed(f"YouTube did not answer {method}.list ({type(exc).__name__}).") from None
        if response.status_code == 304 and etag:
            return None
        body = json_body(response)
        if response.status_code == 200 and isinstance(body, dict):
            return body
        reason = error_reason(body)
        if reason in QUOTA_REASONS:
            exhaust: Callable[[], QuotaExhausted] | None = getattr(self.quota, "exhaust", None)
            raise exhaust() if exhaust else QuotaExhausted("YouTube's daily quota is used up; sync resumes "
                                                           "after midnight Pacific time.")
        if reason in KEY_REASONS and response.status_code in (400, 401, 403):
            raise AuthRefused(f"YouTube refused the API key ({reason}): check YOUTUBE_API_KEY and that the "
                              "YouTube Data API v3 is enabled for its Google Cloud project.")
        if response.status_code == 404:
            raise NotFound(reason)
        raise CallFailed(f"YouTube answered {method}.list with {response.status_code} {reason}".rstrip() + ".")

