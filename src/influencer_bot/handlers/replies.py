"""Turning failures into replies a person can act on; never a stack trace in Slack.

A `UserError` becomes its message (and example) as an ephemeral reply. Anything else
is logged once with a short error id, and the user gets an apology quoting that id
so an admin can find the log line.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..influence.errors import UserError

log = logging.getLogger("influencer_bot.handlers")


def user_error_text(err: UserError) -> str:
    text = f":warning: {err.message}"
    if err.example:
        text += f"\nTry: `{err.example}`"
    return text


def apology(error_id: str) -> str:
    return (f":x: Sorry, something went wrong on our side (error id `{error_id}`). "
            "Please try again; if it keeps happening, give that id to your admin.")


def new_error_id() -> str:
    return secrets.token_hex(4)


@contextmanager
def replies_on_failure(reply: Callable[[str], Any], what: str) -> Iterator[None]:
    """Run listener work after the ack; report any failure to the user, once."""
    try:
        yield
    except UserError as err:
        reply(user_error_text(err))
    except Exception:
        error_id = new_error_id()
        log.exception("%s failed (error id %s)", what, error_id)
        try:
            reply(apology(error_id))
        except Exception:  # the apology itself could not be delivered: the log has it
            log.exception("could not deliver the apology for error id %s", error_id)


def ephemeral(respond: Callable[..., Any]) -> Callable[[str], Any]:
    """A reply function that answers only the person who asked."""
    return lambda text: respond(text=text, response_type="ephemeral", replace_original=False)
