"""A matter that came by letter, visit, phone or a deputy gets its query code from the
staff of the unit holding it: a button on the case page, a printable receipt, the code
shown once; issuing again makes the old code useless. Others are refused."""

import json
import re

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.lib.errors import NotAllowed, NotFound
from xinfang.portal import codes, services
from xinfang.portal.models import Submission

CODE = re.compile(r"XF(-[0-9A-Z]{4}){4}")


def issue_on_page(client, case):
    response = client.post(f"/cases/{case.number}/query-code/")
    page = response.content.decode()
    found = CODE.search(page)
    return response, page, found.group(0) if found else None


def test_a_clerk_issues_a_code_for_a_letter_and_the_petitioner_follows_it_with_the_last_four(login, register_case, client):
    case = register_case(channel="letter")
    case_page = login("dengji").get(f"/cases/{case.number}/").content.decode()
    assert "生成查询码" in case_page

    response, page, code = issue_on_page(client, case)

    assert response.status_code == 200 and code
    assert "信访事项查询凭证" in page and case.number in page and "安宁县信访局" in page
    assert "告知是否受理的期限" in page and "办理并书面答复" in page  # the legal limits are on the receipt
    assert "http://testserver/portal/follow/" in page and "后4位" in page
    assert "11010519491231002X" not in page and "13800000001" not in page
    # The code itself is nowhere in the database: only its keyed hash.
    submission = Submission.objects.get(case=case)
    assert submission.code_hash == codes.code_hash(codes.normalize(code)) and submission.issued_by.username == "dengji"
    assert code not in json.dumps(list(Submission.objects.values()), default=str)

    anonymous = client.__class__()
    assert anonymous.post("/portal/follow/", {"code": code, "verify": "0001"}).status_code == 302  # phone 13800000001
    followed = anonymous.get("/portal/follow/").content.decode()
    assert case.number in followed and "已登记，等待受理" in followed
    assert services.find(code=code, verify="002x", ip="192.0.2.9").case_id == case.pk  # ID number ending 002X


def test_the_wrong_last_four_does_not_open_a_staff_issued_code(people, register_case):
    case = register_case()
    receipt = services.issue_code(case=case, actor=people["dengji"])
    assert receipt.submission.needs_verifier
    with pytest.raises(NotFound):
        services.find(code=receipt.code, verify="9999", ip="192.0.2.10")


def test_issuing_again_makes_the_old_code_useless(people, register_case, client):
    case = register_case()
    first = services.issue_code(case=case, actor=people["dengji"])
    second = services.issue_code(case=case, actor=people["fuzeren"])

    assert not first.reissued and second.reissued and first.code != second.code
    with pytest.raises(NotFound):
        services.find(code=first.code, verify="0001", ip="192.0.2.11")
    assert services.find(code=second.code, verify="0001", ip="192.0.2.11").case_id == case.pk
    assert Submission.objects.filter(case=case).count() == 1
    entries = list(AuditEntry.objects.filter(action="case.query_code", object_id=str(case.pk)).order_by("seq"))
    assert [(e.actor.username, e.detail["reissued"]) for e in entries] == [("dengji", False), ("fuzeren", True)]


def test_the_page_says_the_old_code_stops_working_when_issuing_again(login, register_case, client):
    case = register_case()
    login("dengji")
    issue_on_page(client, case)
    case_page = client.get(f"/cases/{case.number}/").content.decode()
    assert "重新生成查询码" in case_page and "原查询码立即失效" in case_page and "由王登记生成" in case_page
    response, page, code = issue_on_page(client, case)
    assert response.status_code == 200 and "原查询码已失效" in page


def test_a_user_of_another_unit_cannot_issue_a_code(login, register_case, client):
    case = register_case()
    login("qs_fuzeren")  # 青山乡: never near this case
    assert client.post(f"/cases/{case.number}/query-code/").status_code == 404
    assert not Submission.objects.filter(case=case).exists()


def test_a_role_without_registrar_handler_or_head_is_refused(login, register_case, client, people):
    case = register_case()
    login("tongji")  # statistician of the same bureau: sees the case, may not issue
    response = client.post(f"/cases/{case.number}/query-code/")
    assert response.status_code == 403 and "需要登记员、承办人或单位负责人角色" in response.content.decode()
    assert "生成查询码" not in client.get(f"/cases/{case.number}/").content.decode()
    with pytest.raises(NotAllowed):
        services.issue_code(case=case, actor=people["ducha"])
    assert not Submission.objects.filter(case=case).exists()


def test_a_unit_that_neither_registered_nor_holds_the_case_may_not_issue(register_case, people):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100")  # to 城关镇
    services.issue_code(case=case, actor=people["cg_fuzeren"])  # the township now holding it
    services.issue_code(case=case, actor=people["dengji"])  # the window that registered it
    with pytest.raises((NotAllowed, NotFound)):
        services.issue_code(case=case, actor=people["zj_fuzeren"])  # 住建局: not involved


def test_opening_the_address_does_not_issue_a_code(login, register_case, client):
    case = register_case()
    login("dengji")
    assert client.get(f"/cases/{case.number}/query-code/").status_code == 302
    assert not Submission.objects.filter(case=case).exists()


def test_the_representatives_digits_open_a_collective_visit(people, units, register_case):
    crowd = [{"name": f"村民{i}", "phone": f"1390000{i:04d}"} for i in range(1, 7)]
    crowd[0]["is_representative"] = crowd[1]["is_representative"] = True
    case = register_case(channel="visit", headcount=6, petitioners=crowd)
    receipt = services.issue_code(case=case, actor=people["dengji"])
    assert services.find(code=receipt.code, verify="0002", ip="192.0.2.12").case_id == case.pk
    with pytest.raises(NotFound):
        services.find(code=receipt.code, verify="0005", ip="192.0.2.12")  # not a representative


def test_an_anonymous_letter_opens_with_the_code_alone(people, register_case):
    case = register_case(petitioners=[], kind="suggestion")
    receipt = services.issue_code(case=case, actor=people["dengji"])
    assert not receipt.submission.needs_verifier
    assert services.find(code=receipt.code, ip="192.0.2.13").case_id == case.pk


def test_an_online_submission_replayed_after_a_new_code_does_not_hand_out_the_old_one(submit_online, people):
    from xinfang.lib.errors import Conflict

    receipt = submit_online(idempotency_key="k" * 24)
    services.issue_code(case=receipt.case, actor=people["dengji"])
    with pytest.raises(Conflict) as refused:
        submit_online(idempotency_key="k" * 24)
    assert refused.value.code == "code_reissued"


def test_the_api_issues_a_code_with_the_same_rules(api_as, register_case):
    case = register_case()
    response = api_as("dengji").post(f"/cases/{case.number}/query_code")
    assert response.status_code == 201, response.content
    body = response.json()
    assert CODE.fullmatch(body["query_code"]) and body["needs_verify"] and not body["reissued"] and body["number"] == case.number
    assert api_as("tongji").post(f"/cases/{case.number}/query_code").status_code == 403
    assert api_as("qs_fuzeren").post(f"/cases/{case.number}/query_code").status_code == 404


def test_the_code_can_be_texted_to_the_petitioners_mobile_when_the_clerk_asks(login, register_case, client,
                                                                             django_capture_on_commit_callbacks):
    from xinfang.notify.sms import LocmemBackend

    case = register_case(channel="visit")  # 刘某, mobile 13800000001
    login("dengji")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.number}/query-code/", {"sms": "on"})
    code = CODE.search(response.content.decode()).group(0)

    assert response.status_code == 200 and "短信发往 138****0001" in response.content.decode()
    assert LocmemBackend.outbox == [("13800000001", LocmemBackend.outbox[0][1])]
    assert code in LocmemBackend.outbox[0][1] and case.number in LocmemBackend.outbox[0][1]
    assert Submission.objects.get(case=case).sms_status == "sent"
    assert AuditEntry.objects.get(action="case.query_code").detail["sms"] is True


def test_without_the_box_ticked_or_without_a_mobile_nothing_is_texted(login, register_case, client,
                                                                     django_capture_on_commit_callbacks):
    from xinfang.notify.sms import LocmemBackend

    ticked_no_mobile = register_case(channel="letter", petitioners=[{"name": "王某", "phone": "0551-1234567"}])
    not_ticked = register_case(channel="letter")
    login("dengji")

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/cases/{ticked_no_mobile.number}/query-code/", {"sms": "on"})
        second = client.post(f"/cases/{not_ticked.number}/query-code/")

    assert first.status_code == second.status_code == 200
    assert "短信发往" not in first.content.decode() + second.content.decode()
    assert LocmemBackend.outbox == []
