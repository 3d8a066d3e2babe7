"""A county with something to report on, for the bulletin tests: overdue cases and
obligations, results sent back, reminders, inside and outside the period and the scope.
Import the `world` fixture into a test module: `from .bulletin_world import world`."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.cases.choices import ObligationKind
from xinfang.supervision.models import Reminder, ReminderKind

DAY = datetime.timedelta(days=1)


def ago(days):
    return timezone.now() - days * DAY


def reminder(unit, *, key, days_ago, case=None, obligation=None, kind=ReminderKind.OVERDUE):
    due = timezone.localdate() - (days_ago + 3) * DAY
    return Reminder.objects.create(key=key, kind=kind, case=case, obligation=obligation, unit=unit, unit_path=unit.path,
                                   due_date=due, due_label="办理期限", days_overdue=3, created_at=ago(days_ago))


@pytest.fixture
def world(units, people, register_case):
    """What stands, as of today, for the period [today-25, today-1]:

    - bureau (安宁县信访局): case A registered 40 days ago and never decided (decide
      deadline passed); and a report-back obligation on case A it owes, due 10 days
      ago: one matter, counted once (overdue 1).
    - qingshan: a supervision item (no case) due 20 days ago (overdue 1); reminders 2
      in the period, 1 before it (reminded 2).
    - hekou: an obligation reported and sent back 5 days ago with a new due date ahead
      (sent back 1, overdue 0), and one sent back 40 days ago (outside the period).
    - chengguan: an obligation due in the future (nothing).
    - city_office (above the county): a reminder in the period, outside the subtree.
    """
    today = timezone.localdate()
    ducha = people["ducha"]
    case_a = register_case(received_at=ago(40), title="征地补偿款未发放")
    on_a = obligations.open_obligation(kind=ObligationKind.SUPERVISION, case=case_a, owner_unit=units["bureau"],
                                       creditor_unit=units["county"], due_date=today - 10 * DAY, title="督办征地补偿",
                                       actor=people["lingdao"], now=ago(20))
    item = obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units["qingshan"], creditor_unit=units["bureau"],
                                       due_date=today - 20 * DAY, title="青山乡道路积水问题督办", actor=ducha, now=ago(30))
    back = obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units["hekou"], creditor_unit=units["bureau"],
                                       due_date=today - 6 * DAY, title="河口镇污水处理厂异味督办", actor=ducha, now=ago(30))
    obligations.report(back, actor=people["cg_fuzeren"], text="已整改", final=True, now=ago(7), check=False)
    obligations.send_back(back, actor=ducha, reason="整改材料不全", due_date=today + 10 * DAY, now=ago(5), check=False)
    old = obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units["hekou"], creditor_unit=units["bureau"],
                                      due_date=today - 41 * DAY, title="河口镇旧事项", actor=ducha, now=ago(60))
    obligations.report(old, actor=people["cg_fuzeren"], text="已办", final=True, now=ago(45), check=False)
    obligations.send_back(old, actor=ducha, reason="补充材料", due_date=today + 20 * DAY, now=ago(40), check=False)
    future = obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units["chengguan"], creditor_unit=units["bureau"],
                                         due_date=today + 5 * DAY, title="城关镇事项", actor=ducha)
    reminders = [reminder(units["qingshan"], key="t:qs:1", days_ago=3, obligation=item),
                 reminder(units["qingshan"], key="t:qs:2", days_ago=10, obligation=item),
                 reminder(units["qingshan"], key="t:qs:old", days_ago=30, obligation=item),
                 reminder(units["city_office"], key="t:city", days_ago=3)]
    return {"case_a": case_a, "on_a": on_a, "item": item, "back": back, "old": old, "future": future, "reminders": reminders,
            "start": today - 25 * DAY, "end": today - DAY, "today": today}
