import pytest

from xinfang.cases.models import Case
from xinfang.intake.models import Petition

LETTER = {
    "channel": "letter",
    "received_at": "2026-03-02T09:30:00+08:00",
    "receiving_unit": "341122-XFJ",
    "title": "征地补偿款未发放",
    "content": "本人承包地于去年被征收，补偿款至今未发放到位。",
    "kind": "grievance",
    "category": "0101",
    "petitioners": [{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "青山乡山下村"}],
}

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_it_registers_a_letter_and_answers_201_with_petition_case_and_deadlines(api_as):
    response = api_as("dengji").post("/petitions", LETTER)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"petition", "case", "related", "suggestions", "replayed", "related_unavailable", "notice"}
    assert body["replayed"] is False and body["related_unavailable"] is False and body["notice"] == ""
    petition = body["petition"]
    assert petition["channel"] == "letter" and petition["received_at"] == "2026-03-02T09:30:00+08:00"
    assert petition["receiving_unit"] == {"code": "341122-XFJ", "name": "安宁县信访局"}
    assert petition["receiving_level"] == "county"
    assert (petition["is_repeat"], petition["is_collective"], petition["headcount"]) == (False, False, 1)
    case = body["case"]
    assert case["number"] == "341122-XFJ-2026-00001"
    assert (case["status"], case["status_label"]) == ("registered", "已登记")
    assert case["deadlines"] == {"decide_due": "2026-03-17", "due_date": "2026-03-17", "due_kind": "decide", "due_kind_label": "受理告知期限"}
    assert case["warnings"] == []
    assert body["related"] == []
    assert {"category", "subcategory", "unit", "place", "place_unit"} <= set(body["suggestions"])  # xinfang.nlp
    assert Petition.objects.get().petitioners.get().id_number == "11010519491231002X"


def test_it_registers_an_anonymous_letter(api_as):
    response = api_as("dengji").post("/petitions", {**LETTER, "petitioners": []})

    assert response.status_code == 201
    assert response.json()["petition"]["is_anonymous"] is True


def test_a_left_out_kind_is_registered_as_a_grievance(api_as):
    body = {k: v for k, v in LETTER.items() if k != "kind"}

    response = api_as("dengji").post("/petitions", body)

    assert response.status_code == 201
    assert response.json()["petition"]["kind"] == "grievance"


def test_a_collective_visit_is_marked_as_such(api_as):
    visit = {**LETTER, "channel": "visit", "headcount": 6, "representatives": ["刘某"]}

    response = api_as("dengji").post("/petitions", visit)

    assert response.status_code == 201
    assert response.json()["petition"]["is_collective"] is True
    assert Case.objects.get().is_collective


def test_it_attaches_a_repeat_petition_to_the_named_case(api_as):
    api = api_as("dengji")
    number = api.post("/petitions", LETTER).json()["case"]["number"]

    response = api.post("/petitions", {**LETTER, "channel": "phone", "case": number})

    assert response.status_code == 201
    body = response.json()
    assert body["case"]["number"] == number
    assert body["petition"]["is_repeat"] is True
    assert Case.objects.count() == 1
    assert Case.objects.get().petition_count == 2


def test_it_lists_other_cases_of_the_same_petitioner_as_related(api_as):
    api = api_as("dengji")
    first = api.post("/petitions", LETTER).json()["case"]["number"]

    response = api.post("/petitions", {**LETTER, "title": "宅基地纠纷", "petitioners": [{"name": "刘某", "phone": "13800000001"}]})

    related = response.json()["related"]
    assert [r["number"] for r in related] == [first]
    assert related[0]["status"] == "registered" and related[0]["title"] == "征地补偿款未发放"
