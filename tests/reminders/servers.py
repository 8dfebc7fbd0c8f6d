"""Servers of the fault-injection tests' own, on free ports of 127.0.0.1 — never the
machine's shared PostgreSQL (5432) and Redis (6379), which other checkouts' tests use:

- ``RedisServer``: a redis-server keeping nothing on disk, to kill with SIGKILL and
  start again on the same port (empty, as a Redis without persistence comes back);
- ``PostgresCluster``: a cluster made with initdb in a temporary directory, started
  with pg_ctl, restarted with ``-m immediate`` (a crash: recovery replays the WAL), and
  stopped and removed afterwards whatever happened;
- ``SmtpSink``: a real SMTP server (aiosmtpd) that keeps every message it accepts,
  with the time it accepted it.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import glob
import logging
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis
from aiosmtpd.controller import Controller

from tests.conftest import missing
from tests.reminders.workers import free_port, wait_for


class RedisServer:
    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        if not shutil.which("redis-server"):
            missing("needs redis-server (Debian package redis-server)")

    def start(self) -> None:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_for(lambda: self._answers(client), timeout=20, message=f"Redis on {self.port}")

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown, no save; every queued and unacknowledged message is gone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    missing("needs the PostgreSQL server binaries (initdb, pg_ctl: Debian package postgresql)")
    raise AssertionError  # pragma: no cover - missing() fails or skips


class PostgresCluster:
    """A PostgreSQL cluster of the test's own. As root, initdb and the server run as the
    ``postgres`` user (PostgreSQL refuses root), in a directory it owns."""

    def __init__(self):
        self.bin = _postgres_bin()
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="busan-faults-pg-"))
        self.data = self.directory / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            timeout=timeout,
            user=self.user,
            cwd=self.directory,
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        # fsync off: the machine does not crash in these tests, only PostgreSQL does, and
        # what it wrote is in the kernel's page cache. synchronous_commit stays on: a
        # commit the worker saw is on disk before -m immediate.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} -c fsync=off "
            "-c full_page_writes=off -c max_connections=50"
        )
        log = str(self.directory / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=5)

    def create_database(self, name: str, template: str | None = None) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{suffix}')

    def remove(self) -> None:
        """Stopped and removed, whatever state the test left it in."""
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        except subprocess.SubprocessError:
            pid_file = self.data / "postmaster.pid"
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass(frozen=True)
class Received:
    at: float  # time.monotonic() when the server accepted it
    reminder: int | None
    message_id: str
    to: str


class SmtpSink:
    """aiosmtpd in a thread of the test process, keeping what it accepts."""

    def __init__(self):
        # aiosmtpd logs every SMTP command at INFO: thousands of lines per test.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.compat32)
        reminder = message["X-Busan-Reminder"]
        with self._lock:
            self.received.append(
                Received(
                    at=time.monotonic(),
                    reminder=int(reminder) if reminder else None,
                    message_id=str(message["Message-ID"]),
                    to=", ".join(envelope.rcpt_tos),
                )
            )
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def copies(self) -> Counter:
        """How many times each reminder (log row id) arrived."""
        return Counter(r.reminder for r in self.snapshot() if r.reminder is not None)
