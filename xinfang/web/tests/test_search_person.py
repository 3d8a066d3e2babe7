"""An ID number or phone in the search box finds that person's cases through the lookup
hashes, on the pages and in the API, and nothing else: the digits are never searched as
words, and an accuser is never found by the unit they accuse (Art. 30)."""

import pytest
from django.urls import reverse

from xinfang.cases.services import perform

ID = "341122198503154327"
MOBILE = "13912345678"
LANDLINE = "0550-7654321"


def numbers(response):
    return [c.number for c in response.context["page"].object_list]


@pytest.fixture
def cases(register_case):
    mine = register_case(title="征地补偿款未发放", petitioners=[{"name": "刘某", "id_number": ID, "phone": MOBILE}])
    again = register_case(title="补偿款仍未发放", petitioners=[{"name": "刘某", "phone": "+86 139 1234 5678"}])
    landline = register_case(title="噪声扰民", petitioners=[{"name": "陈某", "phone": LANDLINE}])
    # Noise: the same digits in other people's texts must not be found.
    other = register_case(title="拖欠工资", content=f"联系电话{MOBILE}，身份证{ID}，座机{LANDLINE}。",
                          petitioners=[{"name": "王某", "phone": "13800000009"}])
    return {"mine": mine, "again": again, "landline": landline, "other": other}


def test_an_id_number_finds_that_persons_cases_only(login, cases):
    client = login("dengji")
    assert numbers(client.get(reverse("web:search"), {"q": ID})) == [cases["mine"].number]
    assert numbers(client.get(reverse("web:search"), {"q": ID.lower()[:-1] + "7 "})) == [cases["mine"].number]


def test_a_mobile_number_finds_that_persons_cases_however_it_is_written(login, cases):
    client = login("dengji")
    for q in (MOBILE, "139 1234 5678", "+8613912345678", "139-1234-5678"):
        assert set(numbers(client.get(reverse("web:search"), {"q": q}))) == {cases["mine"].number, cases["again"].number}, q


def test_a_landline_finds_its_case(login, cases):
    client = login("dengji")
    for q in (LANDLINE, "05507654321"):
        assert numbers(client.get(reverse("web:search"), {"q": q})) == [cases["landline"].number]


def test_unrelated_digits_find_nothing_not_even_where_the_text_has_them(login, cases):
    client = login("dengji")
    for q in ("13700000000", "110105194912310021", "0551-1111111"):
        assert numbers(client.get(reverse("web:search"), {"q": q})) == [], q
    assert numbers(client.get(reverse("web:search"), {"q": "拖欠工资"})) == [cases["other"].number]  # the control


def test_a_shielded_accusers_number_finds_nothing_for_the_accused_unit(login, register_case, people, units):
    accusation = register_case(title="检举粮站站长侵吞补贴", kind="accusation", content="检举粮站站长侵吞种粮补贴。",
                               petitioners=[{"name": "蔺秋实", "id_number": ID, "phone": MOBILE}])
    perform(case=accusation, action="accept", actor=people["dengji"])
    perform(case=accusation, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

    handler = login("cg_chengban")
    assert accusation.number in numbers(handler.get(reverse("web:search")))  # the case itself is theirs to handle
    for q in (ID, MOBILE):
        assert numbers(handler.get(reverse("web:search"), {"q": q})) == [], q
    assert numbers(login("dengji").get(reverse("web:search"), {"q": ID})) == [accusation.number]  # the registering office
