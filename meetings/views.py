"""The mayor's office's pages: dashboard and its drill-down, the city-wide task list and
its exports, and the report sessions. Every view asks ``plans.permissions``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import charts, permissions, review
from plans.history import feed
from plans.selectors import current_plan

from . import exports, selectors, services
from .forms import DirectiveForm, MinutesForm, SinceForm, TaskFilterForm
from .models import ReportSession

TASKS_PER_PAGE = 100
# The dashboard is a glance: the newest changes, with the total; each task keeps its
# full history on its own page.
DASHBOARD_CHANGES = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _plan_or_404():
    plan = current_plan()
    if plan is None:
        raise Http404(_("No work plan has been loaded."))
    return plan


def _fragment(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx else template


# --- dashboard and drill-down ---------------------------------------------------------


@login_required
def dashboard(request):
    _require(permissions.can_view_dashboard(request.user))
    plan = _plan_or_404()
    today = timezone.localdate()
    last = selectors.last_review(plan)
    default_since = (
        timezone.localtime(last.starts_at).date() if last else review.default_since(today)
    )
    since_form = SinceForm(request.GET or None)
    since = default_since
    if since_form.is_bound and since_form.is_valid() and since_form.cleaned_data["since"]:
        since = since_form.cleaned_data["since"]
    stamp = review.review_stamp()
    total_changes, changes = review.cached_figures(
        "changes",
        (plan.pk, since),
        lambda: review.changes_since(
            review.seoul_midnight(since), plan=plan, limit=DASHBOARD_CHANGES
        ),
        stamp=stamp,
    )
    context = {
        "plan": plan,
        "today": today,
        "margin": review.risk_margin(),
        "last_review": last,
        "since": since,
        # What the user typed stays in the box, even when it was not a date.
        "since_value": since_form.data.get("since", "") if since_form.errors else since.isoformat(),
        "since_form": since_form,
        "total_changes": total_changes,
        "changes_cap": review.CHANGES_COUNT_CAP,
        "changes": feed(changes),
    }
    if request.htmx:
        return render(request, "meetings/dashboard.html#changes", context)
    context["board_html"] = review.cached_figures(
        "dashboard",
        (plan.pk,),
        lambda: render_to_string(
            "meetings/dashboard.html#board", {**context, **_dashboard_figures(plan)}, request
        ),
        stamp=stamp,
    )
    return render(request, "meetings/dashboard.html", context)


def _dashboard_figures(plan) -> dict:
    today = timezone.localdate()
    sectors = review.sector_overviews(plan, today)
    board = review.indicator_board(
        plan.indicators.select_related("sector").order_by("sector__number", "code"), plan, today
    )
    return {
        "sectors": sectors,
        "plan_overview": review.combined(overview for _sector, overview in sectors),
        "indicators": board.rows,
        "indicators_total": board.total,
        "chart": charts.achievement_chart(board.rows),
    }


@login_required
def sector_detail(request, number: int):
    _require(permissions.can_view_dashboard(request.user))
    plan = _plan_or_404()
    sector = get_object_or_404(plan.sectors, number=number)
    context = {"plan": plan, "sector": sector}
    context["figures_html"] = review.cached_figures(
        "sector",
        (plan.pk, sector.pk),
        lambda: render_to_string(
            "meetings/sector_detail.html#figures",
            {**context, **_sector_figures(plan, sector)},
            request,
        ),
    )
    return render(request, "meetings/sector_detail.html", context)


def _sector_figures(plan, sector) -> dict:
    today = timezone.localdate()
    bureaus = review.bureau_overviews(sector, today)
    board = review.indicator_board(
        sector.indicators.select_related("sector").order_by("code"), plan, today
    )
    return {
        "today": today,
        "margin": review.risk_margin(),
        "bureaus": bureaus,
        "overview": review.combined(overview for _bureau, overview in bureaus),
        "indicators": board.rows,
        "indicators_total": board.total,
        "chart": charts.achievement_chart(board.rows),
    }


def _filtered_tasks(request, plan):
    form = TaskFilterForm(request.GET or None, plan=plan, pillars=review.pillars(plan))
    filters = form.filters()
    tasks = review.review_tasks(plan, today=timezone.localdate(), **filters)
    return form, filters, tasks


@login_required
def task_list(request):
    _require(permissions.can_view_dashboard(request.user))
    plan = _plan_or_404()
    form, filters, tasks = _filtered_tasks(request, plan)
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        _fragment(request, "meetings/task_list.html", "results"),
        {
            "plan": plan,
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "margin": review.risk_margin(),
            "can_export": permissions.can_export(request.user),
        },
    )


def _export_name(extension: str) -> str:
    return f"key-tasks-{timezone.localdate():%Y%m%d}.{extension}"


@login_required
def task_export_xlsx(request):
    _require(permissions.can_export(request.user))
    _form, _filters, tasks = _filtered_tasks(request, _plan_or_404())
    response = HttpResponse(
        exports.tasks_xlsx(tasks),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("xlsx")}"'
    return response


@login_required
def task_export_csv(request):
    _require(permissions.can_export(request.user))
    _form, _filters, tasks = _filtered_tasks(request, _plan_or_404())
    response = HttpResponse(exports.tasks_csv(tasks), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


# --- report sessions ------------------------------------------------------------------


@login_required
def session_list(request):
    _require(permissions.can_view_sessions(request.user))
    plan = _plan_or_404()
    return render(
        request,
        "meetings/session_list.html",
        {
            "plan": plan,
            "sessions": selectors.sessions_with_counts(plan),
            "now": timezone.now(),
        },
    )


@login_required
def session_calendar(request):
    _require(permissions.can_view_sessions(request.user))
    plan = _plan_or_404()
    sessions = list(selectors.sessions_of_plan(plan).order_by("starts_at"))
    month = _month(request.GET.get("month"), sessions)
    if month is None:
        messages.error(request, _("Pick a month like 2024-01."))
        month = _month(None, sessions)
    previous_month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return render(
        request,
        "meetings/session_calendar.html",
        {
            "plan": plan,
            "month": month,
            "weeks": selectors.month_grid(sessions, month.year, month.month),
            "previous_month": previous_month,
            "next_month": next_month,
            "sessions": [s for s in sessions if _same_month(s, month)],
        },
    )


def _same_month(session: ReportSession, month: date) -> bool:
    local = timezone.localtime(session.starts_at)
    return (local.year, local.month) == (month.year, month.month)


def _month(value: str | None, sessions: list[ReportSession]) -> date | None:
    """The month asked for, else the month of the next (or last) session."""
    if value:
        try:
            year, month = (int(part) for part in value.split("-"))
            # The calendar links a month either side: keep clear of date's limits.
            return date(year, month, 1) if 1900 <= year <= 2999 else None
        except ValueError:
            return None
    now = timezone.now()
    upcoming = [s for s in sessions if s.starts_at >= now]
    pick = upcoming[0] if upcoming else (sessions[-1] if sessions else None)
    day = timezone.localtime(pick.starts_at).date() if pick else timezone.localdate()
    return day.replace(day=1)


@login_required
def sessions_ics(request):
    # The same rule as the session list it exports.
    _require(permissions.can_view_sessions(request.user))
    plan = _plan_or_404()
    response = HttpResponse(
        exports.sessions_ics(selectors.sessions_of_plan(plan), site_url=settings.SITE_URL),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="report-sessions.ics"'
    return response


def _session_context(request, session, **extra):
    can_manage = permissions.can_manage_sessions(request.user)
    context = {
        "session": session,
        "can_manage": can_manage,
        "directives": selectors.directives_of(session),
        "directive_form": DirectiveForm(initial={"due_date": ""}) if can_manage else None,
        "minutes_form": None,
    }
    context.update(extra)
    return context


@login_required
def session_detail(request, pk: int):
    _require(permissions.can_view_sessions(request.user))
    session = selectors.get_session(pk)
    agenda = _agenda(session)
    return render(
        request, "meetings/session_detail.html", _session_context(request, session, agenda=agenda)
    )


@login_required
def minutes_edit(request, pk: int):
    _require(permissions.can_view_sessions(request.user))
    session = selectors.get_session(pk)
    _require(permissions.can_write_minutes(request.user))
    template = "meetings/session_detail.html"
    if request.method != "POST":
        form = MinutesForm(initial={"minutes": session.minutes, "seen": _stamp(session)})
        return render(
            request,
            f"{template}#minutes" if request.htmx else template,
            _session_context(request, session, minutes_form=form, agenda=_agenda(session)),
        )
    form = MinutesForm(request.POST)
    conflict = None
    if form.is_valid():
        seen = _parse_stamp(form.cleaned_data["seen"])
        try:
            session = services.save_minutes(
                session, by=request.user, minutes=form.cleaned_data["minutes"], seen_updated_at=seen
            )
        except services.MinutesConflict as error:
            conflict = error.session
            # Keep what this editor typed; offer the other version to compare.
            form = MinutesForm({"minutes": form.cleaned_data["minutes"], "seen": _stamp(conflict)})
        else:
            if not request.htmx:
                messages.success(request, _("Minutes saved."))
                return redirect("meetings:session_detail", pk=session.pk)
            return render(
                request,
                f"{template}#minutes",
                _session_context(request, session, minutes_saved=True),
            )
    return render(
        request,
        f"{template}#minutes" if request.htmx else template,
        _session_context(
            request,
            conflict or session,
            minutes_form=form,
            minutes_conflict=conflict,
            agenda=_agenda(session),
        ),
    )


def _agenda(session: ReportSession):
    return list(session.agenda.select_related("bureau").order_by("order"))


_GARBLED = object()


def _parse_stamp(raw: str):
    """The save time the editor saw; a stamp that is not one matches no save, so the
    editor is shown the current minutes instead of overwriting them."""
    if not raw:
        return None
    try:
        return parse_datetime(raw) or _GARBLED
    except ValueError:
        return _GARBLED


def _stamp(session: ReportSession) -> str:
    return session.minutes_updated_at.isoformat() if session.minutes_updated_at else ""


@login_required
@require_POST
def directive_add(request, pk: int):
    _require(permissions.can_view_sessions(request.user))
    session = selectors.get_session(pk)
    _require(permissions.can_write_directives(request.user))
    form = DirectiveForm(request.POST)
    added = None
    if form.is_valid():
        try:
            added = services.add_directive(session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if added is not None:
        if not request.htmx:
            messages.success(
                request,
                _("Directive recorded as key task %(code)s.") % {"code": added.key_task.code},
            )
            return redirect("meetings:session_detail", pk=session.pk)
        context = _session_context(request, session, added=added)
        # During a session directives come one after another: the swapped-in form takes
        # the focus (htmx honours autofocus), so the next one is typed straight away.
        context["directive_form"].fields["text"].widget.attrs["autofocus"] = True
    else:
        context = _session_context(request, session, directive_form=form)
    if request.htmx:
        return render(request, "meetings/session_detail.html#directives", context)
    context["agenda"] = _agenda(session)
    return render(request, "meetings/session_detail.html", context)


@login_required
def briefing(request, pk: int):
    _require(permissions.can_view_sessions(request.user))
    session = selectors.get_session(pk)
    context = {
        "session": session,
        "plan": session.sector.plan,
        "generated_at": timezone.now(),
        "margin": review.risk_margin(),
    }
    # The pack is the same for every reader until the plan changes: render it once.
    context["pack_html"] = review.cached_figures(
        "briefing", (session.pk,), lambda: _render_pack(request, session, context)
    )
    return render(request, "meetings/briefing.html", context)


def _render_pack(request, session, context) -> str:
    pack = selectors.briefing_pack(session, today=timezone.localdate())
    figures = {
        **context,
        "agenda": _agenda(session),
        "chart": charts.achievement_chart(pack.indicators),
        **vars(pack),
    }
    return render_to_string("meetings/briefing.html#pack", figures, request)
