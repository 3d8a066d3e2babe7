"""Every legal date on the follow page says whether it was kept: decide-by, answer-by
(with the date it had before an approved extension, and why), the review window and
the review answer; the next step names its last day. In Chinese and in English. The
receipt names the limits and where to follow."""

import re

import time_machine

from xinfang.cases.services import perform
from xinfang.portal import public, services

from .conftest import REPLY
from .test_reply_documents import pdf


def test_an_extension_shows_the_old_date_the_new_one_and_the_reason(register_case, people):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = register_case()
        receipt = services.issue_code(case=case, actor=people["dengji"])
        perform(case=case, action="accept", actor=people["dengji"])
        case.refresh_from_db()
        before = case.handle_due
        perform(case=case, action="extend", actor=people["fuzeren"], days=30, reason="需要委托鉴定")
        case.refresh_from_db()
        view = public.view(services.find(code=receipt.code, verify="0001", ip="192.0.2.40"))
    handle = next(d for d in view["deadlines"] if d["name"] == "handle")
    assert handle["due"] == case.handle_due and handle["state"] == "open"
    assert "已延长30天" in handle["label"]
    assert public.day(before) in handle["detail"] and public.day(case.handle_due) in handle["detail"] and "需要委托鉴定" in handle["detail"]


def test_every_date_of_a_reviewed_case_says_kept_or_late_and_the_next_step_its_last_day(register_case, people, deliver):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = register_case()
        receipt = services.issue_code(case=case, actor=people["dengji"])
        perform(case=case, action="accept", actor=people["dengji"])
    with time_machine.travel("2026-06-20 10:00 +0800", tick=False):  # after the 60 days
        perform(case=case, action="reply", actor=people["fuzeren"], **REPLY)
    with time_machine.travel("2026-06-25 10:00 +0800", tick=False):
        perform(case=case, action="review", actor=people["dengji"], reasons="不服")
    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        perform(case=case, action="reply", actor=people["fuzeren"], **REPLY)
        deliver(case)  # received the same day: the re-review window runs from it
        view = public.view(services.find(code=receipt.code, verify="0001", ip="192.0.2.41"))
    states = {d["name"]: d["state"] for d in view["deadlines"]}
    assert states == {"decide": "kept", "handle": "late", "review_window": "window_used", "review": "kept",
                      "re_review_window": "window_open"}
    step = view["next_steps"]["review"]
    assert step["allowed"] and step["action"] == "re_review" and step["window_end"] == view["deadlines"][-1]["due"]
    assert public.day(step["window_end"]) in view["status_text"]


def test_the_english_page_translates_the_new_parts(register_case, people, client):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="extend", actor=people["fuzeren"], days=15, reason="需要调查")
    perform(case=case, action="reply", actor=people["fuzeren"], documents=[pdf()], **REPLY)
    receipt = services.issue_code(case=case, actor=people["dengji"])
    client.post("/portal/language/", {"language": "en", "next": "/portal/follow/"})
    client.post("/portal/follow/", {"code": receipt.code, "verify": "0001"})
    page = client.get("/portal/follow/").content.decode()
    assert "Documents of the reply" in page and "extended with approval to" in page and "Received" in page
    assert "Opinion: Supported" in page  # the timeline's reply step
    for chinese in ("答复文书（可下载保存）", "经批准延长至", "收到时间", "处理意见："):
        assert chinese not in page, chinese
    body = client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"}, headers={"Accept-Language": "en"}).json()
    assert any("Reason: 需要调查" in d["detail"] for d in body["deadlines"])


def test_the_receipt_after_an_online_submission_shows_the_limits_and_where_to_follow(units, client):
    from xinfang.portal.models import Challenge

    page = client.get("/portal/submit/").content.decode()
    key = re.search(r'name="captcha_key" value="([^"]+)"', page).group(1)
    idem = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = client.post("/portal/submit/", {
        "kind": "grievance", "name": "刘某", "phone": "13800000001", "unit": "341122-XFJ",
        "content": "我家承包地去年被征收，村里至今没有发放征地补偿款，请求尽快发放。", "consent": "on",
        "captcha_key": key, "captcha": Challenge.objects.get(key=key).answer, "idempotency_key": idem})
    receipt = response.content.decode()
    assert response.status_code == 200 and "网上信访登记回执" in receipt and "XF-" in receipt
    assert "告知是否受理" in receipt and "复核机关答复" in receipt and "http://testserver/portal/follow/" in receipt
