"""Scoring a sampled case against the checklist: every item within its bounds, the
total and grade computed, findings required below 合格, nothing saved on a refusal."""

import datetime

import pytest
from django.utils import timezone

from xinfang.lib.errors import Invalid, NotAllowed, WrongState
from xinfang.supervision import reviews
from xinfang.supervision.models import ReviewItem, ReviewStatus

from .reviewkit import GOOD, POOR, answered_here  # noqa: F401


@pytest.fixture
def pending(people, answered_here):
    today = timezone.localdate()
    row = reviews.open_round(actor=people["ducha"], name="评查", period_start=today - datetime.timedelta(days=7), period_end=today)
    return reviews.sample(row, actor=people["ducha"], numbers=[answered_here().number])[0]


def test_the_default_checklist_holds_the_three_in_place_items(db):
    names = [i.name for i in reviews.checklist()]
    assert names[:3] == ["事实调查到位", "政策法规运用到位", "群众答复（工作）到位"]
    assert sum(i.max_score for i in reviews.checklist()) == 100
    assert ReviewItem.objects.count() == 6  # created once


def test_a_good_review_is_graded_excellent(people, pending):
    done = reviews.review(pending, actor=people["ducha"], scores=GOOD, notes={"facts": "调查笔录齐全"})
    assert done.status == ReviewStatus.DRAFT and str(done.total) == "93.0" and done.get_grade_display() == "优秀"
    assert done.scores["items"][0] == {"code": "facts", "name": "事实调查到位", "max_score": 25, "weight": 1, "score": "24",
                                       "note": "调查笔录齐全"}
    again = reviews.review(pending, actor=people["ducha"], scores={**GOOD, "facts": 10, "policy": "20.50"})
    assert [line["score"] for line in again.scores["items"][:2]] == ["10", "20.5"]


def test_weights_and_thresholds_are_the_deployments(people, pending, settings):
    settings.XINFANG_REVIEW_GRADES = {"excellent": 95, "pass": 80}
    reviews.checklist()
    ReviewItem.objects.filter(code="facts").update(weight=3)
    done = reviews.review(pending, actor=people["ducha"], scores=GOOD)
    # (24*3 + 23+18+9+10+9) / (25*3 + 75) = 141/150
    assert str(done.total) == "94.0" and done.get_grade_display() == "合格"


def test_a_failing_grade_needs_findings(people, pending):
    with pytest.raises(Invalid) as refused:
        reviews.review(pending, actor=people["ducha"], scores=POOR)
    assert refused.value.code == "findings_required" and "findings" in refused.value.fields
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING and pending.total is None
    done = reviews.review(pending, actor=people["ducha"], scores=POOR, findings="事实未查清，答复未告知救济途径")
    assert done.get_grade_display() == "不合格" and str(done.total) == "43.0"


@pytest.mark.parametrize("scores, field", [
    ({**GOOD, "facts": 26}, "facts"),
    ({**GOOD, "policy": -1}, "policy"),
    ({k: v for k, v in GOOD.items() if k != "answer"}, "answer"),
    ({**GOOD, "documents": "很好"}, "documents"),
    ({**GOOD, "extra": 3}, "extra"),
])
def test_scores_out_of_range_or_missing_are_refused(people, pending, scores, field):
    with pytest.raises(Invalid) as refused:
        reviews.review(pending, actor=people["ducha"], scores=scores, findings="x")
    assert field in refused.value.fields
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING and pending.scores == {}


def test_only_supervisors_review(people, pending):
    for who in ("chengban", "fuzeren", "lingdao", "shenji"):
        with pytest.raises(NotAllowed):
            reviews.review(pending, actor=people[who], scores=GOOD)
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING


def test_a_review_can_be_revised_until_sent(people, pending):
    reviews.review(pending, actor=people["ducha"], scores=GOOD)
    again = reviews.review(pending, actor=people["ducha"], scores=POOR, findings="重新评定")
    assert again.get_grade_display() == "不合格"
    reviews.send(again, actor=people["ducha"])
    with pytest.raises(WrongState):
        reviews.review(again, actor=people["ducha"], scores=GOOD)
    again.refresh_from_db()
    assert again.get_grade_display() == "不合格"


def test_an_edited_checklist_leaves_past_scores_alone(people, pending):
    done = reviews.review(pending, actor=people["ducha"], scores=GOOD)
    ReviewItem.objects.filter(code="facts").update(name="事实清楚", max_score=30)
    done.refresh_from_db()
    assert done.scores["items"][0]["name"] == "事实调查到位" and done.scores["items"][0]["max_score"] == 25
