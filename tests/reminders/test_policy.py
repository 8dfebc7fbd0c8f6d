"""The reminder policy at its edges, as plain functions: no worker, no mail server."""

import datetime as dt

import pytest

from plans import dates
from reminders.calendar import (
    business_day_on_or_after,
    business_day_on_or_before,
    is_business_day,
)
from reminders.policy import Policy, digest_step, escalation_steps, pre_deadline_step

D = dt.date
POLICY = Policy(offsets=(0, 1, 3, 7), escalate_to_head_days=3, escalate_to_mayors_office_days=10)


def kinds_sent_between(deadline, first, last, policy=POLICY):
    """Simulate one sweep a day: the (day, kind) of each new reminder, as the log would."""
    sent, seen = [], set()
    day = first
    while day <= last:
        step = pre_deadline_step(deadline, day, policy)
        if step and step[0] not in seen:
            seen.add(step[0])
            sent.append((day, step[0]))
        day += dt.timedelta(days=1)
    return sent


def test_weekends_and_korean_holidays_are_not_business_days():
    assert is_business_day(D(2024, 3, 4))  # Monday
    assert not is_business_day(D(2024, 3, 2))  # Saturday
    assert not is_business_day(D(2024, 3, 3))  # Sunday
    assert not is_business_day(D(2024, 3, 1))  # Independence Movement Day (Friday)
    # Seollal 2024: 9-12 February, the 12th a substitute holiday.
    for day in (9, 12):
        assert not is_business_day(D(2024, 2, day))
    # Chuseok 2024: 16-18 September (lunar).
    for day in (16, 17, 18):
        assert not is_business_day(D(2024, 9, day))
    # Chuseok 2025 (5-8 October with the substitute day) moves with the lunar calendar.
    assert not is_business_day(D(2025, 10, 8))
    assert is_business_day(D(2025, 10, 10))


def test_reminders_ahead_of_a_deadline_go_out_at_7_3_1_days_and_on_the_day():
    # Due Thursday 2024-03-28: D-7 Thursday, D-3 Monday, D-1 Wednesday, D-0 Thursday.
    assert kinds_sent_between(D(2024, 3, 28), D(2024, 3, 1), D(2024, 3, 31)) == [
        (D(2024, 3, 21), "before_7"),
        (D(2024, 3, 25), "before_3"),
        (D(2024, 3, 27), "before_1"),
        (D(2024, 3, 28), "due_today"),
    ]


def test_a_reminder_on_a_weekend_goes_out_the_friday_before_and_only_once():
    # Due Monday 2024-03-11: D-1 is Sunday and D-3 is Friday: one reminder on Friday
    # (the more recent, "1 day before"), then the one on the day.
    assert kinds_sent_between(D(2024, 3, 11), D(2024, 3, 1), D(2024, 3, 12)) == [
        (D(2024, 3, 4), "before_7"),
        (D(2024, 3, 8), "before_1"),
        (D(2024, 3, 11), "due_today"),
    ]


def test_a_deadline_on_a_saturday_is_announced_on_friday():
    step = pre_deadline_step(D(2024, 3, 16), D(2024, 3, 15), POLICY)
    assert step[0] == "due_today"
    assert step[1] == D(2024, 3, 15)
    assert "moved to Fri 2024-03-15" in step[2]


def test_seollal_moves_reminders_to_the_business_day_before_the_holidays():
    # Due Tuesday 2024-02-13, the day after Seollal's substitute holiday: D-1 (12th),
    # D-3 (10th) fall in the holidays and go out on Thursday the 8th.
    assert kinds_sent_between(D(2024, 2, 13), D(2024, 2, 1), D(2024, 2, 13)) == [
        (D(2024, 2, 6), "before_7"),
        (D(2024, 2, 8), "before_1"),
        (D(2024, 2, 13), "due_today"),
    ]


def test_chuseok_moves_reminders_before_the_holidays():
    # Due Thursday 2024-09-19, right after Chuseok (16-18): D-1 and D-3 go out on Friday 13th.
    assert kinds_sent_between(D(2024, 9, 19), D(2024, 9, 1), D(2024, 9, 19)) == [
        (D(2024, 9, 12), "before_7"),
        (D(2024, 9, 13), "before_1"),
        (D(2024, 9, 19), "due_today"),
    ]


def test_month_and_year_ends():
    # Due Monday 2024-04-01: D-1 (31 March, Sunday) and D-3 (29 March, Friday) → Friday.
    assert kinds_sent_between(D(2024, 4, 1), D(2024, 3, 20), D(2024, 4, 1)) == [
        (D(2024, 3, 25), "before_7"),
        (D(2024, 3, 29), "before_1"),
        (D(2024, 4, 1), "due_today"),
    ]
    # Due 2 January 2025: D-1 is New Year's Day → 31 December; D-3 is 30 December.
    assert kinds_sent_between(D(2025, 1, 2), D(2024, 12, 20), D(2025, 1, 2)) == [
        (D(2024, 12, 26), "before_7"),
        (D(2024, 12, 30), "before_3"),
        (D(2024, 12, 31), "before_1"),
        (D(2025, 1, 2), "due_today"),
    ]
    # Due Monday 2024-03-04: D-1 is Sunday, and Friday 1 March a holiday, so the
    # reminder goes out on 29 February, which 2024 has.
    step = pre_deadline_step(D(2024, 3, 4), D(2024, 2, 29), POLICY)
    assert step[:2] == ("before_1", D(2024, 2, 29))
    assert pre_deadline_step(D(2024, 3, 4), D(2024, 2, 28), POLICY)[0] == "before_7"


def test_a_sweep_that_missed_days_catches_up_with_the_latest_reminder_only():
    # Nothing ran between the 18th and the 26th: one "1 day before", not three reminders.
    step = pre_deadline_step(D(2024, 3, 28), D(2024, 3, 27), POLICY)
    assert step[0] == "before_1"


def test_nothing_ahead_of_a_deadline_that_passed_or_is_far_away():
    assert pre_deadline_step(D(2024, 3, 28), D(2024, 3, 29), POLICY) is None
    assert pre_deadline_step(D(2024, 3, 28), D(2024, 3, 20), POLICY) is None


def test_escalations_wait_for_the_grace_period_and_never_go_out_early():
    deadline = D(2024, 3, 6)  # Wednesday; +3 = Saturday 9th → Monday 11th
    assert escalation_steps(deadline, D(2024, 3, 8), POLICY) == ()
    assert escalation_steps(deadline, D(2024, 3, 9), POLICY) == ()
    (step,) = escalation_steps(deadline, D(2024, 3, 11), POLICY)
    assert step[:2] == ("escalation_head", D(2024, 3, 11))
    # +10 = Saturday 16th → Monday 18th: both levels due from then on.
    kinds = [k for k, _, _ in escalation_steps(deadline, D(2024, 3, 18), POLICY)]
    assert kinds == ["escalation_head", "escalation_mayors_office"]


def test_the_weekly_digest_goes_out_on_monday_or_the_business_day_before():
    assert digest_step(D(2024, 3, 4), POLICY) == (D(2024, 3, 4), D(2024, 3, 4))
    assert digest_step(D(2024, 3, 6), POLICY) == (D(2024, 3, 4), D(2024, 3, 4))
    # Monday 12 February 2024 is Seollal's substitute holiday: the digest for that week
    # goes out on Thursday the 8th, before the holidays.
    assert digest_step(D(2024, 2, 8), POLICY) == (D(2024, 2, 12), D(2024, 2, 8))
    assert digest_step(D(2024, 2, 7), POLICY) == (D(2024, 2, 5), D(2024, 2, 5))


@pytest.mark.parametrize(
    ("utc", "seoul_day"),
    [
        (dt.datetime(2024, 3, 27, 14, 59, tzinfo=dt.UTC), D(2024, 3, 27)),  # 23:59 KST
        (dt.datetime(2024, 3, 27, 15, 0, tzinfo=dt.UTC), D(2024, 3, 28)),  # 00:00 KST
        (dt.datetime(2024, 3, 31, 15, 30, tzinfo=dt.UTC), D(2024, 4, 1)),  # month end
        (dt.datetime(2024, 12, 31, 15, 0, tzinfo=dt.UTC), D(2025, 1, 1)),  # year end
    ],
)
def test_today_is_the_day_in_busan_around_midnight(utc, seoul_day):
    assert dates.today(utc) == seoul_day


def test_a_sweep_just_after_midnight_kst_sends_the_reminder_of_the_new_day():
    # 15:05 UTC on the 26th is 00:05 KST on the 27th: "1 day before" a deadline of the 28th.
    today = dates.today(dt.datetime(2024, 3, 26, 15, 5, tzinfo=dt.UTC))
    assert pre_deadline_step(D(2024, 3, 28), today, POLICY)[0] == "before_1"


def test_business_day_helpers_cross_month_and_year_ends():
    assert business_day_on_or_before(D(2024, 6, 1)) == D(2024, 5, 31)
    assert business_day_on_or_after(D(2024, 12, 28)) == D(2024, 12, 30)
    assert business_day_on_or_after(D(2024, 12, 31)) == D(2024, 12, 31)
    assert business_day_on_or_after(D(2025, 1, 1)) == D(2025, 1, 2)


def test_policy_reads_settings(settings):
    settings.REMINDER_OFFSETS_DAYS = [14, 2, 0, 2]
    settings.REMINDER_ESCALATE_TO_HEAD_DAYS = 1
    policy = Policy.from_settings()
    assert policy.offsets == (0, 2, 14)
    assert policy.escalate_to_head_days == 1
    assert pre_deadline_step(D(2024, 3, 28), D(2024, 3, 14), policy)[0] == "before_14"
