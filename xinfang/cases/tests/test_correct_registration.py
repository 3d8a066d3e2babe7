"""更正: a registered field put right, with the reason; the old value stays on the
timeline and the audit record, and the clocks that ran from it are computed again."""

import datetime

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import CaseEvent
from xinfang.lib.errors import Invalid, NotAllowed, WrongState

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_a_wrong_received_date_is_corrected_and_the_decision_clock_follows(register_case, act):
    case = register_case(received_at="1999-03-01T09:00:00+08:00")
    assert case.is_late_entry and case.is_overdue
    case = act("correct", case, "dengji", received_at="2026-03-01T09:00:00+08:00", reason="收到日期录入错误，应为2026年")
    assert case.received_at.year == 2026 and case.petitions.get().received_at.year == 2026
    assert case.decide_due == datetime.date(2026, 3, 16) and case.due_date == case.decide_due
    assert not case.is_late_entry and not case.is_overdue
    event = CaseEvent.objects.get(case=case, action="correct")
    assert event.note == "收到日期录入错误，应为2026年"
    assert event.data["changes"]["received_at"] == ["1999-03-01 09:00", "2026-03-01 09:00"]
    assert event.data["decide_due"] == ["1999-03-16", "2026-03-16"]
    entry = AuditEntry.objects.filter(action="case.correct").latest("id")
    assert entry.detail["changes"]["received_at"][0] == "1999-03-01 09:00"


def test_a_correction_to_a_date_far_back_needs_the_late_entry_confirmation(register_case, act):
    case = register_case()
    with pytest.raises(Invalid) as caught:
        act("correct", case, "dengji", received_at="2025-10-01T09:00:00+08:00", reason="实际收到日期")
    assert "confirm_late" in caught.value.fields
    case = act("correct", case, "dengji", received_at="2025-10-01T09:00:00+08:00", confirm_late=True, reason="实际收到日期")
    assert case.is_late_entry


def test_a_kind_corrected_after_acceptance_moves_the_handling_deadline(register_case, act, settings):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "handle_days": {"grievance": 60, "suggestion": 60, "accusation": 90}}
    case = act("accept", register_case(), "dengji")
    before = case.handle_due
    case = act("correct", case, "dengji", kind="accusation", accused_post="村会计", reason="实为检举控告")
    assert case.kind == "accusation" and case.accused_post == "村会计"
    assert case.handle_due > before
    assert CaseEvent.objects.get(case=case, action="correct").data["changes"]["kind"] == ["申诉求决", "检举控告"]


def test_a_correction_that_changes_nothing_is_refused(register_case, act):
    case = register_case()
    with pytest.raises(Invalid):
        act("correct", case, "dengji", title=case.title, reason="核对")


def test_a_correction_needs_a_reason(register_case, act):
    case = register_case()
    with pytest.raises(Invalid) as caught:
        act("correct", case, "dengji", title="新标题")
    assert "reason" in caught.value.fields


def test_only_the_registering_units_registrar_or_head_may_correct(register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with pytest.raises(NotAllowed):
        act("correct", case, "cg_fuzeren", title="改标题", reason="试图更正")
    with pytest.raises(NotAllowed):
        act("correct", case, "chengban", title="改标题", reason="承办人不能更正")
    case = act("correct", case, "fuzeren", title="征地补偿款未足额发放", reason="标题不准确")
    assert case.title == "征地补偿款未足额发放"


def test_an_archived_case_is_not_corrected(register_case, act):
    case = act("archive", act("decline", register_case(), "dengji", reason="不属信访", proper_channel="向法院起诉"), "dengji")
    with pytest.raises(WrongState):
        act("correct", case, "dengji", title="改", reason="晚了")


def test_a_kind_corrected_away_from_accusation_drops_the_accused(register_case, act):
    case = register_case(kind="accusation", accused_unit="341122200202", accused_post="村主任", petitioners=[])
    case = act("correct", case, "dengji", kind="grievance", reason="实为求决")
    assert case.accused_unit is None and case.accused_post == ""
    assert CaseEvent.objects.get(case=case, action="correct").data["changes"]["accused_post"] == ["村主任", ""]
