"""A real `influencer-bot run` process in HTTP mode on loopback, for the load benchmark and crash tests.

It talks to a Slack Web API stand-in (bot/local/web_api.py) given by URL, and is sent requests
signed exactly as Slack signs them (bot/local/signing.py) over real HTTP. `kill()` is kill -9:
nothing in the process gets to clean up, which is the point of the crash tests.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .signing import SlackBody, sign_request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    """Run one `influencer-bot` command to completion; its standard output, or an error with its log."""
    done = subprocess.run([sys.executable, "-m", "influencer_bot.bot.cli", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"influencer-bot {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


class BotProcess:
    """`influencer-bot run --no-scheduler` with `database_url`, answering Slack on a free port."""

    def __init__(self, database_url: str, api_url: str, *, log_path: Path, extra_env: dict[str, str] | None = None,
                 pythonpath: str | None = None) -> None:
        self.signing_secret = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, "DATABASE_URL": database_url, "SLACK_API_URL": api_url, "PORT": str(self.port),
                    "SLACK_BOT_TOKEN": "xoxb-local-test", "SLACK_SIGNING_SECRET": self.signing_secret,
                    "LOG_LEVEL": "INFO", **(extra_env or {})}
        self.env.pop("SLACK_APP_TOKEN", None)
        if pythonpath:
            self.env["PYTHONPATH"] = pythonpath
        self.proc: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=400, max_keepalive_connections=400))

    def start(self, ready_within_s: float = 120) -> BotProcess:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "influencer_bot.bot.cli", "run", "--no-scheduler"],
                                     env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_within_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the bot exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)  # a child process starting up: no event to wait on
        raise TimeoutError(f"the bot did not answer /healthz within {ready_within_s} s: {self.log_tail()}")

    def post(self, body: SlackBody, *, retry_num: int | None = None) -> httpx.Response:
        """Send `body` to /slack/events, signed now; with `retry_num`, as Slack's retry of it."""
        headers = sign_request(body, self.signing_secret)
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.http.post(f"{self.url}/slack/events", content=body.text.encode(), headers=headers)

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, nothing."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.http.close()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""
