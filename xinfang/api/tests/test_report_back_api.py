"""The report-back of an assigned case through the generic action route: report, approve
and send_back with their documented parameters, and the record in the case detail."""

import pytest

from xinfang.cases.services import perform

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)

REPORT = {"summary": "已到现场核实，补偿款七日内发放", "outcome": "support", "request_summary": "发放补偿款", "facts": "补偿款未发放",
          "opinion": "责成七日内发放"}


def error_of(response):
    return response.json()["error"]


def test_report_send_back_report_approve_through_the_api_and_the_record_in_the_detail(api_as, routed_case, people):
    perform(case=routed_case, action="start", actor=people["cg_chengban"])
    number = routed_case.number
    town, bureau = api_as("cg_fuzeren"), api_as("fuzeren")
    refused = town.post(f"/cases/{number}/actions/reply", {k: v for k, v in REPORT.items() if k != "summary"})
    assert refused.status_code == 409 and error_of(refused)["code"] == "report_owed"

    body = town.post(f"/cases/{number}/actions/report", REPORT).json()
    assert body["status"] == "reported" and body["replies"] == [] and "report" not in body["allowed_actions"]
    [record] = body["report_backs"]
    assert (record["status"], record["owner_unit"]["name"], record["creditor_unit"]["name"]) == ("reported", "城关镇人民政府", "安宁县信访局")
    assert record["reported_on_time"] is True
    result = record["entries"][-1]
    assert result["kind"] == "result" and result["text"] == REPORT["summary"] and result["late"] is False
    assert result["proposed_reply"]["opinion"] == "责成七日内发放"
    assert {"approve", "send_back"} <= set(bureau.get(f"/cases/{number}").json()["allowed_actions"])

    refused = bureau.post(f"/cases/{number}/actions/send_back", {"reason": "未附凭证", "due_date": "2026-03-01"})
    assert refused.status_code == 422 and "due_date" in error_of(refused)["fields"]
    refused = bureau.post(f"/cases/{number}/actions/send_back", {"reason": "未附凭证", "due_date": "2026-12-31"})
    assert refused.status_code == 422 and error_of(refused)["code"] == "due_after_legal"
    refused = town.post(f"/cases/{number}/actions/approve", {})
    assert refused.status_code == 403
    body = bureau.post(f"/cases/{number}/actions/send_back", {"reason": "未附凭证", "due_date": "2026-03-20"}).json()
    assert body["status"] == "in_progress" and body["report_backs"][0]["sent_back_count"] == 1
    sent_back = body["report_backs"][0]["entries"][-1]
    assert (sent_back["kind"], sent_back["text"], sent_back["due_date"], sent_back["unit"]) == ("sent_back", "未附凭证", "2026-03-20", "安宁县信访局")

    town.post(f"/cases/{number}/actions/report", {**REPORT, "summary": "已补充凭证"})
    body = bureau.post(f"/cases/{number}/actions/approve", {"note": "同意"}).json()
    assert body["status"] == "replied" and body["replies"][0]["opinion"] == "责成七日内发放"
    assert body["replies"][0]["signed_by"] == "陈镇长"
    record = body["report_backs"][0]
    assert record["status"] == "accepted" and [e["kind"] for e in record["entries"]] == ["opened", "result", "sent_back", "result", "accepted"]


def test_the_openapi_document_gives_examples_of_the_report_back_actions(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/cases/{number}/actions/{action}"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert examples["report"]["value"]["summary"] and examples["send_back"]["value"]["due_date"] and "approve" in examples
    action = next(p for p in operation["parameters"] if p["name"] == "action")
    assert {"report", "approve", "send_back"} <= set(action["schema"]["enum"])
