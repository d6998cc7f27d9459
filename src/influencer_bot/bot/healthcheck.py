"""The container health check: `python -m influencer_bot.bot.healthcheck` asks this replica's /healthz.

Docker runs it every interval inside the container, so it imports only the standard library (the
`influencer-bot` command loads the whole app, seconds of CPU on a small host). It exits 0 when
/healthz answers 200 and 1 otherwise, printing the reason (the database, or in Socket Mode the
connection to Slack) for `docker inspect`. PORT is read from the environment, as `run` reads it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_S = 4.0  # under the HEALTHCHECK --timeout of the Dockerfile and the compose file (5 s)


def check(port: int, timeout: float = TIMEOUT_S) -> tuple[bool, str]:
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a fixed loopback URL
            return response.status == 200, response.read(500).decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return False, f"HTTP {err.code}: {err.read(500).decode('utf-8', 'replace')}"
    except OSError as err:
        return False, f"no answer from {url}: {err}"


def main() -> int:
    port = os.environ.get("PORT", "3000")
    if not port.isdigit():
        print(f"PORT must be a number, e.g. PORT=3000 (got {port!r})", file=sys.stderr)
        return 1
    healthy, said = check(int(port))
    print(said)
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
