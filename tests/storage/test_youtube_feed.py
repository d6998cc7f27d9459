"""Reading YouTube's public channel feed: ids of the channel's uploads, newest first, from the real
feed's Atom shape and its quirks, and FeedUnavailable for anything that is not such a feed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from influencer_bot.storage.sync.youtube_feed import FeedUnavailable, parse_feed

LEA = "UCaHT88aobpcvRFEuy4v5Clg"


def entry(video_id: str, published: str | None, title: str, channel: str = LEA) -> str:
    when = f"<published>{published}</published>" if published else ""
    return (f"<entry><id>yt:video:{video_id}</id><yt:videoId>{video_id}</yt:videoId>"
            f"<yt:channelId>{channel}</yt:channelId><title>{title}</title>"
            f'<link rel="alternate" href="https://www.youtube.com/watch?v={video_id}"/>{when}'
            f"<media:group><media:title>{title}</media:title><media:description>Rezept &amp; Einkaufsliste"
            f'</media:description><media:community><media:starRating count="0" average="0.00" min="1" max="5"/>'
            f'<media:statistics views="0"/></media:community></media:group></entry>')


def feed(*entries: str, owner: str = "<yt:channelId>aHT88aobpcvRFEuy4v5Clg</yt:channelId>") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
            'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
            f'<link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={LEA}"/>'
            f"<id>yt:channel:aHT88aobpcvRFEuy4v5Clg</id>{owner}<title>Kochen mit Lea 🍲</title>"
            + "".join(entries) + "</feed>").encode()


def test_entries_are_read_newest_first_with_their_quirks() -> None:
    got = parse_feed(feed(
        entry("5ctTVpQstC0", "2024-05-08T16:00:00+00:00", "Meal prep &amp; Einkauf"),
        entry("dWa5hJGpTN4", "2024-05-15T16:00:00Z", "京都の朝 | Kyoto morning"),  # reordered, Z time
        entry("ujaXwU8q8vs", None, "Ohne Datum"),  # sorted last
        entry("Z9hsP0kICIg", "2024-05-01T18:00:00+02:00", "Linsen-Dal &#39;schnell&#39;"),
    ), LEA)
    assert [e.video_id for e in got] == ["dWa5hJGpTN4", "5ctTVpQstC0", "Z9hsP0kICIg", "ujaXwU8q8vs"]
    assert got[1].title == "Meal prep & Einkauf" and got[2].title == "Linsen-Dal 'schnell'"
    assert got[0].published == datetime(2024, 5, 15, 16, tzinfo=timezone.utc)
    assert got[2].published == datetime(2024, 5, 1, 16, tzinfo=timezone.utc)


@pytest.mark.parametrize("owner", ["<yt:channelId>aHT88aobpcvRFEuy4v5Clg</yt:channelId>", "<yt:channelId/>",
                                   f"<yt:channelId>{LEA}</yt:channelId>", ""])
def test_the_feeds_own_channel_id_is_written_several_ways_and_never_decides(owner: str) -> None:
    assert [e.video_id for e in parse_feed(feed(entry("5ctTVpQstC0", None, "x"), owner=owner), LEA)] == \
        ["5ctTVpQstC0"]


def test_entries_of_another_channel_or_without_a_video_id_are_skipped() -> None:
    got = parse_feed(feed(
        entry("5ctTVpQstC0", "2024-05-08T16:00:00+00:00", "mine"),
        entry("xKM3_PrqNLc", "2024-05-09T16:00:00+00:00", "someone else's", channel="UC3ScyryU9Oy9Wse3a8OAmYQ"),
        entry("not an id", "2024-05-10T16:00:00+00:00", "junk id"),
        entry("", "2024-05-11T16:00:00+00:00", "no id"),
    ), LEA)
    assert [e.video_id for e in got] == ["5ctTVpQstC0"]


def test_a_channel_without_uploads_has_an_empty_feed() -> None:
    assert parse_feed(feed(), LEA) == []


@pytest.mark.parametrize("body", [
    b"",
    b"<html><body>404. That\xe2\x80\x99s an error.</body></html>",
    b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>',
    b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>',
    b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>',
    b"\xff\xfe\x00<\x00f",
], ids=["empty", "html", "rss", "truncated", "external-entity", "entity-expansion", "binary"])
def test_anything_but_an_atom_feed_is_unavailable(body: bytes) -> None:
    with pytest.raises(FeedUnavailable):
        parse_feed(body, LEA)
