"""`manage.py rotate_data_keys`: new keys, every row re-encrypted and re-hashed, the old
keys retired; safe to run again, and safe beside registrations."""

import base64
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xinfang.audit.models import AuditEntry
from xinfang.intake.models import Petitioner
from xinfang.intake.services import PetitionIn, candidate_cases, register
from xinfang.lib import crypto

PEOPLE = [{"name": f"人{i}", "id_number": "11010519491231002X" if i == 0 else "", "phone": f"1380000{i:04d}",
           "address": f"安宁县城关镇东街{i}号"} for i in range(7)]


@pytest.fixture
def file_keys(settings, tmp_path):
    settings.XINFANG_DATA_KEYS = settings.XINFANG_LOOKUP_KEYS = ""
    settings.XINFANG_KEY_FILE = tmp_path / "data.keys"
    crypto.reset()
    yield settings.XINFANG_KEY_FILE
    crypto.reset()


def raw():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, phone, address, id_number_hash, phone_hash FROM intake_petitioner ORDER BY id")
        return {row[0]: row[1:] for row in cursor.fetchall()}


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_data_keys", "--wait=0", "--batch-size=3", *args, stdout=out)
    return out.getvalue()


def plain_values():
    return {p.pk: (p.id_number, p.phone, p.address) for p in Petitioner.objects.all()}


@pytest.mark.django_db
def test_rotation_keeps_every_value_readable_changes_every_token_and_retires_the_old_keys(file_keys, register_case, people):
    register_case(petitioners=PEOPLE[:4])
    register_case(petitioners=PEOPLE[4:])
    register_case(petitioners=[])
    old_ring, before, values = crypto.ring(), raw(), plain_values()

    out = rotate()

    ring, after = crypto.ring(), raw()
    assert plain_values() == values
    assert set(ring.data).isdisjoint(old_ring.data) and set(ring.lookup).isdisjoint(old_ring.lookup)
    assert len(ring.data) == len(ring.lookup) == 1  # the old ones retired from the file
    for pk, row in after.items():
        for old, new in zip(before[pk][:3], row[:3], strict=True):
            assert (old == new == "") or (old != new and crypto.token_key_id(new) == ring.current_data_id)
        assert row[4] != before[pk][3] and row[4] == crypto.lookup_hash("phone", values[pk][1])
    assert "re-encrypted 7" in out and "retired keys:" in out and "unreadable 0" in out
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"id_number": "11010519491231002X"}]))
    entry = AuditEntry.objects.get(action="keys.rotate")
    assert entry.detail["rewritten"] == 7 and entry.detail["retired"] == list(old_ring.data) + list(old_ring.lookup)


@pytest.mark.django_db
def test_running_it_again_is_safe_and_finishing_without_a_new_key_rewrites_nothing(file_keys, register_case):
    register_case(petitioners=PEOPLE[:2])
    rotate()
    values, tokens = plain_values(), raw()

    assert "re-encrypted 0" in rotate("--no-new-key") and raw() == tokens
    rotate()
    assert plain_values() == values and raw() != tokens


@pytest.mark.django_db
def test_rows_left_in_plain_text_are_encrypted(file_keys, register_case):
    register_case(petitioners=PEOPLE[:1])
    [pk] = raw()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petitioner SET phone = %s, phone_hash = '' WHERE id = %s", ["13811112222", pk])

    rotate("--no-new-key")

    assert crypto.is_token(raw()[pk][1]) and Petitioner.objects.get(pk=pk).phone == "13811112222"
    assert raw()[pk][4] == crypto.lookup_hash("phone", "13811112222")


@pytest.mark.django_db
def test_an_unreadable_row_is_reported_left_alone_and_its_key_kept(file_keys, register_case):
    register_case(petitioners=PEOPLE[:2])
    first, second = sorted(raw())
    with connection.cursor() as cursor:  # the body of a token altered in the database
        cursor.execute("SELECT address FROM intake_petitioner WHERE id = %s", [first])
        token = cursor.fetchone()[0]
        cursor.execute("UPDATE intake_petitioner SET address = %s WHERE id = %s", [token[:-6] + "AAAA==", first])
    old_data_id = crypto.ring().current_data_id

    with pytest.raises(SystemExit) as exit_:
        out = io.StringIO()
        call_command("rotate_data_keys", "--wait=0", stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert f"intake.petitioner #{first}" in text and "kept" in text and old_data_id in crypto.ring().data
    assert Petitioner.objects.get(pk=second).phone == PEOPLE[1]["phone"]


@pytest.mark.django_db
def test_with_keys_from_the_environment_it_asks_for_the_new_key_there(settings):
    with pytest.raises(CommandError, match="XINFANG_DATA_KEYS"):
        rotate()


@pytest.mark.django_db
def test_with_keys_from_the_environment_it_moves_rows_to_the_newest_and_names_the_unused(settings, register_case):
    register_case(petitioners=PEOPLE[:2])
    settings.XINFANG_DATA_KEYS += ",envnew:" + base64.b64encode(b"e" * 32).decode()

    out = rotate("--no-new-key")

    assert "re-encrypted 2" in out and "remove them from XINFANG_DATA_KEYS" in out and "test1" in out
    assert all(crypto.token_key_id(row[0] or row[1]) == "envnew" for row in raw().values())


@pytest.mark.django_db(transaction=True)
def test_registrations_during_a_rotation_are_neither_lost_nor_left_under_a_retired_key(file_keys, people, units):
    def letter(i):
        return PetitionIn(channel="letter", receiving_unit=units["bureau"], title=f"来信{i}", content="补偿款未发放。",
                          kind="grievance", petitioners=[{"name": f"人{i}", "phone": f"1390000{i:04d}", "address": f"青山乡{i}号"}])

    for i in range(20):
        register(actor=people["dengji"], data=letter(i))
    errors = []

    def clerk():
        try:
            for i in range(20, 40):
                register(actor=people["dengji"], data=letter(i))
        except Exception as error:  # pragma: no cover - the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=clerk)
    thread.start()
    rotate()
    thread.join()
    rotate("--no-new-key")  # what a second run finds after the clerk's last rows

    assert not errors
    ring = crypto.ring()
    people_by_phone = {p.phone: p.address for p in Petitioner.objects.all()}
    assert people_by_phone == {f"1390000{i:04d}": f"青山乡{i}号" for i in range(40)}
    assert {crypto.token_key_id(row[1]) for row in raw().values()} == {ring.current_data_id}
