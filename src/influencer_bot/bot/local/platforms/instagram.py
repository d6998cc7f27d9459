"""A stand-in for the Instagram Graph API's `business_discovery`, seeded with accounts and media.

It answers `GET /{ig_user_id}?fields=business_discovery.username(x){...}&access_token=...` with
only the fields asked for (as Graph does), pages media with `.limit(n)` and `.after(cursor)`, and
speaks Graph's errors: code 190 for a wrong or expired token, 110/2207013 for a personal or
unknown account, 100/33 for an unknown ig_user_id, and queued throttling codes (4, 17, 32, 613,
80002). Usage headers (`X-App-Usage`, `X-Business-Use-Case-Usage`) are sent when a test sets them.
Hidden likes omit `like_count`; deleted media vanish from the account's list.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from influencer_bot.bot.local.platforms.server import Reply, Request, StandInServer

_DISCOVERY = re.compile(r"business_discovery\.username\(([^)]*)\)\{(.*)\}", re.S)
_MEDIA = re.compile(r"media((?:\.\w+\([^)]*\))*)(?:\{(.*)\})?", re.S)
_MODIFIER = re.compile(r"\.(\w+)\(([^)]*)\)")
_THROTTLE_MESSAGES = {4: "(#4) Application request limit reached", 17: "(#17) User request limit reached",
                      32: "(#32) Page request limit reached", 613: "(#613) Calls to this api have exceeded the rate limit.",
                      80002: "(#80002) There have been too many calls to this Instagram account."}


@dataclass
class IgMedia:
    id: str
    shortcode: str
    timestamp: datetime
    caption: str | None = None
    like_count: int = 0
    comments_count: int = 0
    view_count: int | None = None
    media_type: str = "IMAGE"
    media_product_type: str = "FEED"
    deleted: bool = False

    def as_json(self, likes_hidden: bool) -> dict[str, Any]:
        kind = "reel" if self.media_product_type == "REELS" else "p"
        item: dict[str, Any] = {
            "id": self.id, "caption": self.caption, "comments_count": self.comments_count,
            "like_count": None if likes_hidden else self.like_count, "media_type": self.media_type,
            "media_product_type": self.media_product_type, "view_count": self.view_count,
            "permalink": f"https://www.instagram.com/{kind}/{self.shortcode}/",
            "timestamp": self.timestamp.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        return {k: v for k, v in item.items() if v is not None}  # Graph omits what it does not show


@dataclass
class IgAccount:
    username: str
    id: str
    name: str | None = None
    biography: str | None = None
    followers_count: int = 0
    follows_count: int = 0
    business: bool = True  # personal accounts are not discoverable
    likes_hidden: bool = False
    media: list[IgMedia] = field(default_factory=list)  # newest first

    def live_media(self) -> list[IgMedia]:
        return [m for m in self.media if not m.deleted]


class InstagramStandIn(StandInServer):
    name = "instagram-stand-in"

    def __init__(self, *, access_token: str = "IGQVJ-stand-in-token", ig_user_id: str = "17841405309211844",
                 accounts: list[IgAccount] | tuple[IgAccount, ...] = (), latency_s: float = 0.0) -> None:
        super().__init__(latency_s=latency_s)
        self.access_token = access_token
        self.ig_user_id = ig_user_id
        self.token_expired = False
        self.accounts = {a.username.lower(): a for a in accounts}
        self.app_usage: dict[str, int] | None = None  # sent as X-App-Usage on every answer
        self.buc_usage: dict[str, Any] | None = None  # one X-Business-Use-Case-Usage entry
        self._throttles: deque[tuple[int, int | None]] = deque()

    # -- what tests steer -----------------------------------------------------------------------
    def throttle_next(self, code: int = 4, *, times: int = 1, regain_minutes: int | None = None) -> None:
        """The next `times` discovery calls get throttling error `code` (with Meta's estimate, if given)."""
        self._throttles.extend([(code, regain_minutes)] * times)

    def delete_media(self, shortcode: str) -> None:
        for account in self.accounts.values():
            for media in account.media:
                if media.shortcode == shortcode:
                    media.deleted = True

    # -- the API --------------------------------------------------------------------------------
    def answer(self, request: Request) -> Reply:
        if request.query.get("access_token") != self.access_token or self.token_expired:
            return self._error(400, 190, "Error validating access token: Session has expired.", subcode=463)
        if request.path.rstrip("/").rsplit("/", 1)[-1] != self.ig_user_id:
            return self._error(400, 100, "Unsupported get request. Object with ID does not exist, cannot be "
                                         "loaded due to missing permissions, or does not support this operation.",
                               subcode=33, kind="GraphMethodException")
        if self._throttles:
            code, regain = self._throttles.popleft()
            return self._error(403 if code == 4 else 400, code, _THROTTLE_MESSAGES.get(code, "throttled"),
                               regain_minutes=regain)
        match = _DISCOVERY.fullmatch(request.query.get("fields", ""))
        if match is None:
            return self._error(400, 100, "(#100) Tried accessing nonexisting field")
        account = self.accounts.get(match.group(1).lower())
        if account is None or not account.business:
            return self._error(400, 110, "Invalid user id", subcode=2207013, user_msg=(
                f"The user with username: {match.group(1)} cannot be found."))
        found: dict[str, Any] = {}
        for part in _split_top(match.group(2)):
            media = _MEDIA.fullmatch(part)
            if media is not None:
                found["media"] = _media_page(account, dict(_MODIFIER.findall(media.group(1))), media.group(2) or "id")
            elif hasattr(account, part) and part not in ("business", "likes_hidden"):
                value = getattr(account, part)
                if value is not None:
                    found[part] = value
            elif part == "media_count":
                found[part] = len(account.live_media())
            else:
                return self._error(400, 100, f"(#100) Tried accessing nonexisting field ({part})")
        found.setdefault("id", account.id)
        return Reply(200, {"business_discovery": found, "id": self.ig_user_id}, self._usage_headers())

    def _usage_headers(self, regain_minutes: int | None = None) -> dict[str, str]:
        headers = {}
        if self.app_usage is not None:
            headers["X-App-Usage"] = json.dumps(self.app_usage)
        buc = dict(self.buc_usage or {})
        if regain_minutes is not None:
            buc.setdefault("call_count", 100)
            buc["estimated_time_to_regain_access"] = regain_minutes
        if buc:
            headers["X-Business-Use-Case-Usage"] = json.dumps(
                {self.ig_user_id: [{"type": "instagram", "total_cputime": 0, "total_time": 0,
                                    "estimated_time_to_regain_access": 0, **buc}]})
        return headers

    def _error(self, status: int, code: int, message: str, *, subcode: int | None = None,
               kind: str = "OAuthException", user_msg: str | None = None,
               regain_minutes: int | None = None) -> Reply:
        error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}
        if subcode is not None:
            error["error_subcode"] = subcode
        if user_msg:
            error.update(is_transient=False, error_user_title="Cannot find User", error_user_msg=user_msg)
        return Reply(status, {"error": error}, self._usage_headers(regain_minutes))


def _media_page(account: IgAccount, modifiers: dict[str, str], fields: str) -> dict[str, Any]:
    media = account.live_media()
    start = int(modifiers["after"].removeprefix("cur")) if modifiers.get("after") else 0
    limit = min(int(modifiers.get("limit") or 25), 100)
    wanted = set(_split_top(fields)) | {"id"}
    page = [{k: v for k, v in m.as_json(account.likes_hidden).items() if k in wanted}
            for m in media[start:start + limit]]
    cursors = {"before": f"cur{start}"}
    if start + limit < len(media):
        cursors["after"] = f"cur{start + limit}"
    return {"data": page, "paging": {"cursors": cursors}}


def _split_top(text: str) -> list[str]:
    """Comma-separated parts at the top level of Graph's field syntax."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "({"
        depth -= ch in ")}"
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts
