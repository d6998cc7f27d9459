"""TikTok numbers through the Research API, for teams whose research project TikTok approved
(TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET). Without them TikTok creators are import-only.

A client access token (client_credentials, valid about two hours) is fetched once and reused
until shortly before it expires; a token the API calls invalid is replaced once, and a second
refusal stops the platform. Per creator: `research/user/info/` for the profile, and one
`research/video/query/` over the last 30 days (the API's widest window) for recent videos.
Campaign videos are refreshed in batches: a TikTok video id carries its creation time in its
top 32 bits, so ids are grouped into 30-day windows and queried with `IN`, up to 100 at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from influencer_bot.storage.sync.answers import as_int, json_body, no_answer
from influencer_bot.storage.sync.fetched import (
    AuthRefused, CreatorRef, FetchedPost, FetchedProfile, Missing, PostRef, Throttled)

log = logging.getLogger(__name__)

IMPORT_ONLY_NOTE = ("TikTok numbers come from imports: the Research API needs approved credentials "
                    "(TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET).")
USER_FIELDS = "display_name,bio_description,is_verified,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = ("id,create_time,username,region_code,video_description,like_count,comment_count,"
                "share_count,view_count")
WINDOW_DAYS = 30  # the longest span one video query may cover
MAX_COUNT = 100  # videos per query
_TOKEN_MARGIN_S = 60.0
_REFUSED_SCOPES = frozenset({"scope_not_authorized", "scope_permission_missed"})


class _Failed(Exception):
    """One call failed in a way that concerns one creator or batch: carries its Missing."""

    def __init__(self, missing: Missing) -> None:
        super().__init__(missing.detail)
        self.missing = missing


class TikTokClient:
    """PlatformClient for TikTok. `clock` (seconds) and `today` are injectable for tests."""

    platform = "tiktok"

    def __init__(self, client_key: str, client_secret: str, http: httpx.Client, recent_videos: int = 12,
                 *, clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], date] = lambda: datetime.now(UTC).date()) -> None:
        self._key = client_key
        self._secret = client_secret
        self._http = http
        self.recent_videos = min(max(recent_videos, 1), MAX_COUNT)
        self._clock = clock
        self._today = today
        self._access: tuple[str, float] | None = None  # token, expiry on `clock`

    # -- the contract ---------------------------------------------------------------------------
    def fetch_profiles(self, refs: Iterable[CreatorRef]) -> Iterator[tuple[CreatorRef, FetchedProfile | Missing]]:
        for ref in refs:
            handle = ref.handle.strip().lstrip("@")
            try:
                user = self._call("research/user/info/", USER_FIELDS, {"username": handle}, f"@{handle}")
                end = self._today()
                videos = self._videos(_username_is(handle), end - timedelta(days=WINDOW_DAYS - 1), end,
                                      self.recent_videos, f"@{handle}'s videos")
            except _Failed as failed:
                yield ref, failed.missing
                continue
            yield ref, _profile(handle, user, videos[: self.recent_videos])

    def fetch_posts(self, refs: Iterable[PostRef]) -> Iterator[tuple[PostRef, FetchedPost | Missing]]:
        dated: list[tuple[date, PostRef]] = []
        for ref in refs:
            day = video_date(ref.external_id)
            if day is None:
                yield ref, Missing("not_found", f"{ref.external_id!r} is not a TikTok video id "
                                                "(the number in tiktok.com/@name/video/7301234567890123456)")
            else:
                dated.append((day, ref))
        for batch in _windows(sorted(dated, key=lambda d: d[0])):
            yield from self._batch(batch)

    # -- campaign videos ------------------------------------------------------------------------
    def _batch(self, batch: list[tuple[date, PostRef]]) -> Iterator[tuple[PostRef, FetchedPost | Missing]]:
        ids = list(dict.fromkeys(ref.external_id for _, ref in batch))
        start, end = batch[0][0] - timedelta(days=1), min(batch[-1][0] + timedelta(days=1), self._today())
        query = {"and": [{"operation": "IN", "field_name": "video_id", "field_values": ids}]}
        try:
            found = {str(v.get("id")): _post(v) for v in self._videos(query, start, end, len(ids), "campaign videos")}
        except _Failed as failed:
            for _, ref in batch:
                yield ref, failed.missing
            return
        for _, ref in batch:
            yield ref, found.get(ref.external_id) or Missing(
                "deleted", "TikTok returns no public video with this id: deleted or made private; "
                           "its last numbers are kept")

    # -- calls ----------------------------------------------------------------------------------
    def _videos(self, query: dict, start: date, end: date, want: int, what: str) -> list[dict[str, Any]]:
        """Videos matching `query` created between `start` and `end`, newest first, up to `want`."""
        body: dict[str, Any] = {"query": query, "start_date": start.strftime("%Y%m%d"),
                                "end_date": end.strftime("%Y%m%d"), "max_count": min(want, MAX_COUNT)}
        videos: list[dict[str, Any]] = []
        while True:
            data = self._call("research/video/query/", VIDEO_FIELDS, body, what)
            videos.extend(v for v in data.get("videos") or [] if isinstance(v, dict))
            if not data.get("has_more") or len(videos) >= want or not data.get("search_id"):
                break
            body = {**body, "cursor": data.get("cursor"), "search_id": data.get("search_id")}
        videos.sort(key=lambda v: as_int(v.get("create_time")) or 0, reverse=True)
        return videos

    def _call(self, path: str, fields: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        """POST a research call; its `data`, or _Failed, AuthRefused or Throttled."""
        for renewed in (False, True):
            headers = {"Authorization": f"Bearer {self._access_token(what)}"}
            try:
                response = self._http.post(path, params={"fields": fields}, json=body, headers=headers)
            except httpx.TransportError as exc:
                raise _Failed(Missing("error", f"TikTok did not answer for {what} ({no_answer(exc)}), "
                                               "even after retries")) from None
            answer = json_body(response)
            error = answer.get("error") if isinstance(answer, dict) else None
            code = str(error.get("code") or "") if isinstance(error, dict) else ""
            message = str(error.get("message") or "") if isinstance(error, dict) else ""
            if response.status_code == 200 and code in ("", "ok") and isinstance(answer.get("data"), dict):
                return answer["data"]
            if code == "access_token_invalid" and not renewed:
                self._access = None  # revoked or expired early: fetch a new one, once
                continue
            raise self._refusal(path, response.status_code, code, message, what)
        raise AssertionError("unreachable")

    def _refusal(self, path: str, status: int, code: str, message: str, what: str) -> Exception:
        if code == "access_token_invalid":
            return AuthRefused("TikTok refused a freshly issued access token (access_token_invalid): check that "
                               "the research project is still approved. The TikTok sync is stopped.")
        if code in _REFUSED_SCOPES:
            return AuthRefused(f"TikTok refused the Research API scope ({code}): the app behind TIKTOK_CLIENT_KEY "
                               "needs an approved research project. The TikTok sync is stopped.")
        if code == "rate_limit_exceeded" or status == 429:
            return Throttled("TikTok's Research API rate limit was reached (rate_limit_exceeded, still after "
                             "retries); the TikTok sync stopped and resumes on its next run.")
        log.warning("tiktok: %s refused: HTTP %s %s", what, status, code or "(no error code)")
        if code == "invalid_params" and path.startswith("research/user/"):
            reason = "private" if "private" in message.lower() else "not_found"
            return _Failed(Missing(reason, f"TikTok has no public account {what}: {message or code}"[:300]))
        answered = f"HTTP {status} {code}" if code else f"HTTP {status}"
        return _Failed(Missing("error", f"TikTok answered {answered} for {what}"[:300]))

    def _access_token(self, what: str) -> str:
        if self._access is not None and self._clock() < self._access[1]:
            return self._access[0]
        form = {"client_key": self._key, "client_secret": self._secret, "grant_type": "client_credentials"}
        try:
            response = self._http.post("oauth/token/", data=form)
        except httpx.TransportError as exc:
            raise _Failed(Missing("error", f"TikTok's token endpoint did not answer for {what} "
                                           f"({no_answer(exc)})")) from None
        answer = json_body(response)
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            error = answer.get("error") if isinstance(answer, dict) else None
            code = error if isinstance(error, str) else f"HTTP {response.status_code}"
            if response.status_code >= 500 or response.status_code == 429:
                raise _Failed(Missing("error", f"TikTok's token endpoint failed ({code}) for {what}"))
            raise AuthRefused(f"TikTok refused TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET ({code}): check them "
                              "in the research project's page. The TikTok sync is stopped.")
        lifetime = float(as_int(answer.get("expires_in")) or 7200)
        self._access = (token, self._clock() + max(lifetime - _TOKEN_MARGIN_S, 0.0))
        return token


def video_date(video_id: str) -> date | None:
    """The UTC day a TikTok video was created, read from its id (seconds in the top 32 bits)."""
    if not video_id.isdigit() or len(video_id) > 20:
        return None
    seconds = int(video_id) >> 32
    if seconds < 1_451_606_400:  # before 2016: not a TikTok video id
        return None
    return datetime.fromtimestamp(seconds, UTC).date()


def _windows(dated: list[tuple[date, PostRef]]) -> Iterator[list[tuple[date, PostRef]]]:
    """Runs of at most MAX_COUNT refs whose days, padded by a day each side, fit one query window."""
    batch: list[tuple[date, PostRef]] = []
    for item in dated:
        if batch and ((item[0] - batch[0][0]).days > WINDOW_DAYS - 3 or len(batch) >= MAX_COUNT):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def _username_is(handle: str) -> dict[str, Any]:
    return {"and": [{"operation": "EQ", "field_name": "username", "field_values": [handle]}]}


def _profile(handle: str, user: dict[str, Any], videos: list[dict[str, Any]]) -> FetchedProfile:
    return FetchedProfile(
        handle=handle,
        display_name=user.get("display_name") or None,
        followers=as_int(user.get("follower_count")),
        following=as_int(user.get("following_count")),
        posts_total=as_int(user.get("video_count")),
        bio=user.get("bio_description") or None,
        recent_posts=tuple(_post(v) for v in videos),
    )


def _post(video: dict[str, Any]) -> FetchedPost:
    created = as_int(video.get("create_time"))
    username = video.get("username")
    return FetchedPost(
        external_id=str(video.get("id")),
        published_at=datetime.fromtimestamp(created, UTC) if created is not None else None,
        views=as_int(video.get("view_count")),
        likes=as_int(video.get("like_count")),
        comments=as_int(video.get("comment_count")),
        shares=as_int(video.get("share_count")),
        caption=video.get("video_description") or None,
        url=f"https://www.tiktok.com/@{username}/video/{video.get('id')}" if username else None,
    )
