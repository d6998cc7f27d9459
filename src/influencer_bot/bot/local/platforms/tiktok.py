"""A stand-in for TikTok's Research API, seeded with users and videos.

It issues client access tokens (`POST oauth/token/`, form-encoded client_credentials), answers
`research/user/info/` and `research/video/query/` (EQ/IN conditions on username and video_id,
the YYYYMMDD window of at most 30 days, max_count, cursor and search_id paging), returns only
the fields asked for, and speaks TikTok's error struct `{"error": {"code", "message",
"log_id"}}`: access_token_invalid (401) for unknown or revoked tokens, invalid_params (400) for
malformed queries and for private or unknown users. A 429 rate_limit_exceeded is injected with
`fail_next(429, body=RATE_LIMITED, retry_after=...)`. Paths match with or without the /v2 prefix.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from influencer_bot.bot.local.platforms.server import Reply, Request, StandInServer

RATE_LIMITED = {"error": {"code": "rate_limit_exceeded", "message": "API rate limit exceeded, please retry later.",
                          "log_id": "20240101000000RATE"}}


def video_id_at(created: datetime, serial: int) -> str:
    """A TikTok-shaped video id: creation time in the top 32 bits, as real ids carry it."""
    return str((int(created.timestamp()) << 32) | (serial & 0xFFFFFFFF))


@dataclass
class TtVideo:
    id: str
    create_time: int
    video_description: str | None = None
    like_count: int = 0
    comment_count: int = 0
    share_count: int = 0
    view_count: int = 0
    region_code: str = "US"
    deleted: bool = False


@dataclass
class TtUser:
    username: str
    display_name: str | None = None
    bio_description: str | None = None
    is_verified: bool = False
    follower_count: int = 0
    following_count: int = 0
    likes_count: int = 0
    private: bool = False
    videos: list[TtVideo] = field(default_factory=list)


class TikTokStandIn(StandInServer):
    name = "tiktok-stand-in"

    def __init__(self, *, client_key: str = "aw-stand-in-key", client_secret: str = "stand-in-secret-value",
                 users: list[TtUser] | tuple[TtUser, ...] = (), token_lifetime_s: int = 7200,
                 latency_s: float = 0.0) -> None:
        super().__init__(latency_s=latency_s)
        self.client_key = client_key
        self.client_secret = client_secret
        self.token_lifetime_s = token_lifetime_s
        self.users = {u.username.lower(): u for u in users}
        self._tokens: set[str] = set()
        self._serial = itertools.count(1)
        self.refuse_new_tokens = False  # issued tokens are refused too (a revoked research project)

    def revoke_tokens(self) -> None:
        """Every token issued so far is now access_token_invalid (as after expiry or revocation)."""
        self._tokens.clear()

    def delete_video(self, video_id: str) -> None:
        for user in self.users.values():
            for video in user.videos:
                if video.id == video_id:
                    video.deleted = True

    # -- the API --------------------------------------------------------------------------------
    def answer(self, request: Request) -> Reply:
        path = request.path if request.path.endswith("/") else request.path + "/"
        if path.endswith("/oauth/token/"):
            return self._token(request.body if isinstance(request.body, dict) else {})
        token = request.headers.get("authorization", "").removeprefix("Bearer ").removeprefix("bearer ")
        if token not in self._tokens or self.refuse_new_tokens:
            return _error(401, "access_token_invalid", "The access token is invalid or not found in the request.")
        fields = [f for f in request.query.get("fields", "").split(",") if f]
        if not fields:
            return _error(400, "invalid_params", "Invalid params: fields is required.")
        body = request.body if isinstance(request.body, dict) else {}
        if path.endswith("/research/user/info/"):
            return self._user_info(str(body.get("username") or ""), fields)
        if path.endswith("/research/video/query/"):
            return self._video_query(body, fields)
        return _error(404, "invalid_params", f"Unknown endpoint {request.path}")

    def _token(self, form: dict[str, Any]) -> Reply:
        if (form.get("client_key"), form.get("client_secret")) != (self.client_key, self.client_secret) \
                or form.get("grant_type") != "client_credentials":
            return Reply(401, {"error": "invalid_client", "error_description": "Client key or secret is incorrect.",
                               "log_id": "20240101000000TOKEN"})
        token = f"clt.stand-in-{next(self._serial)}"
        self._tokens.add(token)
        return Reply(200, {"access_token": token, "expires_in": self.token_lifetime_s, "token_type": "Bearer"})

    def _user_info(self, username: str, fields: list[str]) -> Reply:
        user = self.users.get(username.lower().lstrip("@"))
        if user is None:
            return _error(400, "invalid_params", f"Invalid params: user {username} does not exist.")
        if user.private:
            return _error(400, "invalid_params", f"Invalid params: user {username} is private.")
        live = [v for v in user.videos if not v.deleted]
        values = {**{k: getattr(user, k) for k in ("display_name", "bio_description", "is_verified",
                                                    "follower_count", "following_count", "likes_count")},
                  "video_count": len(live)}
        return _ok({k: values[k] for k in fields if k in values and values[k] is not None})

    def _video_query(self, body: dict[str, Any], fields: list[str]) -> Reply:
        try:
            start = datetime.strptime(str(body["start_date"]), "%Y%m%d").replace(tzinfo=UTC)
            end = datetime.strptime(str(body["end_date"]), "%Y%m%d").replace(tzinfo=UTC)
            conditions = body["query"]["and"]
            max_count = int(body.get("max_count") or 20)
        except (KeyError, TypeError, ValueError):
            return _error(400, "invalid_params", "Invalid params: query, start_date and end_date (YYYYMMDD) are "
                                                 "required.")
        if end < start or (end - start).days > 30 or not 1 <= max_count <= 100:
            return _error(400, "invalid_params", "Invalid params: end_date must be within 30 days after start_date "
                                                 "and max_count between 1 and 100.")
        matches = []
        for user in self.users.values():
            for video in user.videos:
                created = datetime.fromtimestamp(video.create_time, UTC)
                if video.deleted or user.private or not start <= created < end + timedelta(days=1):
                    continue
                values = {"username": user.username, "video_id": video.id}
                if all(_holds(c, values) for c in conditions):
                    matches.append((user, video))
        matches.sort(key=lambda m: m[1].create_time)  # oldest first: clients must not assume an order
        cursor = int(body.get("cursor") or 0)
        page = matches[cursor:cursor + max_count]
        videos = []
        for user, video in page:
            values = {**vars(video), "username": user.username}
            videos.append({k: values[k] for k in fields if k in values and k != "deleted"})
        more = cursor + max_count < len(matches)
        return _ok({"videos": videos, "cursor": cursor + len(page), "has_more": more, "search_id": "7201388525814961198"})


def _holds(condition: dict[str, Any], values: dict[str, str]) -> bool:
    field_name, wanted = condition.get("field_name"), condition.get("field_values") or []
    value = values.get(str(field_name))
    if value is None:
        return True  # a field this stand-in does not model filters nothing
    if condition.get("operation") == "EQ":
        return len(wanted) == 1 and str(wanted[0]).lower() == value.lower()
    if condition.get("operation") == "IN":
        return value.lower() in {str(w).lower() for w in wanted}
    return False


def _ok(data: dict[str, Any]) -> Reply:
    return Reply(200, {"data": data, "error": {"code": "ok", "message": "", "log_id": "20240101000000OK"}})


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message, "log_id": "20240101000000ERR"}})
