"""The demo load ends with a sweep: the township has reminders, a 逾期通报 raised a
supervision, and sweeping again changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from xinfang.cases.models import Obligation
from xinfang.demo import supervision_sweeps
from xinfang.notify.models import Notification
from xinfang.supervision.models import Reminder


# On the sup-core branch the demo story still replies directly on assigned cases, which
# the report-back flow refuses; the reportback helper's change fixes the story.
@pytest.mark.xfail(raises=CommandError, strict=False, reason="demo story not yet on the report-back flow (sup-core)")
@pytest.mark.django_db
def test_the_demo_shows_reminders_and_a_second_sweep_changes_nothing():
    out = io.StringIO()
    call_command("load_demo", cases=40, seed=7, stdout=out)
    assert "催办 / Reminders:" in out.getvalue()
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert {"overdue", "escalated"} <= kinds or {"near", "escalated"} <= kinds
    assert Obligation.objects.filter(source="sweep").exists() or Obligation.objects.exclude(level="").exists()
    assert Notification.objects.filter(title__startswith="逾期通报").exists()
    before = (Reminder.objects.count(), Notification.objects.count(), Obligation.objects.count())
    assert supervision_sweeps.run().total == 0
    call_command("load_demo", cases=40, seed=7, stdout=io.StringIO())  # a second load: nothing changes
    assert (Reminder.objects.count(), Notification.objects.count(), Obligation.objects.count()) == before
