"""The report-session cycle in Chromium, as the mayor's office and a bureau head run it:
a session scheduled with its agenda (reordered with HTMX and without JavaScript) →
marked held → a directive recorded and assigned → shown as a follow-up (이행 점검) at
the sector's next session; and a key task created by a bureau head with its milestones
reordered."""

import datetime as dt

from playwright.sync_api import expect

from meetings.models import ReportSession
from plans.models import KeyTask
from tests.browser.cycle_steps import (
    add_to_agenda,
    assign_directive,
    mark_held,
    record_directive,
    schedule,
)
from tests.browser.deferred import reach_the_history

KST = dt.timezone(dt.timedelta(hours=9))


def agenda_bureaus(page) -> list[str]:
    return page.locator("#agenda table.agenda tbody tr td:nth-child(3)").all_inner_texts()


def test_a_session_is_scheduled_held_and_its_directive_followed_up(
    page, browser, browser_context_args, live_server, city, sign_in, output_dir
):
    sign_in(page, city.mayors_office)
    schedule(page, live_server, city.sectors[0], "2024-07-15", "부산시청 대회의실")
    session = ReportSession.objects.get()
    assert page.url.endswith(f"/sessions/{session.pk}/")

    # The agenda from the sector's bureaus, back to back (HTMX swaps the agenda).
    add_to_agenda(page, city.economy, "일자리 추진상황")
    add_to_agenda(page, city.finance, "금융중심지 조성")
    expect(page.locator("#agenda table.agenda tbody tr")).to_have_count(2)
    assert agenda_bureaus(page) == [city.economy.name_ko, city.finance.name_ko]

    # Reorder with HTMX: the first presentation one place down.
    page.get_by_role("button", name=f"{city.economy.name_ko} 순서 내리기").click()
    expect(page.locator("#agenda .alert-success")).to_contain_text("안건 순서")
    assert agenda_bureaus(page) == [city.finance.name_ko, city.economy.name_ko]
    expect(page.locator("#agenda table.agenda tbody tr").first).to_contain_text("10:00")

    # …and without JavaScript: the same buttons are plain forms.
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    plain = context.new_page()
    sign_in(plain, city.mayors_office)
    plain.goto(f"{live_server.url}/sessions/{session.pk}/")
    plain.get_by_role("button", name=f"{city.economy.name_ko} 순서 올리기").click()
    assert plain.url.endswith(f"/sessions/{session.pk}/#agenda")
    assert agenda_bureaus(plain) == [city.economy.name_ko, city.finance.name_ko]
    context.close()

    # Marked held: the agenda is on record.
    page.reload()
    mark_held(page)

    # A directive recorded during the session, then assigned to a bureau and an owner.
    text = "청년 금융 일자리 확대 방안 마련"
    directive = record_directive(page, text, city.economy, "2024-11-30")
    assign_directive(page, directive, city.finance, city.finance_staff, "금융창업정책관 소관")
    page.screenshot(path=output_dir / "directives-list.png", full_page=True)

    # The sector's next session follows it up (이행 점검), on its agenda and briefing.
    schedule(page, live_server, city.sectors[0], "2024-12-16", "벡스코")
    follow_up = page.locator("#agenda table.followup")
    expect(follow_up).to_contain_text(text)
    expect(follow_up).to_contain_text(city.finance.name_ko)
    expect(page.locator("#follow-up-heading")).to_contain_text("이행 점검")
    page.screenshot(path=output_dir / "session-follow-up.png", full_page=True)
    page.get_by_role("link", name="보고 자료").first.click()
    expect(page.locator("table.followup")).to_contain_text(text)


def test_a_bureau_head_creates_a_key_task_and_reorders_its_milestones(
    page, live_server, city, sign_in, output_dir
):
    sign_in(page, city.economy_head)
    page.goto(f"{live_server.url}/tasks/new/")
    page.get_by_label("분야").select_option(str(city.sectors[0].pk))
    page.get_by_label("소관 실국").select_option(str(city.finance.pk))
    page.get_by_label("코드").fill("1-30")
    page.get_by_label("과제명 (한국어)").fill("디지털 금융 인재 양성")
    page.get_by_label("시작일").fill("2024-02-01")
    page.get_by_label("기한").fill("2024-11-30")
    page.get_by_label("담당자").select_option(str(city.finance_staff.pk))
    page.get_by_role("button", name="핵심과제 등록").click()
    task = KeyTask.objects.get(code="1-30")
    assert page.url.endswith(f"/tasks/{task.pk}/manage/")

    for title, day in [("교육과정 설계", "2024-03-31"), ("교육생 모집", "2024-05-31")]:
        page.get_by_label("추진 단계 (한국어)").last.fill(title)
        page.locator(".milestone-form input[type=date]").fill(day)
        page.get_by_role("button", name="추진 단계 추가").click()
        expect(page.locator("#milestones .roadmap li", has_text=title)).to_be_visible()
    page.get_by_role("button", name="“교육생 모집” 순서 올리기").click()
    expect(page.locator("#milestones .roadmap li").first).to_contain_text("교육생 모집")
    assert list(task.milestones.values_list("title_ko", flat=True)) == [
        "교육생 모집",
        "교육과정 설계",
    ]
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    expect(reach_the_history(page)).to_contain_text("추진 단계 순서 변경")
    page.screenshot(path=output_dir / "task-managed.png", full_page=True)


def test_the_new_pages_pass_the_audit_in_both_languages_at_both_widths(
    browser, browser_context_args, live_server, city, sign_in
):
    """The audit of tests/browser/test_accessibility.py, for this area's pages only (and
    the session page they change), so it can run on its own."""
    from collections import defaultdict

    from django.conf import settings
    from django.urls import reverse

    from tests.browser.test_accessibility import LANGUAGES, WIDTHS, page_problems
    from tests.i18n import pages
    from tests.i18n.topics import sessions as topic

    walk_city = pages.build_walk_city(city)
    names = set(topic.PAGES) | {"meetings:session_detail", "meetings:session_list"}
    by_role = defaultdict(list)
    for pattern in pages.url_patterns():
        if pattern.name in names:
            for checked in pages.pages_for(pattern, walk_city):
                if not checked.htmx:
                    by_role[checked.role].append(checked)
    # The session page with a follow-up and a changed agenda, as the mayor's office sees it.
    later = ReportSession.objects.create(
        sector=walk_city.session.sector,
        starts_at=dt.datetime(2024, 7, 15, 10, tzinfo=KST),
        ends_at=dt.datetime(2024, 7, 15, 12, tzinfo=KST),
        venue_ko="벡스코",
    )
    extra = pages.PageToCheck(
        "follow-up", reverse("meetings:session_detail", args=[later.pk]), "mayors_office", False
    )
    by_role["mayors_office"].append(extra)
    problems, audited = [], 0
    for role, role_pages in by_role.items():
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        sign_in(page, pages.user_for(role, walk_city))
        for language in LANGUAGES:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            for checked in role_pages:
                response = page.goto(live_server.url + checked.url)
                assert response is not None and response.status == 200, checked
                for width, height in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    where = f"{checked} [{language}, {width}px]"
                    problems.extend(f"{where}: {p}" for p in page_problems(page, language))
                    audited += 1
        context.close()
    assert audited >= 2 * 2 * 8
    assert not problems, "\n".join(problems)
