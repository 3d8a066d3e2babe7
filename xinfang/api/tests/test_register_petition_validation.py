import pytest

from xinfang.cases.models import Case
from xinfang.intake.models import Petition

from .conftest import error_of
from .test_register_petition import LETTER

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_an_id_number_with_a_wrong_check_digit_is_422_on_that_field(api_as):
    body = {**LETTER, "petitioners": [{"name": "刘某", "id_number": "110105194912310021"}]}

    response = api_as("dengji").post("/petitions", body)

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["petitioners.0.id_number"]
    assert not Petition.objects.exists()


def test_missing_required_fields_are_named(api_as):
    response = api_as("dengji").post("/petitions", {"channel": "letter"})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"receiving_unit", "title", "content"}


def test_blank_text_is_refused_by_the_registration_rules(api_as):
    response = api_as("dengji").post("/petitions", {**LETTER, "title": " ", "channel": "fax"})

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"title", "channel"}


def test_a_receiving_unit_outside_the_clerks_scope_is_refused(api_as):
    # 青山乡's head may register for 青山乡 and its villages, not for the county bureau.
    response = api_as("qs_fuzeren").post("/petitions", LETTER)

    assert response.status_code == 422
    assert "receiving_unit" in error_of(response)["fields"]
    assert not Case.objects.exists()


def test_a_role_that_may_not_register_gets_403(api_as):
    response = api_as("tongji").post("/petitions", LETTER)

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_attaching_to_a_case_out_of_sight_is_a_field_error_and_writes_nothing(api_as):
    number = api_as("dengji").post("/petitions", LETTER).json()["case"]["number"]

    response = api_as("qs_fuzeren").post("/petitions", {**LETTER, "receiving_unit": "341122200", "case": number})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["case"]
    assert Petition.objects.count() == 1


def test_malformed_json_is_400_in_the_error_shape(api_as):
    response = api_as("dengji").post("/petitions", raw='{"channel": "letter",')

    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_json"


def test_a_body_that_is_not_an_object_is_422(api_as):
    for raw in ("[1, 2]", '"letter"', "NaN", "null"):
        response = api_as("dengji").post("/petitions", raw=raw)
        assert response.status_code == 422, raw
        assert error_of(response)["code"] == "invalid"


def test_wrong_types_unknown_fields_and_huge_numbers_are_422_not_500(api_as):
    body = {**LETTER, "channel": 5, "headcount": 10**40, "petitioners": [{"name": {"nested": True}}], "colour": "red"}

    response = api_as("dengji").post("/petitions", body)

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"channel", "headcount", "petitioners.0.name", "colour"}


def test_nul_characters_are_422_because_the_database_cannot_store_them(api_as):
    body = {**LETTER, "content": "a\x00b", "representatives": ["\x00"], "petitioners": [{"name": "刘\x00某"}]}

    response = api_as("dengji").post("/petitions", body)

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"content", "representatives", "petitioners.0.name"}


def test_implausible_times_are_422(api_as):
    for received_at in ("0001-01-01T00:00:00+08:00", 10**20, "2026-02-30T10:00", "2026-03-09T10:00+08:00"):
        response = api_as("dengji").post("/petitions", {**LETTER, "received_at": received_at})
        assert response.status_code == 422, received_at
        assert list(error_of(response)["fields"]) == ["received_at"]
