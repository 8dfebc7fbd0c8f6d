"""Pages of the API room: a person's own API tokens, and the open-data files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from plans import permissions

from . import opendata, selectors, services
from .forms import TokenForm
from .models import ApiToken

OPEN_DATA_SECONDS = 300


def tokens(request):
    """The person's API tokens: make one (shown once, here) or revoke one."""
    permissions.require(permissions.can_use_api(request.user))
    issued = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.issue_token(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "issued": issued,
        "tokens": ApiToken.objects.filter(user=request.user).select_related("revoked_by"),
    }
    return render(request, "api/tokens.html", context)


@require_POST
def revoke_token(request, pk: int):
    permissions.require(permissions.can_use_api(request.user))
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


def _open_data_response(request, content: bytes, content_type: str, last_modified=None):
    """The file, cacheable by anyone for a few minutes, with an ETag of its content (and
    the moment of the last revision, for the revision log): a client that asks again
    with either gets 304 and nothing more while nothing changed."""
    # HTTP dates have whole seconds.
    seconds = int(last_modified.timestamp()) if last_modified is not None else None
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = opendata.etag(content)
    if seconds is not None:
        response["Last-Modified"] = http_date(seconds)
    patch_cache_control(response, public=True, max_age=OPEN_DATA_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return (
        get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=seconds,
            response=response,
        )
        or response
    )


@login_not_required
@require_safe
def open_indicators(request, fmt: str):
    """Public targets with their published achievements (every plan, newest first)."""
    records = [opendata.indicator_record(i) for i in selectors.public_indicators()]
    if fmt == "csv":
        rows = (opendata.indicator_row(record) for record in records)
        content = opendata.to_csv(opendata.INDICATOR_COLUMNS, rows)
        return _open_data_response(request, content, "text/csv; charset=utf-8")
    return _open_data_response(request, opendata.to_json("indicators", records), "application/json")


@login_not_required
@require_safe
def open_revisions(request, fmt: str):
    """The public log of revisions to published figures, newest first."""
    revisions = list(selectors.public_revisions())
    records = [opendata.revision_record(revision) for revision in revisions]
    last_modified = revisions[0].revised_at if revisions else None
    if fmt == "csv":
        content = opendata.to_csv(opendata.REVISION_COLUMNS, records)
        return _open_data_response(request, content, "text/csv; charset=utf-8", last_modified)
    return _open_data_response(
        request, opendata.to_json("revisions", records), "application/json", last_modified
    )
