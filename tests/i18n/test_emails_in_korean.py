"""Every email the city sends reads in Korean for a Korean reader, and in English for
someone who chose English: reminders, escalations to the bureau head and the mayor's
office, the weekly digest and the report-session preparation notice, subject, text and
HTML alike (the same English detector as the pages, tests/i18n/untranslated.py)."""

import datetime as dt
import html

import pytest
from django.core import mail

from reminders import outbox
from reminders.models import ReminderLog
from tests.factories import AgendaItemFactory, ReportSessionFactory
from tests.i18n.untranslated import untranslated

KINDS = {"before_3", "escalation_head", "escalation_mayors_office", "weekly_digest", "session_prep"}


@pytest.fixture
def every_kind_of_email(walk_city, settings):
    settings.SITE_URL = "https://tracker.busan.example"
    settings.REMINDER_OFFSETS_DAYS = [7, 3, 1, 0]
    settings.REMINDER_ESCALATE_TO_HEAD_DAYS = 3
    settings.REMINDER_ESCALATE_TO_MAYORS_OFFICE_DAYS = 10
    settings.REMINDER_DIGEST_WEEKDAY = 0
    settings.REMINDER_SESSION_LEAD_DAYS = 5
    task = walk_city.finance_task
    task.due_date = dt.date(2024, 3, 28)  # a Thursday in a plain business week
    task.save()
    # The economy bureau presents on Monday 1 April: prepared on the Wednesday before.
    session = ReportSessionFactory(
        sector=walk_city.sectors[0],
        starts_at=dt.datetime(2024, 4, 1, 1, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2024, 4, 1, 3, 0, tzinfo=dt.UTC),
    )
    AgendaItemFactory(session=session, bureau=walk_city.economy)

    def send(language):
        for role in ("finance_staff", "economy_head", "mayors_office"):
            profile = getattr(walk_city, role).profile
            profile.language = language
            profile.save()
        mail.outbox.clear()
        ReminderLog.objects.all().delete()
        for day in (dt.date(2024, 3, 25), dt.date(2024, 3, 27), dt.date(2024, 4, 1)):
            outbox.run_sweep(day)
        outbox.run_sweep(dt.date(2024, 4, 8))
        sent = [
            (ReminderLog.objects.get(pk=m.extra_headers["X-Busan-Reminder"]).kind, m)
            for m in mail.outbox
        ]
        assert {kind for kind, _message in sent} >= KINDS, sorted(kind for kind, _m in sent)
        return sent

    return send


def as_page(text: str, language: str) -> str:
    return f'<html lang="{language}"><body><pre>{html.escape(text)}</pre></body></html>'


def test_every_email_reads_in_korean(every_kind_of_email):
    for kind, message in every_kind_of_email("ko"):
        for part, content in [
            ("subject", as_page(message.subject, "ko")),
            ("text", as_page(message.body, "ko")),
            ("html", message.alternatives[0][0]),
        ]:
            findings = untranslated(content)
            assert not findings, f"{kind} email ({part}) has English left:\n  " + "\n  ".join(
                findings
            )


ENGLISH_SUBJECTS = {
    "before_3": "[Reminder] ",
    "escalation_head": "[Overdue] ",
    "escalation_mayors_office": "[Overdue] ",
    "weekly_digest": "[Weekly digest] ",
    "session_prep": "[Report session] ",
}


def test_every_email_reads_in_english_for_who_chose_english(every_kind_of_email):
    # Task titles stay as the city wrote them (a directive has only its Korean text).
    for kind, message in every_kind_of_email("en"):
        if kind in ENGLISH_SUBJECTS:
            assert message.subject.startswith(ENGLISH_SUBJECTS[kind]), message.subject
        assert 'lang="en"' in message.alternatives[0][0], kind
