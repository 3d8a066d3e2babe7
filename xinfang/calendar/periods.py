"""Legal period arithmetic for petition (信访) deadlines.

Pure functions: no database, no Django. The caller passes the administrator's table of
official days (see ``services.current_table``) or nothing.

The rules (信访工作条例; 民法典 Arts. 201-203):

* The day of the event is not counted.
* A calendar-day period of n days nominally ends on ``start + n``. If that day is a
  statutory holiday or a rest day, the period ends on the next working day.
* A working-day period of n days ends on the n-th working day after ``start``.
* Which days are working days is decided, in order, by:
  1. the administrator's table (``DayTable``): its holidays and make-up working days;
  2. for a year the administrator marked complete, nothing else: that year's schedule is
     the table plus ordinary weekends, and the package is not consulted;
  3. the ``chinese_calendar`` package, for the years it knows;
  4. otherwise Saturday and Sunday are rest days and there are no holidays, and
     ``period_end`` warns that the result is provisional.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import chinese_calendar

__all__ = [
    "DayTable",
    "PeriodEnd",
    "is_working_day",
    "year_covered",
    "period_end",
    "working_days_between",
    "next_working_day",
    "uncovered_year_warning",
]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayTable:
    """The administrator's official days, as plain sets so it can be cached and pickled."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)  # make-up working days (调休上班日)
    complete_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self):
        # Accept any iterable but store frozensets, so equality and hashing behave and a
        # caller cannot mutate a cached table behind our back.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "complete_years", frozenset(self.complete_years))
        clash = self.holidays & self.workdays
        if clash:
            # A day cannot be both; silently picking one would hide a data-entry error.
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(f"days marked both holiday and workday: {days}")

    @classmethod
    def empty(cls) -> DayTable:
        return cls()


@dataclass(frozen=True)
class PeriodEnd:
    """The last day of a period, and why it may not be final."""

    date: date
    warnings: tuple[str, ...] = ()
    # The nominal last day when the rest-day rule moved the end later, else None; shown
    # to users so the deadline does not look like an arithmetic mistake.
    rolled_from: date | None = None


def uncovered_year_warning(year: int) -> str:
    return (
        f"{year}年的法定节假日安排尚未录入，期限按周末推算，请管理员在“节假日安排”中录入 / "
        f"No official holiday schedule for {year} yet: the deadline assumes weekends only; "
        f"an administrator should enter it."
    )


def _check_date(d) -> None:
    # A datetime is a date subclass but never equals a date, so it would slip past the
    # table lookups; and which local day it means is the caller's decision (time zone).
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")


@functools.lru_cache(maxsize=None)
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _is_weekday(d: date) -> bool:
    return d.weekday() < 5


def is_working_day(d: date, table: DayTable | None = None) -> bool:
    _check_date(d)
    if table is not None:
        if d in table.holidays:
            return False
        if d in table.workdays:
            return True
        if d.year in table.complete_years:
            return _is_weekday(d)
    if _package_covers(d.year):
        return chinese_calendar.is_workday(d)
    return _is_weekday(d)


def year_covered(year: int, table: DayTable | None = None) -> bool:
    if table is not None and year in table.complete_years:
        return True
    return _package_covers(year)


def next_working_day(d: date, table: DayTable | None = None) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    _check_date(d)
    while not is_working_day(d, table):
        d += _ONE_DAY
    return d


def working_days_between(start: date, end: date, table: DayTable | None = None) -> int:
    """Working days in (start, end]: the start day, like the event day, is not counted.

    Zero when ``end`` is not after ``start``.
    """
    _check_date(start)
    _check_date(end)
    count = 0
    d = start + _ONE_DAY
    while d <= end:
        if is_working_day(d, table):
            count += 1
        d += _ONE_DAY
    return count


def _add_working_days(start: date, days: int, table: DayTable | None) -> date:
    d = start
    remaining = days
    while remaining:
        d += _ONE_DAY
        if is_working_day(d, table):
            remaining -= 1
    return d


def period_end(
    start: date,
    days: int,
    *,
    working_days: bool = False,
    table: DayTable | None = None,
) -> PeriodEnd:
    """Last day of a period of ``days`` days (or working days) starting after ``start``.

    A zero-day period ends on ``start`` itself, moved to the next working day if ``start``
    is not one; this holds for both kinds of period.
    """
    _check_date(start)
    # bool is an int subclass; True as a day count is almost certainly a mixed-up argument.
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, got {type(days).__name__}")
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")

    if working_days:
        nominal = _add_working_days(start, days, table)
    else:
        nominal = start + timedelta(days=days)
    end = next_working_day(nominal, table)

    warnings = tuple(
        uncovered_year_warning(year)
        for year in range(start.year, end.year + 1)
        if not year_covered(year, table)
    )
    return PeriodEnd(date=end, warnings=warnings, rolled_from=nominal if end != nominal else None)
