"""The supervision sweep (huey): every SUPERVISION["sweep_minutes"] minutes (default 15),
make the reminders due and tell the people concerned (sweeps.run). Any number of
consumers may run it at once, and a second run in the same minute does nothing new."""

from django.conf import settings
from huey.contrib.djhuey import db_periodic_task, db_task

from . import sweeps


def on_the_minute(moment):
    """huey asks every minute whether the sweep is due: on each minute of the hour that
    is a multiple of sweep_minutes (read when asked, never at import)."""
    every = max(1, min(60, int(settings.SUPERVISION.get("sweep_minutes", 15))))
    return moment.minute % every == 0


@db_periodic_task(on_the_minute)
def sweep_reminders():
    return sweeps.run().as_dict()


@db_task()
def sweep_now():
    """Queued by whoever wants the sweep before its next turn."""
    return sweeps.run().as_dict()
