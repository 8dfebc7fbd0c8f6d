"""One sign-in requirement for every app: anonymous visitors are sent to sign in from
every page that is not public, HTMX requests from an expired session load the sign-in
page in the window, and the navigation offers each role only what it may open."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for
from tests.i18n.pages import REGISTRY, build_walk_city, url_patterns
from tests.i18n.topics import api

# The pages anyone may open: everything else asks for sign-in.
PUBLIC = {
    "home",
    "login",
    "set_language",
    "plans:set_language",
    "review:public",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "healthz",
    "review:public_task",
    "favicon",
} | api.PUBLIC
# Signing in with the city account (tests/sso): redirects, and 404 while the provider is off.
CITY_ACCOUNT = {"sso:oidc_start", "sso:oidc_callback"}
# The JSON API signs each call in by its token (401 without one): tests/api.
CITY_ACCOUNT |= api.TOKEN_SIGNED
HTMX = {"HX-Request": "true"}


def test_every_page_but_the_public_ones_asks_anonymous_visitors_to_sign_in(client, city):
    walk_city = build_walk_city(city)
    asked = []
    for pattern in url_patterns():
        entry = REGISTRY[pattern.name]
        if pattern.name in PUBLIC | CITY_ACCOUNT or (entry.kwargs is None and "<" in pattern.route):
            continue
        kwargs = entry.kwargs(walk_city) if entry.kwargs else None
        response = client.get(reverse(pattern.name, kwargs=kwargs))
        assert response.status_code == 302, pattern.name
        assert response["Location"].startswith(reverse("login") + "?next="), pattern.name
        asked.append(pattern.name)
    assert {"plans:my_tasks", "review:dashboard", "meetings:session_list"} <= set(asked)


@pytest.mark.parametrize(
    "name",
    sorted(
        PUBLIC
        - {
            "set_language",
            "plans:set_language",
            "accounts:password_reset_confirm",
            "favicon",
            "review:public_task",
        }
    ),
)
def test_the_public_pages_open_without_signing_in(client, city, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "url", ["review:dashboard", "review:task_list", "meetings:session_list", "plans:my_tasks"]
)
def test_an_htmx_request_of_an_expired_session_loads_sign_in_in_the_window(client, city, url):
    page = "http://testserver/dashboard/tasks/?flag=overdue"
    response = client.get(reverse(url), headers={**HTMX, "HX-Current-URL": page})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/dashboard/tasks/%3Fflag%3Doverdue"


@pytest.mark.parametrize("current", ["http://[", "https://evil.example/x", "0", "admin:index"])
def test_a_broken_or_foreign_current_url_falls_back_to_the_requested_page(client, city, current):
    response = client.get(reverse("plans:my_tasks"), headers={**HTMX, "HX-Current-URL": current})
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/tasks/mine/"


def nav_links(client) -> list[str]:
    page = client.get(reverse("home")).content.decode()
    nav = page[page.index('<nav class="nav"') : page.index("</nav>")]
    return [url for url in (reverse(n) for n in NAV) if f'href="{url}"' in nav]


NAV = [
    "home",
    "inbox:queue",
    "plans:my_tasks",
    "review:dashboard",
    "meetings:session_list",
    "review:public",
]


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (
            "finance_staff",
            ["home", "inbox:queue", "plans:my_tasks", "meetings:session_list", "review:public"],
        ),
        ("economy_head", NAV),
        ("mayors_office", NAV),
        ("anonymous", ["home", "review:public"]),
    ],
)
def test_the_navigation_offers_each_role_only_what_it_may_open(client, city, role, offered):
    if role != "anonymous":
        client = client_for(getattr(city, role))
    links = nav_links(client)
    assert links == [reverse(name) for name in offered]
    for url in links:
        assert client.get(url).status_code == 200


def test_the_site_icon_is_there_for_pages_that_name_none(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_every_url_pattern_has_a_view_that_says_whether_it_needs_sign_in():
    """The public ones are marked on the view (login_not_required); nothing else is."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                yield from walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{prefix}{entry.name}", entry.callback

    public = {
        name
        for name, view in walk(get_resolver().url_patterns)
        if not getattr(view, "login_required", True) and not name.startswith("admin:")
    }
    assert public == PUBLIC | CITY_ACCOUNT
