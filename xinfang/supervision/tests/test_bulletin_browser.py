"""A supervisor generates and publishes a bulletin, a township reads it and follows a
figure to its list, the supervisor sees the receipt: in Debian's Chromium.
Screenshots: var/screens/bulletin-*.png."""

import pytest

from xinfang.conftest import BROWSER_TEST, SCREENS
from xinfang.supervision.tests.browsing import via_menu

from .bulletin_world import world  # noqa: F401 - the fixture

pytestmark = BROWSER_TEST


def test_generate_publish_read_and_the_receipt(live_server, world, staff_page):
    from playwright.sync_api import expect

    page, errors = staff_page("ducha")
    via_menu(page, "通报")
    expect(page.get_by_role("heading", name="通报", exact=True)).to_be_visible()
    page.get_by_role("link", name="生成通报").click()
    page.select_option("#b-kind", "custom")
    page.fill("#b-start", world["start"].isoformat())
    page.fill("#b-end", world["end"].isoformat())
    page.fill("#b-note", "请被通报单位对照所列事项逐件核查，限期办结并书面报告。")
    page.screenshot(path=str(SCREENS / "bulletin-new.png"), full_page=True)
    page.get_by_role("button", name="生成草稿").click()
    expect(page.get_by_test_id("bulletin-line")).to_have_count(3)
    expect(page.get_by_test_id("bulletin-total")).to_contain_text("合计")
    page.get_by_test_id("publish").click()
    expect(page.get_by_text("通报已发布")).to_be_visible()
    expect(page.get_by_test_id("receipt")).to_have_count(3)

    township, township_errors = staff_page("qs_fuzeren")
    via_menu(township, "通报")
    expect(township.get_by_test_id("unread-badge")).to_have_count(1)
    township.screenshot(path=str(SCREENS / "bulletin-list-township.png"), full_page=True)
    township.get_by_test_id("bulletin-row").get_by_role("link").first.click()
    expect(township.get_by_text("已记录本单位阅读回执")).to_be_visible()
    township.screenshot(path=str(SCREENS / "bulletin-township-reads.png"), full_page=True)
    township.locator('[data-testid="bulletin-line"][data-unit="341122200"] a[data-figure="reminded"]').click()
    expect(township.get_by_test_id("figure-item")).to_have_count(2)
    expect(township.get_by_test_id("figure-count")).to_have_text("2")
    township.screenshot(path=str(SCREENS / "bulletin-figure.png"), full_page=True)

    page.reload()
    qingshan = page.locator('[data-testid="receipt"][data-unit="341122200"]')
    expect(qingshan).to_contain_text("已读")
    expect(qingshan).to_contain_text("冯乡长")
    page.screenshot(path=str(SCREENS / "bulletin-supervisor.png"), full_page=True)
    via_menu(page, "通报")
    expect(page.get_by_test_id("receipt-count")).to_contain_text("已读 2/3")
    page.screenshot(path=str(SCREENS / "bulletin-list-supervisor.png"), full_page=True)
    assert errors == [] and township_errors == []
