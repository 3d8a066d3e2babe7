"""The edges of the legal clocks (issue #20): the due day itself is on time, and the legal
date of a moment is its day in Beijing, not in UTC — a letter received between 00:00 and
07:59 Beijing time is still on the previous day in UTC."""

import datetime

import pytest
import time_machine

from xinfang.cases import clock
from xinfang.cases.services import shows_identity

from .conftest import REPLY


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def accepted_on_2_march(register_case, act):
    with at("2026-03-02 10:00 +0800"):
        case = act("accept", register_case(), "dengji")
    assert case.handle_due == datetime.date(2026, 5, 6)
    return case


def test_a_reply_late_on_the_due_day_is_on_time(accepted_on_2_march, act, deliver):
    with at("2026-05-06 23:59 +0800"):  # 15:59 UTC, same day
        case = deliver(act("reply", accepted_on_2_march, "fuzeren", **REPLY))
    assert case.replied_on_time is True
    assert case.review_window_end == datetime.date(2026, 6, 5)


def test_a_reply_just_after_midnight_beijing_is_late_though_utc_is_still_on_the_due_day(accepted_on_2_march, act, deliver):
    with at("2026-05-07 00:30 +0800"):  # 6 May 16:30 UTC
        case = deliver(act("reply", accepted_on_2_march, "fuzeren", **REPLY))
    assert case.replied_on_time is False
    assert case.review_window_end == datetime.date(2026, 6, 8)  # 30 days from 7 May: Sat 6 Jun → Mon 8 Jun


@pytest.mark.parametrize("clock_time", ["00:30", "07:59"])
def test_a_petition_received_before_eight_beijing_time_counts_from_that_beijing_day(register_case, clock_time):
    received = f"2026-03-10T{clock_time}:00+08:00"  # 9 March in UTC
    with at("2026-03-10 09:00 +0800"):
        case = register_case(received_at=received)
    # 15 days from Tue 10 March (not counted) end on Wed 25 March; from 9 March it would be the 24th.
    assert case.decide_due == datetime.date(2026, 3, 25)
    assert case.number.endswith("-2026-00001")


def test_a_letter_received_at_half_past_midnight_on_new_years_day_is_numbered_in_the_new_year(register_case):
    with at("2026-01-01 09:00 +0800"):
        case = register_case(received_at="2026-01-01T00:30:00+08:00")  # 2025-12-31 in UTC
    assert "-2026-" in case.number


def test_a_decision_at_half_past_midnight_starts_the_handling_period_that_beijing_day(register_case, act):
    with at("2026-03-16 10:00 +0800"):
        case = register_case()
    with at("2026-03-17 00:30 +0800"):  # 16 March in UTC
        case = act("accept", case, "dengji")
    # 60 days from 17 March end on Sat 16 May, so Mon 18 May; from 16 March it would be Fri 15 May.
    assert case.handle_due == datetime.date(2026, 5, 18)


def test_the_legal_date_of_a_moment_is_its_beijing_day():
    moment = datetime.datetime(2026, 3, 9, 16, 30, tzinfo=datetime.timezone.utc)  # 10 March 00:30 in Beijing
    assert clock.as_date(moment) == datetime.date(2026, 3, 10)
    assert clock.as_date(datetime.date(2026, 3, 9)) == datetime.date(2026, 3, 9)
    with at("2026-03-10 00:30 +0800"):
        assert clock.as_date() == datetime.date(2026, 3, 10)


def test_working_days_since_counts_beijing_days(register_case):
    start = datetime.datetime(2026, 3, 6, 16, 30, tzinfo=datetime.timezone.utc)  # Sat 7 March 00:30 in Beijing
    now = datetime.datetime(2026, 3, 9, 16, 30, tzinfo=datetime.timezone.utc)  # Tue 10 March 00:30 in Beijing
    assert clock.working_days_since(start, now) == 2  # Mon 9 and Tue 10 March; in UTC days it would be 1


def test_the_discipline_organs_see_an_accusers_identity_and_the_accused_unit_does_not(register_case, act, people):
    """The shield's second clause (Art. 30): the county's discipline commission, which is
    neither the registering office nor the unit holding the case, sees who accused."""
    case = act("assign", act("accept", register_case(kind="accusation", title="举报村干部侵占补偿款"), "dengji"),
               "dengji", unit="341122100")
    jw = people["jw_fuzeren"]
    assert jw.unit.kind == "discipline" and not ({case.unit_id, case.current_unit_id} & jw.unit.acts_for)
    assert shows_identity(case, jw)
    assert not shows_identity(case, people["cg_fuzeren"]) and not shows_identity(case, people["zj_fuzeren"])


def test_the_township_discipline_committee_is_a_discipline_organ_too(register_case, act, people, units):
    from xinfang.org.sample import make_user
    from xinfang.org.choices import Role

    case = act("accept", register_case(kind="accusation", title="举报村干部侵占补偿款"), "dengji")
    member = make_user("qs_jiwei", units["qingshan_discipline"], [Role.HANDLER], password="x")
    plain_member = make_user("qs_ban", units["qingshan_office"], [Role.HANDLER], password="x")
    assert shows_identity(case, member) and not shows_identity(case, plain_member)
    # A grievance shows its petitioner to everyone who may see the case at all.
    assert shows_identity(register_case(), plain_member)
