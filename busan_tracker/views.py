from django.shortcuts import render

from meetings.selectors import sessions_by_sector
from plans.selectors import current_plan, sector_summaries


def home(request):
    """The plan at a glance: its goals and the five sectors with their sessions."""
    plan = current_plan()
    sectors = sector_summaries(plan) if plan else []
    sessions = sessions_by_sector(plan) if plan else {}
    return render(
        request,
        "home.html",
        {
            "plan": plan,
            "sectors": [(summary, sessions.get(summary.sector.pk, [])) for summary in sectors],
        },
    )
