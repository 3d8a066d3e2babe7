"""Petitioners' ID numbers, phones and addresses are AES-GCM tokens in the database;
Python sees the plain values, and the keyed hashes beside them find a person."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from xinfang.intake.models import Petitioner
from xinfang.lib import crypto

pytestmark = pytest.mark.django_db
ID, PHONE, ADDRESS = "11010519491231002X", "13800000001", "安宁县城关镇东街1号"


def raw_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, address, id_number_hash, phone_hash FROM intake_petitioner WHERE id = %s", [pk])
        return cursor.fetchone()


def registered(register_case, **person):
    case = register_case(petitioners=[{"name": "刘某", "id_number": ID, "phone": PHONE, "address": ADDRESS, **person}])
    return Petitioner.objects.get(petition__case=case)


def test_the_columns_hold_no_plain_id_number_phone_or_address(register_case):
    person = registered(register_case)
    stored = raw_row(person.pk)

    for plain, token in zip((ID, PHONE, ADDRESS), stored[:3], strict=True):
        assert token.startswith("xf1$test1$") and plain not in token
    assert ID not in "".join(stored) and PHONE not in "".join(stored) and "城关镇" not in "".join(stored)
    assert (person.id_number, person.phone, person.address) == (ID, PHONE, ADDRESS)


def test_the_same_value_encrypts_differently_each_time(register_case):
    first, second = registered(register_case), registered(register_case)
    assert raw_row(first.pk)[0] != raw_row(second.pk)[0]
    assert raw_row(first.pk)[3] == raw_row(second.pk)[3]  # and hashes the same: that is what finds them


def test_a_token_moved_to_another_column_does_not_open(register_case):
    person = registered(register_case)
    id_token = raw_row(person.pk)[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petitioner SET phone = %s WHERE id = %s", [id_token, person.pk])

    phone = Petitioner.objects.get(pk=person.pk).phone
    assert isinstance(phone, crypto.Unreadable) and "校验失败" in phone and ID not in phone


def test_blank_values_stay_blank_and_have_no_hash(register_case):
    case = register_case(petitioners=[{"name": "刘某"}])
    person = Petitioner.objects.get(petition__case=case)
    assert raw_row(person.pk) == ("", "", "", "", "")
    assert (person.id_number, person.phone, person.address) == ("", "", "")


def test_the_hashes_are_of_the_normalised_numbers():
    assert crypto.lookup_hash("id", ID.lower()) == crypto.lookup_hash("id", f" {ID} ")
    assert crypto.lookup_hash("phone", "138-0000-0001") == crypto.lookup_hash("phone", "+86 138 0000 0001") == crypto.lookup_hash("phone", PHONE)
    assert crypto.lookup_hash("phone", "0551-12345678") != crypto.lookup_hash("phone", "0551-12345679")
    assert crypto.lookup_hash("id", "") == crypto.lookup_hash("phone", " - ") == ""


def test_changing_a_number_with_update_fields_changes_its_hash(register_case):
    person = registered(register_case)
    person.phone = "13900000009"
    person.save(update_fields=["phone"])

    assert raw_row(person.pk)[4] == crypto.lookup_hash("phone", "13900000009")
    assert Petitioner.objects.get(pk=person.pk).phone == "13900000009"


def test_filtering_on_an_encrypted_column_is_an_error_not_an_empty_answer(register_case):
    registered(register_case)
    with pytest.raises(FieldError, match="lookup hash"):
        list(Petitioner.objects.filter(id_number=ID))
    with pytest.raises(FieldError):
        list(Petitioner.objects.filter(phone__contains="0001"))
    assert Petitioner.objects.exclude(address="").count() == 1


def test_dumpdata_writes_tokens_and_loaddata_reads_them_back(register_case, tmp_path):
    from django.core.management import call_command

    person = registered(register_case)
    dump = tmp_path / "petitioners.json"
    call_command("dumpdata", "intake.petitioner", output=str(dump))
    text = dump.read_text()
    assert ID not in text and PHONE not in text and "东街" not in text and "xf1$test1$" in text

    Petitioner.objects.filter(pk=person.pk).update(name="改过")
    call_command("loaddata", str(dump), verbosity=0)
    again = Petitioner.objects.get(pk=person.pk)
    assert (again.name, again.id_number, again.phone, again.address) == ("刘某", ID, PHONE, ADDRESS)
    assert raw_row(person.pk)[3] == crypto.lookup_hash("id", ID)


def test_a_token_assigned_as_it_is_is_stored_as_it_is_and_hashed_by_what_it_holds(register_case):
    person = registered(register_case)
    token = raw_row(person.pk)[1]
    other = Petitioner.objects.create(petition=person.petition, name="同号", phone=token)
    assert raw_row(other.pk)[1] == token and raw_row(other.pk)[4] == crypto.lookup_hash("phone", PHONE)
