"""Next year's plan for the demo: opened from the plan tracked this year, some
unfinished tasks carried over, and the bureaus at every stage of their submission —
some submitted, some drafting, one returned, one accepted. Idempotent: nothing is
done when next year's plan already exists. Everything here is illustrative (assumed)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from plans.models import Bureau, KeyTask, WorkPlan

from . import services
from .models import DraftIndicator, DraftMilestone, DraftTask, Submission

DEMO_NOTE = "데모용 가정 데이터 (assumed for the demo)"

# What each demo bureau has done by today: (bureau code, moves made, comment on return).
STAGES = [
    ("economic-policy", ["submit", "accept"], ""),
    ("digital-economy", ["submit"], ""),
    (
        "citizen-safety",
        ["submit", "return"],
        "목표가 작년 수준에 머물러 있습니다. 더 도전적인 목표와 분기별 로드맵을 보완해 주세요.",
    ),
    ("environment-water", [], ""),
    ("gadeokdo-airport", ["submit"], ""),
    ("social-welfare", [], ""),
]

PROPOSALS = {
    "economic-policy": (
        "소상공인 디지털 전환 바우처 확대",
        "Wider digital-transition vouchers for small businesses",
        1,
        "바운스",
    ),
    "digital-economy": (
        "AI·퀀텀 실증 테스트베드 구축",
        "AI and quantum pilot test beds",
        1,
        "이노베이션",
    ),
    "citizen-safety": (
        "침수 취약지역 스마트 경보 체계",
        "Smart flood alerts for vulnerable areas",
        2,
        "안전",
    ),
    "environment-water": (
        "부산형 탄소중립 실천 포인트",
        "Busan carbon-neutral action points",
        2,
        "탄소중립",
    ),
    "gadeokdo-airport": (
        "가덕도신공항 배후 물류단지 기본계획",
        "Master plan for the airport's logistics district",
        3,
        "물류",
    ),
    "social-welfare": (
        "통합돌봄 24시간 상담 창구",
        "Round-the-clock integrated-care helpline",
        4,
        "통합돌봄",
    ),
}


@transaction.atomic
def load_next_year(current: WorkPlan, *, by, today: dt.date) -> WorkPlan | None:
    """Next year's plan in preparation (None when it already exists)."""
    year = current.year + 1
    if WorkPlan.objects.filter(year=year).exists():
        return None
    plan = services.open_next_year(
        by=by,
        previous=current,
        year=year,
        deadline=today + dt.timedelta(days=10),
        core_goal_ko=current.core_goal_ko,
        core_goal_en=current.core_goal_en,
        vision_ko=current.vision_ko,
        vision_en=current.vision_en,
        goals=[(g.text_ko, g.text_en) for g in current.goals.all()],
        sectors=[
            services.SectorText(s.number, s.name_ko, s.name_en, s.theme_ko, s.theme_en)
            for s in current.sectors.all()
        ],
    )
    unfinished = list(
        KeyTask.objects.filter(plan=current, status=KeyTask.Status.DELAYED).select_related(
            "sector", "bureau"
        )[:3]
    )
    services.carry_over(
        by=by,
        plan=plan,
        tasks=unfinished,
        indicators=[i for t in unfinished for i in t.indicators.all()],
    )
    bureaus = {b.code: b for b in Bureau.objects.filter(code__in=[c for c, _m, _c in STAGES])}
    sectors = {s.number: s for s in plan.sectors.all()}
    for code, moves, comment in STAGES:
        bureau = bureaus.get(code)
        if bureau is None or bureau.head is None:
            continue
        head = bureau.head
        submission = services.start_drafting(by=head, plan=plan, bureau=bureau)
        title_ko, title_en, sector, pillar = PROPOSALS[code]
        services.save_draft_task(
            by=head,
            submission=submission,
            draft=DraftTask(
                sector=sectors[sector],
                pillar_ko=pillar,
                title_ko=title_ko,
                title_en=title_en,
                description_ko=DEMO_NOTE,
                owner=head,
                start_date=dt.date(year, 1, 1),
                due_date=dt.date(year, 12, 31),
            ),
            milestones=[
                DraftMilestone(
                    title_ko="추진계획 수립", title_en="Plan set", due_date=dt.date(year, 3, 31)
                ),
                DraftMilestone(
                    title_ko="상반기 점검",
                    title_en="Mid-year review",
                    due_date=dt.date(year, 6, 30),
                ),
                DraftMilestone(
                    title_ko="연간 성과 보고",
                    title_en="Annual report",
                    due_date=dt.date(year, 12, 15),
                ),
            ],
            indicators=[
                DraftIndicator(
                    name_ko=f"{title_ko} 참여",
                    name_en=f"{title_en}: participants",
                    unit_ko="명",
                    unit_en="people",
                    baseline=1000,
                    target=1500,
                )
            ],
        )
        for move in moves:
            submission = Submission.objects.get(pk=submission.pk)
            services.move_submission(
                by=head if move == "submit" else by,
                submission=submission,
                move=move,
                version=submission.version,
                comment=comment if move == "return" else "",
            )
    return plan
