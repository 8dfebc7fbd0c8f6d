"""The mayor's office's review: the dashboard and its drill-down, the city-wide list of
key tasks and its exports; the plan at a glance and the public disclosure page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from meetings.selectors import last_review, sessions_by_sector
from plans import cache, dates, overviews, permissions
from plans.models import risk_margin
from plans.selectors import current_plan, current_plan_or_404

from . import exports, selectors
from .forms import SinceForm, TaskFilterForm

TASKS_PER_PAGE = 100
# The dashboard is a glance: the newest changes, with the total; each task keeps its
# full history on its own page.
DASHBOARD_CHANGES = 25


@login_not_required
def home(request):
    """The plan at a glance: its goals and the five sectors with their sessions."""
    plan = current_plan(request.GET.get("year"))
    sectors = overviews.sector_overviews(plan, dates.today()) if plan else []
    sessions = sessions_by_sector(plan) if plan else {}
    rows = [(sector, overview, sessions.get(sector.pk, [])) for sector, overview in sectors]
    return render(request, "review/home.html", {"plan": plan, "sectors": rows})


def dashboard(request):
    permissions.require(permissions.can_view_dashboard(request.user))
    plan = current_plan_or_404(request.GET.get("year"))
    today = dates.today()
    last = last_review(plan)
    since_form = SinceForm(request.GET or None)
    since = since_form.date_or(selectors.since_last_review(last, today))
    page = since_form.page_or_first()
    stamp = cache.plan_stamp()
    context = {
        "plan": plan,
        "today": today,
        "last_review": last,
        "since_form": since_form,
        "since_value": since_form.typed(since),
        "feed": cache.cached(
            "changes",
            (plan.pk, since, page),
            lambda: selectors.change_feed(plan, since, limit=DASHBOARD_CHANGES, page=page),
            stamp=stamp,
        ),
    }
    if request.htmx:
        return render(request, "review/dashboard.html#changes", context)
    context["board_html"] = cache.cached(
        "dashboard", (plan.pk,), lambda: _figures_html(request, plan), stamp=stamp
    )
    return render(request, "review/dashboard.html", context)


def _figures_html(request, plan, sector=None) -> str:
    """A review page's figures, rendered once per change of the plan (``plans.cache``)."""
    today = dates.today()
    if sector is None:
        figures = selectors.plan_figures(plan, today)
        template = "review/dashboard.html#board"
    else:
        figures = selectors.sector_figures(plan, sector, today)
        template = "review/sector_detail.html#figures"
    context = {"plan": plan, "sector": sector, "margin": risk_margin(), **figures}
    return render_to_string(template, context, request)


def sector_detail(request, number: int):
    permissions.require(permissions.can_view_dashboard(request.user))
    plan = current_plan_or_404(request.GET.get("year"))
    sector = get_object_or_404(plan.sectors, number=number)
    figures_html = cache.cached(
        "sector", (plan.pk, sector.pk), lambda: _figures_html(request, plan, sector)
    )
    context = {"plan": plan, "sector": sector, "figures_html": figures_html}
    return render(request, "review/sector_detail.html", context)


def _filtered_tasks(request, plan):
    form = TaskFilterForm(request.GET or None, plan=plan)
    filters = form.filters()
    return form, filters, selectors.city_tasks(plan, today=dates.today(), **filters)


def task_list(request):
    permissions.require(permissions.can_view_dashboard(request.user))
    plan = current_plan_or_404(request.GET.get("year"))
    form, filters, tasks = _filtered_tasks(request, plan)
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "plan": plan,
        "form": form,
        "filters": filters,
        "heading": form.heading(filters),
        "page": page,
        "query": query.urlencode(),
        "margin": risk_margin(),
        "can_export": permissions.can_export(request.user),
    }
    template = "review/task_list.html#results" if request.htmx else "review/task_list.html"
    return render(request, template, context)


def task_export_xlsx(request):
    permissions.require(permissions.can_export(request.user))
    _form, _filters, tasks = _filtered_tasks(request, current_plan_or_404(request.GET.get("year")))
    return exports.xlsx_response(tasks)


def task_export_csv(request):
    permissions.require(permissions.can_export(request.user))
    _form, _filters, tasks = _filtered_tasks(request, current_plan_or_404(request.GET.get("year")))
    return exports.csv_response(tasks)


@login_not_required
def public(request):
    """Anonymous, read-only: the targets the city discloses and how far it has come.
    The same page for everyone, signed in or not, so nothing internal can slip in."""
    plan = current_plan(request.GET.get("year"))
    context = {
        "plan": plan,
        "indicators": selectors.public_indicators(plan) if plan else [],
        "tasks": selectors.public_tasks(plan) if plan else [],
        "last_updated": selectors.public_last_updated(plan) if plan else None,
        "legend": selectors.status_legend(),
    }
    return render(request, "review/public.html", context)


@login_not_required
def public_task(request, pk: int):
    """A public key task as residents see it: what, how far, by when, its milestones and
    published figures; no owner, no internal notes. 404 for any task not public."""
    task = selectors.public_task(pk)
    context = {"task": task, "legend": selectors.status_legend()}
    return render(request, "review/public_task.html", context)
