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


def _logged(failure: Exception, what: str) -> str:
    """Log an unexpected failure once, under a new error id the user is given to quote."""
    error_id = new_error_id()
    log.error("%s failed (error id %s)", what, error_id, exc_info=failure)
    return error_id


def report(reply: Callable[[str], Any], failure: Exception, what: str) -> None:
    """Tell the user about a failure: a UserError in its own words, anything else as an apology quoting
    the id under which it was logged. If even that reply cannot be sent, the log has it."""
    text = user_error_text(failure) if isinstance(failure, UserError) else apology(_logged(failure, what))
    try:
        reply(text)
    except Exception:
        log.exception("could not deliver the reply to a failed %s", what)


@contextmanager
def replies_on_failure(reply: Callable[[str], Any], what: str) -> Iterator[None]:
    """Run listener work after the ack; report any failure to the user, once."""
    try:
        yield
    except Exception as failure:
        report(reply, failure, what)


def form_error(ack: Callable[..., Any], field: str, failure: Exception, what: str) -> Any:
    """Answer a modal's submission with its failure shown under `field` (a UserError's words, or an apology)."""
    text = failure.message if isinstance(failure, UserError) else (
        f"Sorry, something went wrong (error id {_logged(failure, what)}).")
    return ack(response_action="errors", errors={field: text[:150]})


def ephemeral(respond: Callable[..., Any]) -> Callable[[str], Any]:
    """A reply function that answers only the person who asked."""
    return lambda text: respond(text=text, response_type="ephemeral", replace_original=False)
