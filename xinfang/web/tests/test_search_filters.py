import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from xinfang.cases.services import perform


def numbers(response):
    return [c.number for c in response.context["page"].object_list]


@time_machine.travel("2026-03-16 10:00 +0800", tick=False)
def test_filters_narrow_the_list(login, register_case, people, units):
    land = register_case(title="征地补偿款未发放", category="0101", received_at=timezone.now() - datetime.timedelta(days=40))
    wages = register_case(title="拖欠工资", category="0301", kind="grievance", content="工程款拖欠工人工资")
    idea = register_case(title="建议增设公交站", kind="suggestion", content="建议在东街增设公交站")
    perform(case=idea, action="accept", actor=people["dengji"])
    perform(case=idea, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
    client = login("dengji")
    url = reverse("web:search")

    assert set(numbers(client.get(url))) == {land.number, wages.number, idea.number}
    assert numbers(client.get(url, {"q": "工人"})) == [wages.number]
    assert numbers(client.get(url, {"kind": "suggestion"})) == [idea.number]
    assert numbers(client.get(url, {"category": "01"})) == [land.number]
    assert numbers(client.get(url, {"status": "assigned"})) == [idea.number]
    assert numbers(client.get(url, {"unit": units["chengguan"].code})) == [idea.number]
    assert numbers(client.get(url, {"overdue": "yes"})) == [land.number]
    assert land.number not in numbers(client.get(url, {"overdue": "no"}))
    assert numbers(client.get(url, {"received_from": "2026-02-01", "received_to": "2026-02-28"})) == [land.number]


def test_a_bad_filter_value_is_explained_not_a_crash(login, register_case):
    register_case()
    response = login("dengji").get(reverse("web:search"), {"unit": "nope", "received_from": "2026-13-40"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "查询条件有误" in html and numbers(response) == []
