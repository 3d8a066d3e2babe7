"""The case page shows each document with its delivery record(s) and a 登记送达 form;
the review window shows 待送达 until the answer is delivered; bad input is refused in
Chinese with what was typed kept; the scanned receipt downloads for those who see the case."""

import pytest
import time_machine

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.documents.delivery import current
from xinfang.documents.tests import factories


REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def answered(register_case, people):
    with time_machine.travel("2026-08-20 10:00 +0800", tick=False):
        case = perform(case=register_case(), action="accept", actor=people["dengji"])
        factories.notice(case, "accept_notice")
        factories.notice(case, "assign_form")
        case = perform(case=case, action="reply", actor=people["fuzeren"], **REPLY)
        return case, factories.answer(case)


@time_machine.travel("2026-08-21 10:00 +0800", tick=False)
def test_the_page_lists_documents_with_their_delivery_and_the_window_pending(answered, login):
    case, _ = answered
    page = login("fuzeren").get(f"/cases/{case.number}/").content.decode()
    assert "文书与送达" in page and "受理告知书" in page and "信访处理意见书" in page and "交办单" in page
    assert "内部文书，无需送达" in page and page.count("登记送达") >= 2
    assert 'data-testid="pending-delivery"' in page and "答复送达期限" in page and "2026-08-25" in page


@time_machine.travel("2026-09-03 10:00 +0800", tick=False)
def test_delivery_by_post_with_a_scan_through_the_form(answered, login):
    case, answer = answered
    client = login("fuzeren")
    form = client.get(f"/cases/{case.number}/actions/deliver/?document={answer.pk}").content.decode()
    assert f'<option value="{answer.pk}" selected>' in form and 'enctype="multipart/form-data"' in form
    response = client.post(f"/cases/{case.number}/actions/deliver/", {
        "deliver-document": answer.pk, "deliver-channel": "post", "deliver-delivered_on": "2026-09-02",
        "deliver-recipient": "刘某", "deliver-proof": factories.scan(), "version": case.version})
    assert response.status_code == 302
    record = current(answer)
    assert record.channel == "post" and str(record.delivered_on) == "2026-09-02"
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "邮寄送达 2026-09-02" in page and "送达回证.pdf" in page and "2026-10-08" in page  # the window, from delivery
    proof = client.get(f"/deliveries/{record.pk}/proof/")
    assert proof.status_code == 200 and b"".join(proof.streaming_content) == factories.PDF
    assert AuditEntry.objects.filter(action="delivery.proof_download").exists()
    assert login("qs_fuzeren").get(f"/deliveries/{record.pk}/proof/").status_code == 404


@time_machine.travel("2026-09-03 10:00 +0800", tick=False)
def test_post_without_a_scan_is_refused_in_chinese_and_what_was_typed_stays(answered, login):
    case, answer = answered
    response = login("fuzeren").post(f"/cases/{case.number}/actions/deliver/", {
        "deliver-document": answer.pk, "deliver-channel": "post", "deliver-delivered_on": "2026-09-02",
        "deliver-recipient": "刘某", "deliver-note": "挂号信XA123", "version": case.version})
    page = response.content.decode()
    assert response.status_code == 422
    assert "邮寄送达须上传送达回证扫描件" in page and "Delivery by post" not in page
    assert 'value="刘某"' in page and "挂号信XA123" in page
    assert current(answer) is None


@time_machine.travel("2026-09-03 10:00 +0800", tick=False)
def test_a_date_in_the_future_is_refused_on_the_page(answered, login):
    case, answer = answered
    response = login("fuzeren").post(f"/cases/{case.number}/actions/deliver/", {
        "deliver-document": answer.pk, "deliver-channel": "online", "deliver-delivered_on": "2026-09-04", "version": case.version})
    assert response.status_code == 422 and "送达日期不能晚于今天" in response.content.decode()
    assert current(answer) is None
