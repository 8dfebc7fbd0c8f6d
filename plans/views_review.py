"""Plan-wide pages of the review issue that belong to plans: the public disclosure page."""

from django.shortcuts import render

from . import review
from .selectors import current_plan


def public(request):
    """Anonymous, read-only: the targets the city discloses and how far it has come.
    The same page for everyone, signed in or not, so nothing internal can slip in."""
    plan = current_plan()
    return render(
        request,
        "plans/public.html",
        {
            "plan": plan,
            "indicators": review.public_indicators(plan) if plan else [],
            "tasks": review.public_tasks(plan) if plan else [],
        },
    )
