import pytest

from xinfang.cases.models import Case, CaseAssignment
from xinfang.cases.services import allowed_actions
from xinfang.lib.errors import NotFound

from .conftest import REPLY


def test_a_forwarded_case_is_decided_by_the_unit_it_was_forwarded_to(register_case, act, units, people):
    case = act("forward", register_case(), "dengji", unit="341122-ZJJ", note="属住建职责")
    assert case.status == "forwarded" and case.current_unit == units["housing"]
    assert "accept" in allowed_actions(case, people["zj_fuzeren"])
    # The registering unit still corrects its registration, and delivers the 转送告知书 it issued.
    assert allowed_actions(case, people["dengji"]) == ["correct", "deliver"]
    case = act("accept", case, "zj_fuzeren")
    assert case.status == "accepted" and case.due_kind == "handle"


def test_a_forward_returned_goes_back_to_the_forwarding_unit_as_registered(register_case, act, units):
    case = act("forward", register_case(), "dengji", unit="341122-ZJJ")
    case = act("return", case, "zj_fuzeren", reason="不属本局职责")
    assert case.status == "registered" and case.current_unit == units["bureau"]
    assert not CaseAssignment.objects.filter(case=case, returned_at__isnull=True).exists()


def test_assigning_with_assisting_units_records_lead_and_helpers(register_case, act, units):
    case = act("accept", register_case(), "dengji")
    case = act("assign", case, "dengji", unit="341122100", assisting=["341122-ZRZY", "341122-RSJ"])
    lead = case.assignments.get(is_lead=True)
    assert lead.unit == units["chengguan"] and lead.assigned_by == units["bureau"]
    assert set(case.assignments.filter(is_lead=False).values_list("unit__code", flat=True)) == {"341122-ZRZY", "341122-RSJ"}
    assert case.lead_unit == units["chengguan"]


def test_scope_a_township_sees_only_what_was_routed_to_it(register_case, act, people):
    routed = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    kept = register_case(title="本局自办")
    assert set(Case.objects.visible_to(people["cg_chengban"])) == {routed}
    assert set(Case.objects.visible_to(people["cg_dengji"])) == {routed}  # the township office serves 城关镇
    assert set(Case.objects.visible_to(people["dengji"])) == {routed, kept}
    assert set(Case.objects.visible_to(people["city_fuzeren"])) == {routed, kept}
    assert list(Case.objects.visible_to(people["qs_fuzeren"])) == []
    with pytest.raises(NotFound):
        act("note", routed, "qs_fuzeren", note="看看")


def test_work_queue_holds_the_cases_waiting_on_my_unit(register_case, act, people, units, deliver):
    waiting = register_case()
    routed = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    assert set(Case.objects.waiting_on(units["bureau"])) == {waiting}
    assert set(Case.objects.waiting_on(units["chengguan"])) == {routed}
    reported = act("report", act("start", routed, "cg_chengban"), "cg_fuzeren", summary="已核实", **REPLY)
    # Its result report waits for the bureau's decision (待审核): on the bureau's desk, not the town's.
    assert set(Case.objects.waiting_on(units["bureau"])) == {waiting, reported}
    assert set(Case.objects.waiting_on(units["chengguan"])) == set()
    replied = act("approve", reported, "fuzeren")
    assert set(Case.objects.waiting_on(units["bureau"])) == {waiting}
    # Answered, the written answer is still to be delivered (送达) by the unit that wrote it.
    assert set(Case.objects.waiting_on(units["chengguan"])) == {replied}
    assert replied.due_kind == "deliver"
    delivered = deliver(replied, "cg_fuzeren")
    assert set(Case.objects.waiting_on(units["chengguan"])) == set()
    assert delivered.due_date is None


def test_close_follow_up_and_archive_finish_a_case(replied_case, act):
    case = act("evaluate", replied_case, "dengji", satisfaction="basically", channel="phone")
    case = act("follow_up", case, "cg_chengban", note="回访：补偿款已到账", method="phone")
    case = act("close", case, "cg_fuzeren")
    case = act("archive", case, "dengji")
    assert case.status == "archived" and case.archived_at
    assert list(case.events.values_list("action", flat=True))[-4:] == ["evaluate", "follow_up", "close", "archive"]
