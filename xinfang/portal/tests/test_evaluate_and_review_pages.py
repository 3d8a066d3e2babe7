"""On the follow page the petitioner evaluates a reply and asks for review; both land
as case events for staff; outside the window the page says why it cannot."""

import datetime

import time_machine

from xinfang.cases.models import CaseEvent


def open_case(client, receipt, verify="0001"):
    return client.post("/portal/follow/", {"code": receipt.code, "verify": verify})


def test_following_by_code_opens_the_status_page(client, submit_online):
    receipt = submit_online()
    response = open_case(client, receipt)
    assert response.status_code == 302 and response["Location"] == "/portal/follow/"
    page = client.get("/portal/follow/").content.decode()
    assert receipt.case.number in page and "告知是否受理" in page and "书面答复作出后才能评价" in page


def test_a_wrong_last_four_keeps_the_code_typed_and_says_so(client, submit_online):
    receipt = submit_online()
    response = open_case(client, receipt, verify="9999")
    page = response.content.decode()
    assert response.status_code == 404 and "查询码或验证信息不正确" in page and receipt.code in page


def test_the_petitioner_evaluates_then_asks_for_review(client, submit_online, replied):
    receipt = submit_online()
    replied(receipt.case)
    open_case(client, receipt)
    response = client.post("/portal/follow/evaluate/", {"satisfaction": "not_satisfied", "comment": "补偿偏低"}, follow=True)
    page = response.content.decode()
    assert "感谢您的评价" in page and "您已评价过最新的书面答复" in page
    response = client.post("/portal/follow/review/", {"reasons": "补偿标准低于规定"}, follow=True)
    assert "您的请求已提交" in response.content.decode()
    events = CaseEvent.objects.filter(case=receipt.case, action__in=["evaluate", "review"])
    assert [(e.action, e.actor_id, e.data["by"]) for e in events] == [("evaluate", None, "petitioner"), ("review", None, "petitioner")]


def test_empty_reasons_are_refused_and_the_rest_kept(client, submit_online, replied):
    receipt = submit_online()
    replied(receipt.case)
    open_case(client, receipt)
    response = client.post("/portal/follow/review/", {"reasons": "  "})
    assert response.status_code == 422 and "此项必填" in response.content.decode()


def test_after_the_window_the_page_says_why_review_is_closed(client, submit_online, replied, deliver):
    receipt = submit_online()
    case = deliver(replied(receipt.case))
    after = case.review_window_end + datetime.timedelta(days=1)
    with time_machine.travel(f"{after.isoformat()} 09:00 +0800", tick=False):
        open_case(client, receipt)
        page = client.get("/portal/follow/").content.decode()
        assert "已超过请求复查期限" in page and 'action="/portal/follow/review/"' not in page
        response = client.post("/portal/follow/review/", {"reasons": "不服"})
        assert response.status_code == 409 and "已超过请求复查期限" in response.content.decode()


def test_without_an_open_code_the_actions_send_back_to_the_code_form(client, db):
    response = client.post("/portal/follow/evaluate/", {"satisfaction": "satisfied"})
    assert response.status_code == 302 and response["Location"] == "/portal/follow/"


def test_leaving_forgets_the_case(client, submit_online):
    receipt = submit_online()
    open_case(client, receipt)
    client.post("/portal/follow/leave/")
    assert "查询办理进度" in client.get("/portal/follow/").content.decode()


def test_a_second_evaluation_is_refused_with_the_reason_at_the_top(client, submit_online, replied):
    receipt = submit_online()
    replied(receipt.case)
    open_case(client, receipt)
    client.post("/portal/follow/evaluate/", {"satisfaction": "satisfied"})
    response = client.post("/portal/follow/evaluate/", {"satisfaction": "not_satisfied"})
    assert response.status_code == 409 and "该答复已经评价" in response.content.decode()
    assert receipt.case.evaluations.count() == 1
