"""A local YouTube Data API v3 for tests, the benchmark and trying sync without a key.

Speaks the documented shapes of the three read methods the sync uses: `channels.list` (by `id`,
up to 50, or by `forHandle`, one), `playlistItems.list` (a channel's uploads, newest first) and
`videos.list` (by `id`, up to 50). Counts are JSON strings; a hidden subscriber count is left
out and flagged, as are hidden likes and disabled comments; subscriber counts are rounded down to
three significant figures as YouTube has done since 2019; an unknown id is simply absent from
`items`. Errors carry Google's error body: a wrong key gets 400 keyInvalid, past `daily_quota`
units every call gets 403 quotaExceeded. Responses carry an ETag, and a matching
`If-None-Match` gets 304 with no body (still charged a unit, as Google charges every request).

It also serves YouTube's public channel feed, `/feeds/videos.xml?channel_id=UC…` (point
YOUTUBE_FEED_URL at `feed_url`): no key, no quota, the 15 newest uploads as Atom in the real
feed's shape (the feed's own `yt:channelId` without its `UC`, entries with theirs), 404 with an
HTML page for an unknown channel or one in `feed_down` (as youtube.com answers), an empty feed for
a channel without uploads (youtube_feed.py writes it).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from .server import Reply, Request, StandInServer
from .youtube_feed import render_feed

MAX_IDS = 50
FEED_ENTRIES = 15
FEED_PATH = "/feeds/videos.xml"
QUOTA_EXCEEDED = {"error": {
    "code": 403,
    "message": "The request cannot be completed because you have exceeded your "
               "<a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
    "errors": [{"message": "The request cannot be completed because you have exceeded your "
                           "<a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
                "domain": "youtube.quota", "reason": "quotaExceeded"}]}}
KEY_INVALID = {"error": {
    "code": 400,
    "message": "API key not valid. Please pass a valid API key.",
    "errors": [{"message": "API key not valid. Please pass a valid API key.",
                "domain": "usageLimits", "reason": "keyInvalid"}],
    "status": "INVALID_ARGUMENT",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                 "domain": "googleapis.com", "metadata": {"service": "youtube.googleapis.com"}}]}}


def error_body(code: int, reason: str, message: str, domain: str = "youtube.parameter",
               location: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "domain": domain, "reason": reason}
    if location:
        error |= {"location": location, "locationType": "parameter"}
    return {"error": {"code": code, "message": message, "errors": [error]}}


def rounded_subscribers(n: int) -> int:
    """YouTube's public subscriber count: rounded down to three significant figures."""
    if n < 1000:
        return n
    scale = 10 ** (len(str(n)) - 3)
    return n // scale * scale


@dataclass
class Channel:
    id: str
    handle: str  # without @
    title: str
    description: str = ""
    subscribers: int = 0
    hidden_subscribers: bool = False
    views: int = 0
    country: str | None = None
    topics: tuple[str, ...] = ()  # Wikipedia topic URLs
    published_at: str = "2015-01-01T00:00:00Z"
    uploads: list[str] = field(default_factory=list)  # video ids, newest first


@dataclass
class Video:
    id: str
    channel_id: str
    published_at: str
    title: str
    description: str = ""
    views: int = 0
    likes: int | None = 0  # None: the owner hides likes
    comments: int | None = 0  # None: comments are disabled
    duration: str = "PT8M12S"


class YouTubeStandIn(StandInServer):
    """`with YouTubeStandIn(api_key="k") as yt:` then point YOUTUBE_API_URL at `yt.url`."""

    name = "youtube-stand-in"

    def __init__(self, *, api_key: str = "test-youtube-key", latency_s: float = 0.0,
                 daily_quota: int | None = None) -> None:
        super().__init__(latency_s=latency_s)
        self.api_key = api_key
        self.daily_quota = daily_quota
        self.quota_used = 0
        self.feed_calls = 0
        self.feed_down: set[str] = set()  # channel ids whose feed answers 404 although the channel exists
        self.channels: dict[str, Channel] = {}
        self.videos: dict[str, Video] = {}
        self._lock = threading.Lock()

    # -- seeding ------------------------------------------------------------------------------
    def add_channel(self, channel_id: str, handle: str, title: str | None = None, **fields: Any) -> Channel:
        channel = Channel(channel_id, handle.lstrip("@"), title or handle.lstrip("@"), **fields)
        self.channels[channel_id] = channel
        return channel

    def add_video(self, channel_id: str, video_id: str, published_at: str, title: str = "", **fields: Any) -> Video:
        """Adds an upload; the channel's uploads stay newest first."""
        video = Video(video_id, channel_id, published_at, title or f"Video {video_id}", **fields)
        self.videos[video_id] = video
        uploads = self.channels[channel_id].uploads
        uploads.append(video_id)
        uploads.sort(key=lambda v: self.videos[v].published_at, reverse=True)
        return video

    def delete_video(self, video_id: str) -> None:
        video = self.videos.pop(video_id)
        self.channels[video.channel_id].uploads.remove(video_id)

    @property
    def feed_url(self) -> str:
        """The value for YOUTUBE_FEED_URL."""
        return self.url.rstrip("/") + FEED_PATH

    # -- the API ------------------------------------------------------------------------------
    def answer(self, request: Request) -> Reply:
        if request.path == FEED_PATH:
            with self._lock:
                self.feed_calls += 1
            return self._feed(request.query.get("channel_id", ""))
        with self._lock:
            self.quota_used += 1  # every request costs at least a unit, invalid ones and 304s too
            over = self.daily_quota is not None and self.quota_used > self.daily_quota
        if (request.headers.get("x-goog-api-key") or request.query.get("key")) != self.api_key:
            return Reply(400, KEY_INVALID)
        if over:
            return Reply(403, QUOTA_EXCEEDED)
        method = request.path.rstrip("/").rsplit("/", 1)[-1]
        handler = {"channels": self._channels, "playlistItems": self._playlist_items,
                   "videos": self._videos}.get(method)
        if handler is None:
            return Reply(404, error_body(404, "notFound", "Not Found", domain="global"))
        reply = handler(request.query)
        if reply.status != 200:
            return reply
        etag = hashlib.sha1(json.dumps(reply.body, sort_keys=True).encode()).hexdigest()[:27]
        if request.headers.get("if-none-match") == etag:
            return Reply(304, None, {"ETag": etag})
        reply.body = {"etag": etag, **reply.body}
        reply.headers["ETag"] = etag
        return reply

    def _ids(self, query: dict[str, str]) -> list[str] | Reply:
        ids = [i for i in query.get("id", "").split(",") if i]
        if len(ids) > MAX_IDS:
            return Reply(400, error_body(400, "invalidFilters", f"At most {MAX_IDS} ids per request.", location="id"))
        return ids

    def _channels(self, query: dict[str, str]) -> Reply:
        parts = set(query.get("part", "").split(","))
        if "forHandle" in query:
            wanted = query["forHandle"].lstrip("@").lower()
            found = [c for c in self.channels.values() if c.handle.lower() == wanted][:1]
        elif "id" in query:
            ids = self._ids(query)
            if isinstance(ids, Reply):
                return ids
            found = [self.channels[i] for i in ids if i in self.channels]
        else:
            return Reply(400, error_body(400, "missingRequiredParameter",
                                         "No filter selected. Expected one of: id, forHandle, forUsername, mine.",
                                         location="parameters."))
        return Reply(200, _list("youtube#channelListResponse", [self._channel(c, parts) for c in found]))

    def _channel(self, c: Channel, parts: set[str]) -> dict[str, Any]:
        item: dict[str, Any] = {"kind": "youtube#channel", "etag": _tag(c), "id": c.id}
        if "snippet" in parts:
            item["snippet"] = {"title": c.title, "description": c.description, "customUrl": f"@{c.handle.lower()}",
                               "publishedAt": c.published_at, "thumbnails": {},
                               "localized": {"title": c.title, "description": c.description}}
            if c.country:
                item["snippet"]["country"] = c.country
        if "statistics" in parts:
            stats: dict[str, Any] = {"viewCount": str(c.views), "hiddenSubscriberCount": c.hidden_subscribers,
                                     "videoCount": str(len(c.uploads))}
            if not c.hidden_subscribers:
                stats["subscriberCount"] = str(rounded_subscribers(c.subscribers))
            item["statistics"] = stats
        if "topicDetails" in parts and c.topics:
            item["topicDetails"] = {"topicIds": [], "topicCategories": list(c.topics)}
        if "contentDetails" in parts:
            item["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": "UU" + c.id[2:]}}
        return item

    def _playlist_items(self, query: dict[str, str]) -> Reply:
        playlist = query.get("playlistId", "")
        channel = self.channels.get("UC" + playlist[2:]) if playlist.startswith("UU") else None
        if channel is None or not channel.uploads:
            return Reply(404, error_body(
                404, "playlistNotFound", "The playlist identified with the request's <code>playlistId</code> "
                "parameter cannot be found.", domain="youtube.playlistItem", location="playlistId"))
        size = min(int(query.get("maxResults", "5")), MAX_IDS)
        start = int(query.get("pageToken") or 0)
        page = channel.uploads[start:start + size]
        items = [{"kind": "youtube#playlistItem", "etag": vid, "id": f"PI{playlist}{vid}",
                  "contentDetails": {"videoId": vid, "videoPublishedAt": self.videos[vid].published_at}}
                 for vid in page]
        body = _list("youtube#playlistItemListResponse", items, total=len(channel.uploads), per_page=size)
        if start + size < len(channel.uploads):
            body["nextPageToken"] = str(start + size)
        return Reply(200, body)

    def _videos(self, query: dict[str, str]) -> Reply:
        ids = self._ids(query)
        if isinstance(ids, Reply):
            return ids
        parts = set(query.get("part", "").split(","))
        return Reply(200, _list("youtube#videoListResponse",
                                [self._video(self.videos[i], parts) for i in ids if i in self.videos]))

    def _video(self, v: Video, parts: set[str]) -> dict[str, Any]:
        item: dict[str, Any] = {"kind": "youtube#video", "etag": _tag(v), "id": v.id}
        if "snippet" in parts:
            item["snippet"] = {"publishedAt": v.published_at, "channelId": v.channel_id, "title": v.title,
                               "description": v.description, "thumbnails": {}, "categoryId": "22",
                               "liveBroadcastContent": "none"}
        if "contentDetails" in parts:
            item["contentDetails"] = {"duration": v.duration, "dimension": "2d", "definition": "hd"}
        if "statistics" in parts:
            stats = {"viewCount": str(v.views), "favoriteCount": "0"}
            if v.likes is not None:
                stats["likeCount"] = str(v.likes)
            if v.comments is not None:
                stats["commentCount"] = str(v.comments)
            item["statistics"] = stats
        return item


    # -- the public feed (not the Data API) -----------------------------------------------------
    def _feed(self, channel_id: str) -> Reply:
        channel = self.channels.get(channel_id)
        if channel is None or channel_id in self.feed_down:
            return Reply(404, "<html><head><title>Error 404 (Not Found)!!1</title></head><body><p><b>404.</b> "
                              "That’s an error.</p></body></html>", {"Content-Type": "text/html; charset=UTF-8"})
        return Reply(200, render_feed(channel, [self.videos[v] for v in channel.uploads[:FEED_ENTRIES]]),
                     {"Content-Type": "text/xml; charset=UTF-8"})


def _tag(obj: object) -> str:
    return hashlib.sha1(repr(obj).encode()).hexdigest()[:27]


def _list(kind: str, items: list[dict[str, Any]], *, total: int | None = None, per_page: int | None = None
          ) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": kind, "pageInfo": {"totalResults": len(items) if total is None else total,
                                                       "resultsPerPage": per_page or max(len(items), 5)}}
    if items:  # like Google, an empty result has no "items" at all
        body["items"] = items
    return body
