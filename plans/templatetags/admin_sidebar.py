"""The admin's navigation sidebar, rendered once for each thing it can show:
``{% load admin_sidebar %}{% admin_nav_sidebar %}`` in place of including
``admin/nav_sidebar.html``.

The sidebar lists every model the person may see (about 25 rows of links, 7 ms of the
key task list's template). It is made only of the site's app list (names, addresses,
what the person may add: ``plans.admin_site`` keeps it under what the person may do),
the language and which app and model the page belongs to, so it is kept under exactly
those: a change to any of them is another key, shown at once.
"""

from django import template
from django.template.defaultfilters import urlencode
from django.utils.translation import get_language

from plans.admin_site import AppList

register = template.Library()

TEMPLATE = "admin/nav_sidebar.html"
# Different keys come from languages, permission sets and pages: a handful each.
KEPT = 256
_rendered: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def admin_nav_sidebar(context):
    key = _key(context)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= KEPT:
            _rendered.clear()
        html = _rendered[key] = context.template.engine.get_template(TEMPLATE).render(context)
    return html


def _key(context):
    # What admin/nav_sidebar.html and admin/app_list.html read, and nothing else: the
    # app list (named by the key the site keeps it under, plans.admin_site), the
    # language and the addresses of the page's own app and model.
    apps = context.get("available_apps") or AppList()
    path = urlencode(context["request"].path)
    urls = (url for app in apps for url in (app["app_url"], *_model_urls(app)))
    return (get_language(), apps.key, tuple(url for url in urls if url and url in path))


def _model_urls(app):
    return (model.get("admin_url") for model in app["models"])
