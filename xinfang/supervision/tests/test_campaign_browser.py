"""The wall chart (挂图作战) as a leader reads it, the unit's clear-off form, and a
clear-off approved on the campaign page moving the chart, in Debian's Chromium.
Screenshots: var/screens/campaign-*.png."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, SCREENS
from xinfang.supervision import campaigns
from xinfang.supervision.tests.browsing import via_menu

from .campaign_fixtures import REPORT

pytestmark = BROWSER_TEST


@pytest.fixture
def wall(live_server, people, units, register_case):
    today = timezone.localdate()
    campaign = campaigns.create(actor=people["ducha"], name="2026年信访积案化解专项行动", unit=units["county"],
                                starts_on=today - datetime.timedelta(days=36), ends_on=today + datetime.timedelta(days=64),
                                leader=people["lingdao"])
    held = []
    for i, title in enumerate(["城南征地补偿款未发放", "拖欠农民工工资", "老旧小区加装电梯纠纷", "宅基地确权争议"]):
        case = register_case(title=title)
        perform(case=case, action="accept", actor=people["dengji"])
        perform(case=case, action="assign", actor=people["dengji"], unit="341122100" if i < 3 else "341122-ZJJ")
        perform(case=case, action="start", actor=people["cg_fuzeren" if i < 3 else "zj_fuzeren"])
        held.append(case)
    own = register_case(title="信访局自办积案")
    perform(case=own, action="accept", actor=people["dengji"])
    campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=[c.number for c in held] + [own.number])
    for case in held[:2]:
        perform(case=case, action="report", actor=people["cg_fuzeren"], **REPORT)
        perform(case=case, action="approve", actor=people["fuzeren"])
    entry = campaigns.entry_for(people["ducha"], campaign, held[0].number)
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=held[0].replies.get().pk,
                          text="补偿款已足额发放，信访人签字认可")
    return campaign, held


def test_the_wall_chart_moves_when_a_case_is_cleared_off(live_server, wall, staff_page):
    from playwright.sync_api import expect

    campaign, held = wall
    chart_url = f"{live_server.url}/supervision/campaigns/{campaign.pk}/chart/"

    # The leader reads the wall chart: 0 of 5 cleared against 36% of the time gone.
    page, errors = staff_page("lingdao")
    via_menu(page, "积案化解")
    expect(page.get_by_test_id("campaign-row")).to_have_count(1)
    page.get_by_role("link", name="挂图作战").click()
    expect(page.get_by_role("heading", name=f"挂图作战：{campaign.name}")).to_be_visible()
    expect(page.get_by_test_id("overall-rate")).to_have_text("0.0%")
    expect(page.locator("#unit-chart svg")).to_be_visible()
    expect(page.locator("#unit-chart")).to_contain_text("按序时进度应销号")
    expect(page.locator("#unit-chart")).to_contain_text("城关镇人民政府")
    expect(page.locator("#overall-chart")).to_contain_text("时间进度 36%")
    page.screenshot(path=str(SCREENS / "campaign-wall-chart.png"), full_page=True)

    # The unit's clear-off form: the evidence of this case to choose from.
    unit, unit_errors = staff_page("cg_fuzeren")
    unit.goto(f"{live_server.url}/supervision/campaigns/{campaign.pk}/")
    row = unit.locator(f"#case-{held[1].number}")
    row.get_by_text("申请销号").click()
    select = row.get_by_label("化解依据（须为本事项的）")
    expect(select.locator("option")).to_have_count(2)
    select.select_option(index=1)
    row.get_by_label("化解情况").fill("工资已全部结清")
    unit.screenshot(path=str(SCREENS / "campaign-clear-off-form.png"), full_page=True)
    row.get_by_role("button", name="提交销号申请").click()
    expect(unit.get_by_text(f"{held[1].number} 已申请销号，等待审核。")).to_be_visible()
    expect(unit.locator(f"#case-{held[1].number}")).to_contain_text("销号待审核")
    # Cases of other units are not shown to it.
    expect(unit.get_by_test_id("entry")).to_have_count(3)

    # The leader approves one clear-off; the chart moves to 1 of 5 = 20%.
    page.goto(f"{live_server.url}/supervision/campaigns/{campaign.pk}/")
    page.locator(f"#case-{held[0].number}").get_by_role("button", name="同意销号").click()
    expect(page.get_by_text(f"{held[0].number} 已销号。")).to_be_visible()
    page.goto(chart_url)
    expect(page.get_by_test_id("overall-rate")).to_have_text("20.0%")
    expect(page.get_by_test_id("overall-cleared")).to_have_text("1")
    page.screenshot(path=str(SCREENS / "campaign-wall-chart-after.png"), full_page=True)
    page.get_by_test_id("overall-cleared").click()
    expect(page.get_by_test_id("entry")).to_have_count(1)
    assert errors == [] and unit_errors == []
