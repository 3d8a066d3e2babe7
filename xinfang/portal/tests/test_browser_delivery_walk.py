"""Delivery (送达) end to end, in Debian's Chromium: the bureau accepts an online petition
(the 受理告知书 on the case page and on the petitioner's follow page), answers it, and
records that the written answer was delivered by post with the scanned delivery
receipt; the petitioner's phone then shows the review window counted from that day.
Documents are found on the pages by their kind's name. Until cases/paperwork.py issues
them, documents/tests/factories stands in for it. Screenshots: var/screens/delivery-*.png."""


import pytest

from xinfang.cases import clock
from xinfang.cases.models import Case
from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.documents.tests import factories
from xinfang.org.sample import build_people, build_units
from xinfang.portal import services
from xinfang.portal.captcha import new_challenge

from .conftest import REPLY, submission_in

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_TEST


@pytest.fixture
def county(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    units = build_units()
    return build_people(units, password=PASSWORD)


def test_accept_reply_deliver_by_post_and_the_portal_counts_the_window_from_delivery(live_server, county, browser, staff_page,
                                                                                     tmp_path):
    from playwright.sync_api import expect

    challenge = new_challenge()
    receipt = services.submit(data=submission_in(), captcha_key=challenge.key, captcha_answer=challenge.answer)
    number = receipt.case.number

    # The petitioner's phone: the follow page, opened with the query code.
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
                                timezone_id="Asia/Shanghai").new_page()
    phone.set_default_timeout(15_000)
    phone_errors = []
    phone.on("pageerror", lambda exc: phone_errors.append(str(exc)))

    def follow():
        phone.goto(live_server.url + "/portal/follow/")
        if phone.locator("#id_code").count():
            phone.fill("#id_code", receipt.code)
            if phone.locator("#id_verify").count():
                phone.fill("#id_verify", "0001")
            phone.get_by_role("button", name="查询", exact=True).click()
        expect(phone.get_by_test_id("case-status")).to_be_visible()

    # 1. The registrar accepts it on the case page.
    page, errors = staff_page("dengji")
    page.goto(f"{live_server.url}/cases/{number}/")
    page.locator("[data-action=accept]").click()
    page.get_by_role("button", name="确认受理").click()
    expect(page.get_by_text(f"已受理：{number}")).to_be_visible()
    case = Case.objects.get(number=number)
    factories.notice(case, "accept_notice")  # paperwork.py will issue it with the acceptance
    page.reload()
    documents = page.get_by_test_id("documents")
    accept_row = documents.locator("tr[data-testid=document]", has_text="受理告知书")
    expect(accept_row).to_be_visible()
    expect(accept_row.get_by_test_id("delivery-state")).to_have_text("待送达")

    follow()
    notices = phone.get_by_test_id("notices")
    expect(notices.locator("li", has_text="受理告知书")).to_be_visible()

    # 2. The head replies; the written answer is issued (stand-in) and not yet delivered.
    case = perform(case=number, action="reply", actor=county["fuzeren"], **REPLY)
    factories.answer(case)
    page.close()
    page, errors = staff_page("fuzeren")
    page.goto(f"{live_server.url}/cases/{number}/")
    expect(page.get_by_test_id("pending-delivery")).to_be_visible()
    answer_row = page.get_by_test_id("documents").locator("tr[data-testid=document]", has_text="信访处理意见书")
    expect(answer_row.get_by_test_id("delivery-state")).to_have_text("待送达")

    follow()
    expect(phone.locator("[data-deadline=review_window]")).to_contain_text("待送达")

    # 3. Delivered by post: the receipt signed, scanned and uploaded. First without the
    # scan: refused, what was typed kept.
    today = clock.as_date()
    answer_row.get_by_test_id("deliver-link").click()
    form = page.get_by_test_id("action-form")
    expect(form).to_be_visible()
    form.locator("label", has_text="邮寄送达").click()
    page.fill("#id_deliver-delivered_on", today.isoformat())
    page.fill("#id_deliver-recipient", "刘某")
    page.get_by_role("button", name="确认送达").click()
    expect(page.get_by_test_id("action-error")).to_contain_text("邮寄送达须上传送达回证扫描件")
    expect(page.locator("#id_deliver-recipient")).to_have_value("刘某")
    page.set_input_files("#id_deliver-proof", files=[{"name": "送达回证.pdf", "mimeType": "application/pdf", "buffer": factories.PDF}])
    page.get_by_role("button", name="确认送达").click()
    expect(page.get_by_text(f"已送达：{number}")).to_be_visible()
    answer_row = page.get_by_test_id("documents").locator("tr[data-testid=document]", has_text="信访处理意见书")
    expect(answer_row.get_by_test_id("delivery-state")).to_contain_text(f"邮寄送达 {today.isoformat()}")
    expect(answer_row.get_by_test_id("delivery-proof")).to_have_text("送达回证.pdf")
    window = clock.days_after(today, 30).date
    expect(page.get_by_test_id("deadlines")).to_contain_text(window.isoformat())
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("documents").screenshot(path=str(SCREENS / "delivery-case-page-documents.png"))
    page.screenshot(path=str(SCREENS / "delivery-case-page.png"), full_page=True)
    assert errors == []

    # 4. The petitioner's phone: the window from the delivery date.
    follow()
    opinion = phone.get_by_test_id("notices").locator("li", has_text="信访处理意见书")
    expect(opinion.get_by_test_id("delivery-state")).to_contain_text("邮寄送达")
    expect(opinion.get_by_test_id("delivery-state")).to_contain_text(f"{today.year}年{today.month}月{today.day}日")
    row = phone.locator("[data-deadline=review_window]")
    expect(row).to_contain_text(f"{window.year}年{window.month}月{window.day}日")
    expect(row).to_contain_text("您可在此日期前提出")
    phone.screenshot(path=str(SCREENS / "delivery-portal-follow-phone.png"), full_page=True)
    assert Case.objects.get(number=number).review_window_end == window
    assert phone_errors == []
