"""A value whose key is not in the ring (a key file restored from the wrong day, a row
copied from another deployment) is a clear notice on that row, not a broken page."""

import pytest
from django.db import connection
from django.urls import reverse

from xinfang.intake.models import Petitioner
from xinfang.lib import crypto

pytestmark = pytest.mark.django_db
ELSEWHERE = crypto.KeyRing(data={"gone": b"\x09" * 32}, lookup={"lgone": b"\x08" * 32})


@pytest.fixture
def case_with_lost_key(register_case):
    case = register_case(petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001",
                                       "address": "安宁县城关镇东街1号"}])
    person = Petitioner.objects.get(petition__case=case)
    token = crypto.encrypt("13900000009", purpose="intake.petitioner.phone", keys=ELSEWHERE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petitioner SET phone = %s WHERE id = %s", [token, person.pk])
    case.lost_token, case.person = token, person
    return case


def test_the_value_reads_as_a_notice_naming_the_missing_key(case_with_lost_key):
    person = Petitioner.objects.get(pk=case_with_lost_key.person.pk)
    assert isinstance(person.phone, crypto.Unreadable) and "gone" in person.phone
    assert person.id_number == "11010519491231002X"  # the rest of the row reads


def test_the_case_page_still_renders_with_the_notice(client, people, case_with_lost_key):
    client.force_login(people["dengji"])
    response = client.get(reverse("web:case", args=[case_with_lost_key.number]))
    html = response.content.decode()
    assert response.status_code == 200 and "无法解密：密钥 gone 不在密钥环中" in html and "1101**********002X" in html


def test_the_api_answers_with_the_notice_and_reveal_names_the_field(client, people, case_with_lost_key):
    from xinfang.api.services import issue_token

    token, _ = issue_token(user=people["dengji"])
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get(f"/api/v1/cases/{case_with_lost_key.number}", headers=headers).json()
    assert "无法解密" in body["petitions"][0]["petitioners"][0]["phone"]

    revealed = client.post(f"/api/v1/cases/{case_with_lost_key.number}/petitioners/{case_with_lost_key.person.pk}/reveal",
                           headers=headers).json()
    assert revealed["unreadable"] == ["phone"] and revealed["id_number"] == "11010519491231002X"


def test_saving_the_row_keeps_the_token_it_could_not_read(case_with_lost_key):
    person = Petitioner.objects.get(pk=case_with_lost_key.person.pk)
    person.name = "刘某某"
    person.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_hash FROM intake_petitioner WHERE id = %s", [person.pk])
        phone, phone_hash = cursor.fetchone()
    assert phone == case_with_lost_key.lost_token and phone_hash == crypto.lookup_hash("phone", "13800000001")
