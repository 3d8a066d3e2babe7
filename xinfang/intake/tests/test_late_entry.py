"""A petition received long before it is registered (补录) is taken only when the
registrar confirms it, and carries the mark; its clocks still run from the receipt."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases.models import Case, CaseEvent
from xinfang.lib.errors import Invalid

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_a_receipt_years_back_is_refused_without_confirmation_and_nothing_is_written(register_case):
    with pytest.raises(Invalid) as caught:
        register_case(received_at="1999-03-01T09:00:00+08:00", confirm_late=False)
    assert {"received_at", "confirm_late"} <= set(caught.value.fields)
    assert not Case.objects.exists()


def test_a_confirmed_late_entry_is_marked_and_its_clock_runs_from_the_real_receipt(register_case):
    case = register_case(received_at="2026-01-05T09:00:00+08:00", confirm_late=True)
    assert case.is_late_entry and case.petitions.get().is_late_entry
    assert case.decide_due == datetime.date(2026, 1, 20)
    assert CaseEvent.objects.get(case=case, action="register").data["late_entry"] is True


def test_within_the_limit_no_confirmation_is_asked_and_no_mark_is_made(register_case):
    case = register_case(received_at=timezone.now() - datetime.timedelta(days=30), confirm_late=False)
    assert not case.is_late_entry


def test_the_limit_is_a_setting(register_case, settings):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "late_entry_days": 7}
    with pytest.raises(Invalid):
        register_case(received_at=timezone.now() - datetime.timedelta(days=8), confirm_late=False)
