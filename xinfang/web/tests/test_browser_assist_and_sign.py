"""In Debian's Chromium: an assisting unit submits its part from 我的工作, a handler
records progress and drafts the written opinion, and the head reads the assisting part,
edits the draft and reports it to the bureau, which sends it back once and then accepts
it: the reply. Also the registration screens of issue 18:
who is accused, the late-entry confirmation, a correction and a void. Screenshots go to
var/screens/ for a person to look at."""

from xinfang.cases.models import Reply
from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

pytestmark = BROWSER_TEST


def _shot(page, name):
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _take(page, action, fill, screenshot, expect):
    page.click(f".action-bar [data-action={action}]")
    expect(page.locator("#action-card form")).to_be_visible()
    fill()
    _shot(page, screenshot)
    page.click("#action-card button[type=submit]")
    expect(page.locator("#action-card")).to_have_count(0)  # the page came back without the form
    expect(page.locator(".alert-success")).to_be_visible()


def test_an_assisting_part_and_a_handlers_draft_reach_the_reply_through_the_result_report(live_server, transactional_db, staff_page):
    from playwright.sync_api import expect

    units = build_units()
    people = build_people(units, password=PASSWORD)
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit="341122-XFJ", kind="grievance", title="东街老旧小区改造后排水不畅", content="改造后雨天积水严重。",
        petitioners=[{"name": "刘某", "phone": "13800000001"}]))
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100", assisting=["341122-ZJJ"], note="请会同住建局核实")

    # The assisting unit: the case is in its work, with its own due date; it submits its part.
    page, errors = staff_page("zj_fuzeren")
    row = page.locator(f"tr[data-case='{case.number}']")
    expect(row.get_by_test_id("assisting")).to_be_visible()
    _shot(page, "assist-1-my-work")
    row.locator("a.case-number").click()
    _take(page, "assist", lambda: page.fill("#id_assist-opinion", "经核查，东街小区雨污管网改造由住建局组织施工，排水坡度不符合设计，已责令施工单位返工。"),
          "assist-2-form", expect)
    expect(page.get_by_test_id("assisting-part")).to_contain_text("已责令施工单位返工")
    _shot(page, "assist-3-submitted")
    page.goto(live_server.url + "/work/")
    expect(page.locator(f"tr[data-case='{case.number}']")).to_have_count(0)

    # The handler signs for it, records progress and drafts the opinion.
    page, errors2 = staff_page("cg_chengban")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    _take(page, "start", lambda: page.fill("#id_start-note", "已签收"), "handler-1-start", expect)
    _take(page, "progress", lambda: page.fill("#id_progress-note", "已会同住建局到现场查看积水点三处。"), "handler-2-progress", expect)

    def draft():
        page.click("label[for=id_draft-outcome_0]")
        page.fill("#id_draft-request_summary", "解决小区改造后排水不畅问题")
        page.fill("#id_draft-facts", "改造工程排水坡度不符合设计，雨天积水属实")
        page.fill("#id_draft-opinion", "责成施工单位在三十日内返工整改。")
    _take(page, "draft", draft, "handler-3-draft-form", expect)
    expect(page.get_by_test_id("pending-draft")).to_be_visible()
    _shot(page, "handler-4-draft-pending")

    # The head reads the assisting part, edits the draft and reports it to the bureau
    # (an assigned case is answered through its result report, 报送办理结果).
    page, errors3 = staff_page("cg_fuzeren")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    expect(page.locator(".action-bar [data-action=sign]")).to_have_count(0)
    expect(page.locator(".action-bar [data-action=reply]")).to_have_count(0)
    page.click(".action-bar [data-action=report]")
    expect(page.get_by_test_id("assisting-opinions")).to_contain_text("已责令施工单位返工")
    expect(page.get_by_test_id("draft-by")).to_contain_text("报送交办单位")
    expect(page.locator("#id_report-opinion")).to_have_value("责成施工单位在三十日内返工整改。")
    page.fill("#id_report-summary", "已会同住建局现场查看积水点三处，责令施工单位返工，返工方案已报镇政府。")
    page.fill("#id_report-opinion", "责成施工单位在二十日内返工整改，整改后由镇、住建局共同验收。")
    _shot(page, "report-1-form")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("待审核")
    expect(page.get_by_test_id("report-back")).to_contain_text("返工方案已报镇政府")
    assert not Reply.objects.filter(case=case).exists()

    # The bureau: the reported case with its two buttons; it sends the result back once.
    page, errors4 = staff_page("fuzeren")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    expect(page.locator(".action-bar [data-action=approve]")).to_be_visible()
    expect(page.locator(".action-bar [data-action=send_back]")).to_be_visible()
    _shot(page, "report-2-county-reported")
    page.click(".action-bar [data-action=send_back]")
    expect(page.locator("#id_send_back-due_date")).not_to_have_value("")
    page.fill("#id_send_back-reason", "请补充返工整改的完成时限和验收安排。")
    _shot(page, "report-3-send-back-form")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("办理中")

    # The town reports again; the bureau accepts, and the answer is given.
    page3, _ = staff_page("cg_fuzeren")
    page3.goto(f"{live_server.url}/cases/{case.number}/")
    page3.click(".action-bar [data-action=report]")
    page3.fill("#id_report-summary", "已补充：返工于二十日内完成，完成后由镇、住建局共同验收。")
    page3.click("#action-card button[type=submit]")
    expect(page3.get_by_test_id("case-status")).to_have_text("待审核")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.click(".action-bar [data-action=approve]")
    page.fill("#id_approve-note", "同意。")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("已答复")
    expect(page.get_by_test_id("reply")).to_contain_text("二十日内返工整改")
    record = page.get_by_test_id("report-back")
    expect(record).to_contain_text("退回理由：请补充返工整改的完成时限和验收安排。")
    expect(record).to_contain_text("重新报送期限")
    expect(record).to_contain_text("审核通过")
    record.scroll_into_view_if_needed()
    _shot(page, "report-4-record")
    reply = Reply.objects.get(case=case)
    assert reply.signed_by == people["cg_fuzeren"] and reply.draft.drafted_by == people["cg_chengban"]
    assert errors == errors2 == errors3 == errors4 == []


def test_the_registration_screens_of_accused_late_entry_correction_and_void(live_server, transactional_db, staff_page):
    from playwright.sync_api import expect

    build_people(build_units(), password=PASSWORD)
    page, errors = staff_page("dengji")

    # An anonymous accusation against 竹岭村's 村主任, received in 1999 by a typing slip.
    page.click("nav >> text=登记")
    page.click("label[for=id_channel_0]")
    page.click("label[for=id_kind_1]")  # 检举控告
    expect(page.locator("#accused-fields")).to_be_visible()
    page.select_option("#id_accused_unit", "341122200202")
    page.fill("#id_accused_post", "村主任")
    page.fill("#id_received_at", "1999-03-01T09:00")
    page.fill("#id_title", "举报竹岭村村主任侵占集体资金")
    page.fill("#id_content", "竹岭村村主任将集体鱼塘承包费据为己有。")
    _shot(page, "accused-1-register")
    page.click("#register-form button[type=submit]")
    expect(page.get_by_test_id("confirm-late")).to_be_visible()
    _shot(page, "late-1-confirm")
    page.check("#id_confirm_late")
    page.click("#register-form button[type=submit]")
    expect(page.get_by_test_id("late-entry")).to_be_visible()
    expect(page.get_by_test_id("accused")).to_contain_text("竹岭村 · 村主任")
    _shot(page, "late-2-case")

    # The forward picker does not offer 竹岭村.
    page.click(".action-bar [data-action=forward]")
    expect(page.locator("#id_forward-unit option[value='341122200202']")).to_have_count(0)
    expect(page.locator("#id_forward-unit option[value='341122-JW']")).to_have_count(1)
    _shot(page, "accused-2-forward-picker")
    page.click("#action-card [data-close-panel] >> nth=0")

    # Correct the year; the timeline keeps the old value.
    page.click(".action-bar [data-action=correct]")
    expect(page.locator("#id_correct-received_at")).to_have_value("1999-03-01T09:00")
    page.fill("#id_correct-received_at", page.evaluate("() => new Date(Date.now() - 86400000).toISOString().slice(0, 10)") + "T09:00")
    page.fill("#id_correct-reason", "收到年份录入错误")
    _shot(page, "correct-1-form")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("timeline")).to_contain_text("收到时间：1999-03-01 09:00 →")
    expect(page.get_by_test_id("late-entry")).to_have_count(0)
    _shot(page, "correct-2-timeline")

    # Void it as a mistaken registration.
    page.click(".action-bar [data-action=void]")
    page.fill("#id_void-reason", "误登记：该信已由青山乡登记")
    page.click("#action-card button[type=submit]")
    expect(page.get_by_test_id("case-status")).to_have_text("已作废")
    _shot(page, "void-1-case")
    assert errors == []
