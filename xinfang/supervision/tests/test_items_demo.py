"""The demo's supervision items (demo/supervision_items.py): every level, progress
reports, a result waiting, one sent back, one accepted, one overdue, one raised."""

import datetime

import time_machine

from xinfang.cases import obligations
from xinfang.cases.choices import ObligationStatus as OS
from xinfang.cases.models import Obligation
from xinfang.cases.services import perform
from xinfang.demo import supervision_items


def test_the_demo_supervises_open_cases_at_every_level(people, register_case, on_day, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2026-02-02 10:00 +0800", tick=False):
        for i in range(9):
            case = register_case(title=f"演示事项{i}")
            perform(case=case, action="accept", actor=people["dengji"])
            perform(case=case, action="assign", actor=people["dengji"], unit="341122100" if i % 2 else "341122-ZJJ")
    assert supervision_items.load(people=people) == 8
    rows = Obligation.objects.filter(kind="supervision")
    assert set(rows.values_list("level", flat=True)) == {"general", "key", "listed"}
    assert rows.filter(status=OS.ACCEPTED).count() == 1
    assert rows.filter(status=OS.REPORTED).count() == 1
    assert rows.filter(sent_back_count=1, status=OS.OPEN).count() == 1
    today = datetime.date(2026, 3, 2)
    assert list(obligations.overdue(rows, today).values_list("level", flat=True)) == ["general"]
    assert rows.filter(entries__kind="escalated").count() == 1
    assert rows.filter(entries__kind="progress").distinct().count() >= 4
    # The township's side has something to show.
    assert obligations.owed_by(people["cg_chengban"].unit).filter(kind="supervision").exists()


def test_without_the_supervisor_the_demo_opens_nothing(people, on_day):
    people["ducha"].delete()
    assert supervision_items.load(people={}) == 0
