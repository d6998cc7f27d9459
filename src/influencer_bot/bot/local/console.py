"""`influencer-bot console` and `influencer-bot ask`: the app without a Slack account.

What you type goes through the same Bolt app as Slack's requests (signed, dispatched);
what the app sends to Slack is caught by the local Web API and shown as text.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from ...handlers.ids import ViewId
from .driver import Button, Exchange, LocalDriver, reject_values
from .render_text import plain, render_message

BANNER = """influencer-bot console: type what you would type in Slack, e.g.
  /influencer find vegan baking 2000
  /influencer creator <handle>
A number clicks the button with that number (Reject then asks for a reason and a note;
an empty reason cancels, as closing the modal does); `:user U123` acts as another user;
`:show` shows the channel again; `:quit` (or Ctrl-D) leaves."""


def describe(driver: LocalDriver, exchange: Exchange) -> tuple[str, list[Button]]:
    """The ack and every message the exchange produced, as text; buttons numbered from 1."""
    parts: list[str] = []
    buttons: list[Button] = []
    if exchange.ack and (exchange.ack.get("text") or exchange.ack.get("blocks")):
        text, found = render_message({"ephemeral": True, **exchange.ack}, driver.channel_id, len(buttons) + 1)
        parts.append(text)
        buttons += found
    for call in exchange.calls:
        method, params = call["method"], call["params"]
        if method in ("chat.postMessage", "chat.update"):
            channel = params.get("channel", driver.channel_id)
            ts = params.get("ts")
            # an update names its message; a new post is the latest one with its text (a file
            # shared in its thread afterwards is a later message, shown by its own call below)
            shown = next((m for m in reversed(driver.messages(channel))
                          if (m.get("ts") == ts if ts else m.get("text") == params.get("text"))), None)
            if shown is None:
                continue
            text, found = render_message(shown, channel, len(buttons) + 1)
            parts.append(("(message updated)\n" if method == "chat.update" else "") + text)
            buttons += found
        elif method == "response_url":
            text, found = render_message({"ephemeral": params.get("response_type") != "in_channel", **params},
                                         driver.channel_id, len(buttons) + 1)
            parts.append(text)
            buttons += found
        elif method == "files.completeUploadExternal":
            parts.append(f"[file uploaded: {params.get('files')}]")
    return "\n\n".join(p for p in parts if p.strip()), buttons


def exchange_json(exchange: Exchange) -> list[dict[str, Any]]:
    """Exactly what the app sent: the ack (HTTP response) first, then each Web API call."""
    sent: list[dict[str, Any]] = []
    if exchange.ack is not None:
        sent.append({"method": "ack", "params": exchange.ack})
    sent.extend(exchange.calls)
    return sent


def run_console(driver: LocalDriver, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    print(BANNER, file=stdout)
    buttons: list[Button] = []
    user = driver.user_id
    interactive = stdin.isatty()
    while True:
        if interactive:
            stdout.write(f"\n[{user}]> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            print(file=stdout)
            return 0
        line = line.strip()
        if not line:
            continue
        if line in (":quit", ":q", "exit", "quit"):
            return 0
        if line.startswith(":user"):
            user = line.split(maxsplit=1)[1].strip() if len(line.split()) > 1 else driver.user_id
            print(f"Now acting as {user}.", file=stdout)
            continue
        if line == ":show":
            shown = driver.messages()
            if not shown:
                print("(no messages in this channel yet)", file=stdout)
                continue
            text, buttons = render_message(shown[-1], driver.channel_id)
            print(text, file=stdout)
            continue
        if line.isdigit():
            n = int(line)
            if not 1 <= n <= len(buttons):
                print(f"There is no button {n}." + (f" Pick 1–{len(buttons)}." if buttons else ""), file=stdout)
                continue
            exchange = driver.click(buttons[n - 1], user_id=user)
            submitted = _answer_reject_modal(driver, exchange, stdin, stdout, user, interactive)
            if submitted is None:
                continue
            exchange = submitted
        elif line.startswith("/influencer"):
            exchange = driver.command(line.removeprefix("/influencer").strip(), user_id=user)
        else:
            print("Commands start with /influencer, e.g. /influencer find vegan baking 2000", file=stdout)
            continue
        text, found = describe(driver, exchange)
        if found:
            buttons = found
        print(text or "(nothing was sent)", file=stdout)


def _ask(stdin: TextIO, stdout: TextIO, prompt: str) -> str:
    stdout.write(prompt)
    stdout.flush()
    return stdin.readline().strip()


def _answer_reject_modal(driver: LocalDriver, exchange: Exchange, stdin: TextIO, stdout: TextIO, user: str,
                         interactive: bool) -> Exchange | None:
    """If the click opened the reject modal, fill it in from the next lines and submit it: the exchange to show,
    or None when the reason was left empty (the modal closed: nothing is recorded). Other clicks pass through."""
    views = [c["params"]["view"] for c in exchange.calls if c["method"] == "views.open"]
    view = views[-1] if views else None
    if not isinstance(view, dict) or view.get("callback_id") != ViewId.REJECT:
        return exchange
    options = [o for b in view["blocks"] if b.get("type") == "input" and b["element"].get("type") == "radio_buttons"
               for o in b["element"]["options"]]
    print("Why reject? " + " ".join(f"{n}) {o['text']['text']}" for n, o in enumerate(options, 1)), file=stdout)
    while True:
        picked = _ask(stdin, stdout, "Reason number (empty cancels): " if interactive else "")
        if not picked:
            print("Cancelled: nothing recorded.", file=stdout)
            return None
        if picked.isdigit() and 1 <= int(picked) <= len(options):
            break
        print(f"Type a number from 1 to {len(options)}.", file=stdout)
    note = _ask(stdin, stdout, "Note (optional, Enter for none): " if interactive else "")
    answered = driver.submit_view(view, reject_values(options[int(picked) - 1]["value"], note), user_id=user)
    errors = (answered.ack or {}).get("errors")
    if errors:
        print("Not recorded: " + " ".join(errors.values()), file=stdout)
    return answered


def run_ask(driver: LocalDriver, command: str, *, as_json: bool, stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    text = command.strip()
    if not text.startswith("/influencer"):
        print('ask runs one slash command, e.g.: influencer-bot ask "/influencer find vegan baking 2000"',
              file=sys.stderr)
        return 2
    exchange = driver.command(text.removeprefix("/influencer").strip())
    if as_json:
        json.dump(exchange_json(exchange), stdout, indent=2, ensure_ascii=False, default=str)
        stdout.write("\n")
    else:
        described, _ = describe(driver, exchange)
        print(plain(described) or "(nothing was sent)", file=stdout)
    return 0 if exchange.status == 200 else 1
