"""Mail backends for the reminder tests (imported by the test process and the worker)."""

import os
import smtplib
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

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
