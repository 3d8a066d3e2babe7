"""Report-back on an assigned case (交办反馈, Art. 23): the lead unit reports its result to
the assigning unit (报送办理结果), which accepts it (审核通过: the proposed answer becomes
the written reply) or sends it back for more work with a new due date (退回补办). The lead
unit never answers an assigned case by itself; a forwarded (转送) case is answered by the
unit it went to. Every refusal changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case, CaseEvent, Obligation, ObligationEntry, Reply
from xinfang.cases.services import legal_handle_due, suggested_send_back_due
from xinfang.documents.models import Document
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState
from xinfang.notify.models import Notification

from .conftest import REPLY

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)

REPORT = {**REPLY, "summary": "已到村委会核实台账，补偿款确未发放，已责成十日内发放"}


def snapshot(case):
    """Everything a refused step must leave as it was."""
    case = Case.objects.get(pk=case.pk)
    return {
        "case": (case.status, case.version, case.handle_due, case.due_date, case.replied_at, case.current_unit_id),
        "events": CaseEvent.objects.filter(case=case).count(),
        "replies": Reply.objects.filter(case=case).count(),
        "obligations": list(Obligation.objects.filter(case=case).order_by("id").values_list(
            "status", "due_date", "sent_back_count", "reported_on_time", "version")),
        "entries": ObligationEntry.objects.filter(obligation__case=case).count(),
        "documents": Document.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def started(register_case, act):
    """Accepted at the county bureau on 2 March, assigned to 城关镇 and signed for there."""
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    return act("start", case, "cg_chengban")


@pytest.fixture
def reported(started, act):
    return act("report", started, "cg_fuzeren", **REPORT)


def owed(case):
    return Obligation.objects.get(case=case)


def test_the_whole_walk_from_assignment_through_a_send_back_to_the_answer(started, act, people, units, time_machine):
    ob = owed(started)
    assert (ob.kind, ob.owner_unit, ob.creditor_unit, ob.status) == ("report_back", units["chengguan"], units["bureau"], "open")
    assert ob.due_date == started.handle_due == datetime.date(2026, 5, 6)

    case = act("report", started, "cg_fuzeren", **REPORT)
    assert case.status == "reported" and case.replied_at is None and not case.replies.exists()
    assert not Document.objects.filter(kind="opinion").exists()  # no written answer before the bureau accepts it
    ob.refresh_from_db()
    assert ob.status == "reported" and ob.reported_on_time is True

    time_machine.move_to("2026-03-05 10:00 +0800")
    case = act("send_back", case, "fuzeren", reason="未附发放凭证", due_date="2026-03-20")
    # The report is owed by the new date; the deadline the petitioner was told stays.
    assert case.status == "in_progress" and case.handle_due == datetime.date(2026, 5, 6) == case.due_date
    ob.refresh_from_db()
    assert (ob.status, ob.due_date, ob.sent_back_count) == ("open", datetime.date(2026, 3, 20), 1)
    event = CaseEvent.objects.filter(case=case, action="send_back").get()
    assert event.note == "未附发放凭证" and event.data["due_date"] == "2026-03-20" and not event.public

    time_machine.move_to("2026-03-10 10:00 +0800")
    case = act("report", case, "cg_fuzeren", **{**REPORT, "summary": "补充：已附发放凭证", "opinion": "补偿款已于3月9日发放到户"})
    time_machine.move_to("2026-03-11 10:00 +0800")
    case = act("approve", case, "ducha", note="同意")  # a supervisor of the bureau may decide too
    assert case.status == "replied" and case.replied_on_time is True
    reply = case.replies.get()
    assert (reply.opinion, reply.unit, reply.signed_by) == ("补偿款已于3月9日发放到户", units["chengguan"], people["cg_fuzeren"])
    [opinion] = Document.objects.filter(kind="opinion")
    assert opinion.source == f"reply:{reply.pk}" and opinion.number.startswith("城关镇人民政府信复")  # the town's answer
    ob.refresh_from_db()
    assert (ob.status, ob.closed_by, ob.sent_back_count) == ("accepted", people["ducha"], 1)
    kinds = list(ob.entries.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["opened", "result", "sent_back", "result", "accepted"]
    sent_back = ob.entries.get(kind="sent_back")
    assert (sent_back.text, sent_back.due_date, sent_back.unit) == ("未附发放凭证", datetime.date(2026, 3, 20), units["bureau"])
    actions = list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("action", flat=True))
    assert actions[-5:] == ["start", "report", "send_back", "report", "approve"]
    assert CaseEvent.objects.get(case=case, action="approve").public  # the answer is the petitioner's to know
    assert not CaseEvent.objects.filter(case=case, action="report", public=True).exists()


def test_the_report_takes_the_handlers_draft_and_the_files_go_with_the_answer(started, act, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = act("draft", started, "cg_chengban", **{**REPLY, "legal_basis": "《土地管理法》"})
    scan = SimpleUploadedFile("处理意见书.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    case = act("report", case, "cg_fuzeren", summary="已核实", documents=[scan])
    entry = owed(case).entries.get(kind="result")
    assert entry.data["reply"]["legal_basis"] == "《土地管理法》" and entry.data["reply"]["opinion"] == REPLY["opinion"]
    [stored] = case.attachments.all()
    assert stored.reply_id is None and entry.data["attachments"] == [stored.pk]
    case = act("approve", case, "fuzeren")
    reply = case.replies.get()
    assert reply.legal_basis == "《土地管理法》" and list(reply.attachments.values_list("pk", flat=True)) == [stored.pk]
    assert case.drafts.get().reply == reply


def test_a_reported_case_waits_on_the_assigning_unit_and_both_sides_are_told(started, act, units,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reported = act("report", started, "cg_fuzeren", **REPORT)
    assert set(Case.objects.waiting_on(units["bureau"])) == {reported}
    assert not Case.objects.waiting_on(units["chengguan"]).exists()
    told = set(Notification.objects.filter(title__startswith="报送办理结果").values_list("recipient__username", flat=True))
    assert told == {"fuzeren", "ducha"}  # the bureau's head and supervisor; not its registrar, not the town
    with django_capture_on_commit_callbacks(execute=True):
        case = act("send_back", reported, "fuzeren", reason="核实不充分", due_date="2026-03-20")
    assert set(Case.objects.waiting_on(units["chengguan"])) == {case}
    told = set(Notification.objects.filter(title__startswith="退回补办").values_list("recipient__username", flat=True))
    assert told == {"cg_fuzeren", "cg_chengban", "cg_dengji"}  # the town's staff, its petition office's too
    body = Notification.objects.get(title__startswith="退回补办", recipient__username="cg_fuzeren").body
    assert "核实不充分" in body and "2026-03-20" in body
    case = act("report", case, "cg_fuzeren", **REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        act("approve", case, "fuzeren")
    told = set(Notification.objects.filter(title__startswith="审核通过").values_list("recipient__username", flat=True))
    assert told == {"cg_fuzeren", "cg_chengban", "cg_dengji"}


# --- refusals ----------------------------------------------------------------------------


def test_the_lead_unit_may_not_reply_to_or_sign_an_assigned_case(started, act):
    case = act("draft", started, "cg_chengban", **REPLY)
    before = snapshot(case)
    with pytest.raises(WrongState) as caught:
        act("reply", case, "cg_fuzeren", **REPLY)
    assert caught.value.code == "report_owed" and "报送办理结果" in caught.value.message
    with pytest.raises(WrongState) as caught:
        act("sign", case, "cg_fuzeren")
    assert caught.value.code == "report_owed"
    assert snapshot(case) == before


def test_only_the_lead_units_head_may_report(started, act):
    before = snapshot(started)
    with pytest.raises(NotAllowed):
        act("report", started, "cg_chengban", **REPORT)  # a handler
    with pytest.raises(NotAllowed):
        act("report", started, "fuzeren", **REPORT)  # the assigning unit
    with pytest.raises(NotFound):
        act("report", started, "zj_fuzeren", **REPORT)  # another unit of the county: not its case at all
    assert snapshot(started) == before


def test_a_report_needs_its_summary_and_the_parts_of_the_answer(started, act):
    before = snapshot(started)
    with pytest.raises(Invalid) as caught:
        act("report", started, "cg_fuzeren", **REPLY)
    assert set(caught.value.fields) == {"summary"}
    with pytest.raises(Invalid) as caught:
        act("report", started, "cg_fuzeren", summary="已核实")  # no draft to take the answer from
    assert {"outcome", "request_summary", "facts", "opinion"} <= set(caught.value.fields)
    with pytest.raises(Invalid):
        act("report", started, "cg_fuzeren", **{**REPORT, "outcome": "maybe"})
    assert snapshot(started) == before


def test_a_report_is_only_owed_once_the_work_started_and_not_twice(register_case, act, reported):
    assigned = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with pytest.raises(WrongState):
        act("report", assigned, "cg_fuzeren", **REPORT)
    before = snapshot(reported)
    with pytest.raises(WrongState):
        act("report", reported, "cg_fuzeren", **REPORT)
    assert snapshot(reported) == before


def test_only_the_assigning_units_head_or_supervisor_decides(reported, act):
    before = snapshot(reported)
    for who in ("cg_fuzeren", "cg_chengban", "chengban", "dengji", "qs_fuzeren"):
        with pytest.raises((NotAllowed, NotFound)):  # 青山乡 may not even see it
            act("approve", reported, who)
        with pytest.raises((NotAllowed, NotFound)):
            act("send_back", reported, who, reason="不够", due_date="2026-03-20")
    assert snapshot(reported) == before


def test_nothing_is_decided_before_a_report(started, act):
    before = snapshot(started)
    with pytest.raises(WrongState):
        act("approve", started, "fuzeren")
    with pytest.raises(WrongState):
        act("send_back", started, "fuzeren", reason="不够", due_date="2026-03-20")
    assert snapshot(started) == before


@pytest.mark.parametrize("params, field", [
    ({"due_date": "2026-03-20"}, "reason"),
    ({"reason": "不够"}, "due_date"),
    ({"reason": "不够", "due_date": "2026-03-01"}, "due_date"),  # in the past
    ({"reason": "不够", "due_date": "2026-05-07"}, "due_date"),  # the day after the legal deadline
    ({"reason": "不够", "due_date": "二十日"}, "due_date"),  # not a date
])
def test_a_send_back_needs_a_reason_and_a_due_date_within_the_legal_deadline(reported, act, params, field):
    assert legal_handle_due(reported) == datetime.date(2026, 5, 6)
    before = snapshot(reported)
    with pytest.raises(Invalid) as caught:
        act("send_back", reported, "fuzeren", **params)
    assert field in caught.value.fields
    assert snapshot(reported) == before


def test_the_legal_deadline_is_the_last_day_a_send_back_may_give(reported, act):
    case = act("send_back", reported, "fuzeren", reason="不够", due_date="2026-05-06")
    assert case.handle_due == datetime.date(2026, 5, 6) == owed(case).due_date


def test_a_send_back_after_an_earlier_assignment_date_moves_the_case_deadline_later(register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100", due_date="2026-03-10")
    case = act("report", act("start", case, "cg_chengban"), "cg_fuzeren", **REPORT)
    case = act("send_back", case, "fuzeren", reason="不够", due_date="2026-03-25")
    assert case.handle_due == datetime.date(2026, 3, 25) == owed(case).due_date == case.due_date


def test_the_suggested_due_date_is_fifteen_days_on_or_the_legal_deadline(reported, time_machine):
    assert suggested_send_back_due(reported) == datetime.date(2026, 3, 17)
    time_machine.move_to("2026-04-30 10:00 +0800")
    assert suggested_send_back_due(Case.objects.get(pk=reported.pk)) == datetime.date(2026, 5, 6)


def test_a_return_by_the_lead_unit_cancels_the_report_back(register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    case = act("return", case, "cg_fuzeren", reason="不属本镇职责")
    ob = owed(case)
    assert ob.status == "cancelled" and ob.entries.filter(kind="cancelled").get().text == "退回：不属本镇职责"
    assert case.status == "accepted" and not Case.objects.waiting_on(ob.owner_unit).exists()
    case = act("reply", case, "fuzeren", **REPLY)  # back with the bureau, which may now answer it itself
    assert case.status == "replied"


def test_a_late_report_is_recorded_late(started, act, time_machine):
    time_machine.move_to("2026-05-07 10:00 +0800")  # the day after the due date
    case = act("report", Case.objects.get(pk=started.pk), "cg_fuzeren", **REPORT)
    ob = owed(case)
    assert ob.reported_on_time is False and ob.entries.get(kind="result").data["late"] is True
    assert CaseEvent.objects.get(case=case, action="report").data["late"] is True
    case = act("approve", case, "fuzeren")
    assert case.replied_on_time is False


def test_the_case_counts_as_answered_only_once_the_report_is_accepted(reported, act):
    from xinfang.cases.choices import OPEN_STATUSES

    assert reported.status in OPEN_STATUSES and reported.replied_at is None
    assert reported.due_kind == "handle" and reported.due_date == datetime.date(2026, 5, 6)
    case = act("approve", reported, "fuzeren")
    assert case.status not in OPEN_STATUSES and case.replied_at is not None and case.due_kind == "deliver"


def test_a_forwarded_case_is_answered_directly_by_the_unit_it_went_to(register_case, act):
    case = act("forward", register_case(), "dengji", unit="341122100")
    case = act("start", act("accept", case, "cg_fuzeren"), "cg_chengban")
    assert not Obligation.objects.filter(case=case).exists()
    with pytest.raises(WrongState):
        act("report", case, "cg_fuzeren", **REPORT)
    case = act("reply", case, "cg_fuzeren", **REPLY)
    assert case.status == "replied"


def test_merging_an_assigned_case_ends_what_was_owed_on_it(register_case, act, people):
    first = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    second = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    owed = Obligation.objects.get(case=second, kind="report_back")
    kept = Obligation.objects.get(case=first, kind="report_back")
    act("merge", second, "cg_fuzeren", into=first.number, reason="same_matter")
    owed.refresh_from_db()
    assert owed.status == "cancelled" and owed.entries.last().text == f"并入 {first.number}"
    kept.refresh_from_db()
    assert kept.status == "open"  # the case it joined still owes its report
