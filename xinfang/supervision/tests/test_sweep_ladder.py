"""The sweep's ladder: 临期提醒 within three working days, 逾期催办 once passed, 逾期通报
after five days overdue, each made once per deadline and date."""

import datetime

import pytest

from xinfang.cases.models import Obligation
from xinfang.notify.models import Notification
from xinfang.supervision import sweeps
from xinfang.supervision.models import Reminder

from .conftest import TODAY

D = datetime.timedelta


@pytest.mark.django_db
def test_each_deadline_gets_the_step_of_the_ladder_it_has_reached(case_due, obligation_due, people, units):
    far = case_due(TODAY + D(days=30))
    near = case_due(TODAY + D(days=5))  # Monday 7 Dec: three working days after Wed 2 Dec
    not_yet = case_due(TODAY + D(days=6))  # Tuesday: four working days away
    late = case_due(TODAY - D(days=2))
    very_late = case_due(TODAY - D(days=5))
    owed = obligation_due(TODAY - D(days=1))
    result = sweeps.run()
    got = {(r.case_id, r.obligation_id): r for r in Reminder.objects.all()}
    assert result.created == {"near": 1, "overdue": 2, "escalated": 1}
    assert (near.pk, None) in got and got[(near.pk, None)].kind == "near"
    assert far.pk not in {c for c, _ in got} and not_yet.pk not in {c for c, _ in got}
    assert got[(late.pk, None)].kind == "overdue" and got[(late.pk, None)].days_overdue == 2
    assert got[(very_late.pk, None)].kind == "escalated" and got[(very_late.pk, None)].days_overdue == 5
    reminder = got[(None, owed.pk)]
    assert (reminder.kind, reminder.unit, reminder.responsible, reminder.from_unit) == (
        "overdue", units["chengguan"], people["cg_chengban"], units["bureau"])
    # the bureau's own case is supervised by the city's petition office
    assert got[(late.pk, None)].from_unit == units["city_office"] and got[(late.pk, None)].unit == units["bureau"]
    assert got[(near.pk, None)].due_label == "受理告知期限"
    # the township's handler and head hear of their obligation, once
    told = Notification.objects.filter(recipient=people["cg_chengban"])
    assert told.count() == 1 and "逾期催办" in told.get().title


@pytest.mark.django_db
def test_a_second_run_makes_and_sends_nothing(case_due, obligation_due):
    case_due(TODAY + D(days=1))
    case_due(TODAY - D(days=9))
    obligation_due(TODAY - D(days=7))
    first = sweeps.run()
    counts = (Reminder.objects.count(), Notification.objects.count(), Obligation.objects.count())
    second = sweeps.run()
    assert first.total == 3 and second.total == 0 and second.notifications == 0 and second.escalated == 0
    assert (Reminder.objects.count(), Notification.objects.count(), Obligation.objects.count()) == counts
