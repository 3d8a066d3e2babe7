import pytest

from xinfang.conftest import PASSWORD

from .conftest import error_of

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_staff_of_another_township_get_404_for_a_case_that_never_went_there(api_as, routed_case):
    response = api_as("qs_fuzeren").get(f"/cases/{routed_case.number}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_404_for_a_hidden_case_is_the_same_as_for_a_missing_one(api_as, routed_case):
    api = api_as("qs_fuzeren")

    hidden = api.get(f"/cases/{routed_case.number}")
    missing = api.get("/cases/341122-XFJ-2026-99999")

    assert hidden.json() == missing.json()


def test_staff_of_another_township_see_none_in_the_list(api_as, routed_case):
    body = api_as("qs_fuzeren").get("/cases").json()

    assert body["count"] == 0 and body["items"] == []


def test_staff_of_another_township_cannot_act_on_it(api_as, routed_case):
    response = api_as("qs_fuzeren").post(f"/cases/{routed_case.number}/actions/note", {"note": "看看"})

    assert response.status_code == 404


def test_the_township_it_was_routed_to_sees_it(api_as, routed_case):
    api = api_as("cg_chengban")

    assert api.get(f"/cases/{routed_case.number}").status_code == 200
    assert [c["number"] for c in api.get("/cases").json()["items"]] == [routed_case.number]


def test_an_accusers_identity_is_withheld_from_the_unit_the_accusation_was_routed_to(client, people, register_case):
    from xinfang.cases.services import perform

    case = register_case(kind="accusation", title="举报镇干部")
    case = perform(case=case, action="accept", actor=people["dengji"])
    case = perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    token = client.post("/api/v1/auth/token", {"username": "cg_fuzeren", "password": PASSWORD}, content_type="application/json").json()["token"]
    body = client.get(f"/api/v1/cases/{case.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    petition = body["petitions"][0]
    assert petition["identity_hidden"] is True and petition["petitioners"] == []
    assert "刘某" not in str(body) and "11010519491231002X" not in str(body)
