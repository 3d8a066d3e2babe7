"""The supervision sweep (huey): every SUPERVISION["sweep_minutes"] minutes (default 15),
make the reminders due and tell the people concerned (sweeps.run). Any number of
consumers may run it at once, and a second run in the same minute does nothing new."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import sweeps


def _every():
    minutes = int(settings.SUPERVISION.get("sweep_minutes", 15))
    return crontab(minute=f"*/{minutes}" if 1 < minutes < 60 else "*" if minutes <= 1 else "0")


@db_periodic_task(_every())
def sweep_reminders():
    return sweeps.run().as_dict()


@db_task()
def sweep_now():
    """Queued by whoever wants the sweep before its next turn."""
    return sweeps.run().as_dict()
