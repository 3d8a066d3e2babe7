"""The demo's reminders (催办): the sweep run once at the end of the load, as the huey
periodic task would have run it, so that the overdue list, the township's notification
centre and the 催办单 have something to show (临期提醒, 逾期催办, and 逾期通报 with the
supervision it raised). Running it again changes nothing (the sweep is idempotent)."""

from xinfang.supervision import sweeps


def run(stdout=None):
    result = sweeps.run()
    if stdout is not None:
        stdout.write(f"催办 / Reminders: {result}")
    return result
