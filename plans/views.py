from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from . import history, permissions, selectors, services
from .forms import (
    MeasurementForm,
    MilestoneForm,
    MyTasksFilterForm,
    QuickUpdateForm,
    TaskEditForm,
    add_service_errors,
)
from .models import KeyTask, Milestone


def login_required(view):
    """Anonymous visitors go to sign-in. An HTMX request is told to load the sign-in
    page in the window (HX-Redirect) rather than having it swapped into a table row,
    and comes back to the page the visitor was on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.htmx:
            back = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(back).url)
        return redirect_to_login(request.get_full_path())

    return wrapper


def get_visible_task(request, pk: int) -> KeyTask:
    """The task if this user may see it: 404 when it does not exist, 403 without the right."""
    task = get_object_or_404(
        KeyTask.objects.select_related("sector", "bureau", "owner", "updated_by"), pk=pk
    )
    if not permissions.can_view_task(request.user, task):
        raise PermissionDenied
    return task


def get_editable_task(request, pk: int, queryset=None) -> KeyTask:
    """The task if this user may edit it: 404 when it does not exist, 403 without the right."""
    queryset = KeyTask.objects.select_related("bureau") if queryset is None else queryset
    task = get_object_or_404(queryset, pk=pk)
    if not permissions.can_edit_task(request.user, task):
        raise PermissionDenied
    return task


def _safe_next(request, default: str) -> str:
    """Where to go back to: an explicit ``next``, else the page the request came from
    (HTMX tells us; a plain link sends its Referer), if it is on this site."""
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if request.htmx:
        candidates.append(request.htmx.current_url)
    candidates.append(request.headers.get("Referer"))
    for target in candidates:
        if not target:
            continue
        parts = urlsplit(target)
        if parts.netloc and parts.netloc != request.get_host():
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if url_has_allowed_host_and_scheme(local, allowed_hosts={request.get_host()}):
            return local
    return default


def _conflict_entries(conflict: services.EditConflict, task: KeyTask, indicators):
    return history.history_entries(conflict.changes)


# A cached row can show a renamed bureau or a display name changed elsewhere for at
# most this long; anything that changes the task itself shows at once.
ROW_CACHE_SECONDS = 300


# --- My tasks --------------------------------------------------------------------


@login_required
def my_tasks(request):
    sectors = selectors.current_sectors()
    filter_form = MyTasksFilterForm(request.GET or None, sectors=sectors)
    tasks = selectors.tasks_for_my_tasks(request.user, filter_form.filters())
    page = Paginator(tasks, selectors.MY_TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _row_context(
        filter_form=filter_form,
        page=page,
        groups=selectors.group_by_sector(page.object_list, sectors),
        query=query.urlencode(),
        next=request.get_full_path(),
    )
    attach_rows(request, page.object_list, context)
    template = "plans/my_tasks.html"
    if request.htmx and request.htmx.target == "task-results":
        template += "#results"
    return render(request, template, context)


def _row_context(**context) -> dict:
    return {
        "today": timezone.localdate().isoformat(),
        "due_soon_days": selectors.DUE_SOON_DAYS,
        **context,
    }


def attach_rows(request, tasks, context: dict) -> None:
    """Give each task its rendered row (``task.row_html``).

    A row changes only with its task (every change bumps the version and updated_at),
    the reader's language and the day (days left), so rows are cached under those: a
    page of cached rows costs one cache read, and only the rows rendered afresh are
    read in full (one query, and one for their indicators). Rows with a form, a
    conflict or a success cue are never cached."""
    language = translation.get_language()

    def key(task: KeyTask) -> str:
        return (
            f"plans:my-tasks-row:{task.pk}:{task.version}:{task.updated_at.timestamp()}"
            f":{language}:{context['today']}"
        )

    keys = {task.pk: key(task) for task in tasks}
    cached = cache.get_many(list(keys.values()))
    rows = {pk: cached[k] for pk, k in keys.items() if k in cached}
    missing = [pk for pk in keys if pk not in rows]
    if missing:
        rendered = {}
        fresh = KeyTask.objects.filter(pk__in=missing).order_by()  # placed by the page
        for task in selectors.with_row_data(fresh):
            rows[task.pk] = render_to_string(
                "plans/my_tasks.html#task_row", {**context, "task": task}, request
            )
            rendered[key(task)] = rows[task.pk]
        cache.set_many(rendered, ROW_CACHE_SECONDS)
    for task in tasks:
        # A task deleted (in the admin) since the page was counted has no row.
        task.row_html = rows.get(task.pk, "")


def _render_row(request, task: KeyTask, next_url: str):
    context = _row_context(task=task, next=next_url)
    if request.htmx:
        return render(request, "plans/my_tasks.html#task_row", context)
    return render(request, "plans/task_update.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_update(request, pk: int):
    """The in-row update. GET opens the form in the row (HTMX) or on a page of its own
    (no JavaScript); POST saves in one request and answers with the row for HTMX, a
    redirect back to the list otherwise."""
    next_url = _safe_next(request, reverse("plans:my_tasks"))
    if request.method == "GET":
        task = get_editable_task(request, pk, selectors.with_row_data(KeyTask.objects.all()))
        if not (request.htmx and request.GET.get("close")):
            task.quick_form = QuickUpdateForm(task=task)
        return _render_row(request, task, next_url)

    task = get_editable_task(request, pk, selectors.for_quick_update())
    selectors.read_row_indicators(task)
    form = QuickUpdateForm(request.POST, task=task)
    conflict = None
    if form.is_valid():
        changes = form.changes()
        try:
            saved = services.report_progress(
                task,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **changes,
            )
        except services.EditConflict as error:
            conflict = error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("%(code)s updated.") % {"code": task.code})
                return redirect(next_url)
            for name in ("status", "progress", "completed_on", "version", "updated_at"):
                setattr(task, name, getattr(saved, name))
            task.updated_by = request.user
            if "actual" in changes:
                selectors.read_row_indicators(task)
            task.saved = True
            return _render_row(request, task, next_url)

    if conflict is not None:
        # Show the task as it is now, keep what the user typed, and let one click apply
        # it on top of the newer version.
        task = selectors.with_row_data(KeyTask.objects.prefetch_related("milestones")).get(pk=pk)
        task.conflict = _conflict_entries(conflict, task, task.row_indicators)
        form = QuickUpdateForm(request.POST, task=task).with_version(task.version)
        form.is_valid()
    task.quick_form = form
    return _render_row(request, task, next_url)


# --- task page -------------------------------------------------------------------


def _render_task_page(request, pk: int, *, status: int = 200, **overrides):
    try:
        task = selectors.task_for_detail(pk)
    except KeyTask.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_task(request.user, task):
        raise PermissionDenied
    can_edit = permissions.can_edit_task(request.user, task)
    context = {
        "task": task,
        "can_edit": can_edit,
        "history": history.task_history(task),
        "history_limit": history.HISTORY_LIMIT,
        "edit_form": None,
        "measurement_form": None,
        "conflict": None,
        "saved": "",
    }
    if can_edit:
        context["edit_form"] = TaskEditForm(task=task)
        if task.indicators.all():
            context["measurement_form"] = MeasurementForm(task=task)
    for name, value in overrides.items():
        if name.endswith("_form") and value is not None and context.get(name) is not None:
            # A form carried over from a refused edit keeps the user's values.
            context[name] = value
        elif not name.endswith("_form"):
            context[name] = value
    if context["conflict"] is not None:
        context["conflict_entries"] = _conflict_entries(
            context["conflict"], task, task.indicators.all()
        )
        for name in ("edit_form", "measurement_form"):
            form = context.get(name)
            if form is not None and form.is_bound:
                context[name] = form.with_version(task.version)
                context[name].is_valid()
    template = "plans/task_detail.html"
    if request.htmx:
        template += "#task_body"
    return render(request, template, context, status=status)


@login_required
def task_detail(request, pk: int):
    return _render_task_page(request, pk)


def _task_write(request, pk: int, form_name: str, form, write, **on_conflict):
    """Run ``write`` for a valid form and answer: the page body for HTMX, a redirect
    without JavaScript, the form with the user's values when refused."""
    conflict = None
    if form.is_valid():
        try:
            write(form)
        except services.EditConflict as error:
            conflict = error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = _("Saved.")
            if not request.htmx:
                messages.success(request, saved)
                return redirect("plans:task_detail", pk=pk)
            return _render_task_page(request, pk, saved=saved)
    extra = on_conflict if conflict is not None else {}
    return _render_task_page(request, pk, conflict=conflict, **{form_name: form}, **extra)


@login_required
@require_POST
def task_edit(request, pk: int):
    task = get_editable_task(request, pk)
    form = TaskEditForm(request.POST, task=task)

    def write(form):
        services.update_key_task(
            task, by=request.user, expected_version=form.cleaned_data["version"], **form.changes()
        )

    return _task_write(request, pk, "edit_form", form, write)


@login_required
@require_POST
def task_measurement(request, pk: int):
    task = get_editable_task(
        request, pk, KeyTask.objects.select_related("bureau").prefetch_related("indicators")
    )
    form = MeasurementForm(request.POST, task=task)

    def write(form):
        changes = form.changes()
        services.record_measurement(
            changes.pop("indicator"),
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **changes,
        )

    return _task_write(request, pk, "measurement_form", form, write)


@login_required
@require_POST
def milestone_toggle(request, pk: int, milestone_pk: int):
    task = get_editable_task(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, task=task)
    form = MilestoneForm(request.POST, task=task)

    def write(form):
        services.toggle_milestone(
            milestone,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            done=form.cleaned_data["done"],
        )

    retry = {"milestone": milestone, "done": request.POST.get("done") == "on"}
    return _task_write(request, pk, "milestone_form", form, write, milestone_retry=retry)


@require_POST
def set_language(request):
    """The language switch: Django's set_language (cookie, safe redirect back) that also
    saves the choice to a signed-in user's profile."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_user_language(user=request.user, language=language)
    return response
