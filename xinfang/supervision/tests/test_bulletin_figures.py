"""A bulletin's figures: what each counts (supervision/bulletins.py), that every count
equals the list behind it for every unit, and that the subtree total is the sum."""

import pytest

from xinfang.org.models import Unit
from xinfang.supervision import bulletins
from xinfang.supervision.bulletins import FIGURES
from xinfang.supervision.models import BulletinLine

from .bulletin_world import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _generate(people, units, world, **extra):
    return bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom", start=world["start"],
                              end=world["end"], **extra)


def _by_unit(bulletin):
    return {line.unit.code: line for line in bulletin.lines.select_related("unit")}


def test_each_unit_counts_what_it_owed_was_sent_back_and_was_reminded(people, units, world):
    bulletin = _generate(people, units, world)
    lines = _by_unit(bulletin)
    figures = {code: (line.overdue, line.sent_back, line.reminded) for code, line in lines.items()}
    assert figures == {
        units["bureau"].code: (1, 0, 0),  # case A: its decide deadline and the item on it are one matter
        units["qingshan"].code: (1, 0, 2),
        units["hekou"].code: (0, 1, 0),  # sent back in the period; the one 40 days ago is outside it
    }
    bureau = lines[units["bureau"].code].items["overdue"]
    assert [(i["type"], i["number"], i["id"]) for i in bureau] == [("obligation", world["case_a"].number, world["on_a"].pk)]
    qingshan = lines[units["qingshan"].code].items
    assert qingshan["overdue"][0]["title"] == "青山乡道路积水问题督办"
    assert qingshan["overdue"][0]["days_overdue"] == 20
    assert sorted(i["id"] for i in qingshan["reminded"]) == sorted(r.pk for r in world["reminders"][:2])
    assert lines[units["hekou"].code].items["sent_back"][0]["obligation"] == world["back"].pk


def test_every_count_equals_its_list_for_every_unit_and_figure(people, units, world):
    bulletin = _generate(people, units, world)
    for line in BulletinLine.objects.filter(bulletin=bulletin):
        for figure in FIGURES:
            assert getattr(line, figure) == len(line.items[figure]), (line.unit_name, figure)
            assert getattr(line, figure) == len(bulletins.figure_list(bulletin, figure, line.unit_id))
    for figure in FIGURES:
        assert getattr(bulletin, f"{figure}_total") == sum(getattr(line, figure) for line in bulletin.lines.all())
        assert getattr(bulletin, f"{figure}_total") == len(bulletins.figure_list(bulletin, figure))
    assert (bulletin.overdue_total, bulletin.sent_back_total, bulletin.reminded_total) == (2, 1, 2)


def test_units_with_nothing_are_not_named_but_counted_in_scope(people, units, world):
    bulletin = _generate(people, units, world)
    named = set(_by_unit(bulletin))
    assert units["chengguan"].code not in named  # its obligation is not due yet
    assert units["city_office"].code not in named  # outside the county
    assert all(line.overdue or line.sent_back or line.reminded for line in bulletin.lines.all())
    in_scope = Unit.objects.subtree(units["county"]).count()  # the county and everything below it
    assert bulletin.units_in_scope == in_scope > 20
    assert f"{in_scope}个单位中，3个单位被通报" in bulletins._body_text(bulletin)


def test_a_subtree_counts_only_its_units(people, units, world):
    bulletin = bulletins.generate(actor=people["ducha"], unit=units["qingshan"], period_kind="custom", start=world["start"],
                                  end=world["end"])
    assert set(_by_unit(bulletin)) == {units["qingshan"].code}
    assert bulletin.units_in_scope == Unit.objects.subtree(units["qingshan"]).count() == 5


def test_an_earlier_period_judges_overdue_on_the_day_after_it(people, units, world):
    """For the period ending 15 days ago, the item due 10 days ago was not yet late;
    the case's decide deadline (25 days ago) already was."""
    today = world["today"]
    import datetime

    bulletin = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom",
                                  start=today - datetime.timedelta(days=30), end=today - datetime.timedelta(days=15))
    assert bulletin.as_of == today - datetime.timedelta(days=14)
    lines = _by_unit(bulletin)
    bureau = lines[units["bureau"].code].items["overdue"]
    assert [(i["type"], i["id"]) for i in bureau] == [("case", world["case_a"].pk)]
    assert bureau[0]["days_overdue"] == (bulletin.as_of - world["case_a"].decide_due).days


def test_a_result_waiting_for_the_creditor_is_not_the_owners_delay(people, units, world):
    from xinfang.cases import obligations

    obligations.report(world["item"], actor=people["qs_fuzeren"], text="已处理完毕", final=True)
    bulletin = _generate(people, units, world)
    assert _by_unit(bulletin)[units["qingshan"].code].overdue == 0


def test_an_accusations_subject_is_not_written_into_a_bulletin(people, units, register_case):
    import datetime

    from django.utils import timezone

    case = register_case(received_at=timezone.now() - datetime.timedelta(days=40), kind="accusation", title="举报某局长受贿")
    today = timezone.localdate()
    bulletin = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom",
                                  start=today - datetime.timedelta(days=10), end=today - datetime.timedelta(days=1))
    items = bulletins.figure_list(bulletin, "overdue")
    mine = [i for i in items if i["id"] == case.pk]
    assert mine and mine[0]["title"] == bulletins.SHIELDED_TITLE
    assert "受贿" not in str(items)
