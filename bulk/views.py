"""The Excel round trip's pages: download, upload, the check, apply."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans import dates, permissions

from . import services
from .forms import UploadForm
from .models import BulkUpload
from .sheets import XLSX_TYPE, Unreadable


def _own_upload(request, pk: int) -> BulkUpload:
    permissions.require(permissions.can_update_in_bulk(request.user))
    return get_object_or_404(BulkUpload, pk=pk, uploaded_by=request.user)


def home(request):
    permissions.require(permissions.can_update_in_bulk(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = services.receive(by=request.user, file_name=file.name, content=file.read())
        except Unreadable as error:
            form.add_error("file", error.messages)
        else:
            services.start_check(upload)
            return redirect("bulk:upload", pk=upload.pk)
    uploads = BulkUpload.objects.filter(uploaded_by=request.user).defer("content", "report")
    return render(request, "bulk/home.html", {"form": form, "uploads": uploads[:10]})


def download(request):
    permissions.require(permissions.can_update_in_bulk(request.user))
    response = HttpResponse(services.download(request.user), content_type=XLSX_TYPE)
    name = f"key-tasks-update-{dates.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def upload(request, pk: int):
    """The check of an upload (with its progress while it runs; HTMX polls the status
    fragment until it is done)."""
    found = _own_upload(request, pk)
    context = {
        "upload": found,
        "summary": services.summary(found),
        "progress": services.progress_of(found) if found.is_working else None,
    }
    template = "bulk/upload.html#status" if request.htmx else "bulk/upload.html"
    return render(request, template, context)


@require_POST
def apply(request, pk: int):
    found = _own_upload(request, pk)
    if not services.start_apply(found):
        messages.error(request, _("This upload is not ready to apply (or was applied already)."))
    return redirect("bulk:upload", pk=found.pk)
