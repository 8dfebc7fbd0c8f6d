"""Everything works by keyboard alone, with the focus always visible: these tests press
keys in the browser (Tab, typing, Enter, arrows) and never click."""

import pytest
from playwright.sync_api import expect

from plans.models import Profile
from tests.browser.deferred import reach_the_history

# What the focused element looks like: the outline app.css draws for :focus-visible.
FOCUS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        name: el.id || el.getAttribute('name') || el.className
            || el.textContent.trim().slice(0, 40),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
    };
}"""


def tab_to(page, matches, limit=25):
    """Press Tab until the focused element satisfies `matches`; every stop on the way
    must show a visible focus ring on screen."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["tag"] == "body":
            pytest.fail(f"Tab left the page before reaching the element; stops: {stops}")
        stops.append(focus["name"])
        assert focus["outline"], f"no visible focus on {focus}"
        assert focus["onScreen"], f"focused element off screen: {focus}"
        if matches(focus):
            return stops
    pytest.fail(f"never reached the element by Tab; stops: {stops}")


def test_staff_sign_in_from_the_home_page_with_the_keyboard_alone(page, live_server, city):
    page.goto(f"{live_server.url}/")
    stops = tab_to(page, lambda f: f["tag"] == "a" and f["name"].endswith("btn-small"))
    # The first stop is the skip link, so a keyboard user can jump past the header.
    assert stops[0] == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    # The username field has the focus on arrival: typing starts at once.
    assert page.evaluate(FOCUS)["name"] == "id_username"
    page.keyboard.type("economy_head")
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS)
    assert focus["name"] == "id_password" and focus["outline"]
    page.keyboard.type("password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/queue/")  # a bureau head lands on their queue
    expect(page.locator(".user-name")).to_contain_text("economy_head")
    page.goto(f"{live_server.url}/tasks/mine/")
    expect(page.locator("tr.task-row")).to_have_count(2)


def test_a_wrong_password_by_keyboard_keeps_the_username_and_says_why(page, live_server, city):
    page.goto(f"{live_server.url}/accounts/login/")
    # The person starts typing once the page has put the cursor in the user name.
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("economy_head")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong")
    page.keyboard.press("Enter")
    expect(page.locator("[role=alert]")).to_contain_text("비밀번호")
    expect(page.locator("#id_username")).to_have_value("economy_head")


def test_the_skip_link_takes_the_keyboard_to_the_main_content(page, live_server, city):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_staff_switch_to_english_by_keyboard_and_it_is_remembered(page, live_server, city, sign_in):
    sign_in(page, city.finance_staff)
    tab_to(page, lambda f: f["name"] == "language-select")
    # A focused closed select changes value with the arrow keys.
    page.keyboard.press("ArrowDown")
    expect(page.locator("#language-select")).to_have_value("en")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".user-menu button")).to_have_text("Sign out")
    assert Profile.objects.get(user=city.finance_staff).language == "en"


def test_the_mayors_office_records_a_directive_during_a_session_by_keyboard_alone(
    page, live_server, city, sign_in
):
    from meetings.models import Directive
    from tests.factories import AgendaItemFactory, ReportSessionFactory

    session = ReportSessionFactory(sector=city.sectors[0])
    AgendaItemFactory(session=session, bureau=city.economy)
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")

    tab_to(page, lambda f: f["name"] == "id_text", limit=60)
    # Enter in the text box is a new line, not a submit: a directive can run to lines.
    page.keyboard.type("부산형 통합돌봄 확대 방안을 검토할 것")
    page.keyboard.press("Enter")
    page.keyboard.type("다음 보고회에서 결과 보고")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["name"] == "id_bureau"
    # A focused closed select moves through its options with the arrow keys.
    for _ in range(10):
        if page.locator("#id_bureau").input_value() == str(city.welfare.pk):
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_bureau")).to_have_value(str(city.welfare.pk))
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["name"] == "id_due_date"
    # The date box takes digits segment by segment and moves on by itself. Headless
    # Chromium lays it out month/day/year (its own UI locale, whatever the page's).
    page.keyboard.type("09302024")
    expect(page.locator("#id_due_date")).to_have_value("2024-09-30")
    tab_to(
        page,
        lambda f: (
            f["tag"] == "button"
            and "지시사항 등록" in page.evaluate("document.activeElement.textContent")
        ),
    )
    page.keyboard.press("Enter")

    expect(page.locator("#directives [role=status]")).to_contain_text("핵심과제")
    (directive,) = Directive.objects.filter(session=session)
    assert directive.text == "부산형 통합돌봄 확대 방안을 검토할 것\n다음 보고회에서 결과 보고"
    assert directive.bureau == city.welfare
    assert str(directive.due_date) == "2024-09-30"
    expect(page.locator(f"#directive-{directive.pk}")).to_contain_text(directive.key_task.code)
    # The form is empty and has the focus again: the next directive is typed at once.
    expect(page.locator("#id_text")).to_be_focused()
    expect(page.locator("#id_text")).to_have_value("")
    assert page.evaluate(FOCUS)["outline"]


def test_a_directive_missing_its_due_date_by_keyboard_says_why_and_keeps_the_text(
    page, live_server, city, sign_in
):
    from tests.factories import ReportSessionFactory

    session = ReportSessionFactory(sector=city.sectors[0])
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    tab_to(page, lambda f: f["name"] == "id_text", limit=60)
    page.keyboard.type("청년 일자리 점검")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the due date is left empty
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_due_date-error")).to_have_text("기한을 입력하세요.")
    expect(page.locator("#id_due_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_text")).to_have_value("청년 일자리 점검")


def test_a_bureau_head_updates_a_status_on_my_tasks_by_keyboard_alone(
    page, live_server, city, sign_in
):
    from django.core.cache import cache

    from plans.models import KeyTask

    cache.clear()  # My tasks caches rows by task id and version; a fresh database reuses ids
    task = city.finance_task
    assert (task.status, task.progress) == ("on_track", 40)
    sign_in(page, city.economy_head)
    page.goto(f"{live_server.url}/tasks/mine/")
    page.evaluate("window.__noReload = true")

    def in_row(tag):
        return lambda f: (
            f["tag"] == tag
            and page.evaluate(
                f"document.activeElement.closest('tr')?.id === 'task-{task.pk}'"
                " && document.activeElement.matches('td.update-cell a')"
            )
        )

    tab_to(page, in_row("a"), limit=40)
    page.keyboard.press("Enter")  # opens the form in the row
    status = page.locator(f"#task-{task.pk}-status")
    expect(status).to_be_focused()  # the keyboard lands on the first field
    page.keyboard.press("ArrowDown")  # 정상 추진 → 지연 우려
    expect(status).to_have_value("at_risk")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["name"] == f"task-{task.pk}-progress"
    page.keyboard.press("Control+A")
    page.keyboard.type("55")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS)["name"] == f"task-{task.pk}-note"
    page.keyboard.type("참여기업 모집 지연")
    page.keyboard.press("Enter")  # Enter in the note submits

    row = page.locator(f"#task-{task.pk}")
    expect(row).to_have_class("task-row flash-success")
    expect(row.locator(".status-badge.status-at_risk")).to_have_text("지연 우려")
    expect(row.locator(".progress-label")).to_have_text("55%")
    cue = row.locator(".saved-cue")
    expect(cue).to_have_text("저장되었습니다.")
    expect(cue).to_be_focused()  # a screen reader hears it; the keyboard stays in the row
    assert page.evaluate("window.__noReload") is True  # swapped in place, no page load
    task = KeyTask.objects.get(pk=task.pk)
    assert (task.status, task.progress, task.version) == ("at_risk", 55, 2)

    # Back to the task's own link in the same row, then on to its page.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate(f"document.activeElement.getAttribute('href') === '/tasks/{task.pk}/'"):
            break
    else:
        pytest.fail("Shift+Tab never reached the task's link")
    assert page.evaluate(FOCUS)["outline"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    entry = reach_the_history(page).locator(".timeline li").first
    expect(entry).to_contain_text("참여기업 모집 지연")
    expect(entry).to_contain_text("economy_head")
    expect(entry.locator(".change").first).to_contain_text("상태")
    expect(entry.locator("del").first).to_have_text("정상 추진")
    expect(entry.locator("ins").first).to_have_text("지연 우려")
    expect(entry.locator("time")).to_contain_text("년")  # a Seoul wall-clock time, in Korean
