"""The whole follow-through walk of issue 13 in Debian's Chromium, as the people who do
it: the county's supervisor supervises a case held by a township; the sweep's reminder
reaches the township's notification centre; the township reports, is sent back, reports
again and is accepted; the case, answered, is cleared off in the county's backlog
campaign and the wall chart moves. Screenshots: var/screens/follow-through-*.png."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases.choices import ObligationKind, ObligationStatus
from xinfang.cases.models import Obligation
from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, SCREENS
from xinfang.supervision import campaigns, sweeps
from xinfang.supervision.models import Reminder

from .campaign_fixtures import REPORT

pytestmark = BROWSER_TEST


@pytest.fixture
def held(live_server, people, register_case, settings, tmp_path):
    """A case the county bureau assigned to 城关镇, which started on it."""
    settings.MEDIA_ROOT = tmp_path
    case = register_case(title="青石桥危桥改造迟迟未动工")
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    return perform(case=case, action="start", actor=people["cg_chengban"])


def test_supervise_remind_report_send_back_accept_and_clear_off(live_server, held, people, units, staff_page):
    from playwright.sync_api import expect

    case = held
    url = live_server.url
    due = timezone.localdate() + datetime.timedelta(days=1)

    # The county's supervisor opens a 重点督办 item on the case from its page.
    boss, boss_errors = staff_page("ducha")
    boss.goto(f"{url}/cases/{case.number}/")
    boss.get_by_test_id("supervise-button").click()
    boss.locator("#s-unit").select_option("341122100")
    boss.get_by_label("重点督办").check()
    boss.get_by_label("督办要求").fill("请于明日前报告危桥改造的开工安排。")
    boss.get_by_label("报告期限").fill(due.isoformat())
    boss.get_by_role("button", name="立项并生成督办单").click()
    item = Obligation.objects.get(case=case, kind=ObligationKind.SUPERVISION)
    boss.goto(f"{url}/cases/{case.number}/")
    expect(boss.get_by_test_id("case-supervision")).to_contain_text("重点督办")

    # The sweep finds the item due within three working days: the township hears of it.
    sweeps.run()
    assert Reminder.objects.filter(obligation=item).count() == 1
    clerk, clerk_errors = staff_page("cg_chengban")
    clerk.goto(f"{url}/notify/")
    expect(clerk.locator("body")).to_contain_text("临期提醒")
    clerk.screenshot(path=str(SCREENS / "follow-through-reminder.png"), full_page=True)

    # The township reports its result from 督办待办.
    clerk.get_by_test_id("nav-owed").click()
    clerk.locator(f'[data-obligation="{item.pk}"] a').first.click()
    clerk.get_by_label("内容").fill("已委托设计单位出具方案，计划下月开工。")
    clerk.get_by_role("button", name="报送办理结果").click()
    expect(clerk.get_by_test_id("obligation-status")).to_have_text("待审核")

    # The supervisor sends it back for more work, with a reason.
    boss.goto(f"{url}/supervision/obligations/{item.pk}/")
    boss.get_by_label("退回理由").fill("未写明开工日期和资金来源。")
    boss.get_by_role("button", name="退回补办").click()
    expect(boss.get_by_test_id("obligation-status")).to_have_text("待办理")

    # The township reports again; the supervisor accepts.
    clerk.goto(f"{url}/supervision/obligations/{item.pk}/")
    clerk.get_by_label("内容").fill("定于12月20日开工，资金由县交通局专项列支。")
    clerk.get_by_role("button", name="报送办理结果").click()
    expect(clerk.get_by_test_id("obligation-status")).to_have_text("待审核")
    boss.goto(f"{url}/supervision/obligations/{item.pk}/")
    boss.get_by_role("button", name="审核通过").click()
    expect(boss.get_by_test_id("obligation-status")).to_have_text("已办结")
    boss.screenshot(path=str(SCREENS / "follow-through-accepted.png"), full_page=True)
    item.refresh_from_db()
    assert item.status == ObligationStatus.ACCEPTED and item.sent_back_count == 1

    # The case is answered through its report-back, and cleared off in the campaign.
    perform(case=case, action="report", actor=people["cg_fuzeren"], **REPORT)
    perform(case=case, action="approve", actor=people["fuzeren"])
    today = timezone.localdate()
    campaign = campaigns.create(actor=people["ducha"], name="冬季信访积案化解行动", unit=units["county"],
                                starts_on=today - datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=50),
                                leader=people["lingdao"])
    campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=[case.number])
    leader, leader_errors = staff_page("lingdao")
    leader.goto(f"{url}/supervision/campaigns/{campaign.pk}/chart/")
    expect(leader.get_by_test_id("overall-rate")).to_have_text("0.0%")

    head, head_errors = staff_page("cg_fuzeren")
    head.goto(f"{url}/supervision/campaigns/{campaign.pk}/")
    row = head.locator(f"#case-{case.number}")
    row.get_by_text("申请销号").click()
    row.get_by_label("化解依据（须为本事项的）").select_option(index=1)
    row.get_by_label("化解情况").fill("危桥已纳入改造计划并开工，信访人认可")
    row.get_by_role("button", name="提交销号申请").click()
    expect(head.locator(f"#case-{case.number}")).to_contain_text("销号待审核")

    leader.goto(f"{url}/supervision/campaigns/{campaign.pk}/")
    leader.locator(f"#case-{case.number}").get_by_role("button", name="同意销号").click()
    expect(leader.get_by_text(f"{case.number} 已销号。")).to_be_visible()
    leader.goto(f"{url}/supervision/campaigns/{campaign.pk}/chart/")
    expect(leader.get_by_test_id("overall-rate")).to_have_text("100.0%")
    leader.screenshot(path=str(SCREENS / "follow-through-wall-chart.png"), full_page=True)
    assert boss_errors == clerk_errors == leader_errors == head_errors == []
