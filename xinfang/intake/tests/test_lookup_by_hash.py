"""Finding a petitioner's earlier cases by ID number or phone goes through the keyed
hashes: nothing is decrypted, and it keeps working while the lookup key rotates."""

import base64

import pytest

from xinfang.intake.services import candidate_cases
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
