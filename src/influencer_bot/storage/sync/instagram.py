"""Instagram numbers through the Graph API's `business_discovery`: the team's own business
account (INSTAGRAM_USER_ID, with INSTAGRAM_ACCESS_TOKEN) looks up other accounts by username.

What it can and cannot give: only Business and Creator accounts are discoverable (a personal
account, or a username that does not exist, is `Missing("not_discoverable")`); a post's like
count is absent when its owner hides likes (likes None, never 0); there is no paid-partnership
flag for other accounts' media, so sponsored posts are recognised by their captions'
disclosures (influence/activity.py); and there is no lookup of a post by its URL, so a campaign
post is found among its creator's recent media by shortcode. The API has no batch by username:
one call per creator, paced by graph_pacing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from influencer_bot.storage.sync.answers import as_int, json_body, no_answer
from influencer_bot.storage.sync.fetched import (
    AuthRefused, CreatorRef, FetchedPost, FetchedProfile, Missing, PostRef, Throttled)
from influencer_bot.storage.sync.graph_pacing import THROTTLE_CODES, GraphPacer
from influencer_bot.storage.sync.http import redact

log = logging.getLogger(__name__)

USER_FIELDS = "id,username,name,biography,followers_count,follows_count,media_count"
MEDIA_FIELDS = ("id,caption,comments_count,like_count,media_type,media_product_type,"
                "permalink,timestamp,view_count")
POST_PAGE = 50  # media per call when looking for a campaign post
_HANDLE = re.compile(r"[A-Za-z0-9._]{1,30}")
_SHORTCODE = re.compile(r"/(?:p|reel|reels|tv)/([A-Za-z0-9_-]+)")
_NOT_DISCOVERABLE_CODE, _NOT_DISCOVERABLE_SUBCODE = 110, 2207013
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PERMISSION_CODES = frozenset({10, *range(200, 300)})


class InstagramClient:
    """PlatformClient for Instagram. `sleep` (through `pacer`) is injectable for tests."""

    platform = "instagram"

    def __init__(self, access_token: str, ig_user_id: str, http: httpx.Client, recent_media: int = 12,
                 *, pacer: GraphPacer | None = None, post_pages: int = 3) -> None:
        self._token = access_token
        self._user_id = ig_user_id
        self._http = http
        self.recent_media = recent_media
        self.pacer = pacer or GraphPacer()
        self.post_pages = post_pages

    # -- the contract ---------------------------------------------------------------------------
    def fetch_profiles(self, refs: Iterable[CreatorRef]) -> Iterator[tuple[CreatorRef, FetchedProfile | Missing]]:
        for ref in refs:
            handle = ref.handle.strip().lstrip("@")
            if not _HANDLE.fullmatch(handle):
                yield ref, Missing("not_found", f"{ref.handle!r} cannot be an Instagram username "
                                                "(letters, digits, . and _, at most 30), e.g. @blue.bottle")
                continue
            media = f"media.limit({self.recent_media}){{{MEDIA_FIELDS}}}"
            found = self._discover(handle, f"{USER_FIELDS},{media}")
            yield ref, found if isinstance(found, Missing) else _profile(handle, found)

    def fetch_posts(self, refs: Iterable[PostRef]) -> Iterator[tuple[PostRef, FetchedPost | Missing]]:
        """Posts are found by shortcode among their owner's media, one owner at a time."""
        by_owner: dict[str, list[PostRef]] = {}
        for ref in refs:
            owner = (ref.creator_handle or "").strip().lstrip("@").lower()
            if not _HANDLE.fullmatch(owner):
                yield ref, Missing("not_found", "an Instagram post is found through its creator's account, "
                                                "and this post has no valid creator handle")
                continue
            by_owner.setdefault(owner, []).append(ref)
        for owner, owner_refs in by_owner.items():
            yield from self._owner_posts(owner, owner_refs)

    # -- one owner's posts ----------------------------------------------------------------------
    def _owner_posts(self, owner: str, refs: list[PostRef]) -> Iterator[tuple[PostRef, FetchedPost | Missing]]:
        wanted = {ref.external_id: ref for ref in refs}
        found: dict[str, FetchedPost] = {}
        seen, after, exhausted = 0, None, False
        for _ in range(max(self.post_pages, 1)):
            cursor = f".after({after})" if after else ""
            page = self._discover(owner, f"media{cursor}.limit({POST_PAGE}){{{MEDIA_FIELDS}}}")
            if isinstance(page, Missing):
                for ref in refs:
                    yield ref, page
                return
            media = page.get("media") or {}
            items = media.get("data") or []
            seen += len(items)
            for item in items:
                post = _post(item)
                if post.external_id in wanted:
                    found[post.external_id] = post
            after = ((media.get("paging") or {}).get("cursors") or {}).get("after")
            exhausted = len(items) < POST_PAGE or not after
            if exhausted or len(found) == len(wanted):
                break
        for code, ref in wanted.items():
            if code in found:
                yield ref, found[code]
            elif exhausted:
                yield ref, Missing("deleted", f"no longer among @{owner}'s {seen} posts: deleted or archived "
                                              "by its owner; its last numbers are kept")
            else:
                yield ref, Missing("not_recent", f"not among @{owner}'s {seen} most recent posts; "
                                                 "its last numbers are kept")

    # -- the call -------------------------------------------------------------------------------
    def _discover(self, handle: str, fields: str) -> dict[str, Any] | Missing:
        """One business_discovery call, throttling waited out; per-account failures as Missing."""
        params = {"fields": f"business_discovery.username({handle}){{{fields}}}", "access_token": self._token}
        attempt = 0
        while True:
            try:
                response = self._http.get(self._user_id, params=params)
            except httpx.TransportError as exc:
                log.warning("instagram: no answer for @%s: %s", handle, type(exc).__name__)
                return Missing("error", f"Instagram did not answer for @{handle} ({no_answer(exc)}), "
                                        "even after retries")
            body = json_body(response)
            code, subcode, message = _error_parts(body.get("error") if isinstance(body, dict) else None)
            if code in THROTTLE_CODES:
                self.pacer.throttled(response.headers, code, attempt)
                attempt += 1
                continue
            self.pacer.after(response.headers)
            if response.status_code == 200 and isinstance(body, dict) and "business_discovery" in body:
                return body["business_discovery"]
            return self._refusal(handle, response.status_code, code, subcode, message)

    def _refusal(self, handle: str, status: int, code: int | None, subcode: int | None, message: str) -> Missing:
        if code == 190:
            raise AuthRefused("Instagram refused the access token (expired or revoked, Graph API code 190): "
                              "create a new one and set INSTAGRAM_ACCESS_TOKEN. The Instagram sync is stopped "
                              "until then.")
        if code in _PERMISSION_CODES:
            raise AuthRefused(f"Instagram refused the access token's permissions (Graph API code {code}): it needs "
                              "instagram_basic and business discovery access. The Instagram sync is stopped.")
        if code == 100 and subcode == 33:
            raise AuthRefused("Instagram does not know INSTAGRAM_USER_ID or the token cannot use it: set it to "
                              "your own business account's Instagram user id (e.g. 17841405309211844).")
        if code == 368:
            raise Throttled("Instagram temporarily blocked this app (Graph API code 368); the Instagram sync "
                            "stopped and resumes on its next run.")
        if code == _NOT_DISCOVERABLE_CODE or subcode == _NOT_DISCOVERABLE_SUBCODE:
            return Missing("not_discoverable", f"@{handle} is not an Instagram business or creator account (or "
                                               "does not exist): only those can be looked up")
        what = f"code {code}: {message}" if code is not None else f"HTTP {status}"
        log.warning("instagram: @%s refused: %s", handle, redact(what))
        return Missing("error", redact(f"Instagram answered {what} for @{handle}")[:300])


def _profile(handle: str, found: dict[str, Any]) -> FetchedProfile:
    posts = [_post(item) for item in (found.get("media") or {}).get("data") or []]
    posts.sort(key=lambda p: p.published_at or _EPOCH, reverse=True)
    return FetchedProfile(
        handle=found.get("username") or handle,
        platform_id=_str(found.get("id")),
        display_name=found.get("name") or None,
        followers=as_int(found.get("followers_count")),
        following=as_int(found.get("follows_count")),
        posts_total=as_int(found.get("media_count")),
        bio=found.get("biography") or None,
        recent_posts=tuple(posts),
    )


def _post(item: dict[str, Any]) -> FetchedPost:
    """external_id is the permalink's shortcode (what campaign URLs carry), else the media id."""
    permalink = item.get("permalink") or None
    code = _SHORTCODE.search(permalink or "")
    return FetchedPost(
        external_id=code.group(1) if code else str(item.get("id")),
        published_at=_time(item.get("timestamp")),
        views=as_int(item.get("view_count")),
        likes=as_int(item.get("like_count")),  # omitted when the owner hides likes
        comments=as_int(item.get("comments_count")),
        caption=item.get("caption") or None,
        paid_partnership=None,  # not exposed for other accounts' media: captions decide
        url=permalink,
    )


def _error_parts(error: Any) -> tuple[int | None, int | None, str]:
    if not isinstance(error, dict):
        return None, None, ""
    return as_int(error.get("code")), as_int(error.get("error_subcode")), str(error.get("message") or "")


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _time(value: Any) -> datetime | None:
    """Graph timestamps look like 2023-06-01T16:01:55+0000."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
