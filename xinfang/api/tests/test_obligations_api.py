"""/api/v1/obligations and POST /cases/{number}/supervision: supervision items and the
other obligations through the API, each route with its refusals in the error shape."""

import datetime

import pytest

from xinfang.cases.models import Case, Obligation
from xinfang.supervision.tests.conftest import DAY, assigned_case, item, on_day  # noqa: F401 - fixtures

from .conftest import error_of

pytestmark = pytest.mark.usefixtures("on_day")

BODY = {"level": "key", "unit": "341122100", "requirement": "十日内报告补偿款发放情况", "due_date": "2026-03-12",
        "responsible": "cg_chengban", "reason": "群众反映强烈"}


def test_a_supervisor_opens_an_item_on_a_case(api_as, assigned_case):
    response = api_as("ducha").post(f"/cases/{assigned_case.number}/supervision", BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    item = body["obligation"]
    assert (item["kind"], item["level"], item["level_label"], item["owner_unit"]["code"], item["case"]) == (
        "supervision", "key", "重点督办", "341122100", assigned_case.number)
    assert item["form"]["number"] and item["entries"][0]["kind"] == "opened"
    assert body["warnings"] == []
    case = api_as("ducha").get(f"/cases/{assigned_case.number}").json()
    assert (case["supervision_level"], case["supervision_level_label"]) == ("key", "重点督办")
    listed = api_as("ducha").get("/cases").json()["items"]
    assert [c["supervision_level_label"] for c in listed if c["number"] == assigned_case.number] == ["重点督办"]


@pytest.mark.parametrize("who, change, status, code", [
    ("chengban", {}, 403, "not_supervisor"),
    ("ducha", {"unit": "341100"}, 422, "unit_out_of_scope"),
    ("ducha", {"due_date": "2026-03-01"}, 422, "due_in_past"),
    ("ducha", {"level": "urgent"}, 422, None),
    ("ducha", {"due_date": "next week"}, 422, None),
    ("ducha", {"requirement": ""}, 422, None),
])
def test_opening_is_refused_with_the_reason(api_as, assigned_case, who, change, status, code):
    response = api_as(who).post(f"/cases/{assigned_case.number}/supervision", {**BODY, **change})
    assert response.status_code == status, response.content
    error = error_of(response)
    assert error["message"]
    if code:
        assert error["code"] == code
    assert not Obligation.objects.filter(kind="supervision").exists()


def test_a_case_outside_the_scope_answers_404_and_a_second_item_409(api_as, assigned_case, item):
    assert api_as("qs_fuzeren").post(f"/cases/{assigned_case.number}/supervision", {**BODY, "unit": "341122200"}).status_code == 404
    response = api_as("fuzeren").post(f"/cases/{assigned_case.number}/supervision", BODY)
    assert response.status_code == 409 and error_of(response)["code"] == "already_supervised"
    assert f"#{item.pk}" in error_of(response)["message"]
    assert Obligation.objects.filter(kind="supervision").count() == 1


def test_the_list_filters_and_counts_per_level(api_as, item, assigned_case):
    api = api_as("ducha")
    api.post(f"/cases/{assigned_case.number}/supervision", {**BODY, "unit": "341122-ZJJ", "level": "listed", "responsible": ""})
    page = api.get("/obligations", {"kind": "supervision"}).json()
    assert page["count"] == 2 and page["counts_by_level"] == {"general": 0, "key": 1, "listed": 1}
    listed = api.get("/obligations", {"kind": "supervision", "level": "listed"}).json()
    assert [i["owner_unit"]["code"] for i in listed["items"]] == ["341122-ZJJ"] and listed["count"] == page["counts_by_level"]["listed"]
    assert api.get("/obligations", {"owner_unit": "341122100", "kind": "supervision"}).json()["count"] == 1
    assert api.get("/obligations", {"kind": "report_back"}).json()["count"] == 1  # the assignment's report-back
    assert api.get("/obligations", {"overdue": "true"}).json()["count"] == 0
    assert api.get("/obligations", {"owner_unit": "NO-SUCH"}).status_code == 422
    assert api.get("/obligations", {"colour": "red"}).status_code == 422
    # Another township sees nothing of it.
    assert api_as("qs_fuzeren").get("/obligations").json()["count"] == 0


def test_overdue_items_are_listed_as_overdue(api_as, item, on_day):
    on_day.move_to(datetime.datetime(2026, 3, 14, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    page = api_as("ducha").get("/obligations", {"kind": "supervision", "overdue": "true"}).json()
    assert [i["id"] for i in page["items"]] == [item.pk] and page["items"][0]["overdue"] is True


def test_the_detail_has_the_record_and_404_outside_the_scope(api_as, item):
    body = api_as("cg_chengban").get(f"/obligations/{item.pk}").json()
    assert body["requirement"] == "十日内核实补偿款发放情况并报告" and [e["kind"] for e in body["entries"]] == ["opened"]
    assert api_as("qs_fuzeren").get(f"/obligations/{item.pk}").status_code == 404
    assert api_as("ducha").get("/obligations/999999").status_code == 404


def test_report_then_send_back_then_accept(api_as, item):
    township, supervisor = api_as("cg_chengban"), api_as("ducha")
    response = township.post(f"/obligations/{item.pk}/reports", {"text": "正在核实"})
    assert response.status_code == 201 and response.json()["status"] == "open"
    assert supervisor.post(f"/obligations/{item.pk}/accept", {}).status_code == 409  # no result yet
    response = township.post(f"/obligations/{item.pk}/reports", {"text": "已发放", "final": True})
    assert response.json()["status"] == "reported"
    response = supervisor.post(f"/obligations/{item.pk}/send-back", {"reason": "缺凭证", "due_date": "2026-03-20"})
    assert response.status_code == 200 and (response.json()["status"], response.json()["due_date"]) == ("open", "2026-03-20")
    township.post(f"/obligations/{item.pk}/reports", {"text": "附凭证", "final": True})
    response = supervisor.post(f"/obligations/{item.pk}/accept", {"note": "同意"})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert [e["kind"] for e in response.json()["entries"]] == ["opened", "progress", "result", "sent_back", "result", "accepted"]


def test_report_refusals(api_as, item):
    response = api_as("chengban").post(f"/obligations/{item.pk}/reports", {"text": "代报"})
    assert response.status_code == 403 and error_of(response)["code"] == "not_owner"
    assert api_as("qs_fuzeren").post(f"/obligations/{item.pk}/reports", {"text": "代报"}).status_code == 404
    assert api_as("cg_chengban").post(f"/obligations/{item.pk}/reports", {"text": ""}).status_code == 422
    assert api_as("cg_chengban").post(f"/obligations/{item.pk}/reports", {"text": "x", "extra": 1}).status_code == 422
    assert Obligation.objects.get(pk=item.pk).entries.count() == 1


def test_send_back_refusals(api_as, item):
    api_as("cg_chengban").post(f"/obligations/{item.pk}/reports", {"text": "已发放", "final": True})
    supervisor = api_as("ducha")
    assert supervisor.post(f"/obligations/{item.pk}/send-back", {"reason": "缺", "due_date": "2026-03-01"}).status_code == 422
    assert supervisor.post(f"/obligations/{item.pk}/send-back", {"reason": "缺"}).status_code == 422
    assert api_as("cg_fuzeren").post(f"/obligations/{item.pk}/send-back",
                                     {"reason": "缺", "due_date": "2026-03-20"}).status_code == 403
    assert Obligation.objects.get(pk=item.pk).status == "reported"


def test_escalate_and_cancel(api_as, item, assigned_case):
    supervisor = api_as("ducha")
    assert api_as("cg_fuzeren").post(f"/obligations/{item.pk}/escalate", {"level": "listed"}).status_code == 403
    assert supervisor.post(f"/obligations/{item.pk}/escalate", {"level": "general"}).status_code == 422
    response = supervisor.post(f"/obligations/{item.pk}/escalate", {"level": "listed", "text": "久拖不决"})
    assert response.status_code == 200 and response.json()["level"] == "listed"
    assert Case.objects.get(pk=assigned_case.pk).supervision_level == "listed"
    assert supervisor.post(f"/obligations/{item.pk}/cancel", {"reason": ""}).status_code == 422
    assert api_as("cg_fuzeren").post(f"/obligations/{item.pk}/cancel", {"reason": "x"}).status_code == 403
    response = supervisor.post(f"/obligations/{item.pk}/cancel", {"reason": "立项有误"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert supervisor.post(f"/obligations/{item.pk}/cancel", {"reason": "再撤"}).status_code == 409
    assert Case.objects.get(pk=assigned_case.pk).supervision_level == ""


def test_every_route_is_in_the_openapi_document_with_the_error_shape(api_as):
    paths = api_as().get("/openapi.json").json()["paths"]
    for path, method in [("/api/v1/obligations", "get"), ("/api/v1/obligations/{id}", "get"), ("/api/v1/obligations/{id}/reports", "post"),
                         ("/api/v1/obligations/{id}/accept", "post"), ("/api/v1/obligations/{id}/send-back", "post"),
                         ("/api/v1/obligations/{id}/cancel", "post"), ("/api/v1/obligations/{id}/escalate", "post"),
                         ("/api/v1/cases/{number}/supervision", "post")]:
        responses = paths[path][method]["responses"]
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut"), path
        assert "404" in responses or path == "/api/v1/obligations"
