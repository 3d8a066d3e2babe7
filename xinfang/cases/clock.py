"""The legal clocks of a case, from the limits in settings and the calendar app."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from xinfang.calendar import periods
from xinfang.calendar.services import current_table, period_end_for


def limit(name):
    return settings.XINFANG_LIMITS[name]


def as_date(value=None):
    """The legal date of a moment: its calendar day in the deployment's time zone."""
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def decide_due(start):
    """Last day to decide acceptance or route, counted from receipt (Arts. 22-23)."""
    return period_end_for(as_date(start), limit("decide_days"), working_days=limit("decide_working_days"))


def handle_due(start, kind):
    days = limit("handle_days").get(kind, 60)
    return period_end_for(as_date(start), days, working_days=limit("handle_working_days"))


def days_after(start, days):
    """A calendar-day period: review windows, answers to reviews, extensions."""
    return period_end_for(as_date(start), days)


def working_days_since(start, now=None):
    """Working days from `start` (not counted) up to and including today."""
    return periods.working_days_between(as_date(start), as_date(now), current_table())


def is_late_entry(received_at, entered_at=None):
    """Whether a petition received at `received_at` and registered at `entered_at` (now)
    is a late entry (补录): received more than `late_entry_days` days before."""
    return (as_date(entered_at) - as_date(received_at)).days > limit("late_entry_days")
