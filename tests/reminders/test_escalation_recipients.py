"""Who an overdue task is escalated to when its owner is the head of its bureau."""

import datetime as dt

from django.core import mail

from reminders import outbox
from reminders.models import ReminderLog

D = dt.date


def escalations_to(user):
    return ReminderLog.objects.filter(kind="escalation_head", recipient=user)


def test_a_bureau_head_who_owns_a_task_is_not_told_it_was_escalated_to_them(city):
    # The head of the economy office owns a task of the finance division below it: the
    # escalation goes past them (nobody above them here) to the mayor's office.
    task = city.finance_task
    task.owner = city.economy_head
    task.due_date = D(2024, 3, 28)
    task.save()

    outbox.run_sweep(D(2024, 4, 1))  # 4 days overdue

    assert not escalations_to(city.economy_head).exists()
    (row,) = ReminderLog.objects.filter(kind="escalation_head")
    assert row.recipient == city.mayors_office
    to_office = [m for m in mail.outbox if m.to == [city.mayors_office.email]]
    assert [m for m in to_office if task.code in m.subject]


def test_the_escalation_goes_to_the_head_one_level_up_when_the_owner_heads_the_bureau(city):
    city.finance.head = city.other_staff
    city.finance.save()
    task = city.finance_task
    task.owner = city.other_staff  # the finance division's own head owns it
    task.due_date = D(2024, 3, 28)
    task.save()

    outbox.run_sweep(D(2024, 4, 1))

    (row,) = ReminderLog.objects.filter(kind="escalation_head")
    assert row.recipient == city.economy_head
    (message,) = [m for m in mail.outbox if m.to == [city.economy_head.email]]
    assert task.code in message.subject
    assert "other_staff@busan.example" in message.body  # the owner to follow up with


def test_an_owner_who_is_not_a_head_still_escalates_to_their_head(city):
    task = city.finance_task
    task.due_date = D(2024, 3, 28)
    task.save()

    outbox.run_sweep(D(2024, 4, 1))

    assert escalations_to(city.economy_head).count() == 1
