"""The report-session cycle in Chromium, as the mayor's office and a bureau head run it:
a session scheduled with its agenda (reordered with HTMX and without JavaScript) →
marked held → a directive recorded and assigned → shown as a follow-up (이행 점검) at
the sector's next session; and a key task created by a bureau head with its milestones
reordered."""

import datetime as dt

from playwright.sync_api import expect

from meetings.models import Directive, ReportSession
from plans.models import KeyTask

KST = dt.timezone(dt.timedelta(hours=9))


def schedule(page, live_server, city, day: str, venue: str):
    page.goto(f"{live_server.url}/sessions/")
    page.get_by_role("link", name="보고회 일정 등록").click()
    page.get_by_label("분야").select_option(str(city.sectors[0].pk))
    page.get_by_label("날짜").fill(day)
    page.get_by_label("시작 시각").fill("10:00")
    page.get_by_label("종료 시각").fill("12:00")
    page.get_by_label("장소 (한국어)").fill(venue)
    page.get_by_label("주제 (한국어)").fill("민생 안정과 경제 활력 제고")
    page.get_by_role("button", name="보고회 일정 등록").click()
    expect(page.locator(".alert-success, .messages").first).to_be_visible()


def agenda_bureaus(page) -> list[str]:
    return page.locator("#agenda table.agenda tbody tr td:nth-child(3)").all_inner_texts()


def test_a_session_is_scheduled_held_and_its_directive_followed_up(
    page, browser, browser_context_args, live_server, city, sign_in, output_dir
):
    sign_in(page, city.mayors_office)
    schedule(page, live_server, city, "2024-07-15", "부산시청 대회의실")
    session = ReportSession.objects.get()
    assert page.url.endswith(f"/sessions/{session.pk}/")

    # The agenda from the sector's bureaus, back to back (HTMX swaps the agenda).
    for bureau, title in [(city.economy, "일자리 추진상황"), (city.finance, "금융중심지 조성")]:
        page.get_by_label("보고 실국").select_option(str(bureau.pk))
        page.get_by_label("보고 제목 (한국어)").fill(title)
        page.get_by_label("보고 시간 (분)").fill("30")
        page.get_by_role("button", name="안건에 추가").click()
        expect(page.locator("#agenda .alert-success")).to_be_visible()
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
    page.get_by_role("button", name="개최 완료로 기록").click()
    expect(page.locator(".session-meta ~ p .status-badge, .card .status-badge").first).to_have_text(
        "개최 완료"
    )
    expect(page.get_by_role("button", name="안건에 추가")).to_have_count(0)

    # A directive recorded during the session, then assigned to a bureau and an owner.
    page.locator("#directives textarea").fill("청년 금융 일자리 확대 방안 마련")
    page.locator("#directives select").select_option(str(city.economy.pk))
    page.locator("#directives input[type=date]").fill("2024-11-30")
    page.get_by_role("button", name="지시사항 등록").click()
    expect(page.locator("#directives .directive-list li")).to_have_count(1)
    directive = Directive.objects.get()
    page.goto(f"{live_server.url}/directives/{directive.pk}/edit/")
    page.get_by_label("담당 실국").select_option(str(city.finance.pk))
    page.get_by_label("담당자").select_option(str(city.finance_staff.pk))
    page.get_by_label("변경 사유").fill("금융창업정책관 소관")
    page.get_by_role("button", name="지시사항 저장").click()
    expect(page.locator(f"#directive-{directive.pk}")).to_contain_text(city.finance.name_ko)
    expect(page.locator(f"#directive-{directive.pk}")).to_contain_text("finance_staff")
    page.screenshot(path=output_dir / "directives-list.png", full_page=True)

    # The sector's next session follows it up (이행 점검), on its agenda and briefing.
    schedule(page, live_server, city, "2024-12-16", "벡스코")
    follow_up = page.locator("#agenda table.followup")
    expect(follow_up).to_contain_text("청년 금융 일자리 확대 방안 마련")
    expect(follow_up).to_contain_text(city.finance.name_ko)
    expect(page.locator("#follow-up-heading")).to_contain_text("이행 점검")
    page.screenshot(path=output_dir / "session-follow-up.png", full_page=True)
    page.get_by_role("link", name="보고 자료").first.click()
    expect(page.locator("table.followup")).to_contain_text("청년 금융 일자리 확대 방안 마련")


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
    expect(page.locator("main")).to_contain_text("추진 단계 순서 변경")
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
