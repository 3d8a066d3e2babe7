"""The API's case detail gives petitioners' numbers and address masked; POST
/cases/{number}/petitioners/{id}/reveal gives them in full to the roles that may see
them, and records it."""

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.intake.models import Petitioner

from .conftest import error_of

ID, PHONE, ADDRESS = "11010519491231002X", "13800000001", "安宁县城关镇东街1号"
PERSON = {"name": "刘某", "id_number": ID, "phone": PHONE, "address": ADDRESS, "is_representative": False}


@pytest.fixture
def case(register_case):
    return register_case(petitioners=[PERSON])


def petitioner_of(case):
    return Petitioner.objects.get(petition__case=case)


def reveal(api, case, pk=None):
    return api.post(f"/cases/{case.number}/petitioners/{pk or petitioner_of(case).pk}/reveal")


@pytest.mark.parametrize("username, can_reveal", [("dengji", True), ("chengban", True), ("ducha", False), ("tongji", False)])
def test_the_case_detail_masks_for_everyone_and_says_who_may_reveal(api_as, case, username, can_reveal):
    body = api_as(username).get(f"/cases/{case.number}").json()

    [person] = body["petitions"][0]["petitioners"]
    assert person == {"id": petitioner_of(case).pk, "name": "刘某", "id_number": "1101**********002X", "phone": "138****0001",
                      "address": "安宁县城关镇****", "is_representative": False, "masked": True, "can_reveal": can_reveal,
                      "document_type": "resident_id", "document_type_label": "居民身份证", "sex": "female",
                      "household_unit": None, "household_place": ""}


def test_reveal_answers_the_full_values_and_records_it(api_as, case, people):
    response = reveal(api_as("dengji"), case)

    assert response.status_code == 200
    assert response.json() == {"id": petitioner_of(case).pk, **PERSON, "masked": False, "unreadable": [],
                               "document_type": "resident_id", "sex": "female", "household_place": ""}
    entry = AuditEntry.objects.get(action="petitioner.reveal")
    assert entry.actor == people["dengji"] and entry.object_id == str(petitioner_of(case).pk)
    assert entry.detail["case"] == case.number and PHONE not in str(entry.detail)


def test_a_role_that_may_not_reveal_gets_403_and_the_attempt_is_recorded(api_as, case, people):
    response = reveal(api_as("ducha"), case)

    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
    assert PHONE not in response.content.decode()
    assert AuditEntry.objects.get(action="petitioner.reveal_refused").actor == people["ducha"]


def test_a_user_of_another_unit_gets_404_as_if_the_case_did_not_exist(api_as, case):
    response = reveal(api_as("qs_fuzeren"), case)
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert not AuditEntry.objects.filter(action__startswith="petitioner.reveal").exists()


def test_a_petitioner_not_in_the_case_or_not_a_number_is_404(api_as, case, register_case):
    other = register_case(petitioners=[{"name": "别人", "phone": "13900000009"}])
    assert reveal(api_as("dengji"), case, petitioner_of(other).pk).status_code == 404
    assert reveal(api_as("dengji"), case, 10**12).status_code == 404
    assert api_as("dengji").post(f"/cases/{case.number}/petitioners/abc/reveal").status_code in (404, 422)


def test_a_hidden_accuser_is_404_and_absent_from_the_detail(api_as, register_case, people, units):
    case = register_case(kind="accusation", title="反映某干部违规", petitioners=[PERSON])
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

    detail = api_as("cg_fuzeren").get(f"/cases/{case.number}").json()
    assert detail["petitions"][0]["petitioners"] == [] and detail["petitions"][0]["identity_hidden"] is True
    assert reveal(api_as("cg_fuzeren"), case).status_code == 404
    assert reveal(api_as("dengji"), case).status_code == 200


def test_reveal_needs_a_token(api_as, case):
    assert reveal(api_as(), case).status_code == 401


def test_revealing_past_the_hourly_limit_is_refused_with_429_and_recorded(api_as, case, people, settings):
    from django.core.cache import cache

    settings.STAFF_RATE_LIMITS = {"reveal_user": "2/1h"}
    cache.clear()
    api = api_as("dengji")

    answers = [reveal(api, case).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert "过于频繁" in error_of(reveal(api, case))["message"]
    assert AuditEntry.objects.filter(action="petitioner.reveal", actor=people["dengji"]).count() == 2
    assert AuditEntry.objects.filter(action="petitioner.reveal_throttled", actor=people["dengji"]).count() == 2
    assert reveal(api_as("chengban"), case).status_code == 200  # the limit is per person
    cache.clear()
