"""Supervision items in Debian's Chromium: the supervisor's desk, a township's 督办待办,
reporting a result on an item's page, the supervisor sending it back and accepting it.
Screenshots: var/screens/supervision-items-*.png."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units
from xinfang.supervision import items

pytestmark = BROWSER_TEST


def _assigned(people, units, title, unit):
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], title=title, content=f"{title}，请求尽快解决。", kind="grievance",
        received_at=timezone.now() - datetime.timedelta(days=3), confirm_late=True,
        petitioners=[{"name": "刘某", "phone": "13800000001"}]))
    perform(case=case, action="accept", actor=people["dengji"])
    return perform(case=case, action="assign", actor=people["dengji"], unit=unit)


@pytest.fixture
def supervised(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    units = build_units()
    people = build_people(units, password=PASSWORD)
    today = timezone.localdate()
    first = _assigned(people, units, "征地补偿款未发放到户", "341122100")
    row, _ = items.open_item(case=first, actor=people["ducha"], level="listed", unit="341122100", responsible="cg_chengban",
                             requirement="请成立专班，十日内核实补偿款发放情况并书面报告。", due_date=today + datetime.timedelta(days=10))
    items.report_on(row, actor=people["cg_chengban"], text="已约见信访人，正在会同村委会核实。")
    second = _assigned(people, units, "小区供暖不达标", "341122-ZJJ")
    items.open_item(case=second, actor=people["ducha"], level="key", unit="341122-ZJJ", requirement="请于一周内报告整改情况。",
                    due_date=today + datetime.timedelta(days=7))
    third = _assigned(people, units, "拖欠农民工工资", "341122100")
    items.open_item(case=third, actor=people["fuzeren"], level="general", unit="341122100", requirement="请按期报告。",
                    due_date=today + datetime.timedelta(days=3))
    return {"people": people, "item": row, "case": first}


def test_the_desk_the_unit_side_and_an_item_after_a_report(live_server, supervised, staff_page):
    from playwright.sync_api import expect

    item = supervised["item"]
    page, errors = staff_page("ducha")
    page.get_by_test_id("nav-supervision").locator("a.dropdown-toggle").click()
    page.get_by_role("link", name="督查督办台").click()
    expect(page.get_by_role("heading", name="督查督办台")).to_be_visible()
    expect(page.locator('[data-level-count="all"] .stat-value')).to_have_text("3")
    expect(page.get_by_test_id("desk-table").locator("tbody tr")).to_have_count(3)
    page.screenshot(path=str(SCREENS / "supervision-items-desk.png"), full_page=True)
    page.locator('[data-level-count="listed"]').click()
    expect(page.get_by_test_id("desk-table").locator("tbody tr")).to_have_count(1)

    clerk, clerk_errors = staff_page("cg_chengban")
    expect(clerk.get_by_test_id("owed-count")).to_have_text("4")  # two items and two report-backs of 城关镇
    clerk.get_by_test_id("nav-owed").click()
    expect(clerk.get_by_role("heading", name="督办待办")).to_be_visible()
    clerk.screenshot(path=str(SCREENS / "supervision-items-owed.png"), full_page=True)
    clerk.locator(f'[data-obligation="{item.pk}"] a').first.click()
    clerk.get_by_label("内容").fill("补偿款已全部发放到户，附发放清单。")
    clerk.get_by_role("button", name="报送办理结果").click()
    expect(clerk.get_by_text("报告已提交")).to_be_visible()
    expect(clerk.get_by_test_id("obligation-status")).to_have_text("待审核")
    expect(clerk.get_by_test_id("entries").locator("li")).to_have_count(3)
    clerk.screenshot(path=str(SCREENS / "supervision-items-reported.png"), full_page=True)

    page.goto(f"{live_server.url}/supervision/obligations/{item.pk}/")
    page.get_by_label("退回理由").fill("未附信访人签字的反馈材料。")
    page.get_by_role("button", name="退回补办").click()
    expect(page.get_by_text("已退回补办")).to_be_visible()
    expect(page.get_by_test_id("obligation-status")).to_have_text("待办理")
    page.screenshot(path=str(SCREENS / "supervision-items-sent-back.png"), full_page=True)
    page.goto(f"{live_server.url}/cases/{supervised['case'].number}/")
    expect(page.get_by_test_id("case-supervision")).to_contain_text("挂牌督办")
    page.get_by_test_id("case-supervision").screenshot(path=str(SCREENS / "supervision-items-case.png"))
    page.get_by_test_id("supervise-button").click()
    expect(page.get_by_test_id("open-items")).to_be_visible()
    page.screenshot(path=str(SCREENS / "supervision-items-supervise-form.png"), full_page=True)
    assert errors == [] and clerk_errors == []
