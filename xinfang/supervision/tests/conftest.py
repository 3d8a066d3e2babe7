import datetime

import pytest
import time_machine
from django.core.cache import cache

from xinfang.cases import obligations
from xinfang.cases.models import Case, Obligation
from xinfang.cases.services import perform
from xinfang.supervision import items

DAY = datetime.date(2026, 3, 2)  # tests travel to 2026-03-02 10:00 (Asia/Shanghai), a Monday


@pytest.fixture
def assigned_case(people, register_case, settings, tmp_path):
    """A case the bureau accepted and assigned to 城关镇, which started on it."""
    settings.MEDIA_ROOT = tmp_path
    case = register_case()
    case = perform(case=case, action="accept", actor=people["dengji"])
    case = perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    return perform(case=case, action="start", actor=people["cg_chengban"])


@pytest.fixture
def item(people, assigned_case):
    """A 重点督办 item of the bureau's supervisor on 城关镇, due in ten days."""
    row, _ = items.open_item(case=assigned_case, actor=people["ducha"], level="key", unit="341122100",
                             requirement="十日内核实补偿款发放情况并报告", due_date=DAY + datetime.timedelta(days=10),
                             responsible="cg_chengban")
    return row


@pytest.fixture
def on_day():
    """The clock stands at 2026-03-02 10:00 in Shanghai; `on_day.move_to(...)` moves it."""
    import time_machine

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller

# A Wednesday in working hours (Beijing time).
WORKING = "2026-12-02 10:00 +0800"
TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def quiet_backends(settings):
    settings.SMS_BACKEND = "xinfang.notify.sms.LoggingSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SUPERVISION = {**settings.SUPERVISION, "remind_before_working_days": 3, "escalate_after_days": 5}
    cache.clear()  # the calendar's day table


@pytest.fixture
def working_day():
    with time_machine.travel(WORKING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case_due(register_case, working_day):
    """case_due(date) -> a case registered at the county bureau whose legal deadline is
    `date` (the bureau owes it)."""

    def make(due, **fields):
        case = register_case(**fields)
        Case.objects.filter(pk=case.pk).update(due_date=due)
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def obligation_due(people, units, working_day):
    """obligation_due(date, owner="chengguan") -> an open supervision obligation the owner
    unit owes the county bureau by `date` (cg_chengban responsible)."""

    def make(due, owner="chengguan", case=None, responsible="cg_chengban", level=""):
        row = obligations.open_obligation(kind="supervision", owner_unit=units[owner], creditor_unit=units["bureau"],
                                          due_date=TODAY, title="督办：道路积水整治", actor=people["ducha"], case=case, level=level,
                                          responsible=people[responsible] if responsible else None)
        Obligation.objects.filter(pk=row.pk).update(due_date=due)
        row.refresh_from_db()
        return row

    return make
