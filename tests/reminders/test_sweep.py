"""The daily sweep as owners, heads and the mayor's office live it: what arrives, once."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import services
from plans.models import KeyTask
from reminders import acknowledgements, outbox
from reminders.models import ReminderLog
from reminders.subjects import due_reminders
from tests.factories import MilestoneFactory
from tests.reminders.conftest import make_owned_tasks, make_tasks

D = dt.date
State = ReminderLog.State


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def html_of(message):
    return message.alternatives[0][0]


def kind_of(message):
    return ReminderLog.objects.get(pk=message.extra_headers["X-Busan-Reminder"]).kind


def mails_of_kind(user, kind):
    return [m for m in mails_to(user) if kind_of(m) == kind]


def test_owner_is_reminded_three_days_before_with_a_link_and_a_contact(due_task, city):
    result = outbox.run_sweep(D(2024, 3, 25))

    (message,) = mails_to(city.finance_staff)
    assert result.delivery.sent >= 1
    assert due_task.code in message.subject
    assert f"https://tracker.busan.example/tasks/{due_task.pk}/" in message.body
    assert f"https://tracker.busan.example/tasks/{due_task.pk}/" in html_of(message)
    assert "2024년 3월 28일 (목)" in message.body  # the deadline as a Busan reader writes it
    # The owner's contact is the head of the bureau above them.
    assert "economy_head@busan.example" in message.body
    assert message.extra_headers["Message-ID"].startswith("<reminder-")
    row = ReminderLog.objects.get(subject_type="task", subject_id=due_task.pk)
    assert (row.kind, row.state, row.deadline, row.recipient) == (
        "before_3",
        State.SENT,
        D(2024, 3, 28),
        city.finance_staff,
    )
    assert row.sent_at is not None
    assert row.attempts == 1


def test_the_email_is_in_the_recipients_language(due_task, city):
    city.finance_staff.profile.language = "en"
    city.finance_staff.profile.save()
    outbox.run_sweep(D(2024, 3, 25))
    (english,) = mails_to(city.finance_staff)
    assert "due in 3 days" in english.subject
    assert "Thu 28 Mar 2024" in english.body
    assert 'lang="en"' in html_of(english)

    mail.outbox.clear()
    city.finance_staff.profile.language = "ko"
    city.finance_staff.profile.save()
    outbox.run_sweep(D(2024, 3, 27))
    (korean,) = mails_to(city.finance_staff)
    assert "(목" in korean.body  # Thursday, in Korean
    assert 'lang="ko"' in html_of(korean)


def test_running_the_sweep_again_sends_nothing_twice(due_task, city):
    outbox.run_sweep(D(2024, 3, 25))
    outbox.run_sweep(D(2024, 3, 25))
    outbox.run_sweep(D(2024, 3, 26))  # still "3 days before": already sent
    assert len(mails_to(city.finance_staff)) == 1
    assert ReminderLog.objects.filter(recipient=city.finance_staff).count() == 1


def test_each_reminder_of_a_deadline_arrives_once_on_its_day(due_task, city):
    day = D(2024, 3, 18)
    while day <= D(2024, 3, 31):
        outbox.run_sweep(day)
        day += dt.timedelta(days=1)
    kinds = list(
        ReminderLog.objects.filter(recipient=city.finance_staff)
        .order_by("send_on")
        .values_list("kind", "send_on")
    )
    assert kinds == [
        ("before_7", D(2024, 3, 21)),
        ("before_3", D(2024, 3, 25)),
        ("before_1", D(2024, 3, 27)),
        ("due_today", D(2024, 3, 28)),
    ]
    assert len(mails_to(city.finance_staff)) == 4


def test_done_and_dropped_tasks_get_nothing(due_task, city):
    services.update_key_task(
        due_task,
        by=city.finance_staff,
        expected_version=due_task.version,
        status=KeyTask.Status.DROPPED,
    )
    outbox.run_sweep(D(2024, 3, 25))
    assert mails_to(city.finance_staff) == []


def test_a_task_done_after_its_reminder_was_recorded_is_not_reminded(due_task, city):
    # The sweep recorded the reminder, then the owner finished before it went out.
    outbox.record_due(due_reminders(D(2024, 3, 27)))
    services.update_key_task(
        due_task,
        by=city.finance_staff,
        expected_version=due_task.version,
        status=KeyTask.Status.DONE,
        progress=100,
        completed_on=D(2024, 3, 26),
    )
    result = outbox.deliver_pending(today=D(2024, 3, 27))
    assert mails_to(city.finance_staff) == []
    assert result.cancelled >= 1
    assert ReminderLog.objects.get(recipient=city.finance_staff).state == State.CANCELLED
    # …nor on the day, nor escalated afterwards.
    for day in (D(2024, 3, 28), D(2024, 4, 8)):
        outbox.run_sweep(day)
    assert mails_to(city.finance_staff) == []
    assert mails_to(city.economy_head) == []


def test_a_deadline_moved_twice_re_arms_the_reminders_each_time(due_task, city):
    outbox.run_sweep(D(2024, 3, 25))  # 3 days before the 28th
    due_task.refresh_from_db()
    services.update_key_task(
        due_task, by=city.finance_staff, expected_version=due_task.version, due_date=D(2024, 4, 4)
    )
    outbox.run_sweep(D(2024, 3, 28))  # the old deadline: nothing any more
    outbox.run_sweep(D(2024, 4, 1))  # 3 days before the 4th
    due_task.refresh_from_db()
    services.update_key_task(
        due_task, by=city.economy_head, expected_version=due_task.version, due_date=D(2024, 4, 11)
    )
    outbox.run_sweep(D(2024, 4, 8))  # 3 days before the 11th
    sent = list(
        ReminderLog.objects.filter(recipient=city.finance_staff, state=State.SENT)
        .order_by("deadline")
        .values_list("deadline", "kind")
    )
    assert sent == [
        (D(2024, 3, 28), "before_3"),
        (D(2024, 4, 4), "before_7"),  # on the 28th, a week ahead of the new date
        (D(2024, 4, 4), "before_3"),
        (D(2024, 4, 11), "before_3"),
    ]
    assert len(mails_to(city.finance_staff)) == 4


def test_an_inactive_owners_reminder_goes_to_the_bureau_head(due_task, city):
    city.finance_staff.is_active = False
    city.finance_staff.save()
    outbox.run_sweep(D(2024, 3, 25))
    assert mails_to(city.finance_staff) == []
    (message,) = mails_to(city.economy_head)
    assert due_task.code in message.subject


def test_a_user_deactivated_after_the_sweep_recorded_their_reminder_gets_nothing(due_task, city):
    outbox.record_due(due_reminders(D(2024, 3, 25)))
    city.finance_staff.is_active = False
    city.finance_staff.save()
    outbox.deliver_pending(today=D(2024, 3, 25))
    assert mails_to(city.finance_staff) == []


def test_milestones_are_reminded_to_the_task_owner(city):
    milestone = MilestoneFactory(
        task=city.finance_task, title_en="Tender published", due_date=D(2024, 3, 28)
    )
    MilestoneFactory(task=city.finance_task, due_date=D(2024, 3, 28), done_on=D(2024, 3, 1))
    outbox.run_sweep(D(2024, 3, 27))
    (message,) = mails_to(city.finance_staff)
    assert "단계" in message.body or "Tender published" in message.body
    row = ReminderLog.objects.get(subject_type="milestone")
    assert (row.subject_id, row.kind) == (milestone.pk, "before_1")


def test_an_overdue_task_escalates_to_the_head_then_the_mayors_office(due_task, city):
    outbox.run_sweep(D(2024, 3, 29))  # 1 day overdue: nothing yet
    assert mails_to(city.economy_head) == []
    outbox.run_sweep(D(2024, 4, 1))  # 3 days overdue (Monday)
    (to_head,) = mails_to(city.economy_head)
    assert "4" in to_head.subject  # 4 days overdue on Monday 1 April
    assert "/reminders/acknowledge/" in to_head.body
    assert "finance_staff@busan.example" in to_head.body  # who to contact: the owner
    assert mails_of_kind(city.mayors_office, "escalation_mayors_office") == []
    mail.outbox.clear()
    outbox.run_sweep(D(2024, 4, 8))  # 11 days overdue
    escalations = mails_of_kind(city.mayors_office, "escalation_mayors_office")
    assert len(escalations) == 1
    assert due_task.code in escalations[0].subject
    assert "economy_head@busan.example" in escalations[0].body
    assert mails_to(city.economy_head) == []  # the head's escalation is not repeated


def test_an_acknowledged_escalation_stops(due_task, city):
    outbox.run_sweep(D(2024, 4, 1))
    row = ReminderLog.objects.get(kind="escalation_head")
    acknowledgements.acknowledge(row, by=city.economy_head)
    row.refresh_from_db()
    assert row.acknowledged_by == city.economy_head
    assert row.acknowledged_at is not None
    mail.outbox.clear()
    outbox.run_sweep(D(2024, 4, 8))
    assert not [m for m in mails_to(city.mayors_office) if due_task.code in m.subject]
    assert not ReminderLog.objects.filter(kind="escalation_mayors_office").exists()


def test_an_acknowledgement_cancels_an_escalation_already_recorded(due_task, city):
    outbox.run_sweep(D(2024, 4, 1))
    head_row = ReminderLog.objects.get(kind="escalation_head")
    outbox.record_due(due_reminders(D(2024, 4, 8)))
    pending = ReminderLog.objects.get(kind="escalation_mayors_office")
    assert pending.state == State.PENDING
    acknowledgements.acknowledge(head_row, by=city.finance_staff)
    pending.refresh_from_db()
    assert pending.state == State.CANCELLED
    outbox.deliver_pending(today=D(2024, 4, 8))
    assert not [m for m in mails_to(city.mayors_office) if due_task.code in m.subject]


def test_the_weekly_digest_groups_overdue_at_risk_and_newly_done_by_sector(city):
    overdue = city.finance_task
    overdue.due_date = D(2024, 3, 1)
    overdue.save()
    at_risk = city.welfare_task
    at_risk.status = KeyTask.Status.AT_RISK
    at_risk.save()
    done = make_tasks(
        city,
        1,
        D(2024, 3, 20),
        status=KeyTask.Status.DONE,
        progress=100,
        completed_on=D(2024, 3, 20),
    )[0]
    long_done = make_tasks(
        city,
        1,
        D(2024, 1, 20),
        status=KeyTask.Status.DONE,
        progress=100,
        completed_on=D(2024, 1, 20),
    )[0]
    city.mayors_office.profile.language = "en"
    city.mayors_office.profile.save()
    outbox.run_sweep(D(2024, 3, 25))  # a Monday
    (digest,) = mails_of_kind(city.mayors_office, "weekly_digest")
    body = digest.body
    assert body.index("Sector 1") < body.index("Sector 4")
    sector1 = body[body.index("Sector 1") : body.index("Sector 4")]
    assert overdue.code in sector1
    assert done.code in sector1
    assert long_done.code not in body
    assert at_risk.code in body[body.index("Sector 4") :]
    assert ReminderLog.objects.filter(kind="weekly_digest").count() == 1
    outbox.run_sweep(D(2024, 3, 26))
    assert len(mails_of_kind(city.mayors_office, "weekly_digest")) == 1  # once a week


def test_inactive_mayors_office_staff_get_no_digest(city):
    city.mayors_office.is_active = False
    city.mayors_office.save()
    outbox.run_sweep(D(2024, 3, 25))
    assert mails_to(city.mayors_office) == []


def test_an_smtp_failure_is_retried_with_back_off(due_task, city, settings):
    from tests.reminders.backends import FailingBackend

    settings.EMAIL_BACKEND = "tests.reminders.backends.FailingBackend"
    FailingBackend.failing = {city.finance_staff.email}
    try:
        outbox.run_sweep(D(2024, 3, 25))
        row = ReminderLog.objects.get(recipient=city.finance_staff)
        assert row.state == State.FAILED
        assert "SMTPRecipientsRefused" in row.last_error
        assert row.attempts == 1
        first_delay = row.next_attempt_at - row.claimed_at
        assert dt.timedelta(seconds=59) < first_delay < dt.timedelta(seconds=62)

        # Not before its time…
        outbox.deliver_pending(today=D(2024, 3, 25))
        row.refresh_from_db()
        assert row.attempts == 1
        # …then again, with a doubled delay.
        ReminderLog.objects.filter(pk=row.pk).update(next_attempt_at=row.claimed_at)
        outbox.deliver_pending(today=D(2024, 3, 25))
        row.refresh_from_db()
        assert row.attempts == 2
        second_delay = row.next_attempt_at - row.claimed_at
        assert dt.timedelta(seconds=119) < second_delay < dt.timedelta(seconds=122)

        # The server recovers: sent, once, and the error cleared.
        FailingBackend.failing = set()
        ReminderLog.objects.filter(pk=row.pk).update(next_attempt_at=row.claimed_at)
        outbox.deliver_pending(today=D(2024, 3, 25))
        row.refresh_from_db()
        assert (row.state, row.attempts, row.last_error) == (State.SENT, 3, "")
        assert len(mails_to(city.finance_staff)) == 1
    finally:
        FailingBackend.failing = set()


def test_a_reminder_that_keeps_failing_is_given_up_with_its_error(due_task, city, settings):
    from tests.reminders.backends import FailingBackend

    settings.EMAIL_BACKEND = "tests.reminders.backends.FailingBackend"
    FailingBackend.failing = {city.finance_staff.email}
    try:
        outbox.run_sweep(D(2024, 3, 25))
        for _ in range(5):
            ReminderLog.objects.filter(next_attempt_at__isnull=False).update(
                next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
            )
            outbox.deliver_pending(today=D(2024, 3, 25))
        row = ReminderLog.objects.get(recipient=city.finance_staff)
        assert (row.state, row.attempts, row.next_attempt_at) == (State.FAILED, 3, None)
        assert "mailbox busy" in row.last_error
    finally:
        FailingBackend.failing = set()


def test_a_reminder_left_claimed_by_a_lost_worker_is_sent_after_the_timeout(due_task, city):
    outbox.record_due(due_reminders(D(2024, 3, 25)))
    token, claimed = outbox.claim_batch(100)  # a worker claims, then dies
    assert claimed >= 1
    outbox.deliver_pending(today=D(2024, 3, 25))
    assert mails_to(city.finance_staff) == []  # still someone else's
    ReminderLog.objects.filter(claim_token=token).update(
        claimed_at=dt.datetime(2024, 3, 25, tzinfo=dt.UTC)
    )
    outbox.deliver_pending(today=D(2024, 3, 25))
    assert len(mails_to(city.finance_staff)) == 1
    row = ReminderLog.objects.get(recipient=city.finance_staff)
    assert (row.state, row.attempts) == (State.SENT, 2)


def test_a_batch_uses_one_mail_connection(city, settings):
    from tests.reminders.backends import CountingBackend

    settings.EMAIL_BACKEND = "tests.reminders.backends.CountingBackend"
    settings.REMINDER_BATCH_SIZE = 4  # recipients
    make_owned_tasks(city, 10, D(2024, 3, 28))
    CountingBackend.opened = 0
    result = outbox.run_sweep(D(2024, 3, 27))
    assert result.delivery.sent == 11  # ten owners' reminders and this week's digest
    assert CountingBackend.opened == 3  # 4 + 4 + 3


def test_the_sweep_takes_the_same_number_of_queries_for_3_or_30_tasks_due(city):
    def queries_for(n, day):
        make_tasks(city, n, day + dt.timedelta(days=1))
        with CaptureQueriesContext(connection) as ctx:
            outbox.record_due(due_reminders(day))
        return len(ctx.captured_queries)

    few = queries_for(3, D(2024, 3, 26))
    many = queries_for(30, D(2024, 4, 9))
    assert few == many
    assert few <= 10


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_email_renders_in_both_languages(due_task, city, language):
    for user in (city.finance_staff, city.economy_head, city.mayors_office):
        user.profile.language = language
        user.profile.save()
    for day in (D(2024, 3, 25), D(2024, 4, 1), D(2024, 4, 8)):
        outbox.run_sweep(day)
    kinds = set(ReminderLog.objects.filter(state=State.SENT).values_list("kind", flat=True))
    assert {"before_3", "escalation_head", "escalation_mayors_office", "weekly_digest"} <= kinds
    for message in mail.outbox:
        assert "\n" not in message.subject
        assert not re.search(r"{[{%]", message.body + html_of(message))
        assert f'lang="{language}"' in html_of(message)


def test_a_title_with_markup_is_plain_in_the_subject_and_escaped_in_html(due_task, city):
    due_task.title_ko = "R&D <센터> 조성"
    due_task.save()
    outbox.run_sweep(D(2024, 3, 25))
    (message,) = mails_to(city.finance_staff)
    assert "R&D <센터> 조성" in message.subject
    assert "R&D <센터> 조성" in message.body
    assert "R&amp;D &lt;센터&gt; 조성" in html_of(message)


def test_delivery_costs_one_update_per_email_beyond_a_fixed_number_per_batch(city):
    # The one UPDATE per message is deliberate: "sent" is committed the moment the mail
    # server accepts it, so a crash resends at most the message in flight. (A person's
    # escalations of the day are one email, and one UPDATE.)
    def queries_to_deliver(n, day):
        make_owned_tasks(city, n, day + dt.timedelta(days=1))
        outbox.record_due(due_reminders(day))
        before = len(mail.outbox)
        with CaptureQueriesContext(connection) as ctx:
            result = outbox.deliver_pending(today=day)
        assert result.sent >= n
        return len(ctx.captured_queries), len(mail.outbox) - before

    few, few_sent = queries_to_deliver(3, D(2024, 3, 26))
    many, many_sent = queries_to_deliver(30, D(2024, 4, 9))
    assert many - few == many_sent - few_sent


def test_names_in_an_english_email_are_in_english(due_task, city):
    city.finance_staff.profile.language = "en"
    city.finance_staff.profile.save()
    outbox.run_sweep(D(2024, 3, 25))
    (message,) = mails_to(city.finance_staff)
    assert "(Economic Policy Office)" in message.body  # the contact's bureau
    assert due_task.title_en in message.body
    assert "경제정책실" not in message.body + html_of(message)


def test_a_reminder_still_failing_when_the_deadline_passes_is_dropped(due_task, city, settings):
    from tests.reminders.backends import FailingBackend

    settings.EMAIL_BACKEND = "tests.reminders.backends.FailingBackend"
    FailingBackend.failing = {city.finance_staff.email}
    try:
        outbox.run_sweep(D(2024, 3, 27))  # "1 day before" fails
    finally:
        FailingBackend.failing = set()
    ReminderLog.objects.update(next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    outbox.deliver_pending(today=D(2024, 3, 29))  # the server is back, the day has passed
    assert mails_to(city.finance_staff) == []
    row = ReminderLog.objects.get(recipient=city.finance_staff, kind="before_1")
    assert row.state == State.CANCELLED
