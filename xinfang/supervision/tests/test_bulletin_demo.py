"""The demo's bulletin: last month's county bulletin, published, some units having read
it; on any day of the year (January's is December's of the year before); once."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from xinfang.demo import supervision_bulletins
from xinfang.demo.people import build
from xinfang.supervision.models import Bulletin, BulletinReceipt, BulletinStatus, PeriodKind

from .bulletin_world import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def at(day, hour=19):
    return timezone.make_aware(dt.datetime.fromisoformat(day) + dt.timedelta(hours=hour))


@pytest.mark.parametrize("day, start, end", [("2027-01-01", "2026-12-01", "2026-12-31"), ("2026-03-01", "2026-02-01", "2026-02-28"),
                                             ("2026-10-03", "2026-09-01", "2026-09-30")])
def test_last_months_bulletin_on_any_day(day, start, end):
    units, people = build()
    with time_machine.travel(at(day), tick=False):
        bulletin = supervision_bulletins.load(units=units, people=people)
    assert (bulletin.period_kind, bulletin.start.isoformat(), bulletin.end.isoformat()) == (PeriodKind.MONTHLY, start, end)
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.number


def test_it_is_published_read_by_some_and_made_once(world, units, people):
    bulletin = supervision_bulletins.load(units=units, people=people)
    receipts = BulletinReceipt.objects.filter(bulletin=bulletin)
    assert receipts.count() == bulletin.lines.count() > 1
    assert 0 < receipts.filter(read_at__isnull=False).count() < receipts.count()
    assert supervision_bulletins.load(units=units, people=people) == bulletin
    assert Bulletin.objects.count() == 1


def test_the_demo_loader_makes_it_once():
    # No cases: the loader runs in full each time (a demo with cases is not loaded twice
    # at all), so the second run shows the bulletin's own idempotence.
    with time_machine.travel(at("2026-12-03"), tick=False):
        call_command("load_demo", cases=0, stdout=io.StringIO())
        assert Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, start="2026-11-01").count() == 1
        call_command("load_demo", cases=0, stdout=io.StringIO())
    assert Bulletin.objects.count() == 1
