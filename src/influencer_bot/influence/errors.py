"""Errors whose message is meant for the person who typed the input."""

from __future__ import annotations


class UserError(Exception):
    """Something the user gave us is wrong; `message` says what, `example` shows what works.

    Handlers turn it into an ephemeral Slack reply or a one-line terminal error, so the
    message must make sense on its own and never contain internals.
    """

    def __init__(self, message: str, example: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.example = example

    def __str__(self) -> str:
        if self.example:
            return f"{self.message}\nExample: {self.example}"
        return self.message


class NotFound(UserError):
    """The thing asked for does not exist in this workspace."""
