"""The legal clocks of a case, from the limits in settings and the calendar app."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from xinfang.calendar import periods
from xinfang.calendar.services import current_table, period_end_for
from xinfang.lib.errors import Invalid, require


def limit(name):
    return settings.XINFANG_LIMITS[name]


def as_date(value=None):
    """The legal date of a moment: its calendar day in the deployment's time zone."""
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def parse_date(value, field, *, required=True):
    """A date given in a form or the API: a date, a moment (its legal day), or ISO text
    (YYYY-MM-DD). Raises Invalid naming `field` when it is missing (and `required`) or
    not a date; None when it is blank and not required."""
    if value in (None, ""):
        if required:
            require({field: value})
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return as_date(value)
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid("日期格式不正确 / Not a valid date.", fields={field: "YYYY-MM-DD"})


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


def check_received(received, *, entered_at=None, confirm_late=False):
    """The rules of a time received, for registration and correction alike: not in the
    future (five minutes' grace), not before 1990, and a late entry (补录) only when
    confirmed. Returns (the time made aware, whether it is a late entry, {field: error})."""
    errors, late = {}, False
    if timezone.is_naive(received):
        received = timezone.make_aware(received)
    if received > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = "收到时间不能晚于现在 / The time received cannot be in the future."
    elif received.year < 1990:
        errors["received_at"] = "收到时间过早，请核对 / The time received is implausibly early."
    elif late := is_late_entry(received, entered_at):
        if not confirm_late:
            days = limit("late_entry_days")
            errors["received_at"] = (f"收到时间早于登记{days}日以上，请核对；确属补录的，请勾选“确认补录” / "
                                     f"Received more than {days} days before registration: check it, or confirm it as a late entry.")
            errors["confirm_late"] = "确认为补录 / Confirm it is a late entry (confirm_late)."
    return received, late, errors


def is_late_entry(received_at, entered_at=None):
    """Whether a petition received at `received_at` and registered at `entered_at` (now)
    is a late entry (补录): received more than `late_entry_days` days before."""
    return (as_date(entered_at) - as_date(received_at)).days > limit("late_entry_days")
