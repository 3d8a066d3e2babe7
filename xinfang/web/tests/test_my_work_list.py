import datetime
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from xinfang.cases.services import perform

NOW = "2026-03-16 10:00 +0800"


def received(days_ago):
    return timezone.now() - datetime.timedelta(days=days_ago)


def row_numbers(html):
    return re.findall(r'<tr class="[^"]*" data-case="([^"]+)"', html)


@time_machine.travel(NOW, tick=False)
def test_my_work_lists_only_my_units_waiting_cases_nearest_deadline_first(login, register_case, people, units):
    fresh = register_case(title="新收来信", received_at=received(0))
    old = register_case(title="较早来信", received_at=received(10))
    overdue = register_case(title="超期来信", received_at=received(40))
    sent_on = register_case(title="已交办镇里")
    perform(case=sent_on, action="accept", actor=people["dengji"])
    perform(case=sent_on, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
    elsewhere = register_case(title="青山乡来访", actor=people["qs_fuzeren"], receiving_unit=units["qingshan"])

    html = login("dengji").get(reverse("web:my_work")).content.decode()

    assert row_numbers(html) == [overdue.number, old.number, fresh.number]
    assert sent_on.number not in html and elsewhere.number not in html


@time_machine.travel(NOW, tick=False)
def test_my_work_badges_show_overdue_due_soon_and_normal_deadlines(login, register_case):
    overdue = register_case(title="超期来信", received_at=received(40))
    soon = register_case(title="快到期来信", received_at=received(13))
    normal = register_case(title="新收来信", received_at=received(0))
    today = timezone.localdate()
    assert overdue.due_date < today and 0 <= (soon.due_date - today).days <= 3 and (normal.due_date - today).days > 3

    html = login("dengji").get(reverse("web:my_work")).content.decode()

    rows = {number: row for number, row in re.findall(r'data-case="([^"]+)">(.*?)</tr>', html, re.DOTALL)}
    assert f"超期{(today - overdue.due_date).days}天" in rows[overdue.number] and "text-bg-danger" in rows[overdue.number]
    left = (soon.due_date - today).days
    assert (f"剩{left}天" if left else "今日到期") in rows[soon.number] and "badge-due-soon" in rows[soon.number]
    assert f"剩{(normal.due_date - today).days}天" in rows[normal.number]
    assert "badge-due-soon" not in rows[normal.number] and "text-bg-danger" not in rows[normal.number]


@time_machine.travel(NOW, tick=False)
def test_my_work_counts_waiting_due_soon_and_overdue(login, register_case):
    register_case(received_at=received(40))
    register_case(received_at=received(13))
    register_case(received_at=received(0))
    register_case(received_at=received(1))

    response = login("dengji").get(reverse("web:my_work"))

    assert response.context["counts"] == {"waiting": 4, "due_soon": 1, "overdue": 1}
    html = response.content.decode()
    assert 'data-count="waiting">4<' in html and 'data-count="overdue">1<' in html


@time_machine.travel(NOW, tick=False)
def test_my_work_marks_collective_visits_repeats_and_channel(login, register_case):
    visit = register_case(channel="visit", headcount=6, petitioners=[
        {"name": "甲", "id_number": "11010519491231002X", "is_representative": True},
        {"name": "乙", "phone": "13800000002"}])
    register_case(case=visit.number, channel="phone")

    html = login("dengji").get(reverse("web:my_work")).content.decode()

    row = re.search(rf'data-case="{visit.number}">(.*?)</tr>', html, re.DOTALL)[1]
    assert "集体访 6人" in row and "重复 2次" in row and "来访" in row and "申诉求决" in row and "已登记" in row


def test_my_work_pages_by_fifty(login, register_case):
    for _ in range(51):
        register_case()
    client = login("dengji")
    first = client.get(reverse("web:my_work"))
    assert len(first.context["page"].object_list) == 50 and "第 1 / 2 页" in first.content.decode()
    assert len(client.get(reverse("web:my_work") + "?page=2").context["page"].object_list) == 1
