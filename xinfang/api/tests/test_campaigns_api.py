"""/api/v1/campaigns: create, list cases (numbers, rule preview), progress, clear-off with
evidence, approve, refuse; every refusal in the documented error shape, nothing changed."""

import datetime

import pytest
from django.utils import timezone

from xinfang.supervision.models import CampaignCase
from xinfang.supervision.tests.campaign_fixtures import answered, held_case  # noqa: F401

from .conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(api_as):
    today = timezone.localdate()
    r = api_as("ducha").post("/campaigns", {"name": "积案化解专项行动", "unit": "341122", "starts_on": str(today - datetime.timedelta(days=10)),
                                            "ends_on": str(today + datetime.timedelta(days=30)), "leader": "lingdao"})
    assert r.status_code == 201, r.content
    return r.json()


def test_create_list_and_read_a_campaign(api_as, running):
    assert running["leader"] == "lingdao" and running["leader_name"] == "赵县长" and running["rebound_days"] == 180
    assert [c["id"] for c in api_as("ducha").get("/campaigns").json()] == [running["id"]]
    # A township sees the county's campaign that covers it, with its own cases only.
    assert api_as("qs_fuzeren").get(f"/campaigns/{running['id']}").json()["cases"] == []
    today = timezone.localdate()
    township = api_as("qs_fuzeren").post("/campaigns", {"name": "青山乡积案", "starts_on": str(today),
                                                        "ends_on": str(today + datetime.timedelta(days=9)), "leader_name": "冯乡长"}).json()
    assert township["unit"] == "341122200"
    assert [c["id"] for c in api_as("cg_fuzeren").get("/campaigns").json()] == [running["id"]]
    r = api_as("cg_fuzeren").get(f"/campaigns/{township['id']}")
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"


def test_creating_is_refused_without_the_role_or_with_a_bad_period(api_as):
    today = timezone.localdate()
    body = {"name": "积案", "starts_on": str(today), "ends_on": str(today + datetime.timedelta(days=5)), "leader_name": "某"}
    r = api_as("dengji").post("/campaigns", body)
    assert r.status_code == 403 and error_of(r)
    r = api_as("ducha").post("/campaigns", {**body, "ends_on": str(today)})
    assert r.status_code == 422 and error_of(r)["code"] == "bad_period"
    r = api_as("ducha").post("/campaigns", {**body, "leader": "dengji"})
    assert r.status_code == 422 and error_of(r)["code"] == "not_leader"


def test_rule_preview_adds_nothing_then_adding_lists_the_cases(api_as, running, held_case):
    case = held_case()
    path = f"/campaigns/{running['id']}/cases"
    r = api_as("ducha").post(path, {"how": "rule", "rule": {"petitions": 0}, "preview": True})
    assert r.status_code == 200 and r.json()["preview"] is True
    assert [c["number"] for c in r.json()["cases"]] == [case.number] and r.json()["cases"][0]["unit"] == "341122100"
    assert not CampaignCase.objects.exists()
    r = api_as("ducha").post(path, {"how": "rule", "rule": {"petitions": 0}})
    assert r.status_code == 201 and r.json()["count"] == 1
    detail = api_as("ducha").get(f"/campaigns/{running['id']}").json()
    assert [(c["number"], c["status"], c["added_how"], c["unit"]) for c in detail["cases"]] == [(case.number, "listed", "rule", "341122100")]


def test_a_case_twice_or_outside_the_scope_is_refused(api_as, running, held_case, units, people):
    case = held_case()
    path = f"/campaigns/{running['id']}/cases"
    assert api_as("ducha").post(path, {"how": "hand", "numbers": [case.number]}).status_code == 201
    r = api_as("ducha").post(path, {"how": "hand", "numbers": [case.number]})
    assert r.status_code == 409 and error_of(r)["code"] == "already_listed"
    # 青山乡's own campaign cannot list a county case it does not see.
    today = timezone.localdate()
    township = api_as("qs_fuzeren").post("/campaigns", {"name": "青山乡积案", "starts_on": str(today),
                                                        "ends_on": str(today + datetime.timedelta(days=9)), "leader_name": "冯乡长"}).json()
    r = api_as("qs_fuzeren").post(f"/campaigns/{township['id']}/cases", {"how": "hand", "numbers": [case.number]})
    assert r.status_code == 404 and error_of(r)
    # The city sees the case, but its responsible unit lies outside a campaign of the city office's own subtree.
    city = api_as("city_fuzeren").post("/campaigns", {"name": "市信访局积案", "unit": "341100-XFJ", "starts_on": str(today),
                                                      "ends_on": str(today + datetime.timedelta(days=9)), "leader_name": "某"}).json()
    r = api_as("city_fuzeren").post(f"/campaigns/{city['id']}/cases", {"how": "hand", "numbers": [case.number]})
    assert r.status_code == 403 and error_of(r)["code"] == "out_of_scope"
    assert CampaignCase.objects.count() == 1


def test_clear_off_needs_evidence_and_the_unit_never_approves_itself(api_as, running, held_case, answered):
    case = held_case()
    base = f"/campaigns/{running['id']}/cases"
    api_as("ducha").post(base, {"how": "hand", "numbers": [case.number]})
    case = answered(case)
    r = api_as("cg_fuzeren").post(f"{base}/{case.number}/clear-off", {"text": "已化解"})
    assert r.status_code == 422 and error_of(r)["code"] == "no_evidence"
    reply = case.replies.get()
    r = api_as("cg_fuzeren").post(f"{base}/{case.number}/clear-off", {"evidence_kind": "reply", "evidence_ref": reply.pk + 999})
    assert r.status_code == 422 and error_of(r)["code"] == "bad_evidence"
    r = api_as("cg_fuzeren").post(f"{base}/{case.number}/clear-off", {"evidence_kind": "reply", "evidence_ref": reply.pk})
    assert r.status_code == 200 and r.json()["applying"] is True
    r = api_as("cg_fuzeren").post(f"{base}/{case.number}/approve", {})
    assert r.status_code == 403 and error_of(r)["code"] == "own_unit"
    assert api_as("ducha").get(f"/campaigns/{running['id']}/progress").json()["overall"]["cleared"] == 0
    r = api_as("ducha").post(f"{base}/{case.number}/approve", {"note": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "cleared" and r.json()["evidence_kind"] == "reply"
    p = api_as("ducha").get(f"/campaigns/{running['id']}/progress").json()
    assert (p["overall"]["cleared"], p["overall"]["total"], p["overall"]["rate"]) == (1, 1, 100.0)
    assert p["overall"]["time_share"] == 25.0 and p["overall"]["ahead"] is True
    assert [u["unit"] for u in p["units"]] == ["341122100"]


def test_a_refusal_sends_it_back_with_a_new_date(api_as, running, held_case, answered):
    case = held_case()
    base = f"/campaigns/{running['id']}/cases"
    api_as("ducha").post(base, {"how": "hand", "numbers": [case.number]})
    case = answered(case)
    api_as("cg_fuzeren").post(f"{base}/{case.number}/clear-off", {"evidence_kind": "reply", "evidence_ref": case.replies.get().pk})
    due = str(timezone.localdate() + datetime.timedelta(days=7))
    r = api_as("ducha").post(f"{base}/{case.number}/refuse", {"reason": "协议尚未履行", "due_date": due})
    assert r.status_code == 200 and r.json()["status"] == "listed" and r.json()["applying"] is False and r.json()["due_date"] == due
    r = api_as("ducha").post(f"{base}/{case.number}/approve", {})
    assert r.status_code == 409 and error_of(r)


def test_the_routes_are_in_the_openapi_document(api_as):
    paths = api_as("ducha").get("/openapi.json").json()["paths"]
    assert {"/api/v1/campaigns", "/api/v1/campaigns/{campaign_id}/progress", "/api/v1/campaigns/{campaign_id}/cases",
            "/api/v1/campaigns/{campaign_id}/cases/{number}/clear-off"} <= set(paths)
