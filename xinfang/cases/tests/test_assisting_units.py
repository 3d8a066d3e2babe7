"""协办: an assisting unit gets the case in its work with its own due date, submits its
part, and the lead unit sees it before replying."""

import datetime

import pytest

from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import allowed_actions
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


@pytest.fixture
def assisted(register_case, act):
    """Assigned by the bureau to 城关镇, with 住建局 assisting."""
    return act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100", assisting=["341122-ZJJ"])


def test_an_assisting_unit_has_the_case_in_its_work_with_its_own_due_date(assisted, units, people):
    part = assisted.assignments.get(is_lead=False)
    assert part.due_date == datetime.date(2026, 3, 17)
    assert list(Case.objects.waiting_on(units["housing"])) == [assisted]
    assert list(filter_cases(people["zj_fuzeren"], CaseFilter(waiting=True))) == [assisted]
    assert allowed_actions(assisted, people["zj_fuzeren"]) == ["assist"]


def test_an_assisting_units_due_date_never_passes_the_lead_units(register_case, act):
    case = act("accept", register_case(), "dengji")
    case = act("assign", case, "dengji", unit="341122100", assisting=["341122-ZJJ"], due_date="2026-03-10")
    assert case.assignments.get(is_lead=False).due_date == datetime.date(2026, 3, 10)


def test_the_part_once_submitted_leaves_its_work_and_is_on_the_timeline(assisted, act, units, people):
    act("assist", assisted, "zj_fuzeren", opinion="经核查，该项目规划手续齐全")
    part = assisted.assignments.get(is_lead=False)
    assert part.opinion == "经核查，该项目规划手续齐全" and part.submitted_by == people["zj_fuzeren"]
    assert not Case.objects.waiting_on(units["housing"]).exists()
    event = CaseEvent.objects.get(case=assisted, action="assist")
    assert event.note == part.opinion and event.data["unit_name"] == "安宁县住房和城乡建设局" and event.actor_unit == units["housing"]
    assisted.refresh_from_db()
    assert assisted.status == "assigned"
    with pytest.raises(NotAllowed):
        act("assist", assisted, "zj_fuzeren", opinion="再交一次")


def test_the_part_needs_an_opinion(assisted, act):
    with pytest.raises(Invalid) as caught:
        act("assist", assisted, "zj_fuzeren")
    assert "opinion" in caught.value.fields


def test_the_lead_unit_and_strangers_cannot_submit_an_assisting_part(assisted, act):
    with pytest.raises(NotAllowed):
        act("assist", assisted, "cg_fuzeren", opinion="主办单位不是协办")
    with pytest.raises(NotFound):
        act("assist", assisted, "qs_fuzeren", opinion="无关单位")


def test_after_the_reply_the_part_can_no_longer_be_submitted(assisted, act, answer_as):
    from .conftest import REPLY

    case = answer_as(assisted, "cg_fuzeren", **REPLY)
    with pytest.raises(WrongState):
        act("assist", case, "zj_fuzeren", opinion="晚了")


def test_a_returned_assignment_ends_the_assisting_part(assisted, act, units):
    act("return", assisted, "cg_fuzeren", reason="不属本镇")
    assert not Case.objects.waiting_on(units["housing"]).exists()


def test_the_assisting_units_due_date_may_be_given_and_is_kept_within_the_leads(register_case, act):
    case = act("accept", register_case(), "dengji")
    case = act("assign", case, "dengji", unit="341122100", assisting=["341122-ZJJ"], assist_due="2026-03-09")
    part = case.assignments.get(is_lead=False)
    assert part.due_date == datetime.date(2026, 3, 9)
    assert CaseEvent.objects.get(case=case, action="assign").data["assist_due"] == "2026-03-09"
    assert case.assignments.get(is_lead=True).due_date is None  # the lead unit keeps the case's own deadline

    later = act("accept", register_case(), "dengji")
    later = act("assign", later, "dengji", unit="341122100", assisting=["341122-ZJJ"], assist_due=datetime.date(2027, 1, 1))
    assert later.assignments.get(is_lead=False).due_date == later.handle_due


def test_today_is_a_due_date_an_assisting_unit_may_be_given(register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100", assisting=["341122-ZJJ"],
               assist_due="2026-03-02")
    assert case.assignments.get(is_lead=False).due_date == datetime.date(2026, 3, 2)


@pytest.mark.parametrize("assist_due, says, beside", [
    ("2026-03-01", "协办期限不能早于今天 / The assisting units' due date cannot be in the past.", "已过 / In the past."),
    ("3月9日", "期限日期格式不正确 / The due date is not a valid date.", "YYYY-MM-DD"),
])
def test_an_assisting_due_date_in_the_past_or_not_a_date_is_refused_and_nothing_is_routed(register_case, act, assist_due, says, beside):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(Invalid) as caught:
        act("assign", case, "dengji", unit="341122100", assisting=["341122-ZJJ"], assist_due=assist_due)
    assert caught.value.message == says and caught.value.fields == {"assist_due": beside}
    case.refresh_from_db()
    assert case.status == "accepted" and not case.assignments.exists()
    assert not CaseEvent.objects.filter(case=case, action="assign").exists()


def test_a_part_submitted_after_its_due_date_is_marked_late(assisted, act, time_machine):
    time_machine.move_to("2026-03-18 09:00 +0800", tick=False)
    act("assist", assisted, "zj_fuzeren", opinion="迟交的协办意见")
    assert CaseEvent.objects.get(case=assisted, action="assist").data["late"] is True


def test_a_part_submitted_on_its_due_date_is_on_time(assisted, act, time_machine):
    time_machine.move_to("2026-03-17 23:30 +0800", tick=False)
    act("assist", assisted, "zj_fuzeren", opinion="按期的协办意见")
    data = CaseEvent.objects.get(case=assisted, action="assist").data
    assert data["late"] is False and data["assignment_id"] == assisted.assignments.get(is_lead=False).pk


def test_the_part_submitted_is_stored_with_when_and_by_whom_and_the_case_does_not_move(assisted, act, people, units):
    with pytest.raises(Invalid) as caught:
        act("assist", assisted, "zj_fuzeren", opinion="")
    assert caught.value.fields == {"opinion": "此项必填 / This field is required."}
    case = act("assist", assisted, "zj_fuzeren", opinion="规划手续齐全")
    part = case.assignments.get(is_lead=False)
    assert (part.opinion, part.submitted_by, part.unit) == ("规划手续齐全", people["zj_fuzeren"], units["housing"])
    assert part.submitted_at is not None and part.returned_at is None
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.current_unit) == ("assigned", units["chengguan"])
    event = CaseEvent.objects.get(case=case, action="assist")
    assert event.data == {"unit_name": "安宁县住房和城乡建设局", "assignment_id": part.pk, "late": False}
    assert event.to_status == event.from_status == "assigned"


def test_each_assisting_unit_submits_its_own_part_of_its_own_case(register_case, act, units):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100", assisting=["341122-JW", "341122-ZJJ"])
    other = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100", assisting=["341122-ZJJ"])
    act("assist", other, "zj_fuzeren", opinion="另一件的意见")
    act("assist", case, "zj_fuzeren", opinion="住建局的意见")
    parts = {p.unit.code: p for p in case.assignments.filter(is_lead=False)}
    assert parts["341122-ZJJ"].opinion == "住建局的意见" and parts["341122-JW"].submitted_at is None
    assert other.assignments.get(is_lead=False).opinion == "另一件的意见"


def test_a_part_is_submitted_to_the_current_routing_not_one_returned(register_case, act, units):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100", assisting=["341122-ZJJ"])
    case = act("return", case, "cg_fuzeren", reason="不属本镇")
    case = act("assign", case, "dengji", unit="341122200", assisting=["341122-ZJJ"])
    act("assist", case, "zj_fuzeren", opinion="新的协办意见")
    old, new = case.assignments.filter(is_lead=False).order_by("id")
    assert old.opinion == "" and old.submitted_at is None and new.opinion == "新的协办意见"
