"""A private PostgreSQL cluster the fault tests may stop, start, freeze and thaw.

Separate from the suite's shared server (tests/pg_server.py starts a second one), so stopping
or freezing it breaks no other test. Freezing is what a paused container or a stalled host
does: every process of the cluster gets SIGSTOP (the postmaster first, so it forks nothing
new), and SIGCONT in `thaw()`, which the tests call in a `finally`.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pg_server


class PgCluster:
    def __init__(self) -> None:
        self.server = pg_server.start_or_skip()
        if not self.server.owned:
            self.server.stop()
            import pytest

            pytest.skip("INFLUENCER_TEST_DATABASE_URL names an external server: it cannot be stopped or frozen")
        self._frozen: list[int] = []

    @property
    def url(self) -> str:
        return self.server.url

    def _pg_ctl(self, *args: str) -> None:
        s = self.server
        proc = pg_server._run([str(s.bin_dir / "pg_ctl"), *args, "-D", str(s.data_dir), "-w", "-t", "60"],
                              s._ids, s.base_dir, timeout=90)
        assert proc.returncode == 0, proc.stdout

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def start(self) -> None:
        self._pg_ctl("start", "-l", str(self.server.base_dir / "postgres.log"), "-o", f"-p {self.server.port}")

    def _processes(self) -> list[int]:
        postmaster = int(Path(self.server.data_dir, "postmaster.pid").read_text().split()[0])
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                    children.append(int(entry.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)
            self._frozen.append(pid)

    def thaw(self) -> None:
        while self._frozen:
            try:
                os.kill(self._frozen.pop(), signal.SIGCONT)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        self.thaw()
        self.server.stop()
