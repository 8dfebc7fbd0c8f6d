"""Real Celery worker processes for the reminder tests: started with the project's
settings against the test database, stopped (the whole process group) afterwards."""

from __future__ import annotations

import email
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import missing

CELERY = str(Path(sys.executable).with_name("celery"))
SUPERVISE = str(settings.BASE_DIR / "bin" / "supervise")
READY = re.compile(r"\S+@\S+ ready\.")
# bin/supervise's line for each start of the command it keeps running.
STARTED = re.compile(r"supervise\[[^\]]*\]: started pid (\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    """The process runs (a zombie nobody has reaped yet does not)."""
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def redis_url() -> str:
    """The Redis database the tests may use (this checkout's own), or a skip/failure."""
    url = os.environ.get("TEST_REDIS_URL") or settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        missing("needs Redis: set TEST_REDIS_URL or CELERY_BROKER_URL=redis://127.0.0.1:6379/N")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        missing(f"Redis at {url} is not reachable: {error}")
    return url


def database_url() -> str:
    """The test database as a URL, so the worker sees what the test committed."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        missing("a worker process needs a shared database: run with DATABASE_URL=postgres://…")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Worker:
    def __init__(self, env: dict[str, str], log: Path, args: list[str]):
        self.log = log
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(
            [CELERY, "-A", "busan_tracker", "worker", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: pool children die with it
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if READY.search(self.log.read_text(errors="replace")):
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker not ready:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no warm shutdown, no chance to tidy up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()


class WorkerFactory:
    """Starts workers sharing one queue, one mail folder and the test database."""

    def __init__(self, tmp_path: Path, *, broker_url: str | None):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
        self.broker_url = broker_url
        self.workers: list[Worker] = []
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REMINDER_"))}
        kst_hour = time.gmtime().tm_hour + 9
        env.update(
            DJANGO_SETTINGS_MODULE="busan_tracker.settings",
            DATABASE_URL=database_url(),
            BUSAN_VAR_DIR=str(tmp_path / "var"),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            SITE_URL="https://tracker.busan.example",
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            # The daily sweep's hour is kept away from now so beat never runs it here.
            REMINDER_SWEEP_HOUR=str((kst_hour + 12) % 24),
            PYTHONUNBUFFERED="1",
        )
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
        self.env = env

    def start(self, *extra: str, **env: str) -> Worker:
        n = len(self.workers)
        worker = Worker(
            {**self.env, **env},
            self.tmp_path / f"worker-{n}.log",
            [
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{self.queue}-{n}@%h",
                *extra,
            ],
        )
        self.workers.append(worker)
        worker.wait_ready()
        return worker

    def send(self, task: str, **kwargs) -> None:
        """Enqueue a task the way the web process or beat would."""
        from celery import Celery

        app = Celery("reminder-tests", broker=self.broker_url)
        app.conf.broker_connection_retry_on_startup = True
        try:
            app.send_task(task, kwargs=kwargs, queue=self.queue)
        finally:
            app.close()

    def finished(self, task: str) -> int:
        """How many runs of ``task`` the workers have logged as succeeded: once every
        task sent has finished, nothing is left in flight."""
        done = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] succeeded")
        return sum(
            len(done.findall(worker.log.read_text(errors="replace"))) for worker in self.workers
        )

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()

    def sent_reminder_ids(self) -> Counter:
        """How many times each reminder (log row id) appears in the mail folder."""
        counts: Counter = Counter()
        for path in self.mail_dir.glob("*.log"):
            # The file backend writes each message followed by a line of 79 dashes.
            for chunk in path.read_bytes().split(b"-" * 79):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.strip())
                if message["X-Busan-Reminder"]:
                    counts[int(message["X-Busan-Reminder"])] += 1
        return counts

    def messages(self) -> list[email.message.Message]:
        found = []
        for path in self.mail_dir.glob("*.log"):
            for chunk in path.read_bytes().split(b"-" * 79):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk.strip()))
        return found


def wait_for(condition, timeout: float = 60, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message or condition}")
