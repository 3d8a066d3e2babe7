"""The notices sent to the petitioner on the follow page: kind, number, date and whether
it was delivered; a download of the current version; opening it with the query code is
delivery online that day (when no delivery is on record); the review window shows as
待送达 until delivery, then from the delivery date. Internal forms are never listed."""

import datetime

import pytest
import time_machine

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.documents.delivery import current
from xinfang.documents.tests import factories

from .conftest import REPLY


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def open_case(client, receipt, verify="0001"):
    return client.post("/portal/follow/", {"code": receipt.code, "verify": verify})


@pytest.fixture
def answered(submit_online, people):
    """An online petition accepted (受理告知书) and answered (处理意见书) on 20 Aug 2026, with
    an internal 交办单 and a document not for the petitioner beside them."""
    with at("2026-08-03 10:00 +0800"):
        receipt = submit_online()
        case = perform(case=receipt.case, action="accept", actor=people["dengji"])
        accept = factories.notice(case, "accept_notice")
        internal = factories.notice(case, "assign_form")
        hidden = factories.notice(case, "extension_notice", for_petitioner=False)
    with at("2026-08-20 15:00 +0800"):
        case = perform(case=case, action="reply", actor=people["fuzeren"], **REPLY)
        opinion = factories.answer(case)
    return receipt, {"accept": accept, "internal": internal, "hidden": hidden, "opinion": opinion}


def test_the_follow_page_lists_the_notices_pending_delivery_and_never_an_internal_form(client, answered):
    receipt, docs = answered
    with at("2026-08-21 09:00 +0800"):
        open_case(client, receipt)
        page = client.get("/portal/follow/").content.decode()
    assert 'data-testid="notices"' in page
    assert "受理告知书" in page and "信访处理意见书" in page and docs["opinion"].number in page
    assert "交办单" not in page and docs["internal"].number not in page and docs["hidden"].number not in page
    assert f"/portal/follow/notices/{docs['internal'].pk}/" not in page
    assert page.count("待送达") >= 2  # the notices, and the review window
    assert "自您收到书面答复之日起30日内可以提出" in page and "已作出书面答复，待送达" in page


def test_the_window_shows_from_the_delivery_date_once_delivered_by_post(client, answered, people):
    receipt, docs = answered
    with at("2026-09-03 10:00 +0800"):
        perform(case=receipt.case, action="deliver", actor=people["fuzeren"], document=docs["opinion"].pk, channel="post",
                delivered_on="2026-09-02", recipient="刘某", proof=factories.scan())
        open_case(client, receipt)
        page = client.get("/portal/follow/").content.decode()
    assert "邮寄送达，2026年9月2日" in page
    assert "2026年10月8日" in page and "您可在此日期前提出" in page  # 30 days from 2 Sep, past National Day
    assert "送达" in page and "信访处理意见书" in page


def test_opening_a_notice_on_the_follow_page_is_delivery_online_that_day(client, answered):
    receipt, docs = answered
    with at("2026-08-24 20:00 +0800"):
        open_case(client, receipt)
        response = client.get(f"/portal/follow/notices/{docs['opinion'].pk}/")
        body = b"".join(response.streaming_content)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert body == docs["opinion"].versions.get(version=1).file.read()  # the generated 信访处理意见书 itself
    record = current(docs["opinion"])
    assert record.channel == "online" and record.delivered_on == datetime.date(2026, 8, 24) and record.recorded_by is None
    case = receipt.case
    case.refresh_from_db()
    assert case.review_window_end == datetime.date(2026, 9, 23) and case.deliver_due is None
    event = case.events.last()
    assert event.action == "deliver" and event.actor is None and event.data["by"] == "petitioner"
    assert AuditEntry.objects.filter(action="document.download").get().detail["by"] == "petitioner"
    # Opening it again (or later) changes nothing: the first receipt counts.
    with at("2026-08-30 10:00 +0800"):
        open_case(client, receipt)
        assert client.get(f"/portal/follow/notices/{docs['opinion'].pk}/").status_code == 200
    assert docs["opinion"].deliveries.count() == 1
    assert current(docs["opinion"]).delivered_on == datetime.date(2026, 8, 24)


def test_a_notice_already_delivered_by_post_is_not_delivered_again_online(client, answered, people):
    receipt, docs = answered
    with at("2026-08-25 10:00 +0800"):
        perform(case=receipt.case, action="deliver", actor=people["fuzeren"], document=docs["opinion"].pk, channel="post",
                delivered_on="2026-08-22", proof=factories.scan())
        open_case(client, receipt)
        assert client.get(f"/portal/follow/notices/{docs['opinion'].pk}/").status_code == 200
    assert docs["opinion"].deliveries.count() == 1 and current(docs["opinion"]).channel == "post"


def test_an_internal_form_or_another_cases_notice_is_not_served(client, answered, submit_online):
    receipt, docs = answered
    other = factories.notice(submit_online(title="别人的事").case, "accept_notice")
    open_case(client, receipt)
    for doc in (docs["internal"], docs["hidden"], other):
        assert client.get(f"/portal/follow/notices/{doc.pk}/").status_code == 404
    assert client.get("/portal/follow/notices/999999/").status_code == 404
    assert not docs["internal"].deliveries.exists() and not other.deliveries.exists()


def test_without_the_code_nothing_is_served_or_delivered(client, answered):
    _, docs = answered
    assert client.get(f"/portal/follow/notices/{docs['opinion'].pk}/").status_code == 404
    assert current(docs["opinion"]) is None


def test_the_public_api_lists_the_notices_and_downloading_one_delivers_it(client, answered):
    receipt, docs = answered
    with at("2026-08-24 20:00 +0800"):
        body = client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"}).json()
        kinds = [n["kind"] for n in body["notices"]]
        assert kinds == ["accept_notice", "opinion"]
        assert body["notices"][1]["delivered_on"] is None and body["notices"][1]["delivery_text"] == "待送达"
        window = next(d for d in body["deadlines"] if d["name"] == "review_window")
        assert window["due"] is None and window["state"] == "pending_delivery"
        response = client.get(f"/api/v1/public/cases/{receipt.code}/notices/{docs['opinion'].pk}", {"verify": "0001"})
        assert response.status_code == 200
        assert client.get(f"/api/v1/public/cases/{receipt.code}/notices/{docs['internal'].pk}",
                          {"verify": "0001"}).status_code == 404
        body = client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"}).json()
    assert body["notices"][1]["delivered_on"] == "2026-08-24" and body["notices"][1]["channel"] == "online"
    window = next(d for d in body["deadlines"] if d["name"] == "review_window")
    assert window["due"] == "2026-09-23" and window["state"] == "window_open"
