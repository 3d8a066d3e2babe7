"""API v1: a case's documents with their delivery records; recording a delivery with a
scanned receipt (multipart) or without a file through the generic action route; a
correction keeps the old record; refusals in both languages."""

import pytest
import time_machine

from xinfang.cases.services import perform
from xinfang.documents.tests import factories

from .conftest import BASE, error_of

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")
pytestmark = pytest.mark.time_machine("2026-09-03 10:00 +0800", tick=False)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def answered(register_case, people):
    with time_machine.travel("2026-08-20 10:00 +0800", tick=False):
        case = perform(case=register_case(), action="accept", actor=people["dengji"])
        case = perform(case=case, action="reply", actor=people["fuzeren"], **REPLY)
        return case, factories.answer(case)


def test_a_delivery_by_post_with_its_scan_and_then_a_correction(answered, api_as, client):
    case, answer = answered
    api = api_as("fuzeren")
    listed = api.get(f"/cases/{case.number}/documents").json()
    assert [d["kind"] for d in listed] == ["accept_notice", "opinion"] and listed[1]["delivered_on"] is None
    response = client.post(f"{BASE}/cases/{case.number}/deliveries", {
        "document": answer.pk, "channel": "post", "delivered_on": "2026-09-02", "recipient": "刘某", "proof": factories.scan()},
        headers=api.headers)
    assert response.status_code == 201, response.content
    doc = response.json()[1]
    assert doc["id"] == answer.pk and doc["delivered_on"] == "2026-09-02" and doc["deliveries"][0]["proof_name"] == "送达回证.pdf"
    assert api.get(f"/cases/{case.number}").json()["deadlines"]["review_window_end"] == "2026-10-08"
    # A correction through the generic action route (no file needed online), with a reason.
    refused = api.post(f"/cases/{case.number}/actions/deliver", {"document": answer.pk, "channel": "online", "delivered_on": "2026-09-01"})
    assert refused.status_code == 422 and "reason" in error_of(refused)["fields"]
    done = api.post(f"/cases/{case.number}/actions/deliver", {"document": answer.pk, "channel": "online",
                                                                "delivered_on": "2026-09-01", "reason": "信访人9月1日已网上查阅"})
    assert done.status_code == 200 and done.json()["deadlines"]["review_window_end"] == "2026-10-08"  # 1 Oct: National Day → 8 Oct
    records = api.get(f"/cases/{case.number}/documents").json()[1]["deliveries"]
    assert [(r["channel"], r["superseded_at"] is None) for r in records] == [("post", False), ("online", True)]


def test_post_without_a_scan_is_refused_in_both_languages_and_nothing_is_recorded(answered, api_as, client):
    case, answer = answered
    api = api_as("fuzeren")
    response = client.post(f"{BASE}/cases/{case.number}/deliveries", {
        "document": answer.pk, "channel": "post", "delivered_on": "2026-09-02"}, headers=api.headers)
    error = error_of(response)
    assert response.status_code == 422 and "送达回证" in error["fields"]["proof"] and "delivery receipt" in error["fields"]["proof"]
    assert [d["deliveries"] for d in api.get(f"/cases/{case.number}/documents").json()] == [[], []]


def test_a_unit_that_cannot_see_the_case_gets_404(answered, api_as):
    case, _ = answered
    assert api_as("qs_fuzeren").get(f"/cases/{case.number}/documents").status_code == 404
