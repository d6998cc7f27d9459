"""A signed request body, read strictly before Bolt sees it: Slack's shapes, or a 400.

Bolt parses a body and routes it assuming Slack wrote it: invalid JSON in `payload`, a `user`
that is a list, an `actions` entry that is a string or a payload nested thousands deep raise
inside Bolt and become HTTP 500s with tracebacks. Slack never sends such bodies, so the edge
(bot/edge.py) reads every signed body here first and refuses anything that is not shaped like
a slash command, an interactivity payload or an Events API body (an event, or the URL
verification challenge) with 400, naming only where it went wrong (never
a value: bodies are not logged).

The checks cover what Bolt reads to route and build its context (type, team, user, channel,
enterprise, actions, view, message), plus limits no real payload comes near: nesting depth,
number of values, and strings that neither database can store (NUL, lone surrogates). Whether
a button's value points at a real row, and whether a click names its clicker, is for the
listener middleware to judge (handlers/button_values.py), where the user can be answered.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

MAX_DEPTH = 32  # a view_submission with rich-text blocks is about 10 deep
MAX_VALUES = 20_000  # every dict, list and scalar in the payload; a 100-block view is a few thousand
MAX_FORM_FIELDS = 100  # a slash command has 13


class Malformed(ValueError):
    """The body is not a Slack payload; `where` says which part (never its content)."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Ref(_Open):
    """team, user, channel, enterprise: Bolt reads their `id` (and a user's `team_id`)."""

    id: StrictStr | None = None
    team_id: StrictStr | None = None  # Bolt takes the workspace from user.team_id when `team` is missing


SlackId = Annotated[StrictStr, Field(max_length=255)]  # action_id, block_id, callback_id: Slack's limit
INTERACTIONS = Literal["block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut",
                       "message_action", "interactive_message", "dialog_submission", "dialog_cancellation",
                       "dialog_suggestion", "workflow_step_edit"]  # every interactivity payload type Slack sends


class _Action(_Open):
    action_id: SlackId
    block_id: SlackId | None = None
    value: StrictStr | None = None
    type: StrictStr | None = None


class _State(_Open):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class _View(_Open):
    type: StrictStr  # "modal" or "home"; Bolt reads it from every submitted view
    id: StrictStr | None = None
    callback_id: SlackId = None  # type: ignore[assignment]  # absent or a string (Bolt matches on it)
    private_metadata: StrictStr | None = None
    team_id: StrictStr | None = None
    state: _State | None = None


class _Message(_Open):
    ts: StrictStr | None = None
    user: StrictStr | None = None
    blocks: list[dict[str, Any]] | None = None


class _Interaction(_Open):
    """An interactivity payload (block_actions, view_submission, …) as far as routing goes."""

    type: INTERACTIONS
    team: _Ref | StrictStr | None = None
    team_id: StrictStr | None = None
    user: _Ref | None = None
    enterprise: _Ref | StrictStr | None = None
    channel: _Ref | None = None
    container: dict[str, Any] | None = None
    message: _Message | None = None
    # Bolt indexes these whenever the key is there (`"actions" in body` then body["actions"][0]): absent is
    # fine, null is not, so None is only their default, never an accepted value
    view: _View = None  # type: ignore[assignment]
    actions: Annotated[list[_Action], Field(min_length=1)] = None  # type: ignore[assignment]
    callback_id: SlackId | None = None
    trigger_id: StrictStr | None = None
    response_url: StrictStr | None = None
    api_app_id: StrictStr | None = None
    is_enterprise_install: StrictBool | StrictStr | None = None
    authorizations: list[dict[str, Any]] | None = None


class _Event(_Open):
    type: Annotated[StrictStr, Field(max_length=255)]  # what Bolt routes on: app_uninstalled, tokens_revoked, …


class _EventCallback(_Open):
    """An Events API delivery (https://api.slack.com/apis/events-api#callback-field)."""

    type: Literal["event_callback"]
    event: _Event
    team_id: StrictStr | None = None
    enterprise_id: StrictStr | None = None
    api_app_id: StrictStr | None = None
    event_id: StrictStr | None = None
    event_time: int | None = None
    context_team_id: StrictStr | None = None
    context_enterprise_id: StrictStr | None = None
    is_ext_shared_channel: StrictBool | None = None
    authorizations: list[dict[str, Any]] | None = None


class _UrlVerification(_Open):
    """The challenge Slack sends once when a Request URL is saved for event subscriptions."""

    type: Literal["url_verification"]
    challenge: Annotated[StrictStr, Field(max_length=255)]


_JSON_SHAPES: dict[str, type[BaseModel]] = {"event_callback": _EventCallback, "url_verification": _UrlVerification}


def _check_values(root: object) -> None:
    """Depth, size and strings, walked without recursion (a deep payload must not overflow the stack)."""
    stack: list[tuple[object, int]] = [(root, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise Malformed("too many values")
        if depth > MAX_DEPTH:
            raise Malformed(f"nested deeper than {MAX_DEPTH}")
        if isinstance(value, dict):
            stack.extend((k, depth + 1) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str) and ("\x00" in value or not value.isascii() and not _encodes(value)):
            raise Malformed("a string with NUL or a lone surrogate")


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or deeper than the parser goes
        raise Malformed(f"{where} is not JSON") from None
    if not isinstance(data, dict):
        raise Malformed(f"{where} is not a JSON object")
    return data


def _interaction(data: dict[str, Any], shapes: dict[str, type[BaseModel]] | None = None) -> dict[str, Any]:
    """An interactivity payload, or (a JSON body: `shapes`) an event or a URL verification."""
    _check_values(data)
    kind = data.get("type")
    model = (shapes or {}).get(kind) if isinstance(kind, str) else None
    try:
        (model or _Interaction).model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False, include_input=False)[0]
        raise Malformed("payload." + ".".join(str(p) for p in first["loc"])) from None
    return data


def parse(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The body as Bolt will see it, once it is known to be shaped like a Slack request."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("the body is not UTF-8") from None
    if not text:
        raise Malformed("the body is empty")
    if content_type == "application/json" or text.startswith("{"):
        return _interaction(_json(text, "the body"), _JSON_SHAPES)
    try:
        fields = parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict",
                           max_num_fields=MAX_FORM_FIELDS)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("the form encoding") from None
    form = dict(fields)
    if "payload" in form:
        return _interaction(_json(form["payload"], "payload"))
    _check_values(form)
    return form
