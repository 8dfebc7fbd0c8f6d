"""The bureau's pages: My tasks with its in-row update, and the task page. Every view
loads through a permission-scoped getter (404 when missing, 403 without the right),
acts through a service and renders; the sign-in requirement is the middleware's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import (
    deadlines,
    history,
    links,
    pagination,
    permissions,
    rows,
    sections,
    selectors,
    services,
)
from .forms import (
    DeadlineChangeForm,
    DeadlineDecisionForm,
    DeadlineWithdrawalForm,
    DropForm,
    MeasurementForm,
    MilestoneAddForm,
    MilestoneEditForm,
    MilestoneForm,
    MilestoneMoveForm,
    MyTasksFilterForm,
    QuickUpdateForm,
    SubmitResult,
    TaskCreateForm,
    TaskDetailsForm,
    TaskEditForm,
    add_service_errors,
    submit,
)
from .models import DeadlineChange, KeyTask, Measurement, Milestone
from .prepared import ById
from .redirects import safe_next


def get_visible_task(request, pk: int) -> KeyTask:
    """The task with everything its page shows, if this user may see it."""
    try:
        task = selectors.task_for_detail(pk)
    except KeyTask.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_task(request.user, task):
        raise PermissionDenied
    return task


def get_editable_task(request, pk: int, tasks: QuerySet | ById | None = None) -> KeyTask:
    """The task (read with its plan) if this user may edit it: 403 otherwise, saying so
    when its plan is closed."""
    tasks = KeyTask.objects.select_related("bureau", "plan") if tasks is None else tasks
    try:
        task = tasks.get(pk=pk)
    except KeyTask.DoesNotExist:
        raise Http404 from None
    permissions.require(permissions.can_edit_task(request.user, task), plan=task.plan)
    return task


# --- My tasks --------------------------------------------------------------------


def my_tasks(request):
    sectors = selectors.current_sectors()
    filter_form = MyTasksFilterForm(request.GET or None, sectors=sectors)
    tasks = selectors.tasks_for_my_tasks(request.user, filter_form.filters())
    page = pagination.page_of(tasks, selectors.MY_TASKS_PAGE_SIZE, request.GET.get("page"))
    context = {
        "filter_form": filter_form,
        "page": page,
        "groups": rows.grouped_rows(
            request, page.object_list, sectors, next_url=request.get_full_path()
        ),
        "query": links.list_query(request),
        "can_create": permissions.can_create_tasks(request.user),
    }
    template = "plans/my_tasks.html"
    if request.htmx and request.htmx.target == "task-results":
        template += "#results"
    return render(request, template, context)


def _render_row(request, row: rows.TaskRow, next_url: str):
    template = rows.TEMPLATE if request.htmx else "plans/task_update.html"
    return render(request, template, {"row": row, "next": next_url})


@require_http_methods(["GET", "POST"])
def task_update(request, pk: int):
    """The in-row update. GET opens the form in the row (HTMX) or on a page of its own
    (no JavaScript); POST saves in one request and answers with the row for HTMX, a
    redirect back to the list otherwise."""
    next_url = safe_next(request, reverse("plans:my_tasks"))
    if request.method == "GET":
        task = get_editable_task(request, pk, selectors.with_row_data(KeyTask.objects.all()))
        closing = request.htmx and request.GET.get("close")
        return _render_row(
            request,
            rows.TaskRow(task, form=None if closing else QuickUpdateForm(task=task)),
            next_url,
        )
    task = get_editable_task(request, pk, selectors.for_quick_update())
    selectors.read_row_indicators(task)
    form = QuickUpdateForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: services.report_progress(
            task, by=request.user, expected_version=form.cleaned_data["version"], **form.changes()
        ),
    )
    if result.saved is not None and not request.htmx:
        messages.success(request, _("%(code)s updated.") % {"code": task.code})
        return HttpResponseRedirect(next_url)
    return _render_row(request, rows.after_update(task, form, result), next_url)


# --- the task page ---------------------------------------------------------------


@dataclass
class TaskPage:
    """What the task page shows besides the task: the forms (carried over with the
    user's values when an edit was refused), a conflict, a success cue."""

    forms: dict[str, Any] = field(default_factory=dict)
    conflict: services.EditConflict | None = None
    saved: str = ""
    milestone_retry: dict | None = None
    refused: list[str] = field(default_factory=list)


def _render_task_page(request, pk: int, page: TaskPage | None = None):
    page = page or TaskPage()
    task = get_visible_task(request, pk)
    can_edit = permissions.can_edit_task(request.user, task)
    forms = {"edit_form": None, "measurement_form": None, "deadline_form": None}
    can_manage = permissions.can_manage_task(request.user, task)
    if can_edit:
        forms["edit_form"] = TaskEditForm(task=task)
        if task.indicator_list:
            forms["measurement_form"] = MeasurementForm(task=task)
    if permissions.can_request_deadline_change(request.user, task):
        forms["deadline_form"] = DeadlineChangeForm(task=task)
    for name, form in page.forms.items():
        if forms.get(name) is not None:
            # After a conflict the typed values are bound to the version now current.
            forms[name] = form.with_version(task.version) if page.conflict else form
            if page.conflict:
                forms[name].is_valid()
    context = {
        "task": task,
        "can_edit": can_edit,
        "can_manage": can_manage,
        # A closed plan's task is shown as the record it is: read-only, with a note.
        "on_record": not permissions.accepts_changes(task.plan),
        "deadline_changes": [
            (
                change,
                permissions.can_decide_deadline_change(request.user, change),
                permissions.can_withdraw_deadline_change(request.user, change),
            )
            for change in selectors.deadline_changes(task)
        ],
        "approval_days": deadlines.approval_days(),
        "can_verify": permissions.can_verify_figures(request.user, task.plan),
        "page": page,
        "conflict_entries": history.history_entries(page.conflict.changes) if page.conflict else [],
        "sections": sections.for_task(request, task),
        **forms,
    }
    template = "plans/task_detail.html#task_body" if request.htmx else "plans/task_detail.html"
    return render(request, template, context)


def task_detail(request, pk: int):
    return _render_task_page(request, pk)


@require_safe
def task_history(request, pk: int):
    """Every change of the task, a page of versions at a time; asked for by the task page
    (HTMX), its latest versions as that page shows them."""
    task = get_object_or_404(KeyTask.objects.select_related("sector", "bureau", "plan"), pk=pk)
    permissions.require(permissions.can_view_task(request.user, task))
    if request.htmx:
        context = {
            "task": task,
            "history": history.recent_history(task),
            "older_history": history.has_older_history(task),
        }
        return render(request, "plans/task_history.html#recent", context)
    page, entries = history.history_page(task, request.GET.get("page"))
    context = {"task": task, "page": page, "history": entries}
    return render(request, "plans/task_history.html", context)


def _answer_write(request, pk: int, form_name: str, form, result: SubmitResult, **retry):
    """The page body for HTMX, a redirect without JavaScript, the form with the user's
    values when refused."""
    if result.saved is not None:
        if not request.htmx:
            messages.success(request, _("Saved."))
            return redirect("plans:task_detail", pk=pk)
        return _render_task_page(request, pk, TaskPage(saved=_("Saved.")))
    page = TaskPage(forms={form_name: form}, conflict=result.conflict)
    if result.conflict is not None and retry:
        page.milestone_retry = retry
    return _render_task_page(request, pk, page)


@require_POST
def task_edit(request, pk: int):
    task = get_editable_task(request, pk)
    form = TaskEditForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: services.update_key_task(
            task, by=request.user, expected_version=form.cleaned_data["version"], **form.changes()
        ),
    )
    return _answer_write(request, pk, "edit_form", form, result)


@require_POST
def task_measurement(request, pk: int):
    queryset = KeyTask.objects.select_related("bureau", "plan").prefetch_related("indicators")
    task = get_editable_task(request, pk, queryset)
    form = MeasurementForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: services.record_measurement(
            by=request.user, expected_version=form.cleaned_data["version"], **form.changes()
        ),
    )
    return _answer_write(request, pk, "measurement_form", form, result)


@require_POST
def task_deadline(request, pk: int):
    """Ask to move the task's or a milestone's deadline (applied at once when the asker
    needs nobody's approval)."""
    task = get_object_or_404(
        KeyTask.objects.select_related("bureau", "sector__plan", "plan"), pk=pk
    )
    permissions.require(permissions.can_request_deadline_change(request.user, task), plan=task.plan)
    form = DeadlineChangeForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: deadlines.request_deadline_change(
            task, by=request.user, expected_version=form.cleaned_data["version"], **form.changes()
        ),
    )
    return _answer_write(request, pk, "deadline_form", form, result)


@require_POST
def deadline_decide(request, pk: int, change_pk: int):
    """Approve or decline a deadline change of this task, as the one it awaits."""
    change = _deadline_change(request, pk, change_pk)
    if not change.is_pending:
        # Withdrawn or decided while the page was open: say so instead of refusing.
        return _render_task_page(request, pk, TaskPage(refused=[deadlines.closed_message(change)]))
    permissions.require(
        permissions.can_decide_deadline_change(request.user, change), plan=change.task.plan
    )
    form = DeadlineDecisionForm(request.POST)
    result = submit(
        form,
        lambda form: deadlines.decide_deadline_change(
            change, by=request.user, approve=form.approves, note=form.cleaned_data["note"]
        ),
    )
    if result.saved is not None:
        return _answer_write(request, pk, "decision_form", form, result)
    refused = [message for errors in form.errors.values() for message in errors]
    return _render_task_page(request, pk, TaskPage(refused=refused))


def _deadline_change(request, pk: int, change_pk: int) -> DeadlineChange:
    """A deadline change of this task, if this user may see the task (404, then 403)."""
    get_visible_task(request, pk)
    changes = DeadlineChange.objects.select_related("task__bureau", "task__plan", "decided_by")
    return get_object_or_404(changes, pk=change_pk, task_id=pk)


@require_POST
def deadline_withdraw(request, pk: int, change_pk: int):
    """Withdraw a deadline change before it is decided: its asker or their bureau head."""
    change = _deadline_change(request, pk, change_pk)
    permissions.require(
        permissions.asked_for_deadline_change(request.user, change)
        and permissions.accepts_changes(change.task.plan),
        plan=change.task.plan,
    )
    form = DeadlineWithdrawalForm(request.POST)
    result = submit(
        form,
        lambda form: deadlines.withdraw_deadline_change(
            change, by=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if result.saved is not None:
        return _answer_write(request, pk, "withdrawal_form", form, result)
    refused = [message for errors in form.errors.values() for message in errors]
    return _render_task_page(request, pk, TaskPage(refused=refused))


@require_POST
def figure_verify(request, pk: int, measurement_pk: int):
    """The mayor's office verifies and publishes a figure of one of the task's indicators."""
    permissions.require(permissions.can_verify_figures(request.user))
    get_visible_task(request, pk)
    figures = Measurement.objects.select_related("indicator__plan")
    figure = get_object_or_404(figures, pk=measurement_pk, indicator__task_id=pk)
    plan = figure.indicator.plan
    permissions.require(permissions.can_verify_figures(request.user, plan), plan=plan)
    try:
        services.verify_figure(figure, by=request.user)
    except ValidationError as error:
        return _render_task_page(request, pk, TaskPage(refused=error.messages))
    return _answer_write(request, pk, "", None, SubmitResult(saved=figure))


@require_POST
def milestone_toggle(request, pk: int, milestone_pk: int):
    task = get_editable_task(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, task=task)
    form = MilestoneForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: services.toggle_milestone(
            milestone,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            done=form.cleaned_data["done"],
        ),
    )
    retry = {"milestone": milestone, "done": request.POST.get("done") == "on"}
    return _answer_write(request, pk, "milestone_form", form, result, **retry)


@login_not_required
@require_POST
def set_language(request):
    """The language switch: Django's set_language (cookie, safe redirect back) that also
    saves the choice to a signed-in user's profile."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_user_language(user=request.user, language=language)
    return response


# --- managing key tasks: the mayor's office and bureau heads ---------------------------


def task_create(request):
    permissions.require(permissions.can_create_tasks(request.user))
    plan = selectors.current_plan_or_404()
    permissions.require(permissions.can_create_tasks(request.user, plan), plan=plan)
    bureaus = permissions.task_bureaus(request.user)
    form = TaskCreateForm(
        request.POST or None,
        sectors=plan.sectors.order_by("number"),
        bureaus=bureaus,
        owners=selectors.people_of(bureaus),
        can_publish=permissions.can_publish_task(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_managed_task(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Key task %(code)s created.") % {"code": task.code})
            return redirect("plans:task_manage", pk=task.pk)
    return render(request, "plans/task_create.html", {"form": form, "plan": plan})


def get_managed_task(request, pk: int) -> KeyTask:
    """The task with its roadmap, if this user may manage it (404, then 403)."""
    try:
        task = selectors.task_for_managing(pk)
    except KeyTask.DoesNotExist:
        raise Http404 from None
    permissions.require(permissions.can_manage_task(request.user, task), plan=task.plan)
    return task


@dataclass
class ManagePage:
    """The managers' page: its forms (with what was typed when refused), a conflict,
    a success cue."""

    forms: dict[str, Any] = field(default_factory=dict)
    conflict: services.EditConflict | None = None
    saved: str = ""


def _render_manage(request, pk: int, page: ManagePage, fragment: str = ""):
    task = get_managed_task(request, pk)
    can_publish = permissions.can_publish_task(request.user)
    forms = {
        "details_form": TaskDetailsForm(task=task, can_publish=can_publish),
        "milestone_form": MilestoneAddForm(task=task),
        "drop_form": DropForm(task=task, auto_id="drop-%s"),
    }
    # After a conflict the typed values are bound to the version now current.
    given = {
        name: form.with_version(task.version) if page.conflict else form
        for name, form in page.forms.items()
        if hasattr(form, "with_version") and name != "move_form"
    }
    forms.update({name: form for name, form in given.items() if name in forms})
    milestones = [
        (milestone, given.get(f"edit-{milestone.pk}") or _milestone_edit_form(task, milestone))
        for milestone in task.milestones.all()
    ]
    context = {"task": task, "page": page, "milestones": milestones, **forms}
    if page.conflict:
        context["conflict_entries"] = history.history_entries(page.conflict.changes)
    template = "plans/task_manage.html" + (f"#{fragment}" if request.htmx and fragment else "")
    return render(request, template, context)


def _milestone_edit_form(task, milestone):
    initial = {
        "title_ko": milestone.title_ko,
        "title_en": milestone.title_en,
        "due_date": milestone.due_date,
    }
    return MilestoneEditForm(task=task, initial=initial, prefix_id=f"milestone-{milestone.pk}")


def _answer_manage(request, pk: int, name: str, form, result: SubmitResult, fragment: str):
    if result.saved is not None:
        if not request.htmx:
            messages.success(request, _("Saved."))
            return redirect(reverse("plans:task_manage", args=[pk]) + f"#{fragment}")
        return _render_manage(request, pk, ManagePage(saved=_("Saved.")), fragment)
    page = ManagePage(forms={name: form}, conflict=result.conflict)
    return _render_manage(request, pk, page, fragment)


def task_manage(request, pk: int):
    if request.method != "POST":
        return _render_manage(request, pk, ManagePage())
    task = get_managed_task(request, pk)
    can_publish = permissions.can_publish_task(request.user)
    form = TaskDetailsForm(request.POST, task=task, can_publish=can_publish)
    result = submit(
        form,
        lambda form: services.manage_key_task(
            task,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            **form.changes(),
        ),
    )
    return _answer_manage(request, pk, "details_form", form, result, "details")


@require_POST
def milestone_add(request, pk: int):
    task = get_managed_task(request, pk)
    form = MilestoneAddForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: services.add_milestone(
            task,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            title_ko=form.cleaned_data["title_ko"],
            title_en=form.cleaned_data["title_en"],
            due_date=form.cleaned_data["due_date"],
        ),
    )
    return _answer_manage(request, pk, "milestone_form", form, result, "milestones")


@require_POST
def milestone_edit(request, pk: int, milestone_pk: int):
    task = get_managed_task(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, task=task)
    form = MilestoneEditForm(request.POST, task=task, prefix_id=f"milestone-{milestone.pk}")
    result = submit(
        form,
        lambda form: services.edit_milestone(
            milestone,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            title_ko=form.cleaned_data["title_ko"],
            title_en=form.cleaned_data["title_en"],
            due_date=form.cleaned_data["due_date"],
            note=form.cleaned_data["note"],
        ),
    )
    return _answer_manage(request, pk, f"edit-{milestone.pk}", form, result, "milestones")


@require_POST
def milestone_move(request, pk: int, milestone_pk: int):
    task = get_managed_task(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, task=task)
    form = MilestoneMoveForm(request.POST, task=task)
    result = submit(
        form,
        lambda form: services.move_milestone(
            milestone,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        ),
    )
    if result.saved is None and result.conflict is None:
        # A garbled move: the roadmap as it is, with a word.
        return _render_manage(
            request, pk, ManagePage(saved=_("Reload the page and try again.")), "milestones"
        )
    return _answer_manage(request, pk, "move_form", form, result, "milestones")


@require_POST
def task_drop(request, pk: int):
    task = get_managed_task(request, pk)
    form = DropForm(request.POST, task=task, auto_id="drop-%s")
    result = submit(
        form,
        lambda form: services.drop_key_task(
            task,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
    )
    return _answer_manage(request, pk, "drop_form", form, result, "drop")
