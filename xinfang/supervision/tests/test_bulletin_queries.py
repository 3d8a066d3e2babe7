"""Generating a bulletin and listing bulletins read a number of queries that does not
grow with the matters counted or the bulletins listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.cases.choices import ObligationKind
from xinfang.supervision import bulletins

from .bulletin_world import DAY, ago, reminder, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _queries(run):
    with CaptureQueriesContext(connection) as seen:
        run()
    return len(seen.captured_queries)


def test_computing_the_figures_reads_the_same_queries_for_more_matters(people, units, world):
    def compute():
        bulletins.compute(units["county"], world["start"], world["end"])

    before = _queries(compute)
    today = timezone.localdate()
    for i, key in enumerate(("chengguan", "hekou", "land", "housing", "dongjie", "xinhe")):
        item = obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units[key], creditor_unit=units["bureau"],
                                           due_date=today - (3 + i) * DAY, title=f"事项{i}", actor=people["ducha"], now=ago(20))
        reminder(units[key], key=f"q:{i}", days_ago=2, obligation=item)
    lines, _ = bulletins.compute(units["county"], world["start"], world["end"])
    assert len(lines) == 3 + 5  # 河口镇 was named already
    assert _queries(compute) == before


def test_the_list_reads_the_same_queries_for_more_bulletins(people, units, world):
    def make():
        draft = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom", start=world["start"],
                                   end=world["end"])
        return bulletins.publish(draft, actor=people["ducha"])

    make()
    user = people["qs_fuzeren"]
    bulletins.list_for(user)  # the user's roles are read once and kept
    one = _queries(lambda: bulletins.list_for(user))
    for _ in range(4):
        make()
    assert len(bulletins.list_for(user)) == 5
    assert _queries(lambda: bulletins.list_for(user)) == one
