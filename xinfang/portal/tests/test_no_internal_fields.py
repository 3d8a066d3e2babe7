"""Nothing internal reaches the petitioner: no staff notes or instructions, no staff
names, no internal routing notes, no other people, no personal data — checked on the
JSON answer and on the page."""

import json

import pytest

from xinfang.cases.models import CaseEvent
from xinfang.cases.services import perform
from xinfang.intake.services import PetitionIn, register
from xinfang.tests.answer import answer

from .conftest import REPLY

SECRETS = ["内部备注甲", "交办说明乙", "电话沟通丙", "领导批示丁", "办理情况报告己", "审核意见庚", "王某某", "13900000002", "11010519491231002X", "13800000001",
           "刘某"]
STAFF = ["王登记", "张局长", "陈镇长", "郑承办", "dengji", "fuzeren", "cg_fuzeren"]
INTERNAL_KEYS = {"actor", "actor_unit", "signed_by", "note", "version", "unit_path", "current_unit_path", "deadline_warnings",
                 "registered_by", "recorded_by", "id_number", "phone", "petitioners", "data", "public", "address", "content"}


@pytest.fixture
def busy_case(submit_online, people, units):
    receipt = submit_online(unit="341122-XFJ")
    case = receipt.case
    perform(case=case, action="accept", actor=people["dengji"], note="内部备注甲")
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100", note="交办说明乙")
    perform(case=case, action="note", actor=people["cg_fuzeren"], note="电话沟通丙")
    CaseEvent.objects.create(case=case, action="note", note="领导批示丁", public=False)
    # Another person raises the same matter: joins the case, must stay invisible to the first.
    register(actor=people["dengji"], data=PetitionIn(channel="visit", receiving_unit=units["bureau"], kind="grievance", title="同一事项",
                                                     content="同一事项再次反映", case=case.number,
                                                     petitioners=[{"name": "王某某", "phone": "13900000002"}]))
    perform(case=case, action="extend", actor=people["cg_fuzeren"], days=15, reason="需要进一步调查核实")
    # Its result report (办理情况, internal) accepted by the bureau with an internal note.
    answer(case, people["cg_fuzeren"], summary="办理情况报告己", note="审核意见庚", **REPLY)
    return receipt


def keys_of(value):
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def test_the_json_answer_holds_no_internal_field_or_text(busy_case, client):
    response = client.get(f"/api/v1/public/cases/{busy_case.code}", {"verify": "0001"})
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    for secret in SECRETS + STAFF:
        assert secret not in text, secret
    assert not keys_of(body) & INTERNAL_KEYS, keys_of(body) & INTERNAL_KEYS
    assert "需要进一步调查核实" in text  # an extension's reason is told to the petitioner (Art. 34)
    assert [t["action"] for t in body["timeline"]] == ["register", "accept", "extend", "reply"]


def test_the_page_holds_no_internal_text(busy_case, client):
    client.post("/portal/follow/", {"code": busy_case.code, "verify": "0001"})
    page = client.get("/portal/follow/").content.decode()
    assert busy_case.case.number in page
    for secret in SECRETS + STAFF:
        assert secret not in page, secret
    assert "需要进一步调查核实" in page and "责成村委会十日内发放到户" in page


def test_an_accusers_case_shows_nothing_about_the_accused_routing_notes(submit_online, people, client):
    receipt = submit_online(kind="accusation", anonymous=True)
    perform(case=receipt.case, action="accept", actor=people["dengji"], note="内部备注甲")
    body = client.get(f"/api/v1/public/cases/{receipt.code}").json()
    assert "内部备注甲" not in json.dumps(body, ensure_ascii=False)
