"""Drive the real Bolt app as Slack would, against the local Web API fake.

Used by `influencer-bot console`, `influencer-bot ask` and the tests: requests are
signed exactly as Slack signs them and go through `App.dispatch`, and everything the
app sends lands in `LocalSlack`, where it can be shown or asserted on.

The app runs as it does for Slack: `dispatch` returns with the ack while the work the listener
handed over goes on in the work queue (bot/work_queue.py). The driver gives the app its own queue
and waits until it is idle before it collects the Web API calls of the request, so an `Exchange`
holds everything the request produced.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import App, BoltRequest

from ...handlers.ids import ActionId, BlockId
from ...handlers.services import Services
from ..app import create_app
from ..edge import SlackEdge
from ..slack_client import SlackPolicy, responder
from ..work_queue import WorkQueue
from .signing import SlackBody, edge_environ, block_actions_body, sign_request, slash_command_body, view_submission_body
from .web_api import LocalSlack

LOCAL_USER = "U0LOCAL"
LOCAL_CHANNEL = "C0LOCAL"


@dataclass(frozen=True, slots=True)
class Button:
    channel: str
    message_ts: str
    action_id: str
    block_id: str | None
    value: str | None
    text: str
    ephemeral: bool = False


@dataclass
class Exchange:
    """What one request produced: the HTTP answer (the ack) and the Web API calls made, those of
    the work after the ack included (the driver waits for it)."""

    status: int
    ack: dict[str, Any] | None
    calls: list[dict[str, Any]] = field(default_factory=list)


def buttons_of(message: dict[str, Any], channel: str) -> list[Button]:
    found = []
    for block in message.get("blocks") or []:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if isinstance(element, dict) and element.get("type") == "button":
                text = element.get("text", {}).get("text", "")
                found.append(Button(channel, message["ts"], element["action_id"], block.get("block_id"),
                                    element.get("value"), text, bool(message.get("ephemeral"))))
    return found


class LocalDriver:
    def __init__(self, services: Services, *, team_id: str, user_id: str = LOCAL_USER,
                 channel_id: str = LOCAL_CHANNEL, slack: LocalSlack | None = None,
                 slack_policy: SlackPolicy = SlackPolicy(), work: WorkQueue | None = None) -> None:
        self.team_id, self.user_id, self.channel_id = team_id, user_id, channel_id
        self._own_slack = slack is None
        self.slack = slack or LocalSlack()
        self.signing_secret = secrets.token_hex(16)
        self.services = replace(services, respond_to=responder(slack_policy))  # as bot/runtime.py builds it
        self.slack_policy = slack_policy  # timeouts and retries of the app's Slack calls
        self.app: App | None = None
        self.work = work  # the app's work queue (one of the driver's own unless given)

    def __enter__(self) -> LocalDriver:
        if self._own_slack:
            self.slack.start()
        self.work = self.work or WorkQueue(record_errors=True)
        self.app = create_app(self.services, token="xoxb-local", signing_secret=self.signing_secret,
                              api_url=self.slack.api_url, work=self.work, slack_policy=self.slack_policy)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.work is not None:
            self.work.close()
        if self._own_slack:
            self.slack.stop()

    def dispatch(self, body: SlackBody, *, headers: dict[str, str] | None = None,
                 extra_headers: dict[str, str] | None = None) -> Exchange:
        """Send one request (signed with the app's secret unless `headers` are given), wait for
        the work after its ack, and return what it produced.

        An error that escaped the work after the ack is raised here: Slack would show it to
        nobody, so a test must not pass over it.
        """
        assert self.app is not None and self.work is not None, "use LocalDriver as a context manager"
        before = len(self.slack.calls)
        sent = {**(headers or sign_request(body, self.signing_secret)), **(extra_headers or {})}
        response = self.app.dispatch(BoltRequest(body=body.text, headers=sent))
        self.work.wait_until_idle()
        errors = self.work.take_errors()
        if errors:
            raise errors[0]
        try:
            ack = json.loads(response.body) if response.body else None
        except ValueError:
            ack = {"text": response.body}
        calls = [{"method": c.method, **({"url": c.params.get("response_url_id")} if c.method == "response_url" else {}),
                  "params": {k: v for k, v in c.params.items() if k not in ("token", "response_url_id")}}
                 for c in self.slack.calls[before:] if not c.failed]
        return Exchange(response.status, ack, calls)

    def through_edge(self, raw: bytes, headers: dict[str, str]) -> Exchange:
        """Send raw bytes with `headers` as an HTTP POST to /slack/events, through the production edge
        (bot/edge.py: size, signature and shape checks) in this process, and wait for the work after it."""
        assert self.app is not None and self.work is not None, "use LocalDriver as a context manager"
        before = len(self.slack.calls)
        environ = edge_environ(raw, headers)
        answer: dict[str, Any] = {}
        body = b"".join(SlackEdge(self.app, signing_secret=self.signing_secret)(
            environ, lambda status, _headers, *_: answer.setdefault("status", int(status.split()[0]))))
        self.work.wait_until_idle()
        errors = self.work.take_errors()
        if errors:
            raise errors[0]
        try:
            ack = json.loads(body) if body else None
        except ValueError:
            ack = {"text": body.decode("utf-8", "replace")}
        calls = [{"method": c.method, "params": c.params} for c in self.slack.calls[before:] if not c.failed]
        return Exchange(answer["status"], ack, calls)

    def command(self, text: str, *, user_id: str | None = None, channel_id: str | None = None) -> Exchange:
        channel = channel_id or self.channel_id
        user = user_id or self.user_id
        body = slash_command_body(team_id=self.team_id, user_id=user, channel_id=channel, text=text,
                                  response_url=self.slack.new_response_url(channel=channel, user=user))
        return self.dispatch(body)

    def click(self, button: Button, *, user_id: str | None = None) -> Exchange:
        user = user_id or self.user_id
        message = next((m for m in self.slack.messages(button.channel) if m.get("ts") == button.message_ts), None)
        if message is None:
            raise LookupError("that message is gone")
        body = block_actions_body(
            team_id=self.team_id, user_id=user, channel_id=button.channel, message=message,
            action={"action_id": button.action_id, "block_id": button.block_id, "value": button.value},
            response_url=self.slack.new_response_url(message_ts=button.message_ts, channel=button.channel, user=user),
        )
        return self.dispatch(body)

    def opened_views(self) -> list[dict[str, Any]]:
        """Every modal the app opened with views.open, oldest first, as it sent them."""
        return [c.params["view"] for c in self.slack.calls_to("views.open") if not c.failed]

    def submit_view(self, view: dict[str, Any], values: dict[str, dict[str, dict]], *,
                    user_id: str | None = None) -> Exchange:
        """Press a modal's submit button with `values` as its state ({block_id: {action_id: {...}}})."""
        body = view_submission_body(team_id=self.team_id, user_id=user_id or self.user_id, view=view, values=values)
        return self.dispatch(body)

    def reject(self, button: Button, reason: str = "off_brand", note: str = "", *,
               user_id: str | None = None) -> Exchange:
        """Click a Reject button and submit the modal it opens with `reason` (a code of influence/rejection.py)
        and `note`; the click's own exchange if it opened no modal (someone decided first, or a stale button)."""
        opened = len(self.opened_views())
        clicked = self.click(button, user_id=user_id)
        views = self.opened_views()[opened:]
        if not views:
            return clicked
        return self.submit_view(views[-1], reject_values(reason, note), user_id=user_id)

    def messages(self, channel_id: str | None = None) -> list[dict[str, Any]]:
        return self.slack.messages(channel_id or self.channel_id)


def reject_values(reason: str, note: str = "") -> dict[str, dict[str, dict]]:
    """The reject modal's state as Slack submits it: the picked reason and the note as typed."""
    return {BlockId.REJECT_REASON: {ActionId.REJECT_REASON: {"type": "radio_buttons",
                                                             "selected_option": {"value": reason}}},
            BlockId.REJECT_NOTE: {ActionId.REJECT_NOTE: {"type": "plain_text_input", "value": note or None}}}
