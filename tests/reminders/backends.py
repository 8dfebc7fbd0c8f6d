"""Mail backends for the reminder tests (imported by the test process and the worker)."""

import os
import smtplib
import time

import psycopg
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from reminders.models import SchedulerHeartbeat


class CountingBackend(LocmemBackend):
    """locmem that counts how many connections were opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True


class FailingBackend(LocmemBackend):
    """Refuses mail to the addresses in ``failing`` like an SMTP server would."""

    failing: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.failing:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"mailbox busy")})
        return super().send_messages(messages)


class SlowFileBackend(FileBackend):
    """The file backend, slowed so a test can kill the worker in the middle of a batch.
    The pause comes before the write, as an SMTP conversation would."""

    def write_message(self, message):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.3")))
        super().write_message(message)


class HeartbeatReadingBackend(LocmemBackend):
    """Notes the delivery heartbeat's last sign of life as each message goes out."""

    seen: list = []

    def send_messages(self, messages):
        alive_at = SchedulerHeartbeat.objects.get(job="delivery").alive_at
        type(self).seen.extend(alive_at for _ in messages)
        return super().send_messages(messages)


class DatabaseCuttingBackend(LocmemBackend):
    """Accepts messages like a mail server; after the ``cut_after``-th, the sending
    process's PostgreSQL connection is terminated from another connection, as a
    PostgreSQL restart would cut it, before the outbox can mark that message sent."""

    cut_after: int | None = None
    accepted = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        type(self).accepted += sent
        if self.cut_after is not None and self.accepted >= self.cut_after:
            type(self).cut_after = None
            cut_database_connection()
        return sent


def cut_database_connection() -> None:
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            if time.monotonic() > deadline:
                raise AssertionError(f"backend {pid} still there after pg_terminate_backend")
            time.sleep(0.02)
