"""The stand-in's copy of YouTube's public channel feed (`/feeds/videos.xml?channel_id=UC…`), in
the real feed's Atom shape: the feed's own `<id>` and `<yt:channelId>` carry the channel id
without its `UC`, each entry carries it whole; times are `+00:00`, not `Z`; text is XML-escaped.
Hidden likes show as `starRating count="0"`: the feed has no way to say a count is hidden."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from .youtube import Channel, Video


def render_feed(channel: Channel, videos: Sequence[Video]) -> bytes:
    """The feed of `channel` listing `videos` (newest first, as the caller gives them)."""
    home = f"https://www.youtube.com/channel/{channel.id}"
    author = f"<author><name>{escape(channel.title)}</name><uri>{home}</uri></author>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
            f'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">\n'
            f' <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={channel.id}"/>\n'
            f" <id>yt:channel:{channel.id[2:]}</id>\n <yt:channelId>{channel.id[2:]}</yt:channelId>\n"
            f" <title>{escape(channel.title)}</title>\n <link rel=\"alternate\" href=\"{home}\"/>\n {author}\n"
            f" <published>{_atom_time(channel.published_at)}</published>\n"
            f"{''.join(_entry(v, author) for v in videos)}</feed>\n").encode()


def _entry(v: Video, author: str) -> str:
    return (f" <entry>\n  <id>yt:video:{v.id}</id>\n  <yt:videoId>{v.id}</yt:videoId>\n"
            f"  <yt:channelId>{v.channel_id}</yt:channelId>\n  <title>{escape(v.title)}</title>\n"
            f"  <link rel=\"alternate\" href=\"https://www.youtube.com/watch?v={v.id}\"/>\n  {author}\n"
            f"  <published>{_atom_time(v.published_at)}</published>\n"
            f"  <updated>{_atom_time(v.published_at)}</updated>\n"
            f"  <media:group>\n   <media:title>{escape(v.title)}</media:title>\n"
            f"   <media:content url={quoteattr(f'https://www.youtube.com/v/{v.id}?version=3')} "
            f'type="application/x-shockwave-flash" width="640" height="390"/>\n'
            f'   <media:thumbnail url="https://i1.ytimg.com/vi/{v.id}/hqdefault.jpg" width="480" height="360"/>\n'
            f"   <media:description>{escape(v.description)}</media:description>\n"
            f'   <media:community>\n    <media:starRating count="{v.likes or 0}" average="5.00" min="1" max="5"/>\n'
            f'    <media:statistics views="{v.views}"/>\n   </media:community>\n  </media:group>\n </entry>\n')


def _atom_time(api_time: str) -> str:
    """The feed writes `2024-05-01T16:00:00+00:00` where the API writes `2024-05-01T16:00:00Z`."""
    return api_time.replace("Z", "+00:00")
