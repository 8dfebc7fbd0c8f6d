from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from . import permissions, reminders, services
from .models import KeyTask


def get_visible_task(request, pk: int) -> KeyTask:
    """The task if this user may see it: 404 when it does not exist, 403 without the right."""
    task = get_object_or_404(
        KeyTask.objects.select_related("sector", "bureau", "owner", "updated_by"), pk=pk
    )
    if not permissions.can_view_task(request.user, task):
        raise PermissionDenied
    return task


@login_required
def task_detail(request, pk: int):
    task = get_visible_task(request, pk)
    return render(
        request,
        "plans/task_detail.html",
        {"task": task, "can_edit": permissions.can_edit_task(request.user, task)},
    )


@require_POST
def set_language(request):
    """The language switch: Django's set_language (cookie, safe redirect back) that also
    saves the choice to a signed-in user's profile."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_user_language(user=request.user, language=language)
    return response


@login_required
def acknowledge_reminder(request, token: str):
    """The link in an escalation email. GET only shows what will be acknowledged (mail
    scanners fetch links); POST records who acknowledged it and stops the escalation."""
    from . import delivery

    row = delivery.reminder_from_token(token)
    if row is None:
        raise Http404
    task = get_object_or_404(
        KeyTask.objects.select_related("sector", "bureau", "owner"), pk=row.subject_id
    )
    if not permissions.can_acknowledge_escalation(request.user, task):
        raise PermissionDenied
    acknowledgement = delivery.acknowledgement_of(row)
    if request.method == "POST":
        if acknowledgement is None:
            delivery.acknowledge(row, by=request.user)
            messages.success(request, _("Thank you: the escalation is acknowledged and stopped."))
        return redirect(request.path)
    return render(
        request,
        "plans/acknowledge_reminder.html",
        {
            "task": task,
            "reminder": row,
            "acknowledgement": acknowledgement,
            "days_overdue": (reminders.today_in_seoul() - row.deadline).days,
        },
    )
