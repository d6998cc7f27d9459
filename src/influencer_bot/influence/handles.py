"""What a username can look like on each platform, and reading one as people write it.

A creator's identity is (platform, handle), so a display name stored as a handle breaks it:
three creators called "Maya" collapse into one, a fan account takes its star's place. The
platforms' own rules tell the two apart (usernames have no spaces):

- Instagram: letters, digits, `.` and `_`, at most 30 characters.
- TikTok: letters, digits, `.` and `_`, at most 24 characters.
- YouTube: a handle of 3 to 30 letters (any script), digits, `.`, `_` and `-`, or a channel id
  (`UC` and 22 more characters, 24 in all).

`@x` and profile URLs (`instagram.com/x`, `tiktok.com/@x`, `youtube.com/@x`,
`youtube.com/channel/UC…`) are read as the username they point to. Handles are stored in lower
case, which is how the platforms compare them; a channel id keeps its case as `channel_id`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .platforms import Platform

_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.|vm\.|mobile\.)?(instagram\.com|instagr\.am|tiktok\.com|"
                  r"youtube\.com|youtu\.be)(?:/+([^?#]*))?(?:[?#].*)?$", re.IGNORECASE)
HOST_PLATFORM = {"instagram.com": Platform.INSTAGRAM, "instagr.am": Platform.INSTAGRAM,
                 "tiktok.com": Platform.TIKTOK, "youtube.com": Platform.YOUTUBE, "youtu.be": Platform.YOUTUBE}
_POST_PATHS = {"p", "reel", "reels", "tv", "watch", "shorts", "video", "playlist", "embed", "live", "explore"}
CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_ASCII_NAME = re.compile(r"^[a-z0-9._]+$")
_YOUTUBE_NAME = re.compile(r"^[\w.\-]+$")
_MAX = {Platform.INSTAGRAM: 30, Platform.TIKTOK: 24, Platform.YOUTUBE: 30}
_WHAT = {Platform.INSTAGRAM: "an Instagram username", Platform.TIKTOK: "a TikTok username",
         Platform.YOUTUBE: "a YouTube handle"}
_ALLOWED = {Platform.INSTAGRAM: "letters, digits, “.” and “_”", Platform.TIKTOK: "letters, digits, “.” and “_”",
            Platform.YOUTUBE: "letters, digits, “.”, “_” and “-”"}


class BadHandle(ValueError):
    """The value cannot be a username on that platform; `reason` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Handle:
    value: str  # as stored and looked up: lower case, no `@`
    platform: Platform | None = None  # when a profile URL said which platform
    channel_id: str | None = None  # a YouTube channel id, in its exact case


def _clean(raw: str) -> str:
    """What a spreadsheet adds that nobody typed: invisible format characters (zero-width space,
    BOM, direction marks) and full-width forms from CJK keyboards (`＠ｋｉｋｉ` is `@kiki`)."""
    text = "".join(ch for ch in raw if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", text).strip()


def split_url(raw: str) -> tuple[str, Platform | None]:
    """A profile URL -> (the username part, its platform); anything else comes back as it is."""
    text = _clean(raw)
    match = _URL.match(text)
    if match is None:
        return text, None
    platform = HOST_PLATFORM[match[1].lower()]
    parts = [p for p in (match[2] or "").split("/") if p]
    if not parts or parts[0].lower() in _POST_PATHS or match[1].lower() == "youtu.be":
        raise BadHandle(f"“{text[:60]}” is a link to a post or a home page, not to a profile")
    if parts[0].lower() in ("c", "user", "channel", "stories") and len(parts) > 1:
        parts = parts[1:]
    return parts[0], platform


def read_handle(raw: str, platform: Platform) -> Handle:
    """`@Lumi.Bakes`, `https://instagram.com/lumi.bakes/` -> `lumi.bakes`; raises BadHandle."""
    text, from_url = split_url(raw)
    if from_url is not None:
        platform = from_url
    text = text.strip().removeprefix("@").strip()
    if not text:
        raise BadHandle("no handle")
    if platform is Platform.YOUTUBE and CHANNEL_ID.match(text):
        return Handle(text.lower(), from_url, text)
    reason = problem(text, platform)
    if reason is not None:
        raise BadHandle(reason)
    return Handle(text.lower(), from_url)


def problem(name: str, platform: Platform) -> str | None:
    """Why `name` (no `@`) cannot be a username on `platform`, or None when it can."""
    shown = name if len(name) <= 40 else name[:39] + "…"
    what = _WHAT[platform]
    if any(ch.isspace() for ch in name):
        return f"“{shown}” has a space, so it is a display name, not {what}"
    longest = _MAX[platform]
    if len(name) > longest:
        return f"“{shown}” has {len(name)} characters; {what} has at most {longest}"
    pattern = _YOUTUBE_NAME if platform is Platform.YOUTUBE else _ASCII_NAME
    if not pattern.match(name.lower()):
        bad = next(ch for ch in name if not pattern.match(ch.lower()))
        return f"“{shown}” has “{bad}”, which {what} cannot contain ({_ALLOWED[platform]} only)"
    if platform is Platform.YOUTUBE and len(name) < 3:
        return f"“{shown}” is too short for {what} (3 to 30 characters) or a channel id (UC…)"
    return None


def username_like(raw: str, platform: Platform | None) -> bool:
    """Could this cell be a username (on `platform`, or on any platform when None)?"""
    platforms = (platform,) if platform is not None else tuple(Platform)
    for candidate in platforms:
        try:
            read_handle(raw, candidate)
        except BadHandle:
            continue
        return True
    return False
