"""The indicator chart reads on a desk screen, on a phone and on paper: names whole and
in the reader's words, actual against target with its unit, the pace, and the indicators
that need attention first (issue 15, item 1)."""

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect

from tests.factories import IndicatorFactory, MeasurementFactory

LONG_NAME = "우리동네 ESG 일자리: 폐플라스틱 수거량 및 재활용 실적 확대(누계)"


def indicators_of_every_kind(city):
    """Sector 1: one met, one far behind its pace, one on pace, one without an actual."""
    sector = city.sectors[0]
    met = IndicatorFactory(
        sector=sector, code="BDIA-EMPLOYED", name_ko="BDIA 수료생 취업 연계", unit_ko="명",
        unit_en="persons", target=2200,
    )  # fmt: skip
    MeasurementFactory(indicator=met, value=2431)
    behind = IndicatorFactory(
        sector=sector, code="ESG-PLASTIC", name_ko=LONG_NAME, unit_ko="톤", unit_en="tonnes",
        target=60000,
    )  # fmt: skip
    MeasurementFactory(indicator=behind, as_of=dt.date(2024, 6, 30), value=12000)
    on_pace = IndicatorFactory(
        sector=sector, code="INVEST-PRIVATE", name_ko="민간투자 유치액", unit_ko="조 원",
        unit_en="KRW trillion", target=5,
    )  # fmt: skip
    MeasurementFactory(indicator=on_pace, as_of=dt.date(2024, 6, 30), value=3, state="verified")
    IndicatorFactory(sector=sector, code="EMP-RATE", name_ko="고용률(15~64세)", unit_ko="%",
                     unit_en="%", baseline=60, target=Decimal("66.5"))  # fmt: skip


CHART_FACTS = """chart => {
    const box = chart.getBoundingClientRect();
    const names = [...chart.querySelectorAll('.ichart-name')];
    return {
        left: box.left, right: box.right,
        namesInside: names.every(n => {
            const r = n.getBoundingClientRect();
            return r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                && n.scrollWidth <= n.clientWidth + 1;
        }),
        smallestText: Math.min(...[...chart.querySelectorAll('.ichart-name, .ichart-figures')]
            .map(e => parseFloat(getComputedStyle(e).fontSize))),
        barWidth: chart.querySelector('.ichart-bar').getBoundingClientRect().width,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
}"""


def test_the_dashboard_chart_reads_on_a_desk_screen_and_a_phone(
    page, live_server, city, sign_in, output_dir
):
    indicators_of_every_kind(city)
    sign_in(page, city.mayors_office)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/dashboard/")
        chart = page.locator("#indicators-heading + .ichart, section .ichart").first
        expect(chart).to_be_visible()
        rows = chart.locator(".ichart-row")
        expect(rows).to_have_count(4)
        # Attention first: the one that will miss, then on pace, met, no actual.
        expect(rows.nth(0)).to_contain_text(LONG_NAME)
        expect(rows.nth(0).locator(".ichart-state")).to_have_text("목표 미달 예상")
        expect(rows.nth(1)).to_contain_text("민간투자 유치액")
        expect(rows.nth(2)).to_contain_text("BDIA 수료생 취업 연계")
        expect(rows.nth(3)).to_contain_text("고용률(15~64세)")
        # Names in the reader's words, not codes; actual against target with the unit.
        expect(rows.nth(2).locator(".ichart-name")).to_have_text("BDIA 수료생 취업 연계")
        expect(rows.nth(2)).to_contain_text("2,431명 / 목표 2,200명")
        expect(rows.nth(1)).to_contain_text("3조 원 / 목표 5조 원")
        # The pace: where the figure will be on its target date.
        expect(rows.nth(0)).to_contain_text("2024년 12월 31일 (화) 예상")
        expect(rows.nth(0).locator("circle.chart-projection")).to_have_count(1)
        facts = chart.evaluate(CHART_FACTS)
        assert facts["namesInside"], f"a name is cut off at {width} px"
        assert facts["smallestText"] >= 14, facts
        assert facts["barWidth"] >= (250 if width == 375 else 300), facts
        assert facts["overflow"] <= 0, facts
        section = page.locator("section:has(#indicators-heading)")
        section.screenshot(path=output_dir / f"dashboard-chart-{width}.png")

    # On paper the chart keeps its text and its bars.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator(".ichart-row").first).to_be_visible()
    expect(page.locator(".ichart-row .chart-bar").first).to_be_visible()


def test_the_chart_reads_in_english_too(page, live_server, city, sign_in):
    indicators_of_every_kind(city)
    city.mayors_office.profile.language = "en"
    city.mayors_office.profile.save()
    sign_in(page, city.mayors_office)
    page.goto(f"{live_server.url}/dashboard/")
    first = page.locator(".ichart-row").first
    expect(first.locator(".ichart-state")).to_have_text("Will miss the target")
    expect(page.locator(".ichart")).to_contain_text("2,431 persons of 2,200 persons")
    expect(page.locator(".ichart")).to_contain_text("KRW 3 trillion of KRW 5 trillion")
