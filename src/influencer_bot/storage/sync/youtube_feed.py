"""YouTube's public per-channel Atom feed: the ids of a channel's latest uploads at no quota cost.

`GET https://www.youtube.com/feeds/videos.xml?channel_id=UC…` answers, without a key, an Atom
feed of the channel's ~15 newest uploads, newest first. It is not part of the Data API: Google
publishes no quota, no guarantees and no error shape for it, and it is known to answer 404 for
channels without public videos and now and then 404 or 5xx for others. So the client takes only
upload ids from it and lists the uploads through `playlistItems.list` (1 unit) whenever it fails
(`FeedUnavailable`). The numbers still come from `videos.list`: the feed has views and a like
count (`media:starRating count`) but no comments and no way to say a count is hidden.

The shape read (Atom; yt = http://www.youtube.com/xml/schemas/2015, media = Media RSS):
`<feed><id>yt:channel:…</id><yt:channelId>…</yt:channelId>…<entry><id>yt:video:…</id>
<yt:videoId>…</yt:videoId><yt:channelId>UC…</yt:channelId><title>…</title>
<published>2024-05-01T16:00:00+00:00</published><media:group><media:description>…
</media:description><media:community><media:starRating count="…"/><media:statistics views="…"/>
</media:community></media:group></entry>…</feed>`.

Parsed with defusedxml: the body comes off the network (or a proxy), and defusedxml refuses DTDs,
entity declarations and external references outright, where the stdlib parser expands entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.etree.ElementTree import ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .http import HttpPolicy, make_client

FEED_URL = "https://www.youtube.com/feeds/videos.xml"
ATOM = "{http://www.w3.org/2005/Atom}"
YT = "{http://www.youtube.com/xml/schemas/2015}"
VIDEO_ID = re.compile(r"^[0-9A-Za-z_-]{11}$")
MAX_BYTES = 2_000_000  # a real feed is ~30 KB; anything this big is not one
OLDEST = datetime.min.replace(tzinfo=timezone.utc)


class FeedUnavailable(Exception):
    """The feed gave no usable answer for one channel: list its uploads through the API instead."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    video_id: str
    published: datetime | None
    title: str | None


def parse_feed(body: bytes, channel_id: str) -> list[FeedEntry]:
    """The feed's uploads of `channel_id`, newest first. Entries without a well-formed video id
    or of another channel are skipped; a body that is not an Atom feed raises FeedUnavailable.
    (The feed's own `<yt:channelId>` is not checked: YouTube writes it without the `UC`, or empty.)"""
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise FeedUnavailable(f"unreadable ({type(exc).__name__})") from None
    if root.tag != ATOM + "feed":
        raise FeedUnavailable(f"not an Atom feed (<{root.tag}>)")
    owners = {channel_id, channel_id[2:]}
    entries = []
    for entry in root.findall(ATOM + "entry"):
        video_id = (entry.findtext(YT + "videoId") or "").strip()
        if VIDEO_ID.match(video_id) and (entry.findtext(YT + "channelId") or channel_id).strip() in owners:
            entries.append(FeedEntry(video_id, _when(entry.findtext(ATOM + "published")),
                                     entry.findtext(ATOM + "title")))
    # The feed is newest first already; the sort only guards against a reordered one.
    return sorted(entries, key=lambda e: e.published or OLDEST, reverse=True)


def _when(value: str | None) -> datetime | None:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    return when if when is None or when.tzinfo else when.replace(tzinfo=timezone.utc)


class YouTubeFeed:
    """Fetches channel feeds through a retrying client (`make_client`'s policy: 429, 5xx and
    timeouts retried with backoff). No key is sent: the feed is public."""

    def __init__(self, http: httpx.Client, url: str = FEED_URL) -> None:
        self.http = http
        self.url = url

    def latest(self, channel_id: str) -> list[FeedEntry]:
        try:
            response = self.http.get(self.url, params={"channel_id": channel_id})
        except httpx.HTTPError as exc:  # after the retries
            raise FeedUnavailable(f"no answer ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise FeedUnavailable(f"answered {response.status_code}")
        if len(response.content) > MAX_BYTES:
            raise FeedUnavailable(f"answered {len(response.content):,} bytes, too many for a feed")
        return parse_feed(response.content, channel_id)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> YouTubeFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_feed(url: str = FEED_URL, policy: HttpPolicy = HttpPolicy()) -> YouTubeFeed:
    """A feed reader on its own client (the API's client carries the key; this one must not)."""
    return YouTubeFeed(make_client(url, policy), url)
