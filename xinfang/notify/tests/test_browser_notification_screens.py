"""The bell in the navigation bar, the centre, the preferences and the administrator's
failed messages, in Debian's Chromium. Screenshots: var/screens/notify-*.png."""

import pytest

from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.notify import services
from xinfang.notify.kinds import Status
from xinfang.notify.models import OutboundMessage
from xinfang.org.sample import build_people, build_units

pytestmark = BROWSER_TEST


@pytest.fixture
def screen_people(transactional_db):
    people = build_people(build_units(), password=PASSWORD)
    services.inform([people["guanli"]], kind="assigned", title="新的待办：341122-XFJ-2026-00012 征地补偿款未发放",
                    body="县信访局交办，请于2026年12月18日前答复。", link="/work/", key="a")
    services.inform([people["guanli"]], kind="due_soon", title="期限临近：341122-XFJ-2026-00007 还剩2天", link="/work/", key="b")
    services.inform([people["guanli"]], kind="system", title="系统将于周六22:00维护", key="c")
    message = services.queue("sms", "13800000001", kind="case_step", body="【信访】您的信访事项（编号341122-XFJ-2026-00012）已于2026年12月2日受理。")
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.GIVEN_UP, attempts=5,
                                                          last_error="短信网关超时（10秒）/ The SMS gateway did not answer within 10 s.")
    return people


def test_the_bell_the_centre_and_the_outbox(live_server, screen_people, staff_page):
    from playwright.sync_api import expect

    page, errors = staff_page("guanli")
    expect(page.get_by_test_id("unread-count")).to_have_text("3")
    page.screenshot(path=str(SCREENS / "notify-bell.png"), clip={"x": 700, "y": 0, "width": 666, "height": 60})
    page.get_by_test_id("notify-bell").click()
    expect(page.get_by_role("heading", name="通知")).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(3)
    page.screenshot(path=str(SCREENS / "notify-centre.png"), full_page=True)
    page.get_by_role("link", name="新的待办：341122-XFJ-2026-00012 征地补偿款未发放").click()
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    page.goto(live_server.url + "/notify/")
    page.get_by_test_id("mark-all").click()
    expect(page.get_by_test_id("centre-unread")).to_have_text("0 条未读")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    page.goto(live_server.url + "/notify/preferences/")
    page.get_by_label("新的待办事项").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("您的账号没有电子邮箱地址，无法通过邮件接收通知")).to_be_visible()
    page.screenshot(path=str(SCREENS / "notify-preferences.png"), full_page=True)
    page.goto(live_server.url + "/notify/outbox/")
    expect(page.get_by_test_id("outbox-row")).to_have_count(1)
    page.screenshot(path=str(SCREENS / "notify-outbox.png"), full_page=True)
    page.get_by_test_id("retry").click()
    expect(page.get_by_text("没有发送失败的消息")).to_be_visible()
    assert errors == []


def test_declining_sms_on_the_register_form_and_the_public_form(live_server, screen_people, staff_page, browser):
    from playwright.sync_api import expect

    page, errors = staff_page("dengji")
    page.goto(live_server.url + "/register/?channel=visit")
    box = page.get_by_label("第1人不接收短信通知")
    expect(box).to_be_visible()
    box.check()
    page.locator("table:has(th:text('不收短信'))").screenshot(path=str(SCREENS / "notify-register-sms-opt-out.png"))
    public = browser.new_page(viewport={"width": 1000, "height": 900}, locale="zh-CN")
    public.goto(live_server.url + "/portal/submit/")
    expect(public.get_by_label("不接收短信通知")).to_be_visible()
    public.locator("#identity-fields").screenshot(path=str(SCREENS / "notify-portal-sms-opt-out.png"))
    assert errors == []
