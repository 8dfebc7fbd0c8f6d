"""No request anyone can make answers 500 (issue 13).

Walks the URL configuration (``tests/i18n/pages.py``), so a page added on any branch is
driven as soon as it is registered there. What each URL accepts is read from the pages
themselves (``tests/security/surfaces.py``): its forms, filters, HTMX requests and swap
targets. Every URL is then sent, as every role, plain and HTMX, GET and POST:

1. a sweep: each role, plain and HTMX, GET and POST, with the values the pages offer
   and with a hostile value in every field;
2. hypothesis examples mixing both: huge, unicode, NUL, NaN, inf, 1e309, impossible
   dates, missing and duplicated fields, stale and future versions, other objects' ids
   (in the URL and the fields), malformed ``next``, ``Referer`` and ``HX-Current-URL``,
   other methods and a garbled body.

Any 5xx (or exception) fails, with the request that caused it. Each request runs in a
savepoint rolled back afterwards, so every one meets the same city. ``HOSTILE_EXAMPLES``
sets the hypothesis examples per URL (default 12; raise it for a deeper run).
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from meetings.models import ReportSession
from plans.models import Bureau, Indicator, KeyTask, Measurement, Milestone, Sector
from tests.conftest import IN_CI
from tests.factories import UserFactory
from tests.i18n import pages
from tests.i18n.pages import ANONYMOUS, build_walk_city
from tests.security import surfaces as surface_reader

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "12"))
ROLES = (
    ANONYMOUS,
    "finance_staff",
    "other_staff",
    "economy_head",
    "welfare_head",
    "mayors_office",
    "city_it",
)

# Values that broke or could break a parser, a form, a query or a redirect.
CURATED = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "\uff11\uff12\uff13",  # full-width digits
    "٣",
    "²",
    "9" * 30,
    "9" * 5000,
    "2024-02-30",
    "2024-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2024-01-01",
    "2024-01-01T25:61",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "%00",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "\\",
    "../../etc/passwd",
    "http://[",
    "https://[::1",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "admin:index",
    "plans:my_tasks",
    "\u202e\ufeff",
    "🙂" * 60,
    "x" * 70000,
    "true",
    "null",
    "[]",
    '=HYPERLINK("http://evil.example","x")',
    "1,000",
    "0x1F",
    "+5",
    "1_000",
]
URLISH = [
    "http://[",
    "0",
    "admin:index",
    "NaN",
    "\uff11\uff12\uff13",
    "//evil.example/",
    "http://testserver/tasks/mine/?sector=1",
    "http://testserver:99999999999/",
    "/\x00",
    "",
]
METHODS = ["GET", "POST", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
FORM = "application/x-www-form-urlencoded"
CONTENT_TYPES = [FORM, FORM, FORM, "multipart/form-data; boundary=x", "application/json", ""]


@dataclass
class HostileRequest:
    role: str
    method: str
    path: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    htmx: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = FORM
    body: str | None = None

    def __str__(self) -> str:
        def short(value):
            text = repr(value)
            return text if len(text) < 80 else text[:60] + f"…({len(value)} chars)"

        shown = ", ".join(f"{name}={short(value)}" for name, value in self.fields)
        extra = f" {self.headers}" if self.headers else ""
        kind = "HTMX " if self.htmx else ""
        return f"{kind}{self.method} {short(self.path)} as {self.role} [{shown}]{extra}"


@dataclass
class City:
    walk: object
    sessions: dict[str, str]
    surfaces: dict[str, surface_reader.Surface]
    ids: list[str]


@pytest.fixture
def hostile_city(city):
    walk = build_walk_city(city)
    walk.city_it = UserFactory(username="city_it", is_staff=True, is_superuser=True)
    clients, sessions = {ANONYMOUS: Client()}, {}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(getattr(walk, role))
        clients[role] = client
        sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    found = surface_reader.discover(walk, clients)
    ids = set()
    for model in (KeyTask, Milestone, Indicator, Measurement, Bureau, Sector, ReportSession):
        ids |= set(model.objects.values_list("pk", flat=True))
    ids |= set(get_user_model().objects.values_list("pk", flat=True))
    for version in KeyTask.objects.values_list("version", flat=True):
        ids |= {version - 1, version + 1, version + 1000}
    return City(walk, sessions, found, sorted(str(i) for i in ids))


def send(client: Client, city: City, request: HostileRequest):
    client.cookies = SimpleCookie()
    if request.role != ANONYMOUS:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = city.sessions[request.role]
    headers = dict(request.headers)
    if request.htmx:
        headers["HX-Request"] = "true"
    encoded = urlencode(request.fields)
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        path = f"{request.path}?{encoded}" if encoded else request.path
        return client.generic(request.method, path, headers=headers)
    body = encoded if request.body is None else request.body
    return client.generic(
        request.method, request.path, body, content_type=request.content_type, headers=headers
    )


def check(client: Client, city: City, request: HostileRequest) -> None:
    try:
        with transaction.atomic():
            response = send(client, city, request)
            transaction.set_rollback(True)
    except Exception as error:
        raise AssertionError(f"{request} raised {error!r}") from error
    assert response.status_code < 500, f"{request} answered {response.status_code}"


def valid_paths(pattern, city: City) -> list[str]:
    entry = pages.REGISTRY.get(pattern.name)
    paths = set(city.surfaces.get(pattern.name, surface_reader.Surface()).paths)
    if entry is not None and entry.kwargs is not None:
        paths.add(pages.reverse(pattern.name, kwargs=entry.kwargs(city.walk)))
    if not surface_reader.route_parameters(pattern.route):
        paths.add("/" + pattern.route)
    return sorted(paths)


def hostile_paths(pattern, city: City):
    parameters = surface_reader.route_parameters(pattern.route)
    if not parameters:
        return st.nothing()
    values = {}
    for converter, name in parameters:
        if converter == "int":
            values[name] = st.one_of(
                st.sampled_from(city.ids),
                st.sampled_from(["0", "00", "9" * 20, str(2**63), "9" * 5000]),
            )
        else:
            values[name] = st.one_of(
                st.sampled_from([*city.ids, "x", "MQ", "%00", "%2F..%2F", "%F0%9F%99%82"]),
                st.text(alphabet="abcXYZ019-_:.~", min_size=1, max_size=40),
            )
    return st.fixed_dictionaries(values).map(
        lambda filled: surface_reader.fill_route(pattern.route, filled)
    )


def hostile_values(city: City):
    return st.one_of(
        st.sampled_from(CURATED),
        st.sampled_from(city.ids),
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats().map(repr),
        st.dates().map(dt.date.isoformat),
    )


def sweep(pattern, city: City) -> list[HostileRequest]:
    """Each role four times: plain GET and HTMX POST with the values the pages offer,
    plain POST and HTMX GET with a hostile value in every field (and broken URLs in
    ``next``, ``Referer`` and ``HX-Current-URL``)."""
    samples = city.surfaces.get(pattern.name, surface_reader.Surface()).field_samples(pattern.name)
    paths = valid_paths(pattern, city) or [
        surface_reader.fill_route(
            pattern.route,
            {name: city.ids[0] for _, name in surface_reader.route_parameters(pattern.route)},
        )
    ]
    offered = [(name, values[0] if values else "") for name, values in samples.items()]
    hostile = [(name, CURATED[n * 7 % len(CURATED)]) for n, name in enumerate(samples)]
    hostile += [("next", "http://["), ("next", "admin:index")]
    broken = {"Referer": "http://[", "HX-Current-URL": "0"}
    requests = []
    for role in ROLES:
        for htmx, method, fields, headers in (
            (False, "GET", offered, {}),
            (True, "POST", offered, {}),
            (False, "POST", hostile, broken),
            (True, "GET", hostile, broken),
        ):
            path = paths[len(requests) % len(paths)]
            requests.append(HostileRequest(role, method, path, fields, htmx, headers))
    return requests


def drive(pattern, city: City, client: Client, *, shrink: bool = True) -> None:
    surface = city.surfaces.get(pattern.name, surface_reader.Surface())
    samples = surface.field_samples(pattern.name)
    paths = valid_paths(pattern, city)
    targets = sorted(surface.targets | {"task-results", "results", "changes", "nowhere"})
    path_strategy = st.one_of(
        st.sampled_from(paths) if paths else st.nothing(), hostile_paths(pattern, city)
    )
    values = hostile_values(city)

    def field_values(name):
        offered = [v for v in samples[name] if v]
        value = st.one_of(st.sampled_from(offered), values) if offered else values
        # Missing (None), once, or duplicated.
        return st.one_of(st.none(), st.lists(value, min_size=1, max_size=2))

    @settings(
        max_examples=EXAMPLES,
        deadline=dt.timedelta(seconds=10),
        database=None,
        derandomize=IN_CI,
        print_blob=False,
        phases=list(Phase) if shrink else [Phase.explicit, Phase.generate],
    )
    @given(data=st.data())
    def example(data):
        fields = []
        for name in samples:
            chosen = data.draw(field_values(name), label=name)
            fields += [(name, value) for value in chosen or ()]
        fields += data.draw(
            st.lists(st.tuples(st.sampled_from(["x", "id", "pk"]), values), max_size=1)
        )
        htmx = data.draw(st.booleans(), label="htmx")
        headers = {}
        for header in ("Referer", "HX-Current-URL"):
            value = data.draw(st.none() | st.sampled_from(URLISH) | values, label=header)
            if value is not None and "\x00" not in value and "\n" not in value:
                headers[header] = value
        if htmx:
            headers["HX-Target"] = data.draw(st.sampled_from(targets), label="HX-Target")
        method = data.draw(st.sampled_from(METHODS), label="method")
        content_type = data.draw(st.sampled_from(CONTENT_TYPES), label="content type")
        body = None
        if content_type != FORM:
            body = data.draw(st.sampled_from(['{"a": [', "--x\r\nbroken", "", "\x00"]))
        request = HostileRequest(
            role=data.draw(st.sampled_from(ROLES), label="role"),
            method=method,
            path=data.draw(path_strategy, label="path"),
            fields=fields,
            htmx=htmx,
            headers=headers,
            content_type=content_type,
            body=body,
        )
        check(client, city, request)

    example()


def test_no_request_of_any_role_on_any_url_answers_500(hostile_city):
    client = Client()
    failures, driven = [], []
    for pattern in pages.url_patterns():
        if pattern.name not in pages.REGISTRY:
            continue  # unregistered pages fail the registry's own tests
        try:
            for request in sweep(pattern, hostile_city):
                check(client, hostile_city, request)
            drive(pattern, hostile_city, client)
        except AssertionError as failure:
            cause = failure.__cause__
            where = "".join(traceback.format_exception(cause))[-2000:] if cause else ""
            failures.append(f"{pattern.name}: {failure}\n{where}")
        driven.append(pattern.name)
    assert {"plans:task_update", "review:task_list", "login"} <= set(driven)
    assert not failures, "\n\n".join(failures)
