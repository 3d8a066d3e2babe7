"""Two huey consumers draining one queue at once, as two workers of a deployment do: the
tests of the sweeps that must never do one thing twice (notify, supervision) share it."""

import threading

from django.db import connection


def drain_concurrently(huey, consumers=2):
    """Run every task waiting in `huey` on `consumers` threads started together (each its
    own database connection); returns the errors they raised."""
    start, errors = threading.Barrier(consumers), []

    def consumer():
        try:
            start.wait()
            while (task := huey.dequeue()) is not None:
                huey.execute(task)
        except Exception as error:  # pragma: no cover - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=consumer) for _ in range(consumers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
