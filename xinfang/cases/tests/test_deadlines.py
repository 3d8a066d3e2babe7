"""Legal clocks on real calendars: National Day, Spring Festival, make-up working days,
and a year the official calendar does not cover yet."""

import datetime

import pytest
import time_machine

from xinfang.calendar.models import CalendarYear, OfficialDay
from xinfang.lib.errors import WrongState

from .conftest import REPLY


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_the_decision_deadline_moves_past_national_day(register_case):
    with at("2025-09-20 10:00 +0800"):
        case = register_case()
    # 15 days end on Sun 5 Oct, inside the 1-8 Oct holiday: the period ends on Thu 9 Oct.
    assert case.decide_due == datetime.date(2025, 10, 9)
    assert case.due_date == case.decide_due and case.due_kind == "decide"


def test_the_decision_deadline_moves_past_the_spring_festival(register_case):
    with at("2026-02-05 10:00 +0800"):
        case = register_case()
    assert case.decide_due == datetime.date(2026, 2, 24)


def test_sixty_days_ending_on_a_saturday_end_on_monday(register_case, act):
    with at("2026-01-20 10:00 +0800"):
        case = act("accept", register_case(), "dengji")
    assert case.handle_due == datetime.date(2026, 3, 23)
    assert case.due_kind == "handle"


def test_an_extension_is_once_only_at_most_thirty_days_by_a_unit_head(register_case, act):
    with at("2026-03-02 10:00 +0800"):
        case = act("accept", register_case(), "dengji")
        assert case.handle_due == datetime.date(2026, 5, 6)  # 1 May falls in the Labour Day holiday
        with pytest.raises(Exception) as err:
            act("extend", case, "dengji", days=10, reason="需要现场核查")
        assert err.value.status == 403
        with pytest.raises(Exception) as err:
            act("extend", case, "fuzeren", days=31, reason="需要现场核查")
        assert "30" in err.value.message
        with pytest.raises(Exception) as err:
            act("extend", case, "fuzeren", days=10, reason="")
        assert "reason" in err.value.fields
        case = act("extend", case, "fuzeren", days=30, reason="需要现场核查")
        assert case.handle_due == datetime.date(2026, 6, 5) and case.extended_days == 30
        with pytest.raises(WrongState) as err:
            act("extend", case, "fuzeren", days=5, reason="再延")
        assert "只能延长一次" in err.value.message
    event = case.events.get(action="extend")
    assert event.public and event.data["from"] == "2026-05-06"


def test_a_reply_after_the_deadline_is_recorded_as_late(register_case, act, deliver):
    with at("2026-03-02 10:00 +0800"):
        case = act("accept", register_case(), "dengji")
    with at("2026-05-07 10:00 +0800"):
        assert case.is_overdue
        case = deliver(act("reply", case, "fuzeren", **REPLY))
    assert case.replied_on_time is False
    assert case.review_window_end == datetime.date(2026, 6, 8)  # 6 Jun is a Saturday


def test_a_unit_may_return_a_wrong_assignment_within_five_working_days_counting_make_up_days(register_case, act, units):
    with at("2025-09-26 10:00 +0800"):  # Friday before National Day
        case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with at("2025-10-11 09:00 +0800"):  # Sat 11 Oct is a make-up working day: the 6th working day
        with pytest.raises(WrongState) as err:
            act("return", case, "cg_fuzeren", reason="不属于本镇职责")
        assert "5个工作日" in err.value.message
    with at("2025-10-10 17:00 +0800"):  # the 5th working day (28 Sep, 29, 30 Sep, 9, 10 Oct)
        case = act("return", case, "cg_fuzeren", reason="不属于本镇职责")
    assert case.status == "accepted" and case.current_unit == units["bureau"] and case.lead_unit is None


def test_review_is_refused_after_its_window(register_case, act, units, deliver):
    with at("2026-03-02 10:00 +0800"):
        case = deliver(act("reply", act("accept", register_case(), "dengji"), "fuzeren", **REPLY))
        assert case.review_window_end == datetime.date(2026, 4, 1)
    with at("2026-04-02 10:00 +0800"):
        with pytest.raises(WrongState) as err:
            act("review", case, "dengji", reasons="不服")
        assert err.value.code == "window_closed" and "2026年04月01日" in err.value.message
    with at("2026-04-01 16:00 +0800"):
        case = act("review", case, "dengji", reasons="不服")
    assert case.status == "review" and case.review_due == datetime.date(2026, 5, 6)  # 1 May: holiday


def test_re_review_is_refused_after_its_window(register_case, act, deliver):
    with at("2026-03-02 10:00 +0800"):
        case = act("reply", act("accept", register_case(), "dengji"), "fuzeren", **REPLY)
        case = act("review", case, "dengji", reasons="不服")
        assert case.review_unit.name == "安宁县人民政府"  # the bureau's superior
    with at("2026-03-10 10:00 +0800"):
        case = deliver(act("reply", case, "fuzeren", **REPLY))  # the bureau acts for its government
        assert case.status == "reviewed" and case.re_review_window_end == datetime.date(2026, 4, 9)
    with at("2026-04-10 10:00 +0800"):
        with pytest.raises(WrongState):
            act("re_review", case, "dengji", reasons="仍不服")
        case = act("conclude", case, "fuzeren", note="复核期限届满未申请")
    assert case.status == "concluded"


def test_a_deadline_in_an_uncovered_year_carries_a_warning_until_the_schedule_is_entered(register_case):
    with at("2026-12-17 10:00 +0800"):
        case = register_case()
    assert case.decide_due == datetime.date(2027, 1, 1)
    assert any("2027" in w and "录入" in w for w in case.deadline_warnings)

    OfficialDay.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
    CalendarYear.objects.create(year=2027)
    with at("2026-12-17 10:00 +0800"):
        case = register_case()
    assert case.decide_due == datetime.date(2027, 1, 4)
    assert case.deadline_warnings == []
