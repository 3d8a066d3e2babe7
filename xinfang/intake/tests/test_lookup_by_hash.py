"""Finding a petitioner's earlier cases by ID number or phone goes through the keyed
hashes: nothing is decrypted, and it keeps working while the lookup key rotates."""

import base64

import pytest

from xinfang.intake.services import candidate_cases, cases_of_people
from xinfang.lib import crypto

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def test_it_finds_by_id_number_in_any_case_and_by_phone_in_any_spelling(register_case, people):
    mine = register_case(petitioners=[{"name": "刘某", "id_number": ID, "phone": "13800000001"}])
    register_case(petitioners=[{"name": "别人", "phone": "13900000009"}])

    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"id_number": ID.lower()}])) == [mine]
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"phone": "138-0000-0001"}])) == [mine]
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"phone": "+86 13800000001"}])) == [mine]
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"phone": "13800000002"}])) == []


def test_it_never_looks_outside_the_clerks_scope(register_case, people):
    register_case(petitioners=[{"name": "刘某", "id_number": ID}])
    assert list(candidate_cases(actor=people["qs_fuzeren"], petitioners=[{"id_number": ID}])) == []


def test_rows_hashed_under_an_older_lookup_key_are_still_found_during_a_rotation(register_case, people, settings):
    mine = register_case(petitioners=[{"name": "刘某", "id_number": ID}])
    newer = "lnew:" + base64.b64encode(b"n" * 32).decode()
    settings.XINFANG_LOOKUP_KEYS = settings.XINFANG_LOOKUP_KEYS + "," + newer

    assert crypto.ring().current_lookup_id == "lnew"
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"id_number": ID}])) == [mine]


def test_the_cases_of_the_same_people_are_found_by_id_number_or_phone_newest_first(register_case):
    older = register_case(received_at="2026-01-05T09:00:00+08:00", petitioners=[{"name": "刘某", "id_number": ID}])
    newer = register_case(received_at="2026-02-05T09:00:00+08:00", petitioners=[{"name": "刘某", "phone": "13800000001"}])
    register_case(received_at="2026-02-10T09:00:00+08:00", petitioners=[{"name": "别人", "phone": "13900000009"}])

    both = [{"id_number": ID.lower()}, {"phone": "138-0000-0001"}]
    assert cases_of_people(both) == [newer.pk, older.pk]
    assert cases_of_people([{"id_number": ID}]) == [older.pk]
    assert cases_of_people([{"phone": "13800000001"}]) == [newer.pk]
    assert cases_of_people([{"name": "刘某"}]) == [] and cases_of_people([]) == []


def test_a_case_is_named_once_however_many_of_its_petitions_match_and_at_most_limit_cases(register_case, people):
    cases = [register_case(received_at=f"2026-02-0{day}T09:00:00+08:00", petitioners=[{"name": "刘某", "id_number": ID}])
             for day in range(1, 6)]
    # Two more petitions of the newest case, by the same person.
    for _ in range(2):
        register_case(case=cases[-1].number, received_at="2026-02-06T09:00:00+08:00", petitioners=[{"name": "刘某", "id_number": ID}])

    newest_first = [c.pk for c in reversed(cases)]
    assert cases_of_people([{"id_number": ID}]) == newest_first
    assert cases_of_people([{"id_number": ID}], limit=2) == newest_first[:2]
    assert cases_of_people([{"id_number": ID}], limit=1) == newest_first[:1]


def test_the_candidates_leave_out_the_case_being_registered_and_are_newest_first_up_to_the_limit(register_case, people):
    older = register_case(received_at="2026-01-05T09:00:00+08:00", petitioners=[{"name": "刘某", "id_number": ID}])
    newer = register_case(received_at="2026-02-05T09:00:00+08:00", petitioners=[{"name": "刘某", "id_number": ID}])
    clerk, person = people["dengji"], [{"id_number": ID}]

    assert list(candidate_cases(actor=clerk, petitioners=person)) == [newer, older]
    assert list(candidate_cases(actor=clerk, petitioners=person, exclude=newer)) == [older]
    assert list(candidate_cases(actor=clerk, petitioners=person, limit=1)) == [newer]
    assert list(candidate_cases(actor=clerk, petitioners=[{"name": "刘某"}])) == []


def test_at_most_ten_cases_are_offered_by_default(register_case, people):
    cases = [register_case(received_at=f"2026-02-{day:02d}T09:00:00+08:00", petitioners=[{"name": "刘某", "id_number": ID}])
             for day in range(1, 12)]
    newest_ten = list(reversed(cases))[:10]
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"id_number": ID}])) == newest_ten
    assert cases_of_people([{"id_number": ID}]) == [c.pk for c in newest_ten]
