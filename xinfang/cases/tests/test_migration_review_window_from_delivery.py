"""The data migration 0011: cases answered before delivery was recorded had their review
window counted from the reply. It becomes 待送达 (and the answer owed a delivery) unless
the petitioner already asked for the review, or the answer's delivery is on record; the
migration says which cases it changed."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps

from xinfang.cases.models import Case
from xinfang.documents.models import Delivery
from xinfang.documents.tests import factories

from .conftest import REPLY

migration = importlib.import_module("xinfang.cases.migrations.0011_review_window_from_delivery")


def old_shape(case, **fields):
    """The case as the code before delivery left it: the window counted from the reply."""
    Case.objects.filter(pk=case.pk).update(deliver_due=None, **fields)
    case.refresh_from_db()
    return case


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def answered_cases(register_case, act, people):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        waiting = act("reply", act("accept", register_case(title="甲"), "dengji"), "fuzeren", **REPLY)
        asked = act("reply", act("accept", register_case(title="乙"), "dengji"), "fuzeren", **REPLY)
        closed = act("close", act("reply", act("accept", register_case(title="丙"), "dengji"), "fuzeren", **REPLY), "fuzeren")
        delivered = act("reply", act("accept", register_case(title="丁"), "dengji"), "fuzeren", **REPLY)
        reviewed = act("reply", act("accept", register_case(title="戊"), "dengji"), "fuzeren", **REPLY)
        Delivery.objects.create(document=factories.answer(delivered), channel="online", delivered_on=datetime.date(2026, 3, 3))
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        asked = act("review", old_shape(asked, review_window_end=datetime.date(2026, 4, 1)), "dengji", reasons="不服")
        reviewed = act("review", old_shape(reviewed, review_window_end=datetime.date(2026, 4, 1)), "dengji", reasons="不服")
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        reviewed = act("reply", reviewed, "fuzeren", **REPLY)
    return {
        "waiting": old_shape(waiting, review_window_end=datetime.date(2026, 12, 28)),
        "asked": old_shape(asked),
        "closed": old_shape(closed, review_window_end=datetime.date(2026, 4, 1)),
        "delivered": old_shape(delivered, review_window_end=datetime.date(2026, 4, 2)),
        "reviewed": old_shape(reviewed, re_review_window_end=datetime.date(2026, 12, 21)),
    }


@time_machine.travel("2026-12-03 10:00 +0800", tick=False)
def test_windows_counted_from_the_reply_become_pending_delivery_and_the_change_is_said(answered_cases):
    said = []
    migration.window_from_delivery(apps, None, say=said.append)
    c = {name: Case.objects.get(pk=case.pk) for name, case in answered_cases.items()}
    assert c["waiting"].review_window_end is None and c["closed"].review_window_end is None
    assert c["reviewed"].re_review_window_end is None
    # Owed a delivery from the reply: 2 Mar + 5 days; the review answer 20 Nov + 5 (Wed 25 Nov).
    assert c["waiting"].deliver_due == datetime.date(2026, 3, 9)  # 7 Mar is a Saturday
    assert c["waiting"].due_date == c["waiting"].deliver_due and c["waiting"].due_kind == "deliver"
    assert c["reviewed"].deliver_due == datetime.date(2026, 11, 25)
    # Left alone: the review was asked for; the answer's delivery is on record.
    assert c["asked"].status == "review" and c["asked"].review_window_end == datetime.date(2026, 4, 1) and c["asked"].due_kind == "review_answer"
    assert c["delivered"].review_window_end == datetime.date(2026, 4, 2) and c["delivered"].deliver_due is None
    text = "\n".join(said)
    for name in ("waiting", "closed", "reviewed"):
        assert c[name].number in text
    for name in ("asked", "delivered"):
        assert c[name].number not in text
    assert "review_window_end of 2 case(s)" in text and "1 of them had a window already closed" in text
    assert "re_review_window_end of 1 case(s)" in text


def test_on_a_database_with_no_answered_case_it_changes_nothing_and_says_nothing(db):
    said = []
    assert migration.window_from_delivery(apps, None, say=said.append) == {}
    assert said == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_backwards_and_forwards():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("cases", "0010_deliver_due")])
        executor.loader.build_graph()
        executor.migrate([("cases", "0011_review_window_from_delivery")])
        executor.loader.build_graph()
        assert ("cases", "0011_review_window_from_delivery") in executor.loader.applied_migrations
    finally:
        # Forward to the latest migration of every app: later ones (cases 0012, the
        # supervision app) add what the next tests on this database need.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
