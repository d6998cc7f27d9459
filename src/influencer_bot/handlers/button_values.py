"""What a button's value (or a modal's private_metadata) points at, and how a click on one is read.

A value is compact JSON of ids only, `{"shortlist":7,"item":42}`, built and read by the same
typed reference below so the two never drift apart. It is never trusted: `reread`, a Bolt
listener middleware given at registration, parses it, re-reads the row it points at within
the clicker's workspace, and only then hands the listener the typed reference
(`pointed(context, ItemRef)`). Anything else (a stale, deleted, forged or malformed value, or
another workspace's id) is answered here, once, with STALE, and the listener never runs; a
database that does not answer within `Services.db_request_timeout_s` is said so, and acked.
A click or submission that does not say who made it (no `user.id`) is refused with HTTP 400
and nothing recorded: Bolt would otherwise take the clicker from the message, i.e. the bot. So is
a click without a response_url or trigger_id: there would be no way to answer the clicker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from slack_bolt import Ack, BoltContext, BoltResponse, Respond
from sqlalchemy.orm import Session

from ..influence.errors import UserError
from ..storage.db_bounds import deadline
from ..storage.shortlists import find_item, find_shortlist
from .replies import ephemeral, form_error, report
from .services import Services

STALE = "That button is no longer valid. Run the search again: `/influencer find vegan baking 2000`."
MAX_VALUE = 2_000  # Slack caps a button's value there; ours are a few dozen characters
MAX_ID = 2**63 - 1  # ids are BIGINT
USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")  # Slack user ids: U… (or W… on Enterprise Grid)


def parse_id(raw: object) -> int | None:
    """A database id from a value Slack echoes back (a select option's value, a JSON field): a positive
    integer below 2^63, given as an int or as decimal digits; anything else (huge, negative, a float,
    a boolean, text) is None."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 19:
        raw = int(raw)
    return raw if type(raw) is int and 0 < raw <= MAX_ID else None


def form_input(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """A modal input's state as submitted ({"value": …} or {"selected_option": {…}}); {} when absent or not
    shaped like Slack's, so a listener reads a missing answer, never a TypeError."""
    state = view.get("state")
    found: object = state.get("values") if isinstance(state, dict) else None
    for key in (block_id, action_id):
        found = found.get(key) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else {}


def _answerable(body: dict[str, Any]) -> bool:
    """Whether a click carries what its answer needs: a response_url, and a trigger_id to open a modal with."""
    url, trigger = body.get("response_url"), body.get("trigger_id")
    if not isinstance(url, str) or not isinstance(trigger, str) or not trigger:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def clicker(body: dict[str, Any]) -> str | None:
    """Who clicked or submitted, as the payload's own `user.id` says (never the message's author)."""
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    return user_id if isinstance(user_id, str) and USER_ID.fullmatch(user_id) else None


def _key(name: str) -> Any:
    """A reference's id field, stored under `name` in the JSON value."""
    return field(metadata={"key": name})


class ButtonRef:
    """What a value points at: a frozen dataclass whose fields are ids, each stored under its `_key`."""

    __slots__ = ()

    def value(self) -> str:
        return json.dumps({f.metadata["key"]: getattr(self, f.name) for f in fields(self)},  # type: ignore[arg-type]
                          separators=(",", ":"))

    @classmethod
    def parse(cls, raw: object) -> Self | None:
        """The reference `raw` spells, or None: every id present, a positive integer (not a boolean) below 2^63.

        Keys it does not know are ignored, so values written with more ids than it needs still read.
        """
        if not isinstance(raw, str) or len(raw) > MAX_VALUE:
            return None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            return None
        if not isinstance(data, dict):
            return None
        ids = {f.name: data.get(f.metadata["key"]) for f in fields(cls)}  # type: ignore[arg-type]
        if not all(type(v) is int and parse_id(v) for v in ids.values()):
            return None
        return cls(**ids)

    def exists(self, session: Session, team_id: str) -> bool:
        """Whether the row it points at is there, in this workspace."""
        raise NotImplementedError


R = TypeVar("R", bound=ButtonRef)


@dataclass(frozen=True, slots=True)
class ShortlistRef(ButtonRef):
    """A shortlist's buttons (Replace rejected, Add approved to campaign) and the campaign modal."""

    shortlist_id: int = _key("shortlist")

    def exists(self, session: Session, team_id: str) -> bool:
        return find_shortlist(session, team_id, self.shortlist_id) is not None


@dataclass(frozen=True, slots=True)
class ItemRef(ButtonRef):
    """A creator's Approve / Reject buttons: the item, and the shortlist it must still be on."""

    shortlist_id: int = _key("shortlist")
    item_id: int = _key("item")

    def exists(self, session: Session, team_id: str) -> bool:
        item = find_item(session, team_id, self.item_id)
        return item is not None and item.shortlist_id == self.shortlist_id


REF = "button_ref"  # where `reread` leaves the reference in the BoltContext


def _reread(kind: type[R], raw: object, context: BoltContext) -> R:
    """The reference `raw` spells, once its row is found in the clicker's workspace; else UserError(STALE)."""
    ref = kind.parse(raw)
    services: Services = context["services"]
    team_id = context.team_id if isinstance(context.team_id, str) else ""
    with deadline(services.db_request_timeout_s), services.sessions() as session:  # before the ack: Slack waits 3 s
        if ref is None or not ref.exists(session, team_id):
            raise UserError(STALE)
    return ref


def reread(kind: type[ButtonRef], *, form_field: str = "") -> Callable[..., BoltResponse | None]:
    """Listener middleware: a click, or a modal's submission (its errors shown under `form_field`), goes on
    to its listener only if its value names a `kind` row that exists in the clicker's workspace."""

    def middleware(ack: Ack, body: dict[str, Any], payload: dict[str, Any], respond: Respond, context: BoltContext,
                   next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002 (Bolt injects it by this name)
        is_form = body.get("type") == "view_submission"
        what = f"{body.get('type')} {payload.get('callback_id' if is_form else 'action_id')}"
        if clicker(body) is None or clicker(body) != context.user_id:
            # no one to answer: Slack always names the clicker, so this did not come from a Slack client
            return BoltResponse(status=400, body={"error": "the request does not say who clicked"})
        if not is_form and not _answerable(body):  # Slack sends both with every click on a message's button
            return BoltResponse(status=400, body={"error": "the click has no response_url or trigger_id"})
        try:
            context[REF] = _reread(kind, payload.get("private_metadata" if is_form else "value"), context)
        except Exception as failure:  # stale, or the re-read itself failed: answered here, never an HTTP 500
            if is_form:
                return form_error(ack, form_field, failure, what)
            report(ephemeral(respond), failure, what)
            return ack()
        return next()

    return middleware


def pointed(context: BoltContext, kind: type[R]) -> R:
    """The reference `reread` checked for this request's listener."""
    ref = context[REF]
    if not isinstance(ref, kind):
        raise TypeError(f"the listener expected a {kind.__name__}, its middleware gave {type(ref).__name__}")
    return ref
