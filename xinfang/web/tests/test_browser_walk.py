"""A clerk and a township head walk one collective visit through the real pages in
Debian's Chromium: register, accept, assign, the township's result report, the bureau's
approval (the answer), evaluate. Screenshots of every
screen go to var/screens/ for a person to look at."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

VENDOR = Path(settings.BASE_DIR) / "xinfang" / "static" / "vendor"
KNOWN_ID = "11010519491231002X"

pytestmark = BROWSER_TEST


@pytest.fixture
def walk_people(transactional_db):
    units = build_units()
    people = build_people(units, password=PASSWORD)
    # An earlier letter from the same petitioner, so the candidate panel has something to show.
    register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], kind="grievance", category="0101", title="征地补偿款未发放（来信）",
        content="去年承包地被征收，补偿款至今未发放。", petitioners=[{"name": "刘某", "id_number": KNOWN_ID, "phone": "13800000001"}]))
    # Two older letters, so the work list shows an overdue and a due-soon deadline. The
    # second's 15 days may end on a weekend and roll past the due-soon window: its
    # deadline is set two days out, so the badge does not depend on today's weekday.
    now = timezone.now()
    for days, title in [(40, "拖欠农民工工资"), (13, "小区噪声扰民")]:
        _, case = register(actor=people["dengji"], data=PetitionIn(
            channel="letter", receiving_unit=units["bureau"], kind="grievance", title=title, content=title + "，请求处理。",
            received_at=now - datetime.timedelta(days=days), petitioners=[{"name": "匿名"}], confirm_late=True))
    soon = timezone.localdate() + datetime.timedelta(days=2)
    Case.objects.filter(pk=case.pk).update(decide_due=soon, due_date=soon)
    return people


def badges():
    """What the work list must show for the two older letters: (title, badge text, css)."""
    today = timezone.localdate()
    late = Case.objects.get(title="拖欠农民工工资")
    assert late.days_left(today) < 0
    return [("拖欠农民工工资", f"超期{-late.days_left(today)}天", "text-bg-danger"), ("小区噪声扰民", "剩2天", "badge-due-soon")]


def test_a_collective_visit_walks_from_registration_to_evaluation(live_server, walk_people, browser):
    from playwright.sync_api import expect

    assert (VENDOR / "htmx" / "htmx.min.js").exists(), "front-end files missing: run `npm ci && python -m xinfang.web.vendor`"
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def shot(name):
        page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)

    def log_in(username):
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.get_by_role("heading", name="我的工作")).to_be_visible()

    def log_out():
        page.click("button:has-text('退出')")
        expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()

    def take(action, fill=None, screenshot=None, status=None):
        page.click(f".action-bar [data-action={action}]")
        expect(page.locator("#action-card form")).to_be_visible()
        if fill:
            fill()
        if screenshot:
            shot(screenshot)
        page.click("#action-card button[type=submit]")
        expect(page.get_by_test_id("case-status")).to_have_text(status)

    # 1. Log in as the county bureau's clerk.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    shot("01-login")
    page.fill("#id_username", "dengji")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("用户名或密码不正确")
    shot("01b-login-error")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    expect(page.get_by_test_id("user-name")).to_have_text("王登记")
    for title, text, css in badges():
        badge = page.locator("tr", has_text=title).locator("span.badge", has_text=text)
        expect(badge).to_be_visible()
        expect(badge).to_have_class(re.compile(css))
    shot("02-my-work")

    # 2. Register a visit of six people with two representatives; first with mistakes.
    page.click("nav >> text=登记")
    expect(page.get_by_role("heading", name="登记信访件")).to_be_visible()
    expect(page.locator("#id_channel_0")).to_be_focused()
    shot("03-register-empty")
    page.click("label[for=id_channel_1]")  # 来访
    expect(page.locator("#petitioner-rows tr")).to_have_count(5)
    expect(page.locator("#id_headcount")).to_be_visible()
    page.click("label[for=id_kind_2]")  # 申诉求决
    page.select_option("#id_category_top", "01")
    page.select_option("#id_category", "0101")
    page.fill("#id_content", "村民六人来访，反映去年承包地被征收，补偿款至今未发放到位。\n要求尽快发放。")
    page.fill("#id_headcount", "6")
    page.fill("#id_p-0-name", "刘某")
    page.fill("#id_p-0-id_number", "110105194912310021")  # wrong check digit
    page.fill("#id_p-0-phone", "13800000009")
    page.fill("#id_p-0-address", "城关镇东街1号")
    page.check("#id_p-0-is_representative")
    page.fill("#id_p-1-name", "陈某")
    page.fill("#id_p-1-phone", "13800000002")
    page.check("#id_p-1-is_representative")
    expect(page.locator("#candidates")).to_contain_text("第1行：身份证号校验位或出生日期不正确")
    page.click("#register-form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_title_error")).to_have_text("请填写标题")
    expect(page.locator("#id_p-0-id_number_error")).to_contain_text("身份证号校验位")
    expect(page.locator("#id_p-1-name")).to_have_value("陈某")
    expect(page.locator("#id_content")).to_have_value("村民六人来访，反映去年承包地被征收，补偿款至今未发放到位。\n要求尽快发放。")
    shot("04-register-errors")

    page.fill("#id_title", "征地补偿款未发放（集体访）")
    page.fill("#id_p-0-id_number", KNOWN_ID)
    expect(page.locator("#candidates [data-merge-case]")).to_have_count(1)
    shot("05-candidate-panel")
    page.click("#candidates [data-merge-case]")
    expect(page.locator("#merge-chip")).to_be_visible()
    page.click("[data-merge-cancel]")  # a new matter after all: the earlier letter was about another plot
    expect(page.locator("#merge-chip")).to_be_hidden()
    page.click("[data-add-row]")
    expect(page.locator("#petitioner-rows tr")).to_have_count(6)
    page.fill("#id_p-5-name", "赵某")
    page.set_input_files("#id_attachments", files=[{"name": "来访登记表.txt", "mimeType": "text/plain",
                                                   "buffer": "来访登记表：六人，代表刘某、陈某。".encode()}])
    page.click("#register-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("登记成功，事项编号")
    expect(page.get_by_test_id("case-status")).to_have_text("已登记")
    expect(page.locator("body")).to_contain_text("集体访 6人")
    number = page.get_by_test_id("case-number").inner_text().strip()
    shot("06-case-registered")

    # 3. Accept and assign to 城关镇.
    take("accept", fill=lambda: page.fill("#id_accept-note", "属于本县职权范围"), screenshot="07-accept-form", status="已受理")
    take("assign", fill=lambda: (page.select_option("#id_assign-unit", "341122100"), page.fill("#id_assign-note", "请城关镇调查核实后答复")),
         screenshot="08-assign-form", status="已交办")
    expect(page.get_by_test_id("current-unit")).to_have_text("城关镇人民政府")
    shot("09-case-assigned")
    log_out()

    # 4. The township head finds it in their work, signs for it and reports the result with
    # the answer proposed; the bureau's head accepts it, which gives the answer.
    log_in("cg_fuzeren")
    expect(page.locator(f"[data-case='{number}']")).to_be_visible()
    shot("10-my-work-township")
    page.click(f"[data-case='{number}'] a.case-number")

    def fill_report():
        page.fill("#id_report-summary", "已约谈村委会，村组分配方案已确定，补偿款十日内发放。")
        page.click("label[for=id_report-outcome_0]")  # 支持
        page.fill("#id_report-request_summary", "要求发放征地补偿款")
        page.fill("#id_report-facts", "经核实，补偿款因村组分配方案未定而滞留。")
        page.fill("#id_report-opinion", "责成村委会十日内按方案发放到户。")
        page.fill("#id_report-legal_basis", "《土地管理法》第四十八条")

    take("start", fill=lambda: page.fill("#id_start-note", "已签收"), screenshot="10b-start-form", status="办理中")
    take("report", fill=fill_report, screenshot="11-report-form", status="待审核")
    log_out()
    log_in("fuzeren")
    page.goto(f"{live_server.url}/cases/{number}/")
    take("approve", fill=lambda: page.fill("#id_approve-note", "同意"), screenshot="11b-approve-form", status="已答复")
    shot("12-case-replied")
    log_out()

    # 5. Back at the bureau the clerk finds the case by search and records the evaluation.
    log_in("dengji")
    page.click("nav >> text=案件查询")
    page.fill("#id_q", "集体访")
    expect(page.locator("#results [data-case]")).to_have_count(1)
    expect(page).to_have_url(live_server.url + "/cases/?q=%E9%9B%86%E4%BD%93%E8%AE%BF")
    shot("13-search")
    page.click(f"#results [data-case='{number}'] a.case-number")
    take("evaluate", fill=lambda: (page.click("label[for=id_evaluate-satisfaction_0]"), page.select_option("#id_evaluate-channel", "phone"),
                                   page.fill("#id_evaluate-comment", "款项已到账")),
         screenshot="14-evaluate-form", status="已评价")
    steps = page.locator("[data-testid=timeline] li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert steps == ["register", "accept", "assign", "start", "report", "approve", "evaluate"]
    expect(page.get_by_test_id("timeline")).to_contain_text("请城关镇调查核实后答复")
    expect(page.get_by_test_id("evaluation")).to_contain_text("满意")
    shot("15-case-evaluated")

    # 6. The same work list on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/work/")
    shot("16-my-work-phone")
    page.goto(f"{live_server.url}/cases/{number}/")
    shot("17-case-phone")
    assert errors == []
