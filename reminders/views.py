from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from plans import dates, permissions
from plans.models import KeyTask

from . import acknowledgements, daily
from .forms import NotificationForm


def acknowledge(request, token: str):
    """The link in an escalation email. GET only shows what will be acknowledged (mail
    scanners fetch links); POST records who acknowledged it and stops the escalation."""
    row = acknowledgements.reminder_from_token(token)
    if row is None:
        raise Http404
    task = get_object_or_404(
        KeyTask.objects.select_related("sector", "bureau", "owner"), pk=row.subject_id
    )
    if not permissions.can_acknowledge_escalation(request.user, task):
        raise PermissionDenied
    acknowledgement = acknowledgements.acknowledgement_of(row)
    if request.method == "POST":
        if acknowledgement is None:
            acknowledgements.acknowledge(row, by=request.user)
            messages.success(request, _("Thank you: the escalation is acknowledged and stopped."))
        return redirect(request.path)
    return render(
        request,
        "reminders/acknowledge.html",
        {
            "task": task,
            "reminder": row,
            "acknowledgement": acknowledgement,
            "days_overdue": (dates.today() - row.deadline).days,
        },
    )


def notification_settings(request):
    """A person's own choice: each reminder as an email, or one email a day, with the
    latest changes of it (when, from what to what). Every signed-in person has one (the
    middleware asks for the sign-in); nobody sets another's."""
    if not permissions.can_view_plan(request.user):
        raise PermissionDenied
    form = NotificationForm(
        request.POST or None, initial={"delivery": daily.delivery_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        daily.set_delivery(user=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, _("Your email settings are saved."))
        return redirect("reminders:notifications")
    context = {"form": form, "changes": daily.setting_changes(request.user)}
    return render(request, "reminders/notifications.html", context)
