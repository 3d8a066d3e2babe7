"""The sweep run again, at once, after a crash, from the command line and from huey:
each reminder made once, each notification sent once."""

import datetime
import io
import json
import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.cases.models import Obligation
from xinfang.notify.models import Notification
from xinfang.supervision import sweeps, tasks
from xinfang.supervision.models import Reminder

from .conftest import TODAY

D = datetime.timedelta


def fill(case_due, obligation_due, n=3):
    for i in range(n):
        case_due(TODAY + D(days=i % 3))  # near
        case_due(TODAY - D(days=1 + i))  # overdue, or escalated from the fifth day
        owner = ("chengguan", "qingshan", "hekou")[i % 3]
        obligation_due(TODAY - D(days=2 + i), owner=owner, responsible="cg_chengban" if owner == "chengguan" else None)


def snapshot():
    return (sorted(Reminder.objects.values_list("key", flat=True)), sorted(Notification.objects.values_list("recipient_id", "key")),
            Obligation.objects.count(), sorted(Obligation.objects.values_list("pk", "level")))


@pytest.mark.django_db
def test_a_second_sweep_in_the_same_minute_does_nothing_new(case_due, obligation_due):
    fill(case_due, obligation_due)
    first = sweeps.run()
    before = snapshot()
    second = sweeps.run()
    assert first.total == 9 and first.notifications > 0
    assert second.as_dict() | {"today": "", "horizon": ""} == sweeps.SweepResult().as_dict()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_run_that_died_after_making_reminders_is_completed_by_the_next(case_due, obligation_due, people, monkeypatch):
    fill(case_due, obligation_due)
    # the first run made some reminders, then died before telling anyone
    sweeps.make_reminders(TODAY, sweeps.timezone.now(), sweeps.SweepResult())
    Reminder.objects.filter(pk__in=list(Reminder.objects.order_by("pk").values_list("pk", flat=True)[4:])).delete()

    def dies(*args, **kwargs):
        raise RuntimeError("worker killed while telling")

    monkeypatch.setattr(sweeps, "_escalate", dies)  # a second one dies inside the telling transaction
    with pytest.raises(RuntimeError):
        sweeps.run()
    assert Notification.objects.count() == 0 and Reminder.objects.filter(notified_at__isnull=False).count() == 0
    monkeypatch.undo()
    result = sweeps.run()
    assert Reminder.objects.count() == 9 and result.told == 9 and Reminder.objects.filter(notified_at__isnull=True).count() == 0
    escalated = Reminder.objects.filter(kind="escalated").count()
    assert result.escalated + result.opened == escalated
    before = snapshot()
    assert sweeps.run().total == 0 and snapshot() == before


def every_step(case_due, obligation_due, n):
    for _ in range(n):
        case_due(TODAY + D(days=1))
        case_due(TODAY - D(days=2))
        case_due(TODAY - D(days=8))
        obligation_due(TODAY - D(days=9), level="general")
        obligation_due(TODAY - D(days=1))


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_cases(case_due, obligation_due):
    every_step(case_due, obligation_due, 1)
    with CaptureQueriesContext(connection) as small:
        sweeps.run()
    every_step(case_due, obligation_due, 4)
    with CaptureQueriesContext(connection) as large:
        result = sweeps.run()
    assert result.total == 20 and result.opened == 4 and result.escalated == 4
    assert len(large) == len(small)


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_make_and_tell_each_reminder_once(register_case, people, units, working_day):
    from xinfang.cases.models import Case

    for i in range(12):
        case = register_case()
        Case.objects.filter(pk=case.pk).update(due_date=TODAY - D(days=i))
    start, errors, results = threading.Barrier(2), [], []

    def worker():
        try:
            start.wait()
            results.append(sweeps.run())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Reminder.objects.count() == 12 and sum(r.total for r in results) == 12
    assert sum(r.told for r in results) == 12
    keys = Counter(Notification.objects.values_list("recipient_id", "title"))
    assert keys and max(keys.values()) == 1
    # each late case escalated by exactly one of the workers: one 一般督办 each
    assert Obligation.objects.filter(source="sweep").count() == Reminder.objects.filter(kind="escalated").count() == 7
    assert max(Counter(Obligation.objects.values_list("case_id", flat=True)).values()) == 1


@pytest.mark.django_db
def test_the_command_prints_what_it_did(case_due, obligation_due):
    fill(case_due, obligation_due, n=1)
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "新建催办3件（临期提醒1件，逾期催办2件，逾期通报0件）" in out.getvalue()
    out = io.StringIO()
    call_command("sweep", "--json", stdout=out)
    assert json.loads(out.getvalue())["total"] == 0


@pytest.mark.django_db
def test_the_periodic_task_runs_the_sweep(case_due):
    case_due(TODAY - D(days=1))
    assert tasks.sweep_reminders.call_local()["created"]["overdue"] == 1
    assert tasks.sweep_now.call_local()["total"] == 0


def test_the_periodic_task_is_due_every_sweep_minutes(settings):
    settings.SUPERVISION = {**settings.SUPERVISION, "sweep_minutes": 15}
    due = [m for m in range(60) if tasks.on_the_minute(datetime.datetime(2026, 12, 2, 10, m))]
    assert due == [0, 15, 30, 45]
    settings.SUPERVISION = {**settings.SUPERVISION, "sweep_minutes": 1}
    assert tasks.on_the_minute(datetime.datetime(2026, 12, 2, 10, 7))
