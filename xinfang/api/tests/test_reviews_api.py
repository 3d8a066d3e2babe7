"""The review and accountability routes: a round drawn, a case scored, findings sent and
answered, a record made and read; and every refusal in the documented error shape."""

import datetime

import pytest
from django.utils import timezone

from xinfang.audit.models import AuditEntry
from xinfang.supervision.models import AccountabilityRecord, CaseReview, ReviewRound, ReviewStatus
from xinfang.supervision.tests.reviewkit import GOOD, POOR, answered_by_town, answered_here  # noqa: F401

from .conftest import error_of


@pytest.fixture
def drawn(api_as, answered_by_town):
    case = answered_by_town()
    today = timezone.localdate()
    api = api_as("ducha")
    made = api.post("/reviews/rounds", {"name": "API评查", "period_start": (today - datetime.timedelta(days=7)).isoformat(),
                                        "period_end": today.isoformat()})
    assert made.status_code == 201, made.content
    drawn = api.post(f"/reviews/rounds/{made.json()['id']}/sample", {"numbers": [case.number]})
    assert drawn.status_code == 200, drawn.content
    return case, drawn.json()


def test_a_round_is_drawn_scored_sent_and_answered(api_as, drawn):
    case, round_ = drawn
    assert round_["rule"]["mode"] == "hand" and round_["figures"]["sampled"] == 1
    review = round_["reviews"][0]
    assert review["case"] == case.number and review["unit_name"] == "城关镇人民政府" and review["status"] == "pending"
    api = api_as("ducha")
    scored = api.post(f"/reviews/{review['id']}/scores", {"scores": POOR, "findings": "事实未查清"})
    assert scored.status_code == 200, scored.content
    assert scored.json()["grade_label"] == "不合格" and scored.json()["total"] == 43.0
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    sent = api.post(f"/reviews/{review['id']}/send", {"due_date": due})
    assert sent.status_code == 200 and sent.json()["status"] == "sent" and sent.json()["obligation"]
    town = api_as("cg_fuzeren")
    assert [f["id"] for f in town.get("/reviews/findings").json()] == [review["id"]]
    answered = town.post(f"/reviews/{review['id']}/response", {"text": "已重新调查并补充答复"})
    assert answered.status_code == 200 and answered.json()["status"] == "acknowledged"
    figures = api.get(f"/reviews/rounds/{round_['id']}").json()["figures"]
    assert figures["responded"] == 1 and figures["per_grade"][2]["count"] == 1
    listed = api_as("lingdao").get("/reviews/rounds").json()
    assert [(r["id"], r["sampled"], r["reviewed"], r["responded"], r["average"]) for r in listed] == [(round_["id"], 1, 1, 1, 43.0)]
    answer = api_as("chengban").get("/reviews/rounds")
    assert answer.status_code == 403
    error_of(answer)


def test_scores_out_of_range_are_refused(api_as, drawn):
    review = drawn[1]["reviews"][0]
    answer = api_as("ducha").post(f"/reviews/{review['id']}/scores", {"scores": {**GOOD, "facts": 30}})
    assert answer.status_code == 422 and error_of(answer)["fields"]["facts"]
    assert CaseReview.objects.get().status == ReviewStatus.PENDING


def test_findings_missing_for_a_failing_grade_are_refused(api_as, drawn):
    review = drawn[1]["reviews"][0]
    answer = api_as("ducha").post(f"/reviews/{review['id']}/scores", {"scores": POOR})
    assert answer.status_code == 422 and error_of(answer)["code"] == "findings_required"
    assert CaseReview.objects.get().total is None


def test_a_handler_may_not_review(api_as, drawn):
    review = drawn[1]["reviews"][0]
    for who in ("chengban", "cg_chengban"):
        answer = api_as(who).post(f"/reviews/{review['id']}/scores", {"scores": GOOD})
        assert answer.status_code in (403, 404)
        error_of(answer)
    answer = api_as("chengban").post("/reviews/rounds", {"name": "x", "period_start": "2026-01-01", "period_end": "2026-01-31"})
    assert answer.status_code == 403 and error_of(answer)["code"] == "not_reviewer"
    assert CaseReview.objects.get().status == ReviewStatus.PENDING and ReviewRound.objects.count() == 1


def test_a_case_outside_scope_is_refused(api_as, drawn, answered_here):
    round_ = drawn[1]
    answer = api_as("ducha").post(f"/reviews/rounds/{round_['id']}/sample", {"numbers": ["341122-2099-99999"]})
    assert answer.status_code == 404 and error_of(answer)["code"] == "case_not_found"
    answer = api_as("qs_fuzeren").get(f"/reviews/rounds/{round_['id']}")
    assert answer.status_code == 404
    error_of(answer)


def test_a_unit_may_not_respond_to_another_units_findings(api_as, drawn):
    review = drawn[1]["reviews"][0]
    api = api_as("ducha")
    api.post(f"/reviews/{review['id']}/scores", {"scores": GOOD})
    api.post(f"/reviews/{review['id']}/send", {})
    answer = api_as("qs_fuzeren").post(f"/reviews/{review['id']}/response", {"text": "我们来答"})
    assert answer.status_code == 404
    error_of(answer)
    answer = api_as("ducha").post(f"/reviews/{review['id']}/response", {"text": "代答"})
    assert answer.status_code == 403 and error_of(answer)["code"] == "not_your_unit"
    assert CaseReview.objects.get().response == ""


def test_accountability_records_are_made_by_supervisors_and_reads_are_logged(api_as, answered_here):
    case = answered_here()
    body = {"summary": "答复超期", "subject_unit": "341122100", "decided_by": "中共安宁县委办公室",
            "decided_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "basis": "《信访工作条例》第四十五条",
            "kind": "notice", "cases": [case.number]}
    for who in ("chengban", "fuzeren", "lingdao"):
        answer = api_as(who).post("/reviews/accountability", body)
        assert answer.status_code == 403 and error_of(answer)["code"] in ("not_recorder", "forbidden")
    assert not AccountabilityRecord.objects.exists()
    made = api_as("ducha").post("/reviews/accountability", body)
    assert made.status_code == 201, made.content
    assert made.json()["kind_label"] == "通报批评" and made.json()["cases"] == [case.number]
    pk = made.json()["id"]
    assert api_as("lingdao").get(f"/reviews/accountability/{pk}").json()["subject_unit_name"] == "城关镇人民政府"
    assert [r["id"] for r in api_as("shenji").get("/reviews/accountability").json()] == [pk]
    assert AuditEntry.objects.filter(action="accountability.read", object_id=str(pk)).count() == 2  # the creator's echo + 领导
    answer = api_as("cg_fuzeren").get(f"/reviews/accountability/{pk}")
    assert answer.status_code == 403
    error_of(answer)
    answer = api_as("ducha").post("/reviews/accountability", {**body, "kind": "other"})
    assert answer.status_code == 422 and "kind_other" in error_of(answer)["fields"]


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for route in ("/api/v1/reviews/rounds", "/api/v1/reviews/rounds/{pk}/sample", "/api/v1/reviews/{pk}/scores",
                  "/api/v1/reviews/{pk}/send", "/api/v1/reviews/{pk}/response", "/api/v1/reviews/accountability",
                  "/api/v1/reviews/accountability/{pk}"):
        assert route in paths, route
