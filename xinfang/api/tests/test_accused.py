"""The API records who an accusation accuses, shows it, and refuses routing there (Art. 30)."""

import pytest

from .conftest import error_of


@pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)
def test_the_api_registers_an_accusation_with_its_accused_and_shows_them(api_as):
    body = {"channel": "letter", "receiving_unit": "341122-XFJ", "title": "举报村主任", "content": "村主任侵占集体资金。",
            "kind": "accusation", "accused_unit": "341122200202", "accused_post": "村主任"}
    api = api_as("dengji")
    response = api.post("/petitions", body)
    assert response.status_code == 201, response.json()
    number = response.json()["case"]["number"]
    detail = api.get(f"/cases/{number}").json()
    assert detail["accused_unit"]["code"] == "341122200202" and detail["accused_post"] == "村主任"
    assert detail["petitions"][0]["accused_unit"]["name"] == "竹岭村"
    refused = api.post(f"/cases/{number}/actions/forward", {"unit": "341122200202"})
    assert refused.status_code == 422 and error_of(refused)["code"] == "accused_unit"


@pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)
def test_the_api_shows_the_draft_waiting_for_signature_and_signs_it(api_as, register_case, people):
    from xinfang.cases.services import perform

    case = register_case()
    # Forwarded (转送) to 城关镇, which answers it itself (an assigned case's draft goes into
    # its result report: cases/tests/test_report_back.py).
    perform(case=case, action="forward", actor=people["dengji"], unit="341122100")
    perform(case=case, action="accept", actor=people["cg_fuzeren"])
    perform(case=case, action="start", actor=people["cg_chengban"])
    draft = {"outcome": "support", "request_summary": "发放补偿款", "facts": "补偿款未发放", "opinion": "十日内发放"}
    assert api_as("cg_chengban").post(f"/cases/{case.number}/actions/draft", draft).status_code == 200
    head = api_as("cg_fuzeren")
    body = head.get(f"/cases/{case.number}").json()
    assert body["pending_draft"]["opinion"] == "十日内发放" and body["pending_draft"]["drafted_by"] == "郑承办"
    assert "sign" in body["allowed_actions"]
    signed = head.post(f"/cases/{case.number}/actions/sign", {"opinion": "七日内发放"}).json()
    assert signed["status"] == "replied" and signed["pending_draft"] is None and signed["replies"][0]["opinion"] == "七日内发放"
