"""The mayor's office's review: the dashboard and its drill-down, the city-wide list of
key tasks and its exports; the plan at a glance and the public disclosure page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.models import SessionChange
from meetings.selectors import last_review, sessions_by_sector
from plans import cache, dates, links, overviews, permissions
from plans.models import risk_margin
from plans.selectors import current_plan, current_plan_or_404

from . import exports, rows, selectors
from .forms import SinceForm, TaskFilterForm
from .models import ExportRequest

# The dashboard is a glance: the newest changes, with the total; each task keeps its
# full history on its own page.
DASHBOARD_CHANGES = 25


@login_not_required
def home(request):
    """The plan at a glance: its goals and the five sectors with their sessions."""
    return cache.visitor_page(
        request, "home-page", lambda extra: _home(request, extra), records=(SessionChange,)
    )


def _home(request, extra: dict):
    plan = current_plan(request.GET.get("year"))
    # The same counts for every reader until the plan changes (plans.cache).
    sectors = (
        cache.cached("home", (plan.pk,), lambda: overviews.sector_overviews(plan, dates.today()))
        if plan
        else []
    )
    sessions = sessions_by_sector(plan) if plan else {}
    rows = [(sector, overview, sessions.get(sector.pk, [])) for sector, overview in sectors]
    return render(request, "review/home.html", {"plan": plan, "sectors": rows, **extra})


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
        "stamp": stamp,
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
    parts = rows.task_list_parts(request, plan)
    if request.htmx:
        return HttpResponse(parts["results"])
    context = {
        "plan": plan,
        "parts": parts,
        "query": links.list_query(request),
        "can_export": permissions.can_export(request.user),
        "in_background": exports.in_background(parts["count"]),
    }
    return render(request, "review/task_list.html", context)


@require_POST
def task_export_request(request):
    """A list too long to download at once: prepared in the background, link by email."""
    permissions.require(permissions.can_export(request.user))
    kind = request.POST.get("kind")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    exports.request_export(
        by=request.user, kind=kind if kind in ExportRequest.Kind.values else "xlsx", query=query
    )
    messages.success(
        request, _("Your file is being prepared. A link to it will be emailed to you.")
    )
    return redirect(reverse("review:task_list") + (f"?{query}" if query else ""))


def export_download(request, token):
    permissions.require(permissions.can_export(request.user))
    return exports.download_response(exports.ready_export(request.user, token))


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
    return cache.visitor_page(request, "public-page", lambda extra: _public(request, extra))


def _public(request, extra: dict):
    plan = current_plan(request.GET.get("year"))

    def body() -> str:
        context = {
            "plan": plan,
            "indicators": selectors.public_indicators(plan) if plan else [],
            "tasks": selectors.public_tasks(plan) if plan else [],
            "last_updated": selectors.public_last_updated(plan) if plan else None,
            "legend": selectors.status_legend(),
        }
        return render_to_string("review/public.html#body", context, request)

    # Read by every resident who opens it: rendered once per change of the plan.
    body_html = cache.cached("public", (plan.pk,), body) if plan else body()
    return render(request, "review/public.html", {"plan": plan, "body_html": body_html, **extra})


@login_not_required
def public_task(request, pk: int):
    """A public key task as residents see it: what, how far, by when, its milestones and
    published figures; no owner, no internal notes. 404 for any task not public."""
    task = selectors.public_task(pk)
    context = {"task": task, "legend": selectors.status_legend()}
    return render(request, "review/public_task.html", context)
