"""The thread on a key task (its own page, and a fragment of the task page), writing and
withdrawing, and the one way a file is served: to someone who takes part in the task's
discussion, as a download. Every view loads the task through ``get_thread_task``
(404 when missing, 403 for anyone outside the discussion); the sign-in requirement is
the middleware's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.models import KeyTask
from plans.permissions import require

from . import permissions, selectors, services
from .forms import AnswerForm, CommentForm, WithdrawForm
from .models import Attachment, Comment


def get_thread_task(request, pk: int) -> KeyTask:
    task = get_object_or_404(KeyTask.objects.select_related("bureau", "sector"), pk=pk)
    require(permissions.may_take_part(request.user, task))
    return task


def _render(request, task, *, form=None, answer_form=None, answer_to=None, saved=""):
    thread = selectors.Thread(
        task,
        selectors.thread_entries(task, request.user),
        form=form or CommentForm(task=task),
        answer_form=answer_form,
        answer_to=answer_to,
        saved=saved,
    )
    template = "discussion/thread.html#thread" if request.htmx else "discussion/thread.html"
    return render(request, template, {"task": task, "section": thread})


def _done(request, task, message: str):
    if request.htmx:
        return _render(request, task, saved=message)
    messages.success(request, message)
    # Without JavaScript the thread is read and written on its own page.
    return redirect(reverse("discussion:thread", args=[task.pk]) + "#discussion")


def thread(request, pk: int):
    return _render(request, get_thread_task(request, pk))


@require_POST
def comment(request, pk: int):
    """A comment, or an answer to one, with its mentions and evidence file."""
    task = get_thread_task(request, pk)
    answering = bool(request.POST.get("answers"))
    form_class = AnswerForm if answering else CommentForm
    form = form_class(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            services.post_comment(task=task, by=request.user, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, task, _("Comment posted."))
    if answering:
        return _render(
            request, task, answer_form=form, answer_to=request.POST.get("answers", "")[:20]
        )
    return _render(request, task, form=form)


@require_POST
def withdraw_comment(request, pk: int, comment_pk: int):
    task = get_thread_task(request, pk)
    item = get_object_or_404(Comment, pk=comment_pk, task=task)
    require(permissions.may_withdraw(request.user, item))
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.withdraw_comment(item, by=request.user, reason=reason)
    return _done(request, task, _("Comment withdrawn. It stays on record as withdrawn."))


@require_POST
def withdraw_file(request, pk: int, file_pk: int):
    task = get_thread_task(request, pk)
    item = get_object_or_404(Attachment, pk=file_pk, task=task)
    require(permissions.may_withdraw(request.user, item))
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.withdraw_attachment(item, by=request.user, reason=reason)
    return _done(request, task, _("File withdrawn. It stays on record as withdrawn."))


def download(request, pk: int):
    """A file, only to someone who takes part in its task's discussion; always as a
    download under its own name, never rendered by the browser."""
    try:
        attachment = selectors.attachment_for_download(pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    require(permissions.may_take_part(request.user, attachment.task))
    if attachment.is_withdrawn:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
