"""Which post a link points to: platform, the platform's post id, and (when the link says) whose.

People paste links as their apps share them: `youtu.be/…?si=…`, `m.youtube.com/watch?v=…&t=42s`,
`instagram.com/reel/…/?igsh=…`, `tiktok.com/@user/video/…?is_from_webapp=1`. The same post
pasted twice, with other tracking parameters, must be one post, so a link is reduced to its
platform and post id, and to one canonical URL per post (tracking parameters dropped).

Hosts are matched exactly (`instagram.com.evil.io` and `notyoutube.com` are not the platforms).
TikTok's short links (`vm.tiktok.com/ZM…`, `tiktok.com/t/…`) hide the video id behind a
redirect that only the network can follow: they are refused, with how to get the full link,
rather than recorded as posts whose numbers could never be refreshed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from .errors import UserError
from .platforms import Platform

EXAMPLE = "https://www.tiktok.com/@veganbakes/video/7301234567890123456"
MAX_URL = 500

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be", "www.youtu.be",
                  "youtube-nocookie.com", "www.youtube-nocookie.com"}
_INSTAGRAM_HOSTS = {"instagram.com", "www.instagram.com", "m.instagram.com", "instagr.am", "www.instagr.am"}
_TIKTOK_HOSTS = {"tiktok.com", "www.tiktok.com", "m.tiktok.com"}
_TIKTOK_SHORT_HOSTS = {"vm.tiktok.com", "vt.tiktok.com"}

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_SHORTCODE = re.compile(r"[A-Za-z0-9_-]{5,64}")
_TIKTOK_ID = re.compile(r"\d{8,24}")
_IG_USER = re.compile(r"[A-Za-z0-9._]{1,30}")
_TT_USER = re.compile(r"@([A-Za-z0-9._]{0,24})")  # `@/video/<id>`: TikTok's own form when the user is unknown
_IG_MEDIA = {"p": "feed", "tv": "video", "reel": "reel", "reels": "reel"}
_IG_WORDS = {*_IG_MEDIA, "stories", "highlights", "explore", "accounts", "direct"}  # paths, not usernames


@dataclass(frozen=True, slots=True)
class PostUrl:
    platform: Platform
    post_id: str  # YouTube video id, Instagram shortcode (or story id), TikTok video id
    kind: str  # feed | story | video | reel (see storage/campaigns/posts.KINDS)
    url: str  # canonical: one URL per post, without tracking parameters
    handle: str | None = None  # the creator, when the link names one (TikTok @user, Instagram stories)


class PostUrlError(UserError):
    """Not a link to one YouTube, Instagram or TikTok post; says why, with working examples."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXAMPLE)


def parse_post_url(raw: str) -> PostUrl:
    """Read a post link as pasted (Slack's `<url>` and `<url|label>` wrappers too)."""
    url = raw.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1].split("|", 1)[0]
    shown = url[:60].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # quoted back, never markup
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        raise PostUrlError("That link is too long or contains spaces; copy the post's link again.")
    if "://" not in url and re.match(r"(?i)(www\.|m\.)?(youtube\.com|youtu\.be|instagram\.com|tiktok\.com)/", url):
        url = "https://" + url  # typed without the scheme
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        raise PostUrlError(f"“{shown}” is not a web address: give the post's link, starting with https://.") from None
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        raise PostUrlError(f"“{shown}” is not a web address: give the post's link, starting with https://.")
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS:
        return _youtube(host, segments, query, shown)
    if host in _INSTAGRAM_HOSTS:
        return _instagram(segments, shown)
    if host in _TIKTOK_HOSTS or host in _TIKTOK_SHORT_HOSTS:
        return _tiktok(host, segments, shown)
    raise PostUrlError(f"“{shown}” is not a YouTube, Instagram or TikTok post link ({host[:40]}): "
                       "give the link of the post itself, as its Share button copies it.")


def _youtube(host: str, segments: list[str], query: dict[str, list[str]], shown: str) -> PostUrl:
    if host.endswith("youtu.be"):
        candidate = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        candidate = (query.get("v") or [""])[0]
    elif len(segments) >= 2 and segments[0] in ("shorts", "live", "embed", "v", "e"):
        candidate = segments[1]
    else:
        raise PostUrlError(f"“{shown}” is a YouTube page but not a video: open the video and copy its link "
                           "(watch?v=…, youtu.be/…, /shorts/… or /live/…).")
    if not _YOUTUBE_ID.fullmatch(candidate):
        raise PostUrlError(f"“{shown}” has no complete YouTube video id (11 letters, digits, - or _): "
                           "copy the video's link again.")
    return PostUrl(Platform.YOUTUBE, candidate, "video", f"https://www.youtube.com/watch?v={candidate}")


def _instagram(segments: list[str], shown: str) -> PostUrl:
    segments = [s.lower() if i < 2 and s.lower() in _IG_WORDS else s for i, s in enumerate(segments)]
    if len(segments) >= 3 and segments[0] == "stories":
        user, story = segments[1], segments[2]
        if user != "highlights" and _IG_USER.fullmatch(user) and story.isdigit():
            return PostUrl(Platform.INSTAGRAM, story, "story",
                           f"https://www.instagram.com/stories/{user}/{story}/", user.lower())
        raise PostUrlError(f"“{shown}” is not a complete Instagram story link: copy the story's link again.")
    handle = None
    if len(segments) >= 3 and segments[1] in _IG_MEDIA and _IG_USER.fullmatch(segments[0]):
        handle, segments = segments[0].lower(), segments[1:]  # instagram.com/<user>/p/<code>/
    if len(segments) < 2 or segments[0] not in _IG_MEDIA:
        profile = len(segments) == 1 and segments[0] not in _IG_WORDS and _IG_USER.fullmatch(segments[0])
        who = f" (@{segments[0]}'s profile?)" if profile else ""
        raise PostUrlError(f"“{shown}” is an Instagram page but not a post{who}: open the post or reel and copy "
                           "its link (/p/…, /reel/… or /tv/…).")
    code = segments[1]
    if not _SHORTCODE.fullmatch(code):
        raise PostUrlError(f"“{shown}” has no complete Instagram post code: copy the post's link again.")
    return PostUrl(Platform.INSTAGRAM, code, _IG_MEDIA[segments[0]], f"https://www.instagram.com/p/{code}/", handle)


def _tiktok(host: str, segments: list[str], shown: str) -> PostUrl:
    if host in _TIKTOK_SHORT_HOSTS or segments[:1] == ["t"]:
        raise PostUrlError(f"“{shown}” is a TikTok short link, which hides the video's id: open it in a "
                           "browser and copy the full address (tiktok.com/@user/video/…).")
    user = _TT_USER.fullmatch(segments[0]) if segments else None
    if user and len(segments) >= 3 and segments[1] in ("video", "photo") and _TIKTOK_ID.fullmatch(segments[2]):
        handle, video, kind = user.group(1).lower() or None, segments[2], segments[1]
        return PostUrl(Platform.TIKTOK, video, "video" if kind == "video" else "feed",
                       f"https://www.tiktok.com/@{handle or ''}/{kind}/{video}", handle)
    if user and len(segments) >= 2 and segments[1] in ("video", "photo"):
        raise PostUrlError(f"“{shown}” has no complete TikTok video id (the long number after /video/): "
                           "copy the video's link again.")
    bare = segments[-1].removesuffix(".html") if segments else ""
    if segments[:1] in (["v"], ["embed"]) and _TIKTOK_ID.fullmatch(bare):  # m.tiktok.com/v/<id>.html, /embed/v2/<id>
        return PostUrl(Platform.TIKTOK, bare, "video", f"https://www.tiktok.com/@/video/{bare}")
    raise PostUrlError(f"“{shown}” is a TikTok page but not a video: open the video and copy its link "
                       "(tiktok.com/@user/video/…).")
