"""Links: absolute ones, for what leaves the browser (emails, calendar feeds, exports),
the one place that knows the site's address (``settings.SITE_URL``); and a list's
filters as its page links carry them."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def list_query(request) -> str:
    """A list's filters as they go in its links (pages, exports): the query string
    without the page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def site_url() -> str:
    """The site's own address, without a trailing slash (``http://127.0.0.1:8390``)."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """A path of this site (``/tasks/12/``) as a full address."""
    return site_url() + path


def absolute_reverse(name: str, *args, **kwargs) -> str:
    """A named URL as a full address: ``absolute_reverse("plans:task_detail", task.pk)``."""
    return absolute_url(reverse(name, args=args or None, kwargs=kwargs or None))
