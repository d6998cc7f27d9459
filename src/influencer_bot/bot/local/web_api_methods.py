"""What the local Slack stand-in does for each Web API method: the workspace a user would see.

`LocalSlack` (web_api.py) serves HTTP, records calls and injects faults; this module holds the
visible state (messages per channel, response_urls, uploads) and the per-method behaviour
that changes it, answering the way Slack does, errors included. Kept apart so that teaching the
stand-in a new method touches only this file. Not thread-safe: LocalSlack calls it under its lock.
"""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

TEAM_ID, BOT_USER_ID, BOT_ID = "T0LOCAL", "UBOT", "BBOT"


class SlackWorkspace:
    """Channels, response_urls and uploads of one fake workspace, changed by Web API calls."""

    def __init__(self, base_url: Callable[[], str], *, default_tz: str, user_tz: dict[str, str]) -> None:
        self.base_url = base_url  # the server's address, known once it listens
        self.default_tz = default_tz
        self.user_tz = user_tz  # user id -> IANA zone, for users.info
        self._channels: dict[str, list[dict]] = defaultdict(list)
        self._response_urls: dict[str, dict[str, str | None]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._ts = itertools.count(1_700_000_000_000_100, 100)  # microseconds
        self._ids = itertools.count(1)

    def answer(self, method: str, params: dict) -> Any:
        """The body Slack would answer ``method`` with; unknown methods just succeed."""
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        return handler(params) if handler else {"ok": True}

    def new_response_url_id(self, target: dict[str, str | None]) -> str:
        rid = f"R{next(self._ids):06d}"
        self._response_urls[rid] = target
        return rid

    def messages(self, channel: str) -> list[dict]:
        return copy.deepcopy(self._channels.get(channel, []))

    def _next_ts(self) -> str:
        return "%d.%06d" % divmod(next(self._ts), 1_000_000)

    def _find(self, channel: str, ts: str) -> dict | None:
        return next((m for m in self._channels.get(channel, []) if m["ts"] == ts), None)

    @staticmethod
    def _content(params: dict) -> dict[str, Any]:
        return {k: params[k] for k in ("text", "blocks", "attachments", "thread_ts", "metadata") if k in params}

    def _add_message(self, channel: str, params: dict, **extra: Any) -> dict:
        msg = {"type": "message", "channel": channel, "ts": self._next_ts(), "user": BOT_USER_ID,
               "bot_id": BOT_ID, "team": TEAM_ID, "text": "", **self._content(params), **extra}
        self._channels[channel].append(msg)
        return msg

    def _m_chat_postMessage(self, p: dict) -> dict:
        if not p.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not any(p.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        msg = self._add_message(p["channel"], p)
        return {"ok": True, "channel": p["channel"], "ts": msg["ts"], "message": _public(msg)}

    def _m_chat_postEphemeral(self, p: dict) -> dict:
        if not p.get("channel") or not p.get("user"):
            return {"ok": False, "error": "channel_not_found" if not p.get("channel") else "user_not_found"}
        msg = self._add_message(p["channel"], p, ephemeral=True, user=p["user"])
        return {"ok": True, "message_ts": msg["ts"]}

    def _m_chat_update(self, p: dict) -> dict:
        msg = self._find(p.get("channel", ""), p.get("ts", ""))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        msg.update(self._content(p))
        msg["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {"ok": True, "channel": msg["channel"], "ts": msg["ts"], "text": msg.get("text", ""),
                "message": _public(msg)}

    def _m_chat_delete(self, p: dict) -> dict:
        msg = self._find(p.get("channel", ""), p.get("ts", ""))
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        self._channels[msg["channel"]].remove(msg)
        return {"ok": True, "channel": msg["channel"], "ts": msg["ts"]}

    def _m_auth_test(self, p: dict) -> dict:
        return {"ok": True, "url": "https://local.slack.com/", "team": "Local", "user": "influencer-bot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_users_info(self, p: dict) -> dict:
        uid = p.get("user", "")
        tz = self.user_tz.get(uid, self.default_tz)
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        return {"ok": True, "user": {"id": uid, "team_id": TEAM_ID, "name": uid.lower(), "deleted": False,
                                     "is_bot": uid == BOT_USER_ID, "tz": tz, "tz_label": tz,
                                     "tz_offset": int(offset.total_seconds()) if offset else 0}}

    def _m_conversations_info(self, p: dict) -> dict:
        cid = p.get("channel", "")
        return {"ok": True, "channel": {"id": cid, "name": cid.lower(), "is_channel": True, "is_private": False,
                                        "is_member": True, "is_archived": False}}

    _m_conversations_join = _m_conversations_info

    def _m_files_getUploadURLExternal(self, p: dict) -> dict:
        fid = f"F{next(self._ids):08d}"
        self._uploads[fid] = {"id": fid, "name": p.get("filename"), "size": int(p.get("length") or 0)}
        return {"ok": True, "file_id": fid, "upload_url": f"{self.base_url()}/upload/{fid}"}

    def _m_file_upload(self, p: dict) -> str:
        self._uploads.setdefault(p["file_id"], {"id": p["file_id"]})["data"] = p["data"]
        return f"OK - {len(p['data'])}"

    def _m_files_completeUploadExternal(self, p: dict) -> dict:
        files = []
        for item in p.get("files") or []:
            up = self._uploads.get(item.get("id", ""))
            if up is None or "data" not in up:
                return {"ok": False, "error": "file_not_found"}
            channels = [c for c in [p.get("channel_id"), *(p.get("channels") or "").split(",")] if c]
            files.append({"id": up["id"], "name": up["name"], "title": item.get("title") or up["name"],
                          "size": len(up["data"]), "channels": channels,
                          "url_private": f"{self.base_url()}/files/{up['id']}"})
        for channel in files[0]["channels"] if files else []:
            thread = {"thread_ts": p["thread_ts"]} if p.get("thread_ts") else {}
            self._add_message(channel, {"text": p.get("initial_comment", ""), **thread}, files=files)
        return {"ok": True, "files": files}

    def _m_response_url(self, p: dict) -> str:
        """Apply a response_url POST the way Slack shows it: replace, delete or add a message."""
        target = self._response_urls.get(p["response_url_id"], {})
        channel, ts = target.get("channel"), target.get("message_ts")
        original = self._find(channel, ts) if channel and ts else None
        if original is not None and _truthy(p.get("delete_original")):
            self._channels[channel].remove(original)
        elif original is not None and _truthy(p.get("replace_original")):
            for key in ("text", "blocks", "attachments"):
                original.pop(key, None)
            original.update(self._content(p))
            original.setdefault("text", "")
        elif channel and any(p.get(k) for k in ("text", "blocks", "attachments")):
            in_channel = p.get("response_type") == "in_channel"
            self._add_message(channel, p, **({} if in_channel else {"ephemeral": True, "user": target.get("user")}))
        return "ok"


def _truthy(value: Any) -> bool:
    return value in (True, "true", "1", 1)


def _public(msg: dict) -> dict:
    """A message as Slack returns it: without the fake's bookkeeping keys."""
    return {k: copy.deepcopy(v) for k, v in msg.items() if k not in ("channel", "ephemeral")}
