"""The demo's case quality review round and accountability record (demo/supervision_reviews.py):
made through the services over cases answered last month, on any date, not made twice.

The loader (load_demo) calls it after replaying the stories; these tests give it cases
answered last month themselves, so they do not depend on the whole replay."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xinfang.demo.people import build
from xinfang.demo.supervision_reviews import load
from xinfang.supervision.models import AccountabilityRecord, CaseReview, ReviewGrade, ReviewRound, ReviewStatus
from xinfang.supervision.tests.reviewkit import answered_by_town, answered_here  # noqa: F401


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day) + dt.timedelta(hours=hour))


@pytest.mark.parametrize("answered_on, day, name", [
    ("2026-11-10", "2026-12-03", "2026年11月案件质量评查"),
    ("2026-12-15", "2027-01-01", "2026年12月案件质量评查"),
    ("2027-01-20", "2027-02-10", "2027年1月案件质量评查"),
])
def test_the_demo_holds_a_review_round_and_an_accountability_record(answered_on, day, name, answered_here, answered_by_town):
    with time_machine.travel(at(answered_on), tick=False):
        cases = [answered_by_town(), answered_here(), answered_here(), answered_here()]
    with time_machine.travel(at(day, 19), tick=False):
        _, people = build()
        row = load(people)
        assert row.name == name and row.rule["seed"] == 2026
        assert CaseReview.objects.count() == len(cases)
        assert CaseReview.objects.exclude(status=ReviewStatus.PENDING).count() == len(cases)
        failing = CaseReview.objects.get(grade=ReviewGrade.FAIL)
        assert failing.unit.name == "城关镇人民政府" and failing.findings
        assert failing.status == ReviewStatus.ACKNOWLEDGED and failing.response and failing.obligation is not None
        assert CaseReview.objects.filter(status=ReviewStatus.SENT).count() == 1
        record = AccountabilityRecord.objects.get()
        assert record.kind_label == "通报批评" and record.decided_by == "中共安宁县委办公室"
        assert record.subject_unit.name == "城关镇人民政府" and list(record.cases.all()) == [failing.case]
        assert load(people) is None
        assert ReviewRound.objects.count() == 1 and AccountabilityRecord.objects.count() == 1
