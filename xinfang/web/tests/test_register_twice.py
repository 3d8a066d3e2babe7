"""A registration form sent twice (a double POST, a reload, two requests at once) makes
one case: the form's one-time key finds the case the first sending made."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from xinfang.cases.models import Case
from xinfang.intake.models import Petition
from xinfang.intake.services import PetitionIn, register_once
from xinfang.lib.errors import Invalid

from .test_register_form import form_data


def key_of(client):
    html = client.get(reverse("web:register")).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', html)[1]


def test_the_same_form_posted_twice_makes_one_case_and_the_second_answer_goes_to_it(login):
    client = login("dengji")
    data = form_data(submission_key=key_of(client))

    first = client.post(reverse("web:register"), data)
    second = client.post(reverse("web:register"), data)

    case = Case.objects.get()
    assert Petition.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("web:case", args=[case.number])
    page = client.get(second["Location"]).content.decode()
    assert f"该登记表单已提交过，未重复登记：事项编号 {case.number}" in page


def test_each_opened_form_has_its_own_key_and_registers_its_own_case(login):
    client = login("dengji")
    one, two = key_of(client), key_of(client)
    assert one != two
    client.post(reverse("web:register"), form_data(submission_key=one))
    client.post(reverse("web:register"), form_data(submission_key=two))
    assert Case.objects.count() == 2


def test_a_refused_form_does_not_use_up_its_key(login):
    client = login("dengji")
    key = key_of(client)
    refused = client.post(reverse("web:register"), form_data(submission_key=key, title=""))
    assert refused.status_code == 422 and not Case.objects.exists()
    assert f'value="{key}"' in refused.content.decode()  # the corrected form is sent with the same key
    assert client.post(reverse("web:register"), form_data(submission_key=key)).status_code == 302
    assert Case.objects.count() == 1


def petition(units):
    return PetitionIn(channel="letter", receiving_unit=units["bureau"], title="拖欠工资", content="某公司拖欠工资。", kind="grievance")


def test_a_malformed_key_is_refused(people, units):
    with pytest.raises(Invalid):
        register_once(actor=people["dengji"], data=petition(units), idempotency_key="short")
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_two_posts_at_the_same_moment_make_one_case(people):
    people["dengji"].set_password("pw-Concurrency-1")
    people["dengji"].save()
    clients = []
    for _ in range(2):
        c = Client()
        c.force_login(people["dengji"])
        clients.append(c)
    data = form_data(submission_key=key_of(clients[0]))
    barrier, answers = threading.Barrier(2), []

    def send(client):
        barrier.wait()
        try:
            answers.append(client.post(reverse("web:register"), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    case = Case.objects.get()
    assert Petition.objects.count() == 1
    assert [a.status_code for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {reverse("web:case", args=[case.number])}
