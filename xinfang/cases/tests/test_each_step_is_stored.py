"""Each step stores what it did: after every action the case read back from the database
is the case the action returned, field for field (an action that sets a date or a unit
and forgets to write it would show it once and lose it), and its timeline event says
what the step was, for the public timeline where the petitioner may see it (issue #20:
rules that could change without a test failing)."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from xinfang.cases.models import Case, CaseEvent, Obligation
from xinfang.documents.tests.factories import answer

from .conftest import REPLY

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def stored(case):
    """The case as the database has it, beside the case the action handed back."""
    fresh = Case.objects.get(pk=case.pk)
    assert model_to_dict(fresh) == model_to_dict(case)
    assert (fresh.due_date, fresh.due_kind, fresh.version) == (case.due_date, case.due_kind, case.version)
    return fresh


def last_event(case, action):
    return CaseEvent.objects.filter(case=case, action=action).latest("id")


NOTE_OPTIONAL = {"accept", "forward", "assign", "start", "close", "conclude", "archive"}


@pytest.fixture
def step(act):
    """step(action, case, who, **params): act, check that all of it is stored, return the stored case."""

    def run(action, case, who, **params):
        before = Case.objects.get(pk=case.pk).version
        done = stored(act(action, case, who, **params))
        assert done.version == before + 1
        if action in NOTE_OPTIONAL and "note" not in params:
            assert last_event(done, action).note == ""  # no note given, none made up
        return done

    return run


def test_a_case_from_acceptance_to_archive_stores_every_step(register_case, step, units, people, time_machine):
    case = step("accept", register_case(), "dengji")
    assert case.accepted_at == case.decided_at and case.handle_due == datetime.date(2026, 5, 6)
    assert last_event(case, "accept").public and last_event(case, "accept").data["handle_due"] == "2026-05-06"

    case = step("extend", case, "fuzeren", days=5, reason="需要现场核查")
    assert (case.extended_days, case.extension_reason, case.handle_due) == (5, "需要现场核查", datetime.date(2026, 5, 11))
    event = last_event(case, "extend")
    assert event.public and event.note == "需要现场核查"
    assert event.data == {"days": 5, "from": "2026-05-06", "to": "2026-05-11"}

    case = step("assign", case, "dengji", unit="341122100", assisting=["341122-ZJJ"], due_date="2026-04-30")
    assert case.lead_unit == case.current_unit == units["chengguan"] and case.current_unit_path == units["chengguan"].path
    assert case.handle_due == datetime.date(2026, 4, 30) and case.assigned_at is not None
    event = last_event(case, "assign")
    assert not event.public
    owed = Obligation.objects.get(case=case)
    assert event.data == {"unit": "341122100", "unit_name": "城关镇人民政府", "assisting": ["安宁县住房和城乡建设局"], "assist_due": "2026-03-17",
                          "obligation_id": owed.pk}
    assert (owed.owner_unit, owed.creditor_unit, owed.due_date, owed.status) == (units["chengguan"], units["bureau"],
                                                                                 datetime.date(2026, 4, 30), "open")

    case = step("start", case, "cg_chengban")
    assert case.status == "in_progress"
    case = step("progress", case, "cg_chengban", note="已走访")
    case = step("draft", case, "cg_chengban", **REPLY)
    case = step("report", case, "cg_fuzeren", summary="已走访核实")  # the answer it proposes: the handler's draft
    assert case.status == "reported" and not case.replies.exists()
    event = last_event(case, "report")
    assert event.note == "已走访核实" and event.data["obligation_id"] == owed.pk and event.data["late"] is False
    owed.refresh_from_db()
    assert owed.status == "reported" and owed.reported_on_time
    case = step("approve", case, "fuzeren", note="同意")
    owed.refresh_from_db()
    assert owed.status == "accepted" and owed.closed_by == people["fuzeren"]
    assert case.replies.get().signed_by == people["cg_fuzeren"] and case.replies.get().opinion == REPLY["opinion"]
    assert case.status == "replied" and case.replied_on_time and case.review_window_end is None  # 待送达
    assert case.deliver_due is not None and case.due_kind == "deliver"
    case = step("deliver", case, "cg_fuzeren", document=answer(case).pk, channel="online", delivered_on=timezone.localdate())
    assert case.review_window_end == datetime.date(2026, 4, 1) and case.deliver_due is None

    case = step("evaluate", case, "dengji", satisfaction="not_satisfied", comment="不满意")
    assert case.satisfaction == "not_satisfied" and case.status == "evaluated"
    event = last_event(case, "evaluate")
    assert event.public and event.note == "不满意" and event.data["satisfaction"] == "not_satisfied"
    assert event.data["reply_id"] == case.replies.get().pk

    case = step("close", case, "dengji")
    assert case.closed_at is not None and case.status == "closed"

    case = step("review", case, "dengji", reasons="补偿标准过低")
    assert (case.status, case.stage, case.current_unit, case.review_unit) == ("review", "review", units["county"], units["county"])
    assert case.current_unit_path == units["county"].path and case.review_requested_at is not None
    assert case.review_due == datetime.date(2026, 4, 1)
    event = last_event(case, "review")
    assert event.public and event.note == "补偿标准过低" and event.data == {"unit": "安宁县人民政府", "review_due": "2026-04-01"}

    case = step("reply", case, "fuzeren", **REPLY)
    assert case.status == "reviewed" and case.reviewed_at is not None and case.re_review_window_end is None
    case = step("deliver", case, "fuzeren", document=answer(case).pk, channel="online", delivered_on=timezone.localdate())
    assert case.re_review_window_end == datetime.date(2026, 4, 1)

    case = step("re_review", case, "dengji", reasons="仍不服")
    assert (case.status, case.stage, case.current_unit, case.re_review_unit) == ("re_review", "re_review", units["city"], units["city"])
    assert case.re_review_requested_at is not None and case.re_review_due == datetime.date(2026, 4, 1)
    assert last_event(case, "re_review").data == {"unit": "江州市人民政府", "re_review_due": "2026-04-01"}

    case = step("reply", case, "city_fuzeren", **REPLY)
    assert case.status == "concluded" and case.concluded_at is not None

    case = step("follow_up", case, "dengji", note="电话回访", method="phone")
    assert last_event(case, "follow_up").data == {"method": "phone"}
    case = step("archive", case, "dengji")
    assert case.status == "archived" and case.archived_at is not None


def test_a_conclusion_without_re_review_is_stored(register_case, step):
    case = step("accept", register_case(receiving_unit="341122"), "dengji")
    case = step("reply", case, "fuzeren", **REPLY)
    case = step("review", case, "dengji", reasons="不服")
    case = step("reply", case, "city_fuzeren", **REPLY)
    case = step("conclude", case, "city_fuzeren", note="终结")
    assert case.status == "concluded" and case.concluded_at is not None
    assert last_event(case, "conclude").public


def test_a_decline_and_a_refusal_store_their_grounds(register_case, step):
    declined = step("decline", register_case(), "dengji", reason="属于诉讼程序", proper_channel="向法院起诉", guided_procedure="litigation")
    assert (declined.decline_reason, declined.proper_channel, declined.guided_procedure) == ("属于诉讼程序", "向法院起诉", "litigation")
    assert declined.decided_at is not None
    event = last_event(declined, "decline")
    assert event.public and event.note == "属于诉讼程序"
    assert event.data == {"proper_channel": "向法院起诉", "guided_procedure": "litigation"}

    refused = step("refuse", register_case(), "dengji", basis="art36", reason="已复核终结")
    assert (refused.refuse_basis, refused.decline_reason, refused.status) == ("art36", "已复核终结", "refused")
    assert refused.decided_at is not None
    event = last_event(refused, "refuse")
    assert event.public and event.note == "已复核终结" and event.data == {"basis": "art36"}


def test_a_forward_and_its_return_are_stored(register_case, step, units):
    assert last_event(step("forward", register_case(), "dengji", unit="341122-ZJJ"), "forward").note == ""
    case = step("forward", register_case(), "dengji", unit="341122-ZJJ", note="属住建职责")
    assert case.current_unit == units["housing"] and case.current_unit_path == units["housing"].path
    assert case.decide_due == datetime.date(2026, 3, 17) and case.status == "forwarded"
    event = last_event(case, "forward")
    assert event.public and event.note == "属住建职责"
    assert event.data == {"unit": "341122-ZJJ", "unit_name": "安宁县住房和城乡建设局", "decide_due": "2026-03-17"}
    routing = case.assignments.get()
    assert (routing.unit, routing.is_lead, routing.assigned_by, routing.returned_at) == (units["housing"], True, units["bureau"], None)

    case = step("return", case, "zj_fuzeren", reason="不属本局职责")
    assert case.current_unit == units["bureau"] and case.current_unit_path == units["bureau"].path
    assert case.status == "registered" and case.lead_unit is None
    event = last_event(case, "return")
    assert event.note == "不属本局职责" and event.data == {"to_unit": "安宁县信访局"} and not event.public
    assert case.assignments.get().returned_at is not None


def test_an_assignment_returned_goes_back_accepted_and_ends_every_open_routing(register_case, step, units):
    case = step("accept", register_case(), "dengji")
    case = step("assign", case, "dengji", unit="341122100", assisting=["341122-ZJJ"])
    case = step("return", case, "cg_fuzeren", reason="不属本镇")
    assert case.status == "accepted" and case.current_unit == units["bureau"] and case.lead_unit is None
    assert not case.assignments.filter(returned_at__isnull=True).exists()


def test_a_void_stores_when_and_of_what_it_was_a_duplicate(register_case, step):
    original = register_case()
    case = step("void", register_case(), "dengji", reason="重复登记", duplicate_of=f" {original.number} ")
    assert case.status == "voided" and case.voided_at is not None
    event = last_event(case, "void")
    assert event.note == "重复登记" and event.data == {"duplicate_of": original.number}
    plain = step("void", register_case(), "dengji", reason="误登记")
    assert last_event(plain, "void").data == {}


def test_a_merge_and_its_split_are_stored(register_case, step):
    target, case = register_case(), register_case()
    case = step("merge", case, "dengji", into=target.number)
    assert case.status == "merged" and case.petition_count == 0
    case = step("split", case, "dengji")
    assert case.status == "registered" and case.petition_count == 1


def test_a_correction_is_stored(register_case, step, units):
    case = step("correct", register_case(), "dengji", reason="标题登记有误", title="征地补偿款至今未发放", headcount=3)
    assert case.title == "征地补偿款至今未发放" and case.headcount == 3


def test_a_forward_on_a_later_day_restarts_the_decision_clock_and_ends_the_earlier_routing(register_case, step, time_machine, units):
    case = register_case()
    assert case.decide_due == datetime.date(2026, 3, 17)
    time_machine.move_to("2026-03-10 10:00 +0800", tick=False)
    case = step("forward", case, "dengji", unit="341122-ZJJ")
    assert case.decide_due == datetime.date(2026, 3, 25)  # 15 days from the forward
    case = step("forward", case, "zj_fuzeren", unit="341122100")
    housing, township = case.assignments.get(unit=units["housing"]), case.assignments.get(unit=units["chengguan"])
    assert housing.returned_at is not None and township.returned_at is None
    assert township.assigned_by == units["housing"]


def test_a_forward_into_a_year_without_its_holiday_schedule_carries_the_warning(register_case, step, time_machine):
    time_machine.move_to("2026-12-20 10:00 +0800", tick=False)
    case = step("forward", register_case(), "dengji", unit="341122-ZJJ")
    assert case.decide_due.year == 2027 and any("2027" in w for w in case.deadline_warnings)
