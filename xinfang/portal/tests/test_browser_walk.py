"""A petitioner on a phone, in Debian's Chromium: submits a grievance (first with
mistakes), keeps the receipt, follows the case by its code with the keyboard alone,
sees the staff's written reply, evaluates it and asks for review. Screenshots of every
screen go to var/screens/portal-*.png for a person to look at."""

import io
import re

import pytest
from PIL import Image

from xinfang.cases.models import CaseEvent
from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.models import Attachment
from xinfang.org.sample import build_people, build_units
from xinfang.portal.models import Challenge

from .conftest import REPLY

PHONE = {"width": 390, "height": 844}

pytestmark = BROWSER_TEST


@pytest.fixture
def county(transactional_db):
    units = build_units()
    return build_people(units, password=PASSWORD)


def photo_with_gps():
    img = Image.new("RGB", (640, 480), (90, 140, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 5.0), 3: "E", 4: (117.0, 2.0, 9.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_petitioner_submits_follows_evaluates_and_asks_for_review_on_a_phone(live_server, county, browser):
    from playwright.sync_api import expect

    SCREENS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    # Console errors catch Content-Security-Policy violations and missing files; a form
    # answered 4xx on purpose (the mistakes below) is neither.
    def on_console(msg):
        refused_form = "status of 4" in msg.text and msg.location.get("url", "").endswith(("/portal/submit/", "/portal/follow/"))
        if msg.type == "error" and not refused_form:
            problems.append(f"{msg.text} {msg.location.get('url', '')}")

    page.on("console", on_console)
    url = live_server.url

    def shot(name):
        page.screenshot(path=str(SCREENS / f"portal-{name}.png"), full_page=True)

    def solve_captcha():
        key = page.locator("input[name=captcha_key]").input_value()
        page.fill("#id_captcha", Challenge.objects.get(key=key).answer)

    # 1. The home page.
    page.goto(url + "/portal/")
    expect(page.get_by_role("heading", name="网上信访")).to_be_visible()
    shot("01-home")

    # 2. The form, first with mistakes: a grievance without a phone, too short, no consent.
    page.get_by_role("link", name="我要反映").first.click()
    expect(page.get_by_role("heading", name="我要反映")).to_be_visible()
    shot("02-submit-empty")
    page.check("#id_kind_0")  # 申诉求决
    page.fill("#id_name", "刘某")
    page.fill("#id_content", "补偿款没发")
    page.fill("#id_place", "城关镇东街")
    solve_captcha()
    page.click("#submit-form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_phone_error")).to_contain_text("申诉求决类事项请留下手机号码")
    expect(page.locator("#id_consent_error")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("刘某")
    expect(page.locator("#id_place")).to_have_value("城关镇东街")
    shot("03-submit-errors")

    # 3. Corrected, with a photo that carries a GPS position.
    page.fill("#id_phone", "13800000001")
    page.select_option("#id_unit", "341122100")
    page.fill("#id_content", "我家承包地去年被征收，村里至今没有发放征地补偿款，多次找村委会无果，请求尽快发放。")
    page.set_input_files("#id_attachments", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}])
    page.check("#id_consent")
    if not page.locator("#id_captcha").input_value():
        solve_captcha()
    shot("04-submit-filled")
    page.click("#submit-form button[type=submit]")
    expect(page.get_by_role("heading", name="网上信访登记回执")).to_be_visible()
    code = page.get_by_test_id("query-code").inner_text().strip()
    assert re.fullmatch(r"XF(-[0-9A-Z]{4}){4}", code), code
    number = page.get_by_test_id("case-number").inner_text().strip()
    shot("05-receipt")
    attachment = Attachment.objects.get(case__number=number)
    assert b"Exif" not in attachment.file.read()

    # 4. Following, with the keyboard alone: Tab to the code field, type, Enter.
    page.goto(url + "/portal/follow/")
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == "id_code":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the query code field cannot be reached with Tab")
    page.keyboard.type(code.lower())
    page.keyboard.press("Tab")
    page.keyboard.type("0002")  # a slip of the finger first
    shot("06a-follow-form")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_contain_text("查询码或验证信息不正确")
    expect(page.locator("#id_code")).to_have_value(code.lower())
    shot("06b-follow-wrong-digits")
    page.fill("#id_verify", "")
    page.focus("#id_verify")
    page.keyboard.type("0001")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("case-status")).to_have_text("已登记，等待受理")
    expect(page.get_by_test_id("deadlines")).to_contain_text("告知是否受理")
    shot("06-status-registered")

    # 5. The township answers in writing (staff work, done here through the services).
    people = county
    perform(case=number, action="accept", actor=people["cg_fuzeren"], note="内部：请郑承办核实")
    perform(case=number, action="reply", actor=people["cg_fuzeren"], **REPLY)
    page.reload()
    expect(page.get_by_test_id("case-status")).to_have_text("已书面答复")
    expect(page.get_by_test_id("reply")).to_contain_text(REPLY["opinion"])
    expect(page.locator("body")).not_to_contain_text("内部：请郑承办核实")
    shot("07-status-replied")

    # 6. The petitioner is not satisfied, says why, then asks for review.
    page.check("#id_satisfaction_2")  # 不满意
    page.fill("#id_comment", "补偿标准偏低")
    page.click("#evaluate-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("感谢您的评价")
    expect(page.get_by_test_id("evaluations")).to_contain_text("不满意")
    shot("08-evaluated")
    page.fill("#id_reasons", "补偿标准低于县政府公布的标准，请求复查。")
    shot("09-review-form")
    page.click("#review-form button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("复查中")
    expect(page.get_by_test_id("review-reason")).to_contain_text("请等待答复")
    expect(page.get_by_test_id("evaluate-reason")).to_contain_text("上一级机关作出答复后，可以评价该答复")
    shot("10-review-requested")
    events = list(CaseEvent.objects.filter(case__number=number, action__in=["evaluate", "review"]).values_list("action", "actor", "data"))
    assert [(a, actor, d["by"]) for a, actor, d in events] == [("evaluate", None, "petitioner"), ("review", None, "petitioner")]

    # 7. Information pages and the English switch.
    page.goto(url + "/portal/guide/")
    shot("11-guide")
    page.goto(url + "/portal/figures/")
    expect(page.get_by_test_id("figure-total")).to_have_text("1")
    shot("12-figures")
    page.goto(url + "/portal/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Online Petitions")).to_be_visible()
    shot("13-home-english")
    page.goto(url + "/portal/follow/")
    shot("14-status-english")

    assert problems == [], problems
    context.close()
