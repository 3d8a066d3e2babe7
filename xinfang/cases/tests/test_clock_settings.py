"""The clocks follow the deployment's limits (docs/deadlines.md): working-day counting,
handling periods per kind, the administrator's day table; and each counts from the day
it is given, not from today. Found by mutation testing (docs/mutation.md)."""

import datetime

import pytest

from xinfang.calendar.models import OfficialDay
from xinfang.calendar.services import invalidate
from xinfang.cases import clock

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)]

TUE_10_MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def limits(settings):
    def use(**changes):
        settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, **changes}

    return use


def test_the_decision_period_counts_from_the_day_given_not_today():
    assert clock.decide_due(TUE_10_MARCH).date == datetime.date(2026, 3, 25)
    moment = datetime.datetime(2026, 3, 9, 16, 30, tzinfo=datetime.timezone.utc)  # 10 March in Beijing
    assert clock.decide_due(moment).date == datetime.date(2026, 3, 25)


def test_the_decision_period_in_working_days_when_configured(limits):
    limits(decide_working_days=True)
    # 15 working days after Tue 10 March: 11-13, 16-20, 23-27, 30, 31 March.
    assert clock.decide_due(TUE_10_MARCH).date == datetime.date(2026, 3, 31)


def test_the_handling_period_counts_from_the_day_given_not_today():
    assert clock.handle_due(datetime.date(2026, 3, 2), "grievance").date == datetime.date(2026, 5, 6)


def test_the_handling_period_per_kind_with_sixty_days_for_a_kind_not_configured(limits):
    limits(handle_days={"suggestion": 30, "grievance": 90})
    assert clock.handle_due(TUE_10_MARCH, "suggestion").date == datetime.date(2026, 4, 9)
    assert clock.handle_due(TUE_10_MARCH, "grievance").date == datetime.date(2026, 6, 8)  # Mon 8 June
    assert clock.handle_due(TUE_10_MARCH, "accusation").date == datetime.date(2026, 5, 9)  # 60 days; Sat 9 May is a make-up working day


def test_the_handling_period_in_working_days_when_configured(limits):
    limits(handle_working_days=True, handle_days={"grievance": 10})
    # 10 working days after Tue 10 March: 11-13, 16-20, 23, 24 March.
    assert clock.handle_due(TUE_10_MARCH, "grievance").date == datetime.date(2026, 3, 24)


def test_working_days_since_use_the_administrators_day_table():
    fri, mon = datetime.date(2026, 3, 13), datetime.date(2026, 3, 16)
    assert clock.working_days_since(fri, mon) == 1
    OfficialDay.objects.create(date=datetime.date(2026, 3, 14), kind="workday", name="调休上班")
    invalidate()
    assert clock.working_days_since(fri, mon) == 2
    invalidate()
