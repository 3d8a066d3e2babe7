"""The petitioner is told at each step by SMS (accepted, forwarded, extended, replied,
review answered), through the one outbox: in plain Chinese, with the case number and the
public site's address, never another person's data or an internal note; not to those who
declined SMS or left no mobile; once per step and number; nothing for a step rolled back."""

import time_machine
import pytest
from django.db import transaction

from xinfang.cases import notices
from xinfang.notify.models import OutboundMessage

from .conftest import REPLY

PEOPLE = [
    {"name": "刘某", "phone": "13800000001", "id_number": "11010519491231002X"},
    {"name": "陈某", "phone": "13900000002", "sms_opt_out": True},
    {"name": "赵某", "phone": "0551-2345678"},  # a landline: no SMS
]


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.PORTAL_PUBLIC_URL = "https://xf.example.gov.cn"


def texts():
    return [(m.to, m.body) for m in OutboundMessage.objects.order_by("id")]


def test_each_step_texts_the_petitioner_who_has_a_mobile_and_did_not_decline(register_case, act, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False), django_capture_on_commit_callbacks(execute=True):
        case = register_case(petitioners=PEOPLE)
        assert texts() == []  # registration itself is not a step the SMS tells
        case = act("accept", case, "dengji")
        case = act("extend", case, "fuzeren", days=30, reason="需要现场核查，内部意见：先协调")
        case = act("reply", case, "fuzeren", **REPLY)
        case = act("review", case, "dengji", reasons="不服")
        case = act("reply", case, "fuzeren", **REPLY)
    sent = texts()
    assert {to for to, _ in sent} == {"13800000001"}
    number = case.number
    assert [body for _, body in sent] == [
        f"【信访】您的信访事项（编号{number}）已于2026年3月2日受理，我们将依法按期办理并书面答复。"
        "可凭查询码在网上信访查询进度：https://xf.example.gov.cn/portal/follow/",
        f"【信访】您的信访事项（编号{number}）因情况复杂，办理期限已依法延长至2026年6月5日。"
        "可凭查询码在网上信访查询进度：https://xf.example.gov.cn/portal/follow/",
        f"【信访】您的信访事项（编号{number}）已于2026年3月2日作出答复意见，书面答复将送达您。如不服，可自收到之日起30日内请求复查。"
        "可凭查询码在网上信访查询进度：https://xf.example.gov.cn/portal/follow/",
        f"【信访】您对信访事项（编号{number}）提出的复查（复核）请求，已于2026年3月2日作出意见，书面意见将送达您。"
        "可凭查询码在网上信访查询进度：https://xf.example.gov.cn/portal/follow/",
    ]
    everything = "".join(body for _, body in sent)
    for private in ("刘某", "陈某", "赵某", "内部意见", "现场核查", "经核实", "13900000002"):
        assert private not in everything


def test_a_forward_names_the_unit_it_went_to(register_case, act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = act("forward", register_case(), "dengji", unit="341122-ZJJ", note="属住建职责")
    (_, body), = texts()
    assert f"编号{case.number}）已于" in body and f"转送{case.current_unit.name}办理" in body
    assert "属住建职责" not in body


def test_no_sms_for_a_petitioner_who_declined_or_an_anonymous_letter(register_case, act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        act("accept", register_case(petitioners=[PEOPLE[1]]), "dengji")
        act("accept", register_case(petitioners=[]), "dengji")
    assert texts() == []


def test_the_same_step_is_queued_once_and_a_number_on_two_petitions_once(register_case, act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = act("accept", register_case(petitioners=[PEOPLE[0], {"name": "刘某某", "phone": "13800000001"}]), "dengji")
    event = case.events.get(action="accept")
    notices.tell_petitioners(event.pk)  # a second run of the same event
    assert len(texts()) == 1


def test_a_step_rolled_back_queues_nothing(register_case, act, django_capture_on_commit_callbacks):
    case = register_case()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            act("accept", case, "dengji")
            raise RuntimeError("the request failed after the step")
    assert texts() == []
    case.refresh_from_db()
    assert case.status == "registered"


def test_the_unit_a_case_arrives_at_is_told_in_the_notification_centre(register_case, act, people, django_capture_on_commit_callbacks):
    from xinfang.notify.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    told = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in told] == ["cg_chengban", "cg_fuzeren"]  # 城关镇's handler and head
    assert {(n.kind, n.title, n.link) for n in told} == {("assigned", f"交办：{case.number}", f"/cases/{case.number}/")}
    assert "刘某" not in told[0].body


def test_an_outbox_fault_never_undoes_the_step(register_case, act, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("database hiccup")

    monkeypatch.setattr(notices.notify, "queue", broken)
    with django_capture_on_commit_callbacks(execute=True):
        case = act("accept", register_case(), "dengji")
    case.refresh_from_db()
    assert case.status == "accepted" and texts() == []


def test_the_reply_text_names_the_deployments_own_review_window(register_case, act, settings, django_capture_on_commit_callbacks):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "review_window_days": 45}
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False), django_capture_on_commit_callbacks(execute=True):
        case = act("reply", act("accept", register_case(petitioners=PEOPLE[:1]), "dengji"), "fuzeren", **REPLY)
    assert "可自收到之日起45日内请求复查" in texts()[-1][1] and case.status == "replied"
