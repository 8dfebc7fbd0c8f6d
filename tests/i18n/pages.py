"""Every page in the URL configuration, with who can open it and how to build its URL.

The language check (tests/i18n/test_pages_in_korean.py) and the accessibility audit
(tests/browser/test_accessibility.py) both walk ``url_patterns()`` — the live URL
configuration, so a page added on any branch is picked up by itself — and look each
pattern up in ``REGISTRY``. A pattern with no entry fails both tests: whoever adds a
page registers it here, in one line:

    "plans:my_tasks": page("finance_staff"),
    "plans:task_detail": page(
        "finance_staff", "mayors_office", kwargs=lambda c: {"pk": c.finance_task.pk}
    ),
    "plans:task_status": page("finance_staff", htmx=True, kwargs=...),   # an HTMX fragment
    "plans:task_list": page("finance_staff", fragment=True),              # page + its fragment
    "plans:export_xlsx": not_html("an Excel file"),                       # checked by its own tests
    "logout": not_html("POST only"),

Roles are attribute names of the ``city`` fixture (tests/conftest.py) or "anonymous";
``kwargs`` gets the ``walk_city`` fixture (the city plus a report session and the
objects ``build_walk_city`` below adds) and returns the URL's keyword arguments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meetings.services import add_directive
from plans import services
from plans.measurements import revise_measurement
from reminders.acknowledgements import acknowledgement_token
from reminders.models import ReminderLog
from tests.factories import (
    AgendaItemFactory,
    IndicatorFactory,
    MeasurementFactory,
    MilestoneFactory,
    ReportSessionFactory,
)
from tests.i18n import topics
from tests.i18n.entries import ANONYMOUS, Page, not_html, page

# Namespaces left out as a whole, and why.
SKIPPED_NAMESPACES = {
    "admin": "Django's admin: city IT's tool, translated by Django itself (out of scope)",
}

REGISTRY: dict[str, Page] = {
    "home": page(ANONYMOUS, "finance_staff", "mayors_office"),
    "login": page(ANONYMOUS),
    "favicon": not_html("the site icon: a redirect to the static file"),
    "logout": not_html("POST only: signs out and redirects"),
    "healthz": not_html("the load balancer's probe, plain text: tests/city_it/test_healthz.py"),
    "sso:oidc_start": not_html(
        "redirects to the city's OpenID provider (404 while it is off): tests/sso"
    ),
    "sso:oidc_callback": not_html(
        "the provider's redirect back, answered with a redirect: tests/sso"
    ),
    "set_language": not_html("Django's own language view (POST only, redirects)"),
    "plans:set_language": not_html("the language switch: POST only, redirects"),
    "plans:task_detail": page(
        "finance_staff",
        "economy_head",
        "mayors_office",
        fragment=True,
        kwargs=lambda c: {"pk": c.finance_task.pk},
    ),
    "plans:task_history": page(
        "finance_staff", "economy_head", "mayors_office", kwargs=lambda c: {"pk": c.finance_task.pk}
    ),
    # The bureau's pages (issue 3): My tasks and its in-row update (a page of its own
    # without JavaScript, the row for HTMX); the task page's writes answer with its body.
    "plans:my_tasks": page("finance_staff", "economy_head", fragment=True),
    "plans:task_update": page(
        "finance_staff", "economy_head", fragment=True, kwargs=lambda c: {"pk": c.finance_task.pk}
    ),
    "plans:task_edit": not_html(
        "POST only: answers with the task page's body, checked through plans:task_detail"
    ),
    "plans:task_measurement": not_html(
        "POST only: answers with the task page's body, checked through plans:task_detail"
    ),
    "plans:milestone_toggle": not_html(
        "POST only: answers with the task page's body, checked through plans:task_detail"
    ),
    "reminders:acknowledge": page(
        "economy_head", "mayors_office", kwargs=lambda c: {"token": c.escalation_token}
    ),
    "review:public": page(ANONYMOUS, "finance_staff"),
    "review:public_task": page(
        ANONYMOUS, "finance_staff", kwargs=lambda c: {"pk": c.welfare_task.pk}
    ),
    # The mayor's office (issue 4).
    "review:dashboard": page("mayors_office", fragment=True),
    "review:sector_detail": page("mayors_office", kwargs=lambda c: {"number": 1}),
    "review:task_list": page("mayors_office", fragment=True),
    "review:task_export_xlsx": not_html(
        "an Excel file: headers checked in Korean by tests/i18n/test_exports_in_korean.py"
    ),
    "review:task_export_csv": not_html(
        "a CSV file: headers checked in Korean by tests/i18n/test_exports_in_korean.py"
    ),
    "meetings:session_list": page("mayors_office", "economy_head"),
    "meetings:session_calendar": page("mayors_office"),
    "meetings:sessions_ics": not_html(
        "an iCalendar file: checked in Korean by tests/i18n/test_exports_in_korean.py"
    ),
    "meetings:session_detail": page(
        "mayors_office", "economy_head", kwargs=lambda c: {"pk": c.session.pk}
    ),
    "meetings:briefing": page("mayors_office", kwargs=lambda c: {"pk": c.session.pk}),
    "meetings:briefing_pdf": Page(
        roles=(),
        html=False,
        reason="a PDF document: read back in Korean by tests/mayors_office/test_briefing_pdf.py",
        kwargs=lambda c: {"pk": c.session.pk},
    ),
    "meetings:minutes_edit": page(
        "mayors_office", fragment=True, kwargs=lambda c: {"pk": c.session.pk}
    ),
    # Signing in (issue 13): password change for everyone, reset by email for anyone
    # (the link's page is shown as a stale link: a valid one moves into the session).
    "accounts:password_change": page("finance_staff", "mayors_office"),
    "accounts:password_reset": page(ANONYMOUS),
    "accounts:password_reset_confirm": page(
        ANONYMOUS, kwargs=lambda c: {"uidb64": "MQ", "token": "expired-link"}
    ),
    "meetings:directive_add": not_html(
        "POST only: its form and errors are on the session page (tests/meetings, "
        "tests/browser/test_keyboard.py)"
    ),
}
# Each feature area registers its pages in its own module of tests/i18n/topics/.
for _topic in topics.TOPICS:
    REGISTRY.update(_topic.PAGES)
# Entries above whose page is not merged yet; empty this set once they are.
AWAITED: set[str] = set()


@dataclass(frozen=True)
class Pattern:
    """One route of the URL configuration."""

    name: str  # "namespace:name", or the route itself when it has no name
    route: str
    named: bool = field(default=True)


def url_patterns() -> list[Pattern]:
    """Every route in the URL configuration outside SKIPPED_NAMESPACES, in order."""
    found: list[Pattern] = []

    def walk(patterns, namespace: str, prefix: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or ""
                full = f"{namespace}:{inner}".strip(":") if inner else namespace
                if full.split(":")[0] in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, full, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                    found.append(Pattern(name=name, route=route))
                else:
                    found.append(Pattern(name=route, route=route, named=False))

    walk(get_resolver().url_patterns, "", "")
    return found


@dataclass(frozen=True)
class PageToCheck:
    name: str
    url: str
    role: str
    htmx: bool
    status: int = 200

    def __str__(self) -> str:
        return f"{self.name} as {self.role} ({self.url})"


class Unregistered(LookupError):
    pass


def entry_for(pattern: Pattern) -> Page:
    if not pattern.named:
        raise Unregistered(
            f"URL pattern {pattern.route!r} has no name: name it and register it in "
            "tests/i18n/pages.py REGISTRY"
        )
    try:
        return REGISTRY[pattern.name]
    except KeyError:
        raise Unregistered(
            f"URL pattern {pattern.name!r} ({pattern.route}) is not in tests/i18n/pages.py "
            "REGISTRY: add page(<roles that can open it>, kwargs=…) or not_html(<why>)"
        ) from None


def pages_for(pattern: Pattern, walk_city) -> list[PageToCheck]:
    """The pages one pattern stands for: one per role that can open it."""
    entry = entry_for(pattern)
    if not entry.html:
        return []
    kwargs = entry.kwargs(walk_city) if entry.kwargs else {}
    url = reverse(pattern.name, kwargs=kwargs) + (f"?{entry.query}" if entry.query else "")
    checks = [PageToCheck(pattern.name, url, role, entry.htmx) for role in entry.roles]
    if entry.fragment:
        checks += [PageToCheck(pattern.name, url, role, htmx=True) for role in entry.roles]
    return checks


# Pages people meet that no URL pattern names: the error pages (403, 400 and 500 are
# rendered by tests/i18n/test_error_pages.py, as no URL reliably produces them).
ERROR_PAGES = [
    PageToCheck("404", "/no-such-page/", ANONYMOUS, htmx=False, status=404),
    PageToCheck("404", "/tasks/999999/", "finance_staff", htmx=False, status=404),
]


def pages_to_check(walk_city) -> list[PageToCheck]:
    """(url name, url, role) for every HTML page; raises Unregistered for a new pattern."""
    pages: list[PageToCheck] = list(ERROR_PAGES)
    for pattern in url_patterns():
        pages.extend(pages_for(pattern, walk_city))
    return pages


def user_for(role: str, walk_city):
    return None if role == ANONYMOUS else getattr(walk_city, role)


def stale_entries() -> list[str]:
    """Registry entries whose URL name no longer exists (a renamed or removed page)."""
    names = {pattern.name for pattern in url_patterns()}
    return sorted(name for name in REGISTRY if name not in names and name not in AWAITED)


def build_walk_city(city):
    """The ``city`` with something on every page: a report session with its agenda.

    Pages added later that need an object of their own (a directive, a reminder) add it
    here as an attribute, and their REGISTRY entry's kwargs read it."""
    # People as the city names them (the bare fixture uses English usernames).
    names = {
        "economy_head": "김경제",
        "welfare_head": "이복지",
        "finance_staff": "박금융",
        "other_staff": "최직원",
        "mayors_office": "정기획",
    }
    for role, name in names.items():
        user = getattr(city, role)
        # Korean names are written whole, family name first (as plans.loader stores them).
        user.last_name, user.first_name = name, ""
        user.save(update_fields=["last_name", "first_name"])
    city.session = ReportSessionFactory(
        sector=city.sectors[0], theme_ko="민생 안정과 경제 활력 제고"
    )
    city.agenda_item = AgendaItemFactory(session=city.session, bureau=city.economy)
    # A directive of the session (a key task of its own) and minutes to show.
    city.directive = add_directive(
        city.session,
        by=city.mayors_office,
        text="청년 일자리 사업 추진상황을 다음 보고회에서 보고할 것",
        bureau=city.economy,
        due_date=dt.date(2024, 3, 29),
    )
    city.session.minutes = "경제 분야 핵심과제 추진상황 점검"
    city.session.save(update_fields=["minutes"])
    # An escalation to the head of the economy bureau, for its acknowledgement page.
    escalation = ReminderLog.objects.create(
        subject_type="task",
        subject_id=city.economy_task.pk,
        deadline=dt.date(2024, 3, 1),
        send_on=dt.date(2024, 3, 6),
        kind=ReminderLog.Kind.ESCALATION_HEAD,
        recipient=city.economy_head,
        state=ReminderLog.State.SENT,
        sent_at=dt.datetime(2024, 3, 6, 0, 0, tzinfo=dt.UTC),
    )
    city.escalation_token = acknowledgement_token(escalation)
    # Indicators, so the charts, indicator tables and the public page have rows: one
    # public and met (with a published figure revised since), one behind its pace.
    jobs = IndicatorFactory(
        sector=city.sectors[0],
        code="JOB-FIN",
        is_public=True,
        source_ko="고용노동부 지역일자리 목표 공시제",
        definition_ko="시 재정지원 일자리 수(누계)",
    )
    final = MeasurementFactory(indicator=jobs, as_of=dt.date(2024, 12, 31), value=209000)
    revise_measurement(final, by=city.mayors_office, value=208959, reason="중복 집계 정정")
    behind = IndicatorFactory(
        sector=city.sectors[0],
        code="CO2",
        name_ko="온실가스 감축량",
        unit_ko="톤",
        target=60000,
        target_date=dt.date(2030, 12, 31),
    )
    MeasurementFactory(indicator=behind, as_of=dt.date(2024, 6, 30), value=1200, state="verified")
    build_task_history(city)
    # Objects the pages of each feature area need (tests/i18n/topics/).
    for topic in topics.TOPICS:
        topic.build(city)
    return city


def build_task_history(city):
    """My tasks and the task page with something in every column: milestones (one done),
    an indicator with actuals, and a history of status, progress, actual and milestone
    changes written through plans.services as a bureau would."""
    task = city.finance_task
    first = MilestoneFactory(
        task=task, order=1, title_ko="사업 공모 및 참여기업 선정", due_date=dt.date(2024, 3, 31)
    )
    MilestoneFactory(
        task=task, order=2, title_ko="하반기 성과 점검", due_date=dt.date(2024, 10, 31)
    )
    jobs = IndicatorFactory(
        sector=task.sector,
        task=task,
        code="FIN-JOB",
        name_ko="재정지원 일자리 창출",
        unit_ko="개",
        target=189988,
        target_date=dt.date(2024, 12, 31),
    )
    MeasurementFactory(indicator=jobs, as_of=dt.date(2024, 3, 31), value=52000, state="verified")
    task = services.update_key_task(
        task,
        by=city.economy_head,
        expected_version=task.version,
        note="참여기업 모집 지연",
        status="at_risk",
        progress=55,
    )
    task = services.record_measurement(
        jobs,
        by=city.finance_staff,
        expected_version=task.version,
        value=Decimal(189988),
        as_of=dt.date(2024, 6, 30),
    )
    task = services.toggle_milestone(
        first, by=city.finance_staff, expected_version=task.version, done=True
    )
    city.finance_task = task
    city.task_indicator = jobs
