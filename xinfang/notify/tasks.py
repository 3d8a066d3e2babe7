"""The outbox's sweep (huey): every minute, send what is due (services.deliver_due).
Any number of consumers may run it at once: each message is sent by one of them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_periodic_task(crontab(minute="*"))
def deliver_due_messages():
    sweep = services.deliver_due()
    return vars(sweep)


@db_task()
def deliver_now():
    """Queued by whoever wants a message out before the next minute's sweep."""
    return vars(services.deliver_due())
