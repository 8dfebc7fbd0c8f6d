"""What a person (or an attacker) can send to each URL: found by reading the pages
themselves, so a page added on any branch is driven without editing anything here.

``discover(city, clients)`` opens every page of ``tests/i18n/pages.py`` as every role
that can open it (and its HTMX fragment), reads each form (its action, method and
fields with the values offered), every ``hx-get``/``hx-post``/link with a query
string, and every ``hx-target``, and files them under the URL name they point at.

What no page shows goes in ``EXTRA_FIELDS`` (a URL name → field → sample values), e.g.
a parameter only a script or an email link sends. ``COMMON_FIELDS`` are tried
everywhere: the parameters a hand-made request would send to any page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

from tests.i18n import pages

# url name → {field → sample values} that no rendered page shows.
EXTRA_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    # The HTMX "cancel" link closes the in-row form (it is in a row opened on demand).
    "plans:task_update": {"close": ("1",)},
    "meetings:session_calendar": {"month": ("2024-01", "2024-13")},
    "review:dashboard": {"since": ("2024-01-15",)},
    "set_language": {"language": ("ko", "en"), "next": ("/",)},
    "plans:set_language": {"language": ("ko", "en"), "next": ("/",)},
    "login": {"username": ("finance_staff", "u" * 300), "password": ("password",)},
    "accounts:password_change": {"old_password": ("password",)},
    "accounts:password_reset": {"email": ("finance_staff@busan.example",)},
}

COMMON_FIELDS: dict[str, tuple[str, ...]] = {
    "next": ("/", "/tasks/mine/"),
    "page": ("1", "2"),
    "version": ("1", "2"),
    "sort": ("due", "-due"),
}


@dataclass
class Surface:
    """Everything seen of one URL name."""

    paths: set[str] = field(default_factory=set)
    fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    methods: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)

    def add_fields(self, pairs) -> None:
        for name, value in pairs:
            if name:
                self.fields[name].add(value)

    def field_samples(self, url_name: str) -> dict[str, tuple[str, ...]]:
        samples = {name: tuple(sorted(values)) for name, values in self.fields.items()}
        for extra in (COMMON_FIELDS, EXTRA_FIELDS.get(url_name, {})):
            for name, values in extra.items():
                samples[name] = tuple(sorted({*samples.get(name, ()), *values}))
        return samples


class _PageReader(HTMLParser):
    """The forms, HTMX requests, links and swap targets of one page."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.requests: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.targets: set[str] = set()
        self._form: tuple[str, str, list[tuple[str, str]]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = attrs.get("hx-target") or ""
        if target.startswith("#"):
            self.targets.add(target[1:])
        if tag == "form":
            method = "POST" if "hx-post" in attrs else (attrs.get("method") or "get").upper()
            action = attrs.get("hx-post") or attrs.get("hx-get") or attrs.get("action") or ""
            self._form = (method, urljoin(self.page_url, action), [])
            return
        for attribute, method in (("hx-get", "GET"), ("hx-post", "POST"), ("href", "GET")):
            if attrs.get(attribute):
                self.requests.append((method, urljoin(self.page_url, attrs[attribute]), []))
        if self._form is None:
            return
        fields = self._form[2]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")
            fields.append((name, value))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            fields.append((self._select, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))
        elif tag == "button" and name:
            fields.append((name, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.requests.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def read_page(html: str, page_url: str, surfaces: dict[str, Surface]) -> None:
    reader = _PageReader(page_url)
    reader.feed(html)
    for method, url, fields in reader.requests:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        name = url_name(url)
        if name is None or name.startswith("admin:"):
            continue
        surface = surfaces[name]
        surface.paths.add(parts.path)
        surface.methods.add(method)
        surface.add_fields(fields)
        surface.add_fields(parse_qsl(parts.query, keep_blank_values=True))
        surface.targets |= reader.targets


def discover(walk_city, clients) -> dict[str, Surface]:
    """Every URL name's surface, read from every registered page as its roles see it."""
    surfaces: dict[str, Surface] = defaultdict(Surface)
    for page in pages.pages_to_check(walk_city):
        if page.status != 200:
            continue
        headers = {"HX-Request": "true"} if page.htmx else {}
        response = clients[page.role].get(page.url, headers=headers)
        name = url_name(page.url)
        if name:
            surfaces[name].paths.add(urlsplit(page.url).path)
            surfaces[name].methods.add("GET")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            read_page(response.content.decode(), "http://testserver" + page.url, surfaces)
    return surfaces


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def route_parameters(route: str) -> list[tuple[str, str]]:
    """[(converter, name)] of a route such as ``tasks/<int:pk>/update/``."""
    return [(m["converter"] or "str", m["name"]) for m in ROUTE_PARAMETER.finditer(route)]


def fill_route(route: str, values: dict[str, str]) -> str:
    return "/" + ROUTE_PARAMETER.sub(lambda m: values[m["name"]], route)
