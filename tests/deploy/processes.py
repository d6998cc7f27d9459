"""Starting a real `influencer-bot` process for the deploy tests, and waiting on it without sleeps."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

STARTUP_S = 60  # imports and migrations on a loaded 2-core machine: a deadline, not a measurement


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        threading.Event().wait(0.05)  # a poll interval, not a sleep standing in for a result


def start_bot(args: list[str], cwd: Path, **settings: str) -> subprocess.Popen[str]:
    """`influencer-bot ARGS` with these settings and no Slack or database settings inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update(settings)
    return subprocess.Popen([sys.executable, "-m", "influencer_bot.bot.cli", *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
