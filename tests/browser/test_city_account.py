"""A member of the mayor's office opens a link to the overdue list, is asked to sign in,
chooses "Sign in with the city account", signs in at the city's provider (a real
provider process) and lands on the list. The sign-in page with single sign-on on passes
the accessibility audit in Korean and English, on a phone and a desk screen."""

from django.conf import settings
from playwright.sync_api import expect

WIDTHS = {320: 720, 1280: 900}


def test_a_mayors_office_member_signs_in_with_the_city_account_and_lands_on_the_list(
    page, live_server, configure, provider_server, directory_server, mapped_city, axe_audit,
    output_dir,
):  # fmt: skip
    configure({**directory_server.environment(), **provider_server.environment()})
    page.goto(f"{live_server.url}/dashboard/tasks/?flag=overdue")
    assert "/accounts/login/?next=" in page.url

    for language, button in (
        ("en", "Sign in with the city account"),
        ("ko", "시 통합계정으로 로그인"),
    ):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.reload()
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            expect(page.get_by_role("link", name=button)).to_be_visible()
            axe_audit(page, f"sign-in with single sign-on, {language}, {width} px")
            page.screenshot(path=output_dir / f"sign-in-city-account_{language}_{width}.png")

    page.get_by_role("link", name="시 통합계정으로 로그인").click()
    page.wait_for_url(f"{provider_server.url}/login/**")
    page.get_by_label("아이디").fill("lee.jiyoung")
    page.get_by_label("비밀번호").fill("provider-password")
    page.get_by_role("button", name="로그인").click()

    page.wait_for_url(f"{live_server.url}/dashboard/tasks/?flag=overdue")
    expect(page.locator(".user-name")).to_contain_text("이지영")
    expect(page.locator("h1")).to_be_visible()
    page.screenshot(path=output_dir / "signed-in-with-city-account.png", full_page=True)
