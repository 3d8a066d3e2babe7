"""A letter's way to the public site, in Debian's Chromium: the bureau's clerk issues the
query code on the case page and prints the receipt; the head answers in writing with
the signed opinion attached; the petitioner, on a phone, follows the case with the code
and the last four digits of the phone and downloads the opinion. Screenshots of every
screen go to /tmp/xf_portal_shots/ for a person to look at."""

import re
from pathlib import Path

import pytest

from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units
from xinfang.portal.models import Submission

from .test_reply_documents import PDF

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}

pytestmark = BROWSER_TEST


@pytest.fixture
def letter(transactional_db):
    units = build_units()
    people = build_people(units, password=PASSWORD)
    petition, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], kind="grievance", title="征地补偿款未发放",
        content="本人承包地于去年被征收，补偿款至今未发放到位，请求督促发放。",
        petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "城关镇东街1号"}]))
    return case


def test_a_clerk_issues_a_code_for_a_letter_and_the_petitioner_downloads_the_written_reply(live_server, letter, browser):
    from playwright.sync_api import expect

    SCREENS.mkdir(parents=True, exist_ok=True)
    url, number = live_server.url, letter.number
    problems = []

    def watch(page):
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("console", lambda msg: problems.append(f"{msg.text} {msg.location.get('url', '')}") if msg.type == "error" else None)
        return page

    staff = browser.new_context(viewport=DESK, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = watch(staff.new_page())

    def shot(name, on=None):
        (on or page).screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)

    def log_in(username):
        page.goto(url + "/")
        expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.get_by_role("heading", name="我的工作")).to_be_visible()

    # 1. The clerk who registered the letter opens the case: no code yet, a button to make one.
    log_in("dengji")
    page.goto(f"{url}/cases/{number}/")
    card = page.get_by_test_id("query-code-card")
    expect(card).to_contain_text("网上查询码")
    expect(page.get_by_test_id("issue-query-code")).to_contain_text("生成查询码")
    shot("01-staff-case-page")

    # 2. Issue it: the receipt, with the code shown this once, ready to print.
    page.get_by_test_id("issue-query-code").click()
    expect(page.get_by_role("heading", name="信访事项查询凭证")).to_be_visible()
    code = page.get_by_test_id("query-code").inner_text().strip()
    assert re.fullmatch(r"XF(-[0-9A-Z]{4}){4}", code), code
    expect(page.get_by_test_id("case-number")).to_have_text(number)
    expect(page.get_by_test_id("follow-url")).to_have_text(url + "/portal/follow/")
    expect(page.get_by_test_id("receipt")).to_contain_text("办理并书面答复")
    expect(page.get_by_test_id("issued-notice")).to_contain_text("只显示这一次")
    shot("02-staff-receipt")
    page.emulate_media(media="print")
    expect(page.locator(".app-navbar")).to_be_hidden()
    expect(page.get_by_test_id("issued-notice")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    shot("03-staff-receipt-print")
    page.emulate_media(media="screen")
    assert Submission.objects.get(case__number=number).issued_by.username == "dengji"

    # 3. Back on the case page the code is on record (never shown again), with a re-issue button.
    page.goto(f"{url}/cases/{number}/")
    expect(page.get_by_test_id("query-code-state")).to_contain_text("由王登记生成")
    expect(page.get_by_test_id("issue-query-code")).to_contain_text("重新生成查询码")
    expect(page.locator("body")).not_to_contain_text(code)
    page.click(".action-bar [data-action=accept]")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("已受理")
    page.click("button:has-text('退出')")

    # 4. The bureau's head answers in writing and attaches the signed opinion.
    log_in("fuzeren")
    page.goto(f"{url}/cases/{number}/")
    page.click(".action-bar [data-action=reply]")
    expect(page.locator("#action-card form")).to_be_visible()
    page.click("label[for=id_reply-outcome_0]")  # 支持
    page.fill("#id_reply-request_summary", "要求发放征地补偿款")
    page.fill("#id_reply-facts", "经核实，补偿款因村组分配方案未定而滞留。")
    page.fill("#id_reply-opinion", "责成村委会十日内按方案发放到户。")
    page.fill("#id_reply-legal_basis", "《土地管理法》第四十八条")
    page.set_input_files("#id_reply-documents", files=[{"name": "信访事项处理意见书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    shot("04-staff-reply-with-document")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("已答复")
    expect(page.get_by_test_id("reply-documents")).to_contain_text("信访事项处理意见书.pdf")
    shot("05-staff-case-replied")
    staff.close()

    # 5. The petitioner, on a phone, follows the case with the code from the paper.
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
                                timezone_id="Asia/Shanghai", accept_downloads=True)
    mobile = watch(phone.new_page())
    mobile.goto(url + "/portal/follow/")
    mobile.fill("#id_code", code.lower().replace("-", " "))
    mobile.fill("#id_verify", "0001")
    shot("06-petitioner-follow-form", mobile)
    mobile.click("form.portal-form button[type=submit]")
    expect(mobile.get_by_test_id("case-status")).to_have_text("已书面答复")
    expect(mobile.get_by_test_id("reply")).to_contain_text("责成村委会十日内按方案发放到户")
    expect(mobile.get_by_test_id("deadlines")).to_contain_text("按期完成")
    expect(mobile.get_by_test_id("deadlines")).to_contain_text("申请复查")
    expect(mobile.get_by_test_id("reply-documents")).to_contain_text("信访事项处理意见书.pdf")
    for private in ("刘某", "13800000001", "11010519491231002X", "张局长", "王登记"):
        expect(mobile.locator("body")).not_to_contain_text(private)
    shot("07-petitioner-status", mobile)

    # 6. ...and downloads the signed opinion.
    with mobile.expect_download() as started:
        mobile.get_by_test_id("reply-documents").get_by_role("link").first.click()
    download = started.value
    assert download.suggested_filename == "信访事项处理意见书.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # 7. The same page in English.
    mobile.get_by_role("button", name="English").click()
    expect(mobile.get_by_test_id("case-status")).to_have_text("Answered in writing")
    expect(mobile.get_by_test_id("reply-documents")).to_contain_text("Documents of the reply")
    shot("08-petitioner-status-english", mobile)
    phone.close()

    assert problems == [], problems
