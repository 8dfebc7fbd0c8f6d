"""A resident on the public page, on a phone and a desk screen: the statuses explained,
when the page last changed, and a page per public key task (issue 15, item 12).
Screenshots: test-output/public-<width>.png and public-task-<width>.png."""

import datetime as dt

from playwright.sync_api import expect

from plans import services
from tests.factories import IndicatorFactory, MeasurementFactory, MilestoneFactory


def a_public_plan(city):
    task = city.welfare_task
    task = services.update_key_task(
        task, by=city.welfare_head, expected_version=task.version, status="at_risk", progress=35
    )
    MilestoneFactory(task=task, title_ko="통합돌봄 조례 제정", due_date=dt.date(2024, 3, 31),
                     done_on=dt.date(2024, 3, 20))  # fmt: skip
    MilestoneFactory(task=task, title_ko="시범사업 16개 구·군 확대", due_date=dt.date(2024, 10, 31))
    care = IndicatorFactory(
        sector=task.sector, task=task, code="CARE-USERS", name_ko="통합돌봄 이용자 수",
        unit_ko="명", target=12000, is_public=True,
    )  # fmt: skip
    MeasurementFactory(indicator=care, as_of=dt.date(2024, 6, 30), value=5400, state="verified")
    jobs = IndicatorFactory(sector=city.sectors[0], code="JOB-FIN", is_public=True)
    MeasurementFactory(indicator=jobs, value=208959)
    return task


def test_a_resident_reads_the_legend_the_date_and_a_tasks_own_page(
    page, live_server, city, output_dir
):
    task = a_public_plan(city)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/public/")
        expect(page.locator(".last-updated")).to_contain_text("최종 업데이트")
        legend = page.locator(".status-legend")
        expect(legend.locator(".status-badge")).to_have_count(6)
        expect(legend).to_contain_text("계획대로 추진 중입니다.")
        expect(page.locator(".public-indicator .actual").first).to_contain_text("20만 8,959개")
        page.screenshot(path=output_dir / f"public-{width}.png", full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px wider than a {width} px screen"

        page.locator(".public-tasks a", has_text=task.title).click()
        expect(page.locator("h1")).to_have_text(task.title)
        expect(page.locator(".public-task .status-badge")).to_have_text("지연 우려")
        expect(page.locator("progress")).to_have_attribute("value", "35")
        expect(page.locator(".milestones li")).to_have_count(2)
        expect(page.locator(".public-indicator .actual")).to_contain_text("5,400명")
        expect(page.locator(".status-legend")).to_be_visible()
        page.screenshot(path=output_dir / f"public-task-{width}.png", full_page=True)

    # An internal task has no public page.
    response = page.goto(f"{live_server.url}/public/tasks/{city.economy_task.pk}/")
    assert response.status == 404
