"""The report sessions: list, calendar and feed, a session's page with its agenda,
minutes and the Mayor's directives, and its briefing pack. Every view asks
``meetings.permissions``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import cache, charts, dates, links, sections
from plans.forms import add_service_errors
from plans.links import absolute_url
from plans.models import risk_margin
from plans.selectors import current_plan_or_404
from plans.services import EditConflict

from . import exports, pdf, permissions, selectors, services
from .forms import (
    AgendaItemForm,
    DirectiveEditForm,
    DirectiveFilterForm,
    DirectiveForm,
    MinutesForm,
    MoveForm,
    SessionForm,
    SessionVersionForm,
    submit_to_session,
)
from .models import AgendaItem, Directive, ReportSession, SessionChange


def get_session(request, pk: int, *, manage: bool = False) -> ReportSession:
    """The session if this user may see it (and manage it, when asked): 403 without the
    right to see sessions, 404 when it does not exist, then 403 without the right to
    manage it."""
    permissions.require(permissions.can_view_sessions(request.user))
    session = selectors.get_session(pk)
    if manage:
        permissions.require(permissions.can_manage_sessions(request.user))
    return session


def session_list(request):
    permissions.require(permissions.can_view_sessions(request.user))
    plan = current_plan_or_404(request.GET.get("year"))
    sessions = selectors.sessions_with_counts(plan)
    return render(
        request,
        "meetings/session_list.html",
        {
            "plan": plan,
            "sessions": sessions,
            "now": timezone.now(),
            "can_manage": permissions.can_manage_sessions(request.user),
            "can_list_directives": permissions.can_list_directives(request.user),
        },
    )


def session_calendar(request):
    permissions.require(permissions.can_view_sessions(request.user))
    plan = current_plan_or_404(request.GET.get("year"))
    sessions = list(selectors.sessions_of_plan(plan).order_by("starts_at"))
    month = selectors.month_asked(request.GET.get("month"))
    if month is None:
        if request.GET.get("month"):
            messages.error(request, _("Pick a month like 2024-01."))
        month = selectors.month_of_next_session(sessions)
    context = {"plan": plan, **vars(selectors.month_calendar(sessions, month))}
    return render(request, "meetings/session_calendar.html", context)


def sessions_ics(request):
    # The same rule as the session list it exports.
    permissions.require(permissions.can_view_sessions(request.user))
    plan = current_plan_or_404(request.GET.get("year"))
    response = HttpResponse(
        exports.sessions_ics(selectors.sessions_of_plan(plan)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="report-sessions.ics"'
    return response


@dataclass
class SessionPage:
    """What a session's page shows besides the session: the forms being filled in and
    what just happened to them."""

    minutes_form: MinutesForm | None = None
    minutes_conflict: ReportSession | None = None
    minutes_saved: bool = False
    directive_form: DirectiveForm | None = None
    added: Directive | None = None
    agenda_form: AgendaItemForm | None = None
    agenda_conflict: bool = False
    agenda_saved: str = ""
    agenda_error: str = ""


def _render_session(request, session, page: SessionPage, fragment: str = ""):
    """The session page, or for HTMX the named fragment of it."""
    can_manage = permissions.can_manage_sessions(request.user)
    can_direct = permissions.can_add_directive(request.user, session)
    agenda = selectors.agenda_of(session)
    context = {
        "session": session,
        "can_manage": can_manage,
        # Read only when the page's cached parts (under "stamp") are not in the cache.
        "stamp": cache.plan_stamp(Directive, SessionChange),
        # Directives open key tasks: recorded and edited while the plan is not closed.
        "can_direct": can_direct,
        "plan_closed": not permissions.accepts_changes(session.sector.plan),
        "directives": SimpleLazyObject(lambda: selectors.directives_of(session)),
        "agenda": agenda,
        "runs_over": session.agenda_runs_over(agenda),
        "follow_ups": SimpleLazyObject(lambda: selectors.follow_ups(session)),
        "changes": SimpleLazyObject(lambda: selectors.session_history(session)),
        **vars(page),  # not asdict: it deep-copies the forms
    }
    if not (request.htmx and fragment):
        context["sections"] = _sections(request, session, agenda)
    if can_direct and page.directive_form is None:
        context["directive_form"] = DirectiveForm(initial={"due_date": ""})
    if can_manage and not session.is_held and page.agenda_form is None:
        bureaus = selectors.sector_bureaus(session.sector)
        context["agenda_form"] = AgendaItemForm(session=session, bureaus=bureaus)
    template = "meetings/session_detail.html"
    if request.htmx and fragment:
        template += f"#{fragment}"
    return render(request, template, context)


def session_detail(request, pk: int):
    return _render_session(request, get_session(request, pk), SessionPage())


def minutes_edit(request, pk: int):
    session = get_session(request, pk, manage=True)
    if request.method != "POST":
        page = SessionPage(minutes_form=MinutesForm.for_session(session))
        return _render_session(request, session, page, "minutes")
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _render_session(request, session, SessionPage(minutes_form=form), "minutes")
    minutes = form.cleaned_data["minutes"]
    try:
        session = services.save_minutes(
            session, by=request.user, minutes=minutes, seen_updated_at=form.seen_at()
        )
    except services.MinutesConflict as conflict:
        # Keep what this editor typed; offer the other version to compare.
        page = SessionPage(
            minutes_form=form.rebased(conflict.session), minutes_conflict=conflict.session
        )
        return _render_session(request, conflict.session, page, "minutes")
    if not request.htmx:
        messages.success(request, _("Minutes saved."))
        return redirect("meetings:session_detail", pk=session.pk)
    return _render_session(request, session, SessionPage(minutes_saved=True), "minutes")


@require_POST
def directive_add(request, pk: int):
    session = get_session(request, pk, manage=True)
    plan = session.sector.plan
    permissions.require(permissions.can_add_directive(request.user, session), plan=plan)
    form = DirectiveForm(request.POST)
    added = None
    if form.is_valid():
        try:
            added = services.add_directive(session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if added is None:
        return _render_session(request, session, SessionPage(directive_form=form), "directives")
    if not request.htmx:
        code = added.key_task.code
        messages.success(request, _("Directive recorded as key task %(code)s.") % {"code": code})
        return redirect("meetings:session_detail", pk=session.pk)
    # During a session directives come one after another: the swapped-in form takes the
    # focus (htmx honours autofocus), so the next one is typed straight away.
    page = SessionPage(directive_form=DirectiveForm.next_after(), added=added)
    return _render_session(request, session, page, "directives")


def _sections(request, session, agenda=None) -> list:
    """Sections other apps add to the session (the submissions while the plan is
    prepared), for this reader; the agenda is read only when a section asks for it."""
    return sections.for_session(
        request,
        session,
        lambda: selectors.presenting_bureaus(
            selectors.agenda_of(session) if agenda is None else agenda
        ),
    )


def _briefing_context(request, session, shown=None) -> dict:
    context = {
        "session": session,
        "plan": session.sector.plan,
        "generated_at": timezone.now(),
        "margin": risk_margin(),
    }
    # The pack is the same for every reader until the plan changes: render it once.
    context["pack_html"] = cache.cached(
        "briefing", (session.pk, session.version), lambda: _render_pack(request, session, context)
    )
    # The added sections depend on the reader and on their own records: asked on every
    # request, outside the cached pack.
    context["sections"] = _sections(request, session) if shown is None else shown
    return context


def briefing(request, pk: int):
    session = get_session(request, pk)
    return render(request, "meetings/briefing.html", _briefing_context(request, session))


def briefing_pdf(request, pk: int):
    """The pack as an A4 PDF document, rendered once per change of the plan and of the
    sections shown to this reader."""
    session = get_session(request, pk)
    shown = _sections(request, session)

    def document() -> bytes:
        context = {**_briefing_context(request, session, shown), "marking": pdf.marking()}
        html = render_to_string("meetings/briefing_pdf.html", context, request)
        return pdf.render_pdf(html, base_url=absolute_url("/"))

    response = HttpResponse(
        cache.cached(
            "briefing-pdf", (session.pk, session.version, sections.stamp_of(shown)), document
        ),
        content_type="application/pdf",
    )
    day = dates.seoul_day(session.starts_at).isoformat()
    name = f"briefing-pack-{day}-sector-{session.sector.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _render_pack(request, session, context) -> str:
    pack = selectors.briefing_pack(session, today=dates.today())
    figures = {
        **context,
        "agenda": selectors.agenda_of(session),
        "chart": charts.achievement_chart(pack.indicators),
        **vars(pack),
    }
    return render_to_string("meetings/briefing.html#pack", figures, request)


# --- scheduling a session and building its agenda -------------------------------------


def session_create(request):
    permissions.require(permissions.can_manage_sessions(request.user))
    # The plan of the session list it was opened from: next year's plan in preparation
    # has its sessions too (each bureau presents its submission).
    plan = current_plan_or_404(request.GET.get("year"))
    form = SessionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.schedule_session(by=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session scheduled. Now build its agenda."))
            return redirect("meetings:session_detail", pk=session.pk)
    return render(request, "meetings/session_form.html", {"form": form, "plan": plan})


def session_edit(request, pk: int):
    session = get_session(request, pk, manage=True)
    form = SessionForm(request.POST or None, plan=session.sector.plan, session=session)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_session(
                session,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                **form.values(),
            )
        except services.SessionConflict as found:
            conflict = found
            form = form.rebased(found.session)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("meetings:session_detail", pk=session.pk)
    context = {"form": form, "plan": session.sector.plan, "session": session, "conflict": conflict}
    return render(request, "meetings/session_form.html", context)


def _answer_agenda(request, session, page: SessionPage):
    """The agenda fragment for HTMX; without JavaScript, back to the page (or the page
    with the form and its errors)."""
    if not request.htmx and page.agenda_saved:
        messages.success(request, page.agenda_saved)
        return redirect(f"{session.get_absolute_url()}#agenda")
    session = selectors.get_session(session.pk)
    return _render_session(request, session, page, "agenda")


@require_POST
def agenda_add(request, pk: int):
    session = get_session(request, pk, manage=True)
    bureaus = selectors.sector_bureaus(session.sector)
    form = AgendaItemForm(request.POST, session=session, bureaus=bureaus)
    result = submit_to_session(
        form,
        lambda data: services.add_to_agenda(
            session, by=request.user, expected_version=data.pop("version"), **data
        ),
    )
    if result.saved is not None:
        return _answer_agenda(request, session, SessionPage(agenda_saved=_("Presentation added.")))
    if result.conflict is not None:
        form = AgendaItemForm(
            {**request.POST.dict(), "version": result.conflict.session.version},
            session=result.conflict.session,
            bureaus=bureaus,
        )
    return _answer_agenda(
        request, session, SessionPage(agenda_form=form, agenda_conflict=bool(result.conflict))
    )


@require_POST
def agenda_move(request, pk: int, item_pk: int):
    session = get_session(request, pk, manage=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, session=session)
    form = MoveForm(request.POST)
    result = submit_to_session(
        form,
        lambda data: services.move_on_agenda(
            item, by=request.user, expected_version=data["version"], direction=data["direction"]
        ),
    )
    page = SessionPage(agenda_conflict=result.conflict is not None)
    if result.saved is not None:
        page.agenda_saved = _("Agenda reordered.")
    elif result.conflict is None:
        page.agenda_error = " ".join(result.errors) or _("Reload the page and try again.")
    return _answer_agenda(request, session, page)


@require_POST
def session_held(request, pk: int):
    session = get_session(request, pk, manage=True)
    form = SessionVersionForm(request.POST)
    result = submit_to_session(
        form,
        lambda data: services.mark_held(session, by=request.user, expected_version=data["version"]),
    )
    if result.saved is not None:
        messages.success(request, _("The session is recorded as held."))
    elif result.conflict is not None:
        messages.error(request, _("Someone changed the session meanwhile: check it and try again."))
    else:
        messages.error(request, " ".join(result.errors) or _("Reload the page and try again."))
    return redirect("meetings:session_detail", pk=session.pk)


# --- directives followed up -------------------------------------------------------------


def directive_list(request):
    permissions.require(permissions.can_list_directives(request.user))
    form = DirectiveFilterForm(request.GET or None)
    directives = selectors.directives_filtered(form.filters(), today=dates.today())
    paginator = Paginator(directives, selectors.DIRECTIVES_PER_PAGE)
    # Read only when the results (cached under "stamp" and the closed plans) are not.
    page = SimpleLazyObject(lambda: paginator.get_page(request.GET.get("page")))
    context = {
        "form": form,
        "page": page,
        "stamp": cache.plan_stamp(Directive, SessionChange),
        "closed_plans": selectors.closed_plans(),
        "query": links.list_query(request),
        "today": dates.today(),
        "can_edit": permissions.can_edit_directives(request.user),
        # A closed plan's directives are the record: no edit link on their rows.
        "editable": SimpleLazyObject(
            lambda: {
                directive.pk
                for directive in page.object_list
                if permissions.can_edit_directive(request.user, directive)
            }
        ),
    }
    template = "meetings/directive_list.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


def directive_export(request, extension: str):
    # The same rule and filters as the list it exports.
    permissions.require(permissions.can_list_directives(request.user))
    filters = DirectiveFilterForm(request.GET or None).filters()
    today = dates.today()
    directives = selectors.directives_filtered(filters, today=today)
    return exports.directives_response(directives, today=today, extension=extension)


def directive_edit(request, pk: int):
    permissions.require(permissions.can_edit_directives(request.user))
    directive = selectors.directive_for_edit(pk)
    permissions.require(
        permissions.can_edit_directive(request.user, directive), plan=directive.session.sector.plan
    )
    form = DirectiveEditForm(request.POST or None, directive=directive)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_directive(
                directive, by=request.user, expected_version=data.pop("version"), **data
            )
        except EditConflict as found:
            conflict = found
            form = form.rebased(found.task.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Directive saved."))
            return redirect("meetings:directive_list")
    context = {"form": form, "directive": directive, "conflict": conflict}
    return render(request, "meetings/directive_form.html", context)
