"""Two clerks at once: real threads, each with its own database connection."""

import threading

import pytest
from django.db import connection

from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import perform
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import ServiceError

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # the loser's error is part of the result
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_clerks_registering_at_once_get_distinct_gapless_numbers(people, units):
    def job():
        return [register(actor=people["dengji"], data=PetitionIn(channel="visit", receiving_unit=units["bureau"],
                                                                 title="同时登记", content="同时登记的信访件", kind="grievance"))[1].number
                for _ in range(5)]

    results = run_together(job, job, job, job)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(n for batch in results for n in batch)
    assert len(set(numbers)) == 20
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, 21))


def test_two_units_acting_on_one_case_at_once_cannot_both_succeed(people, register_case):
    case = register_case()
    version = case.version

    def accept():
        return perform(case=case.number, action="accept", actor=people["dengji"], version=version)

    def decline():
        return perform(case=case.number, action="decline", actor=people["fuzeren"], version=version,
                       reason="不属受理范围", proper_channel="向法院起诉")

    results = run_together(accept, decline)
    won = [r for r in results if isinstance(r, Case)]
    lost = [r for r in results if isinstance(r, ServiceError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].status == 409 and "他人" in lost[0].message
    case.refresh_from_db()
    assert case.status == won[0].status and case.version == version + 1
    assert CaseEvent.objects.filter(case=case).exclude(action="register").count() == 1
