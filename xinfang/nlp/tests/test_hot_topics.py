import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinfang.nlp.services import hot_topics

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)

PIGS = "城关镇东街社区翠苑小区旁养猪场臭气熏天，居民无法开窗，请求关停养猪场。"


@pytest.fixture
def recent(letter):
    now = timezone.now()
    for i, (name, phone) in enumerate([("甲", "13800000011"), ("乙", "13800000012"), ("丙", "13800000013")]):
        letter(title=f"养猪场臭气扰民{i}", content=PIGS + f"联系电话{phone}", received_at=now - datetime.timedelta(days=i * 5),
               petitioners=[{"name": name, "phone": phone}])
    letter(title="养猪场又臭了", content=PIGS, received_at=now - datetime.timedelta(days=1), petitioners=[{"name": "甲", "phone": "13800000011"}])
    letter(title="拖欠工资", content="老板拖欠工资三个月。", received_at=now - datetime.timedelta(days=2))
    letter(title="学校乱收费", content="学校收取资料费。", received_at=now - datetime.timedelta(days=3))


def test_petitions_about_one_problem_at_one_place_form_a_ranked_topic(recent, people):
    topics = hot_topics(actor=people["dengji"])
    top = topics[0]
    assert top.size == 4 and top.petitioners == 3 and top.recent == 3 and top.before == 1
    assert "养猪场" in top.label
    assert "13800000011" not in top.label and not any(ch.isdigit() for ch in top.label)
    assert all(t.size >= 2 for t in topics)


def test_another_unit_sees_no_topic(recent, people):
    assert hot_topics(actor=people["qs_fuzeren"]) == []


def test_the_board_lists_each_topic_with_its_petitions(recent, login):
    html = login("dengji").get(reverse("nlp:topics")).content.decode()
    assert "养猪场" in html and "信访人 <strong>3</strong>" in html
