"""Delivery (送达) of the written answer opens the review window (Arts. 35-36: 自收到书面
答复之日起): until then it is unknown (待送达), the petitioner may still ask, and the
answer is owed within deliver_days; a corrected delivery date moves the window."""

import datetime

import pytest
import time_machine

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case
from xinfang.cases.services import perform_as_petitioner, petitioner_refusal
from xinfang.documents.delivery import current
from xinfang.documents.models import Delivery
from xinfang.documents.tests import factories

from .conftest import REPLY


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def replied_on_20_august(register_case, act, answer_as):
    with at("2026-08-03 10:00 +0800"):
        case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with at("2026-08-20 15:00 +0800"):  # Thursday
        case = answer_as(case, "cg_fuzeren", **REPLY)
        answer = factories.answer(case)
    return case, answer


def test_the_review_window_counts_from_a_delivery_by_post_across_national_day(replied_on_20_august, act):
    case, answer = replied_on_20_august
    assert case.review_window_end is None  # 待送达
    with at("2026-09-03 09:00 +0800"):
        case = act("deliver", case, "cg_fuzeren", document=answer.pk, channel="post", delivered_on="2026-09-02",
                   recipient="李四", proof=factories.scan())
    # Received Wed 2 Sep; 30 days end Fri 2 Oct, inside the National Day holiday (1-7 Oct):
    # the window ends on Thu 8 Oct. Counted from the reply (20 Aug) it would have ended on
    # Sat 19 Sep, moved to Sun 20 Sep (a make-up working day for National Day).
    assert case.review_window_end == datetime.date(2026, 10, 8)
    record = current(answer)
    assert record.channel == "post" and record.delivered_on == datetime.date(2026, 9, 2) and record.recipient == "李四"
    assert record.proof_name == "送达回证.pdf" and len(record.proof_sha256) == 64 and record.proof.read() == factories.PDF
    event = case.events.last()
    assert event.action == "deliver" and event.public and event.data["review_window_end"] == "2026-10-08"
    assert event.data["kind_label"] == "信访处理意见书" and event.data["number"] == answer.number
    assert AuditEntry.objects.filter(action="case.deliver").count() == 1


def test_until_delivery_the_answer_is_owed_and_overdue_after_deliver_days(replied_on_20_august, act, units):
    case, answer = replied_on_20_august
    # 5 days after Thu 20 Aug: Tue 25 Aug.
    assert case.deliver_due == datetime.date(2026, 8, 25)
    assert case.due_date == case.deliver_due and case.due_kind == "deliver"
    town = units["chengguan"] if "chengguan" in units else case.current_unit
    assert Case.objects.waiting_on(town).filter(pk=case.pk).exists()
    assert not Case.objects.overdue(datetime.date(2026, 8, 25)).filter(pk=case.pk).exists()
    assert Case.objects.overdue(datetime.date(2026, 8, 26)).filter(pk=case.pk).exists()
    with at("2026-08-27 10:00 +0800"):
        case = act("deliver", case, "dengji", document=answer.pk, channel="in_person", delivered_on="2026-08-26",
                   recipient="李四")
    assert case.deliver_due is None and case.due_date is None and case.due_kind == ""
    assert not Case.objects.overdue(datetime.date(2026, 9, 1)).filter(pk=case.pk).exists()
    assert not Case.objects.waiting_on(town).filter(pk=case.pk).exists()


def test_before_delivery_the_window_has_not_started_and_the_petitioner_may_ask(replied_on_20_august):
    case, _ = replied_on_20_august
    with at("2027-03-01 10:00 +0800"):  # long after the reply: still not delivered
        assert petitioner_refusal(case, "review") is None
        case = perform_as_petitioner(case=case, action="review", reasons="补偿标准过低")
    assert case.status == "review"


def test_a_correction_keeps_the_old_record_and_moves_the_window(replied_on_20_august, act):
    case, answer = replied_on_20_august
    with at("2026-09-03 09:00 +0800"):
        case = act("deliver", case, "cg_fuzeren", document=answer.pk, channel="online", delivered_on="2026-08-21")
        # 30 days from 21 Aug: Sun 20 Sep, a make-up working day (调休) before National Day.
        assert case.review_window_end == datetime.date(2026, 9, 20)
        case = act("deliver", case, "cg_fuzeren", document=answer.pk, channel="post", delivered_on="2026-09-02",
                   proof=factories.scan(), reason="网上未被查阅，以邮寄签收日为准")
    assert case.review_window_end == datetime.date(2026, 10, 8)
    old, new = Delivery.objects.filter(document=answer).order_by("id")
    assert old.superseded_at is not None and old.delivered_on == datetime.date(2026, 8, 21) and old.channel == "online"
    assert new.superseded_at is None and new.correction_reason == "网上未被查阅，以邮寄签收日为准"
    event = case.events.last()
    assert event.data["corrected_from"] == "2026-08-21" and event.note == "网上未被查阅，以邮寄签收日为准"
    entry = AuditEntry.objects.filter(action="case.deliver").order_by("id").last()
    assert entry.detail["corrected"]["delivered_on"] == "2026-08-21"


def test_the_re_review_window_counts_from_the_delivery_of_the_review_answer(register_case, act, deliver):
    with at("2026-03-02 10:00 +0800"):
        case = deliver(act("reply", act("accept", register_case(), "dengji"), "fuzeren", **REPLY))
        case = act("review", case, "dengji", reasons="不服")
    with at("2026-03-10 10:00 +0800"):
        case = act("reply", case, "fuzeren", **REPLY)
        assert case.re_review_window_end is None and case.deliver_due == datetime.date(2026, 3, 16)  # 15 Mar: Sunday
    with at("2026-03-13 10:00 +0800"):
        case = deliver(case, on=datetime.date(2026, 3, 12))
    assert case.re_review_window_end == datetime.date(2026, 4, 13)  # 11 Apr is a Saturday
    assert case.deliver_due is None


def test_delivering_a_notice_that_is_no_answer_moves_no_clock(replied_on_20_august, act):
    case, _ = replied_on_20_august
    notice = factories.notice(case, "accept_notice", issued_at=case.accepted_at)
    with at("2026-08-21 10:00 +0800"):
        case = act("deliver", case, "dengji", document=notice.pk, channel="announced", delivered_on="2026-08-21",
                   note="县信访局公告栏张贴")
    assert case.review_window_end is None and case.deliver_due == datetime.date(2026, 8, 25)
