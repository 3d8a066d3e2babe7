"""The administrator's holiday table, loaded from the database and cached.

Deadlines are computed on many pages, so the table is read once and kept in Django's
cache. Saving or deleting an official day clears it. With a per-process cache (LocMem)
other processes only see the change when their copy expires, hence the short timeout.
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import periods
from .models import CalendarYear, OfficialDay
from .periods import DayTable, PeriodEnd

# Bump the suffix when DayTable changes shape, so a shared cache (Redis) never hands an
# old pickled table to new code during a rolling deploy.
CACHE_KEY = "legal_calendar:day_table:v1"
CACHE_SECONDS = 10 * 60


def _load_table() -> DayTable:
    holidays, workdays = set(), set()
    for day, kind in OfficialDay.objects.values_list("date", "kind"):
        (holidays if kind == OfficialDay.Kind.HOLIDAY else workdays).add(day)
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return DayTable(holidays=frozenset(holidays), workdays=frozenset(workdays), complete_years=frozenset(years))


def current_table() -> DayTable:
    table = cache.get(CACHE_KEY)
    if table is None:
        table = _load_table()
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def invalidate() -> None:
    cache.delete(CACHE_KEY)


def period_end_for(start: date, days: int, *, working_days: bool = False) -> PeriodEnd:
    return periods.period_end(start, days, working_days=working_days, table=current_table())


def _table_changed(sender, using=None, **kwargs):
    # Clear now, so the saving request sees its own change; and again after commit,
    # because another request may have re-cached the old rows before the commit.
    invalidate()
    transaction.on_commit(invalidate, using=using)


def connect_signals() -> None:
    for model in (OfficialDay, CalendarYear):
        for signal in (post_save, post_delete):
            signal.connect(
                _table_changed,
                sender=model,
                dispatch_uid=f"legal_calendar.invalidate.{signal is post_save}.{model.__name__}",
            )
