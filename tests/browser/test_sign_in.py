"""A bureau head signs in through the browser, lands on their queue, sees the plan and
signs out."""

from playwright.sync_api import expect


def test_a_bureau_head_signs_in_sees_the_sectors_and_signs_out(
    page, live_server, city, sign_in, output_dir
):
    sign_in(page, city.economy_head)
    assert page.url == f"{live_server.url}/queue/"  # their own work first
    page.goto(f"{live_server.url}/")
    expect(page.locator(".sector-card")).to_have_count(5)
    expect(page.locator(".user-name")).to_contain_text("economy_head")
    page.screenshot(path=output_dir / "home.png", full_page=True)
    page.locator(".user-menu button[type=submit]").click()
    expect(page.locator('.user-menu a[href="/accounts/login/"]')).to_be_visible()
    expect(page.locator(".user-name")).to_have_count(0)


def test_a_wrong_password_shows_an_error_and_keeps_the_username(page, live_server, city):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("economy_head")
    page.locator("input[name=password]").fill("wrong")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(page.locator("input[name=username]")).to_have_value("economy_head")
