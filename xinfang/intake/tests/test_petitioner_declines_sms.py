"""A petitioner may decline the SMS about each step of the case (不接收短信通知): on the
staff register form, through the staff API, and on the public submit form; the choice
is kept on the petitioner and no step SMS then reaches them."""

import pytest
from django.urls import reverse

from xinfang.api.tests.conftest import api_as  # noqa: F401  (a fixture: a staff API client)
from xinfang.api.tests.test_register_petition import LETTER
from xinfang.cases.services import perform
from xinfang.intake.models import Petitioner
from xinfang.notify.models import OutboundMessage
from xinfang.portal.tests.conftest import solved, submit_online  # noqa: F401  (fixtures)
from xinfang.web.tests.test_register_form import form_data

pytestmark = pytest.mark.django_db


def test_the_register_form_keeps_the_choice_per_petitioner(login):
    client = login("dengji")
    assert 'aria-label="第1人不接收短信通知"' in client.get(reverse("web:register") + "?channel=visit").content.decode()
    response = client.post(reverse("web:register"), form_data(**{"p-1-sms_opt_out": "on"}))
    assert response.status_code == 302
    assert {p.name: p.sms_opt_out for p in Petitioner.objects.all()} == {"刘某": False, "陈某": True}


def test_the_api_keeps_the_choice(api_as):
    person = {**LETTER["petitioners"][0], "sms_opt_out": True}
    body = {k: v for k, v in LETTER.items() if k != "received_at"}  # received now: no late entry
    response = api_as("dengji").post("/petitions", {**body, "petitioners": [person]})
    assert response.status_code == 201
    assert Petitioner.objects.get().sms_opt_out is True


def test_the_public_form_offers_it_and_the_service_keeps_it(client, submit_online, units):
    page = client.get("/portal/submit/").content.decode()
    assert 'name="sms_opt_out"' in page and "不接收短信通知" in page
    submit_online(sms_opt_out=True)
    assert Petitioner.objects.get().sms_opt_out is True


def test_no_step_sms_reaches_who_declined(register_case, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(petitioners=[{"name": "刘某", "phone": "13800000001", "sms_opt_out": True}])
        perform(case=case, action="accept", actor=people["dengji"])
    assert OutboundMessage.objects.count() == 0
