"""The city-wide list of key tasks as the mayor's office reads it: its breadcrumb,
heading, filters and a page of results, rendered once per change of the plan
(``plans.cache``) for each filter and page, so the hundredth reader of the same list
costs a cache read, not a sort of 20,000 tasks and the rendering of 400 bureaus."""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string
from django.utils.http import urlencode

from plans import cache, dates, links
from plans.models import risk_margin

from . import selectors
from .forms import TaskFilterForm

TASKS_PER_PAGE = 100
TEMPLATE = "review/task_list.html"
PARTS = ("crumbs", "heading", "filters", "results")


def task_list_parts(request, plan) -> dict:
    """{part: its HTML} for the list the request asks for, its "title" and "count"."""
    canonical = urlencode(sorted(request.GET.lists()), doseq=True)
    key = hashlib.sha256(canonical.encode()).hexdigest()
    return cache.cached(
        "city-list", (plan.pk, key, bool(request.htmx)), lambda: _render(request, plan)
    )


def _render(request, plan) -> dict:
    form = TaskFilterForm(request.GET or None, plan=plan)
    filters = form.filters()
    context = {
        "plan": plan,
        "form": form,
        "filters": filters,
        "heading": form.heading(filters),
        "page": selectors.city_task_page(
            plan,
            today=dates.today(),
            filters=filters,
            number=request.GET.get("page"),
            per_page=TASKS_PER_PAGE,
        ),
        "query": links.list_query(request),
        "margin": risk_margin(),
    }
    parts = {part: render_to_string(f"{TEMPLATE}#{part}", context, request) for part in PARTS}
    return {**parts, "title": str(context["heading"]), "count": context["page"].paginator.count}
