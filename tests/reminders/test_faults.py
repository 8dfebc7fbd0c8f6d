"""Fault injection (issue 16): reminders keep going when Redis, PostgreSQL or the worker
go away in the middle of a delivery.

Each test delivers 2,000 reminders through a real SMTP server (aiosmtpd) with a real
Celery worker and its embedded scheduler, run under ``bin/supervise`` as ``bin/run``
runs it, against servers of the test's own (``tests/reminders/servers.py``): a Redis
and a PostgreSQL cluster on free ports. A quarter of the way through it injects one
fault, then checks that every reminder arrived, at most one twice (the one in flight at
a crash) and then as the same message (same Message-ID), none lost, and that the worker
is alive and consumes a task sent afterwards: a sweep as of another day whose one
reminder must arrive too.

The figures of each run (due, delivered, duplicates, lost, how long delivery stalled,
when the last reminder arrived) are written to ``test-output/faults/<fault>.json``.

Settings chosen so a test is bounded: a claim timeout of 5 s and a delivery run every
2 s (production: 900 s and 300 s), batches of 100.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from reminders.models import ReminderLog
from tests.conftest import OUTPUT_DIR
from tests.reminders.fault_data import PROBE_CODE, PROBE_DAY
from tests.reminders.servers import PostgresCluster, RedisServer, SmtpSink
from tests.reminders.workers import (
    CELERY,
    READY,
    STARTED,
    SUPERVISE,
    alive,
    wait_for,
)

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.faults]

TASKS = 2000
CLAIM_TIMEOUT_SECONDS = 5
DELIVERY_INTERVAL_SECONDS = 2
SITE = "tracker.busan.example"
SWEEP = "reminders.tasks.run_reminder_sweep"
LOG_TABLE = ReminderLog._meta.db_table
TEMPLATE = "fault_template"


@pytest.fixture(scope="module")
def cluster():
    """One PostgreSQL cluster for the module, with a template database migrated and
    filled once; each test delivers from a fresh copy of it."""
    pg = PostgresCluster()
    try:
        pg.init()
        pg.create_database(TEMPLATE)
        env = {
            **os.environ,
            "DATABASE_URL": pg.url(TEMPLATE),
            "DJANGO_SETTINGS_MODULE": "busan_tracker.settings",
        }
        subprocess.run(
            [sys.executable, "-m", "tests.reminders.fault_data", "--tasks", str(TASKS)],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=300,
        )
        yield pg
    finally:
        pg.remove()


class SupervisedWorker:
    """``bin/supervise -- celery worker -B``: the worker as bin/run runs it."""

    def __init__(self, tmp_path: Path, env: dict[str, str], queue: str, log: Path):
        self.log = log
        self._log_file = self.log.open("ab")
        command = [
            *(sys.executable, SUPERVISE, "--name", "worker"),
            *("--min-delay", "0.5", "--max-delay", "4", "--stop-grace", "15", "--"),
            *(CELERY, "-A", "busan_tracker", "worker", "-B"),
            f"--schedule={tmp_path / 'beat-schedule'}",
            *("--loglevel=INFO", "--concurrency=1", "--without-gossip", "--without-mingle"),
            *("-n", f"{queue}@%h"),
        ]
        self.supervisor = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def pids(self) -> list[int]:
        return [int(pid) for pid in STARTED.findall(self.text())]

    def wait_ready(self, starts: int = 1, timeout: float = 90) -> None:
        wait_for(
            lambda: len(READY.findall(self.text())) >= starts,
            timeout=timeout,
            message=f"worker start {starts} ready:\n{self.text()[-3000:]}",
        )

    def stop(self) -> None:
        if self.supervisor.poll() is None:
            self.supervisor.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.supervisor.wait(timeout=40)
        for pid in [self.supervisor.pid, *self.pids()]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        self._log_file.close()


@dataclass
class Rig:
    tmp_path: Path
    pg: PostgresCluster
    database: str
    redis: RedisServer
    smtp: SmtpSink
    queue: str = field(default_factory=lambda: f"faults-{uuid.uuid4().hex[:12]}")
    worker: SupervisedWorker | None = None

    def worker_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REMINDER_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="busan_tracker.settings",
            DATABASE_URL=self.pg.url(self.database),
            BUSAN_VAR_DIR=str(self.tmp_path / "var"),
            CELERY_BROKER_URL=self.redis.url,
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp.port),
            EMAIL_USE_TLS="false",
            SITE_URL=f"https://{SITE}",
            REMINDER_CLAIM_TIMEOUT_SECONDS=str(CLAIM_TIMEOUT_SECONDS),
            REMINDER_DELIVERY_INTERVAL_SECONDS=str(DELIVERY_INTERVAL_SECONDS),
            REMINDER_BATCH_SIZE="100",
            # One email per reminder, so every reminder is counted in the mail sink by its
            # own id (a person's daily digest under faults: tests/reminders/test_digest_worker.py).
            REMINDER_DEFAULT_DELIVERY="each",
            # Past whatever the hour: a delivery run catches up a sweep that died.
            REMINDER_SWEEP_HOUR="0",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start_worker(self, name: str) -> SupervisedWorker:
        # The worker's log is kept with the figures: what happened, when it failed.
        log = OUTPUT_DIR / "faults" / f"{name}.worker.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.unlink(missing_ok=True)
        self.worker = SupervisedWorker(self.tmp_path, self.worker_env(), self.queue, log)
        self.worker.wait_ready()
        return self.worker

    def send(self, task: str, **kwargs) -> str:
        """Enqueue a task the way beat or the web app would; returns its id."""
        from celery import Celery

        app = Celery("fault-tests", broker=self.redis.url)
        # CELERY_BROKER_URL in the environment (bin/test points it at the shared Redis)
        # would win over broker=; the write URL is read from the configuration first.
        app.conf.broker_write_url = self.redis.url
        app.conf.broker_connection_retry_on_startup = True
        task_id = str(uuid.uuid4())
        try:
            app.send_task(task, kwargs=kwargs, queue=self.queue, task_id=task_id)
        finally:
            app.close()
        return task_id

    def query(self, sql: str, params=()) -> list[tuple]:
        with self.pg.connect(self.database) as conn:
            return conn.execute(sql, params).fetchall()

    def states(self) -> dict[str, int]:
        return dict(self.query(f"SELECT state, count(*) FROM {LOG_TABLE} GROUP BY state"))


@pytest.fixture
def rig(cluster, tmp_path):
    database = f"faults_{uuid.uuid4().hex[:8]}"
    cluster.create_database(database, template=TEMPLATE)
    redis_server = RedisServer(tmp_path)
    smtp = SmtpSink()
    rig = Rig(tmp_path, cluster, database, redis_server, smtp)
    try:
        redis_server.start()
        smtp.start()
        yield rig
    finally:
        if rig.worker:
            rig.worker.stop()
        smtp.stop()
        redis_server.stop()
        if (cluster.data / "postmaster.pid").exists():
            with cluster.connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# --- the faults --------------------------------------------------------------------


def broker_missed(worker: SupervisedWorker, since: int) -> bool:
    """The worker has tried to reach the dead broker again, twice, and been refused (a
    worker that gave up with Celery's "Unrecoverable error" is refused again on its
    restart): seconds of outage, long enough for beat's next send to fail too."""
    return len(re.findall(r"Cannot connect to redis", worker.text()[since:])) >= 2


def kill_broker(rig: Rig) -> dict:
    since = len(rig.worker.text())
    rig.redis.kill()
    down_at = time.monotonic()
    wait_for(lambda: broker_missed(rig.worker, since), timeout=60, message="broker missed")
    rig.redis.start()
    return {"broker_down_s": round(time.monotonic() - down_at, 2)}


def restart_database(rig: Rig) -> dict:
    since = len(rig.worker.text())
    rig.pg.stop("immediate")
    down_at = time.monotonic()
    # Down until the delivery has met it (it writes after every message).
    wait_for(
        lambda: re.search(r"(Operational|Interface)Error", rig.worker.text()[since:]),
        timeout=30,
        message="the worker meeting the stopped database",
    )
    rig.pg.start()
    return {"database_down_s": round(time.monotonic() - down_at, 2)}


def kill_worker(rig: Rig) -> dict:
    pid = rig.worker.pids()[-1]
    os.kill(pid, signal.SIGKILL)  # the worker's main process, as the OOM killer would
    rig.worker.wait_ready(starts=2)
    return {"killed_pid": pid}


# --- one delivery with one fault -----------------------------------------------------


def deliver_with(rig: Rig, name: str, inject: Callable[[Rig], dict]) -> dict:
    rig.start_worker(name)
    rig.send(SWEEP)
    wait_for(lambda: sum(rig.states().values()) >= TASKS, timeout=120, message="sweep recorded")
    rows = dict(rig.query(f"SELECT id, deadline FROM {LOG_TABLE}"))
    due = len(rows)

    wait_for(lambda: len(rig.smtp.snapshot()) >= due // 4, timeout=120, message="a quarter sent")
    before_fault = len(rig.smtp.snapshot())
    fault_at = time.monotonic()
    details = inject(rig)

    wait_for(
        lambda: set(rig.smtp.copies()) >= set(rows),
        timeout=180,
        message=f"every reminder delivered:\n{rig.worker.text()[-3000:]}",
    )
    # Nothing left in flight: no reminder claimed, pending or failed.
    wait_for(lambda: rig.states() == {"sent": due}, timeout=60, message="every row sent")

    # The worker consumes a task sent afterwards: a sweep as of another day sends the
    # probe task's one reminder.
    rig.send(SWEEP, today=PROBE_DAY.isoformat())
    probe_sql = (
        f"SELECT l.id FROM {LOG_TABLE} l JOIN plans_keytask t ON t.id = l.subject_id "
        "WHERE l.subject_type = 'task' AND t.code = %s AND l.state = 'sent'"
    )
    wait_for(
        lambda: rig.query(probe_sql, [PROBE_CODE]),
        timeout=90,
        message=f"the probe sent:\n{rig.worker.text()[-3000:]}",
    )
    ((probe_id,),) = rig.query(probe_sql, [PROBE_CODE])
    wait_for(lambda: probe_id in rig.smtp.copies(), timeout=30, message="probe delivered")

    received = [r for r in rig.smtp.snapshot() if r.reminder in rows]
    copies = rig.smtp.copies()
    duplicates = {pk: n for pk, n in copies.items() if pk in rows and n > 1}
    after = sorted(r.at for r in received if r.at >= fault_at)
    gaps = [b - a for a, b in zip([fault_at, *after], after, strict=False)]
    log = rig.worker.text()
    figures = {
        "fault": name,
        "due": due,
        "delivered": len({r.reminder for r in received}),
        "duplicates": sum(n - 1 for n in duplicates.values()),
        "lost": len(set(rows) - set(copies)),
        "delivered_before_fault": before_fault,
        "longest_stall_s": round(max(gaps), 2),
        "all_delivered_after_fault_s": round(after[-1] - fault_at, 2),
        "worker_starts": len(rig.worker.pids()),
        "unrecoverable_errors": log.count("Unrecoverable error"),
        "database_retries": len(re.findall(r"Retry in \d+s: (?:Operational|Interface)Error", log)),
        "settled": sum(int(n) for n in re.findall(r"Settled (\d+) reminders", log)),
        **details,
    }
    (OUTPUT_DIR / "faults" / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))

    # Every copy of a reminder is the same message.
    for r in received:
        assert r.message_id == f"<reminder-{r.reminder}.{rows[r.reminder]:%Y%m%d}@{SITE}>"
    assert figures["lost"] == 0
    assert figures["delivered"] == due >= TASKS
    assert figures["duplicates"] <= 1, duplicates  # one crash: at most the one in flight
    # The worker and its supervisor are alive.
    assert rig.worker.supervisor.poll() is None
    assert alive(rig.worker.pids()[-1])
    return figures


def test_reminders_keep_going_when_the_broker_is_killed_and_restarted(rig):
    figures = deliver_with(rig, "redis-kill-9", kill_broker)
    assert figures["broker_down_s"] > 0


def test_reminders_keep_going_when_postgresql_restarts_in_immediate_mode(rig):
    figures = deliver_with(rig, "postgresql-restart-immediate", restart_database)
    # The worker lived through it: its retry settled the interrupted batch, so nothing
    # waited for the claim timeout and nothing went out twice.
    assert figures["worker_starts"] == 1
    assert figures["database_retries"] >= 1
    assert figures["duplicates"] == 0


def test_reminders_keep_going_when_the_worker_is_killed(rig):
    figures = deliver_with(rig, "worker-kill-9", kill_worker)
    assert figures["worker_starts"] == 2  # brought back by the supervisor
