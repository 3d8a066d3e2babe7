"""The case page shows petitioners' numbers and address masked; 显示完整信息 reveals
them to the roles that may see them, and every reveal (and refusal) is recorded."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.intake.models import Petitioner

ID, PHONE, ADDRESS = "11010519491231002X", "13800000001", "安宁县城关镇东街1号"
PERSON = {"name": "刘某", "id_number": ID, "phone": PHONE, "address": ADDRESS}


@pytest.fixture
def case(register_case):
    return register_case(petitioners=[PERSON])


def page(client, case):
    return client.get(reverse("web:case", args=[case.number])).content.decode()


def reveal_url(case):
    return reverse("web:reveal_petitioner", args=[case.number, Petitioner.objects.get(petition__case=case).pk])


@pytest.mark.parametrize("username", ["dengji", "chengban", "fuzeren", "ducha", "tongji", "lingdao"])
def test_everyone_sees_masked_values_on_the_page(login, case, username):
    html = page(login(username), case)
    assert "1101**********002X" in html and "138****0001" in html and "安宁县城关镇****" in html
    assert ID not in html and PHONE not in html and "东街1号" not in html


def test_the_reveal_button_is_there_only_for_roles_that_may_reveal(login, case):
    assert 'data-testid="reveal"' in page(login("dengji"), case)
    assert 'data-testid="reveal"' in page(login("chengban"), case)  # the bureau holds the case
    assert 'data-testid="reveal"' not in page(login("ducha"), case)
    assert 'data-testid="reveal"' not in page(login("lingdao"), case)


def test_revealing_answers_the_full_row_and_is_recorded(login, case, people):
    response = login("dengji").post(reveal_url(case), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200 and ID in html and PHONE in html and ADDRESS in html and "已留痕" in html
    entry = AuditEntry.objects.get(action="petitioner.reveal")
    assert entry.actor == people["dengji"] and entry.detail == {"case": case.number, "fields": ["id_number", "phone", "address"]}
    assert ID not in str(entry.detail) and entry.ip == "127.0.0.1"


def test_a_role_that_may_not_reveal_is_refused_and_the_attempt_recorded(login, case, people):
    response = login("ducha").post(reveal_url(case))

    assert response.status_code == 403 and ID not in response.content.decode()
    assert not AuditEntry.objects.filter(action="petitioner.reveal").exists()
    assert AuditEntry.objects.get(action="petitioner.reveal_refused").actor == people["ducha"]


def test_a_user_of_another_unit_gets_404(login, case):
    response = login("qs_fuzeren").post(reveal_url(case))
    assert response.status_code == 404 and ID not in response.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="petitioner.reveal").exists()


def test_a_petitioner_of_another_case_is_404_through_this_case(login, case, register_case):
    other = register_case(petitioners=[{"name": "别人", "phone": "13900000009"}])
    url = reverse("web:reveal_petitioner", args=[case.number, Petitioner.objects.get(petition__case=other).pk])
    assert login("dengji").post(url).status_code == 404


def test_after_assignment_the_township_reveals_and_the_bureau_head_no_longer_does(login, case, people, units):
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

    assert login("cg_chengban").post(reveal_url(case)).status_code == 200
    assert login("cg_fuzeren").post(reveal_url(case)).status_code == 200
    assert login("fuzeren").post(reveal_url(case)).status_code == 403
    assert login("dengji").post(reveal_url(case)).status_code == 200  # the registrar of the receiving office


def test_an_accuser_hidden_from_the_accused_unit_is_neither_masked_nor_revealable(login, register_case, people, units):
    case = register_case(kind="accusation", title="反映某干部违规", petitioners=[PERSON])
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

    html = page(login("cg_fuzeren"), case)
    assert "刘某" not in html and "002X" not in html and "138****" not in html and 'data-testid="reveal"' not in html
    assert login("cg_fuzeren").post(reveal_url(case)).status_code == 404
    assert login("dengji").post(reveal_url(case)).status_code == 200


def test_reveal_needs_a_post_with_the_csrf_token(people, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["dengji"])
    assert client.get(reveal_url(case)).status_code == 405
    assert client.post(reveal_url(case)).status_code == 403
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page(client, case))[1]
    assert client.post(reveal_url(case), headers={"X-CSRFToken": token}).status_code == 200
