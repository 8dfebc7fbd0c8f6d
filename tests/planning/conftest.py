import datetime as dt

import pytest

from planning import services
from plans import dates


@pytest.fixture
def next_year(city):
    """The mayor's office has opened the 2025 plan from the 2024 one (the city's plan),
    its five sectors copied, the bureaus' deadline ten days from today."""
    plan = services.open_next_year(
        by=city.mayors_office,
        previous=city.plan,
        year=city.plan.year + 1,
        deadline=dates.today() + dt.timedelta(days=10),
        core_goal_ko="글로벌 허브도시 도약",
        goals=[("다시 태어나도 살고 싶은 시민행복도시", "")],
        sectors=[
            services.SectorText(s.number, s.name_ko, s.name_en, s.theme_ko, s.theme_en)
            for s in city.sectors
        ],
    )
    return plan


def draft_for(city, plan, bureau=None, *, by=None, title="부산형 창업 지원", owner=None):
    """A draft key task of the bureau's submission, with one milestone and indicator."""
    from planning.models import DraftIndicator, DraftMilestone, DraftTask

    bureau = bureau or city.economy
    by = by or city.economy_head
    submission = services.start_drafting(by=by, plan=plan, bureau=bureau)
    draft = DraftTask(
        sector=plan.sectors.get(number=1),
        pillar_ko="혁신",
        title_ko=title,
        owner=owner,
        start_date=dt.date(plan.year, 1, 1),
        due_date=dt.date(plan.year, 12, 31),
    )
    services.save_draft_task(
        by=by,
        submission=submission,
        draft=draft,
        milestones=[DraftMilestone(title_ko="공모", due_date=dt.date(plan.year, 3, 31))],
        indicators=[DraftIndicator(name_ko="창업 기업", unit_ko="개", baseline=100, target=150)],
    )
    submission.refresh_from_db()
    return submission, draft
