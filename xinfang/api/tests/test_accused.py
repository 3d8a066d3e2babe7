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
