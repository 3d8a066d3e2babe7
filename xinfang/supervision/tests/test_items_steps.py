"""The life of a supervision item after it is opened: reports by the supervised unit,
the supervisor's decision, raising the level, cancelling; each on the case's timeline
and told to the other side; every refusal leaves the item as it was."""

import datetime

import pytest

from xinfang.cases.choices import ObligationStatus as OS
from xinfang.cases.models import Case, CaseEvent, Obligation
from xinfang.cases.services import perform
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState
from xinfang.notify.models import Notification
from xinfang.supervision import items

from .conftest import DAY

pytestmark = pytest.mark.usefixtures("on_day")


def _steps(case):
    return list(CaseEvent.objects.filter(case=case, action="supervise").values_list("data__step", flat=True))


def test_progress_then_result_then_accepted(people, item, assigned_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        items.report_on(item.pk, actor=people["cg_chengban"], text="已约见信访人，正在核实")
        items.report_on(item.pk, actor=people["cg_chengban"], text="补偿款已核实，下周发放")
    assert Obligation.objects.get(pk=item.pk).status == OS.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        items.report_on(item.pk, actor=people["cg_fuzeren"], text="补偿款已全部发放到户", final=True)
    assert Obligation.objects.get(pk=item.pk).status == OS.REPORTED
    assert Notification.objects.filter(recipient=people["ducha"], title__contains="办理结果待审核").exists()
    with django_capture_on_commit_callbacks(execute=True):
        items.accept_item(item.pk, actor=people["ducha"], note="情况属实")
    row = Obligation.objects.get(pk=item.pk)
    assert row.status == OS.ACCEPTED and row.closed_by == people["ducha"]
    assert Case.objects.get(pk=assigned_case.pk).supervision_level == ""  # nothing open any more
    assert _steps(assigned_case) == ["opened", "progress", "progress", "result", "accepted"]
    assert Notification.objects.filter(recipient=people["cg_chengban"], title__contains="审核通过").exists()
    assert list(row.entries.values_list("kind", flat=True)) == ["opened", "progress", "progress", "result", "accepted"]


def test_sent_back_with_a_new_due_date_then_reported_again(people, item, assigned_case, django_capture_on_commit_callbacks):
    items.report_on(item.pk, actor=people["cg_chengban"], text="已发放", final=True)
    with django_capture_on_commit_callbacks(execute=True):
        items.send_back_item(item.pk, actor=people["ducha"], reason="未附发放凭证", due_date="2026-03-20")
    row = Obligation.objects.get(pk=item.pk)
    assert (row.status, row.due_date, row.sent_back_count) == (OS.OPEN, datetime.date(2026, 3, 20), 1)
    assert Notification.objects.filter(recipient=people["cg_fuzeren"], title__contains="退回补办").exists()
    assert "未附发放凭证" in CaseEvent.objects.filter(case=assigned_case, action="supervise").last().note
    items.report_on(item.pk, actor=people["cg_chengban"], text="附发放凭证", final=True)
    assert Obligation.objects.get(pk=item.pk).status == OS.REPORTED


def test_the_level_is_raised_and_shows_on_the_case(people, item, assigned_case):
    items.escalate_item(item.pk, actor=people["ducha"], level="listed", text="逾期风险大")
    assert Obligation.objects.get(pk=item.pk).level == "listed"
    assert Case.objects.get(pk=assigned_case.pk).supervision_level == "listed"
    with pytest.raises(Invalid) as refused:
        items.escalate_item(item.pk, actor=people["ducha"], level="general")
    assert refused.value.code == "not_higher"
    assert Obligation.objects.get(pk=item.pk).level == "listed"


def test_cancelled_with_a_reason(people, item, assigned_case):
    with pytest.raises(Invalid):
        items.cancel_item(item.pk, actor=people["ducha"], reason=" ")
    items.cancel_item(item.pk, actor=people["ducha"], reason="立项有误")
    assert Obligation.objects.get(pk=item.pk).status == OS.CANCELLED
    assert Case.objects.get(pk=assigned_case.pk).supervision_level == ""
    with pytest.raises(WrongState):
        items.report_on(item.pk, actor=people["cg_chengban"], text="迟到的报告")


def _unchanged(item):
    row = Obligation.objects.get(pk=item.pk)
    assert (row.status, row.level, row.due_date, row.version) == (item.status, item.level, item.due_date, item.version)
    assert row.entries.count() == 1


def test_a_unit_that_owes_nothing_cannot_report(people, item):
    with pytest.raises(NotAllowed) as refused:  # the bureau sees the item but owes nothing on it
        items.report_on(item.pk, actor=people["chengban"], text="代为报告")
    assert refused.value.code == "not_owner"
    with pytest.raises(NotFound):  # another township does not even see it
        items.report_on(item.pk, actor=people["qs_fuzeren"], text="代为报告")
    _unchanged(item)


def test_only_the_supervising_unit_decides_and_only_on_a_result(people, item):
    with pytest.raises(WrongState):
        items.accept_item(item.pk, actor=people["ducha"])
    with pytest.raises(NotAllowed):
        items.cancel_item(item.pk, actor=people["cg_fuzeren"], reason="不想办")
    with pytest.raises(NotAllowed):
        items.escalate_item(item.pk, actor=people["cg_fuzeren"], level="listed")
    with pytest.raises(NotAllowed):
        items.escalate_item(item.pk, actor=people["chengban"], level="listed")  # a handler of the bureau
    _unchanged(item)


def test_a_send_back_needs_a_reason_and_a_date_not_in_the_past(people, item):
    items.report_on(item.pk, actor=people["cg_chengban"], text="已发放", final=True)
    item.refresh_from_db()
    with pytest.raises(Invalid):
        items.send_back_item(item.pk, actor=people["ducha"], reason="", due_date="2026-03-20")
    with pytest.raises(Invalid):
        items.send_back_item(item.pk, actor=people["ducha"], reason="不全", due_date=str(DAY - datetime.timedelta(days=1)))
    row = Obligation.objects.get(pk=item.pk)
    assert row.status == OS.REPORTED and row.sent_back_count == 0


def test_the_report_back_of_an_assigned_case_is_decided_on_the_case_page(people, assigned_case):
    report_back = Obligation.objects.get(case=assigned_case, kind="report_back")
    items.report_on(report_back.pk, actor=people["cg_chengban"], text="正在调查")  # progress is welcome here
    with pytest.raises(WrongState) as refused:
        items.report_on(report_back.pk, actor=people["cg_fuzeren"], text="结果", final=True)
    assert refused.value.code == "use_case_flow"
    perform(case=assigned_case, action="report", actor=people["cg_fuzeren"], summary="已核实并发放", outcome="support", request_summary="补偿款",
            facts="已核实", opinion="发放")
    for step in (lambda: items.accept_item(report_back.pk, actor=people["fuzeren"]),
                 lambda: items.cancel_item(report_back.pk, actor=people["fuzeren"], reason="x")):
        with pytest.raises(WrongState):
            step()
    assert Obligation.objects.get(pk=report_back.pk).status == OS.REPORTED
    assert CaseEvent.objects.filter(case=assigned_case, action="progress", data__obligation=report_back.pk).count() == 1


@pytest.mark.parametrize("source, code", [("supervision.campaign:1", "use_campaign_flow"), ("supervision.review:1", "use_review_flow")])
def test_a_campaign_or_review_obligation_is_decided_on_its_own_page(people, item, source, code):
    """A backlog case's clear-off needs its evidence and a review's findings their
    response: the generic item steps refuse their result, acceptance and cancelling."""
    Obligation.objects.filter(pk=item.pk).update(source=source)
    items.report_on(item.pk, actor=people["cg_chengban"], text="正在整改")  # progress is welcome here
    for step in (lambda: items.report_on(item.pk, actor=people["cg_fuzeren"], text="结果", final=True),
                 lambda: items.cancel_item(item.pk, actor=people["ducha"], reason="不用了")):
        with pytest.raises(WrongState) as refused:
            step()
        assert refused.value.code == code
    assert Obligation.objects.get(pk=item.pk).status == OS.OPEN
