"""Factories for the tests: a plan with sectors, a bureau tree, people and key tasks."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from meetings.models import AgendaItem, ReportSession
from plans.models import (
    Bureau,
    Indicator,
    KeyTask,
    Measurement,
    Milestone,
    Profile,
    Sector,
    WorkPlan,
)


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan
        django_get_or_create = ("year",)

    year = 2024
    # A plan the tests track unless they say otherwise (next year's plan is prepared).
    stage = WorkPlan.Stage.ADOPTED
    core_goal_ko = "글로벌 허브도시 도약 기반 마련"
    core_goal_en = "Laying the foundation for leaping forward as a global hub city"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("plan", "number")

    plan = factory.SubFactory(WorkPlanFactory)
    number = factory.Sequence(lambda n: n % 5 + 1)
    name_ko = factory.LazyAttribute(lambda o: f"{o.number}분야")
    name_en = factory.LazyAttribute(lambda o: f"Sector {o.number}")


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau

    code = factory.Sequence(lambda n: f"bureau-{n}")
    kind = Bureau.Kind.BUREAU
    name_ko = factory.Sequence(lambda n: f"부서{n}")
    name_en = factory.Sequence(lambda n: f"Bureau {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@busan.example")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    language = "ko"


class KeyTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyTask

    sector = factory.SubFactory(SectorFactory)
    # Set by save() too; declared so built tasks (bulk_create) have it.
    plan = factory.SelfAttribute("sector.plan")
    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"T-{n:04d}")
    title_ko = factory.Sequence(lambda n: f"핵심과제 {n}")
    title_en = factory.Sequence(lambda n: f"Key task {n}")
    start_date = dt.date(2024, 1, 1)
    due_date = dt.date(2026, 12, 31)
    status = KeyTask.Status.ON_TRACK
    progress = 40


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    task = factory.SubFactory(KeyTaskFactory)
    title_ko = factory.Sequence(lambda n: f"단계 {n}")
    due_date = dt.date(2025, 6, 30)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    sector = factory.SubFactory(SectorFactory)
    plan = factory.SelfAttribute("sector.plan")
    code = factory.Sequence(lambda n: f"KPI-{n}")
    name_ko = "재정지원 일자리"
    name_en = "Financial-support jobs"
    unit_ko = "개"
    unit_en = "jobs"
    baseline = 0
    target = 189988
    target_date = dt.date(2024, 12, 31)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    as_of = dt.date(2024, 12, 31)
    value = 208959
    state = Measurement.State.FINAL


class ReportSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSession

    sector = factory.SubFactory(SectorFactory)
    starts_at = dt.datetime(2024, 1, 15, 1, 0, tzinfo=dt.UTC)  # 10:00 KST
    ends_at = dt.datetime(2024, 1, 15, 3, 0, tzinfo=dt.UTC)
    venue_ko = "자갈치시장 소상공인종합지원센터"
    venue_en = "Small Business Comprehensive Support Center, Jagalchi Market"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(ReportSessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    bureau = factory.SubFactory(BureauFactory)
    title_ko = "업무보고"
    starts_at = factory.SelfAttribute("session.starts_at")
    ends_at = factory.SelfAttribute("session.ends_at")
