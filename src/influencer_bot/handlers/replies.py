"""Turning failures into replies a person can act on; never a stack trace in Slack.

A `UserError` becomes its message (and example) as an ephemeral reply. A database that is
down or did not answer is said plainly (nothing was changed, or, if it stopped during the
commit, that it cannot be known). Anything else is logged once under the request's id
(handlers/request_id.py), and the user gets an apology quoting that id, so an admin greps
one string. No failure text says "try again" unless nothing was done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..influence.errors import UserError
from ..storage.db_bounds import DatabaseHung, is_unavailable
from . import request_id

log = logging.getLogger("influencer_bot.handlers")


def user_error_text(err: UserError) -> str:
    text = f":warning: {err.message}"
    if err.example:
        text += f"\nTry: `{err.example}`"
    return text


def apology(error_id: str) -> str:
    return (f":x: Sorry, something went wrong on our side (error id `{error_id}`). "
            "If it keeps happening, give that id to your admin.")


def database_unavailable(error_id: str) -> str:
    return (":warning: The database is not answering right now, so nothing was changed. "
            f"Please try again in a few minutes (error id `{error_id}`).")


def database_stopped_mid_save(error_id: str) -> str:
    return (":warning: The database stopped answering while saving this, so I can't tell whether it was "
            f"saved. Look again in a few minutes before you repeat it (error id `{error_id}`).")


def new_error_id() -> str:
    """The id a user quotes: the id of the Slack request being handled (its log lines carry it)."""
    return request_id.current() or request_id.new_id()


def _logged(failure: BaseException, what: str) -> str:
    """Log an unexpected failure once, under the error id the user is given to quote."""
    error_id = new_error_id()
    log.error("%s failed (error id %s)", what, error_id, exc_info=failure)
    return error_id


def failure_text(failure: BaseException, what: str) -> str:
    """What the user is told about `failure` (logged first, unless it is the user's own mistake)."""
    if isinstance(failure, UserError):
        return user_error_text(failure)
    if isinstance(failure, DatabaseHung) and failure.maybe_committed:
        error_id = new_error_id()
        log.error("%s: the database stopped answering during a commit (error id %s)", what, error_id)
        return database_stopped_mid_save(error_id)
    if is_unavailable(failure):
        error_id = new_error_id()
        log.error("%s: the database is unavailable (error id %s): %s", what, error_id, failure)
        return database_unavailable(error_id)
    return apology(_logged(failure, what))


def report(reply: Callable[[str], Any], failure: Exception, what: str) -> None:
    """Tell the user about a failure (`failure_text`). If even that reply cannot be sent, the log has it."""
    text = failure_text(failure, what)
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
    if isinstance(failure, UserError):
        text = failure.message
    elif is_unavailable(failure):
        text = f"The database is not answering; nothing was changed. Try again in a few minutes ({_logged(failure, what)})."
    else:
        text = f"Sorry, something went wrong (error id {_logged(failure, what)})."
    return ack(response_action="errors", errors={field: text[:150]})


def ephemeral(respond: Callable[..., Any]) -> Callable[[str], Any]:
    """A reply function that answers only the person who asked."""
    return lambda text: respond(text=text, response_type="ephemeral", replace_original=False)
