"""The queue page, the count in the navigation and the actions beside each item. The
actions are the areas' own services (``inbox.kinds``), asked through the registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from plans import cache, dates, permissions

from . import selectors
from .registry import KINDS

TEMPLATE = "inbox/queue.html"


@require_safe
def queue(request):
    permissions.require(permissions.can_view_plan(request.user))
    sections = selectors.queue(request.user, dates.today())
    context = {"sections": sections, "total": sum(section.count for section in sections)}
    # Rendered again only when what a section shows has changed.
    context["sections_html"] = cache.kept_fragment(
        request,
        "queue",
        tuple(section.shown for section in sections),
        lambda extra: render_to_string(f"{TEMPLATE}#sections", {**context, **extra}, request),
    )
    return render(request, TEMPLATE, context)


@require_safe
def count(request):
    """The count beside "My queue" in the navigation, fetched after the page (so no
    page pays for it)."""
    permissions.require(permissions.can_view_plan(request.user))
    context = {"total": selectors.total(request.user, dates.today())}
    return render(request, f"{TEMPLATE}#nav_count", context)


@require_POST
def act(request, kind: str, pk: int, action: str):
    """An action beside an item: HTMX gets the item's outcome in its place (and the new
    count in the navigation); without JavaScript, back to the queue with a message."""
    permissions.require(permissions.can_view_plan(request.user))
    queue_kind = KINDS.get(kind)
    if queue_kind is None or not queue_kind.concerns(request.user):
        raise Http404
    note = request.POST.get("note", "")[:500]
    try:
        done = queue_kind.act(request.user, pk, action, note)
    except ObjectDoesNotExist:
        raise Http404 from None
    except permissions.PlanClosed as closed:
        # Its plan was closed since the queue was read: said beside the item.
        return _answer(request, kind, pk, refused=[str(closed)])
    except PermissionDenied:
        raise
    except ValidationError as error:
        return _answer(request, kind, pk, refused=error.messages)
    return _answer(request, kind, pk, done=done)


def _answer(request, kind: str, pk: int, *, done: str = "", refused=()):
    if not request.htmx:
        for message in refused:
            messages.error(request, message)
        if done:
            messages.success(request, done)
        return redirect("inbox:queue")
    context = {
        "kind": kind,
        "pk": pk,
        "done": done,
        "refused": refused,
        "total": selectors.total(request.user, dates.today()),
    }
    return render(request, f"{TEMPLATE}#outcome", context)
