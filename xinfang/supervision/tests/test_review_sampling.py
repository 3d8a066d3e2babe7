"""Drawing a review round's sample: at random with a recorded seed (drawn again, the same
cases), by filters, by hand; only answered cases of the period in the user's scope."""

import datetime

import pytest
from django.utils import timezone

from xinfang.audit.models import AuditEntry
from xinfang.lib.errors import Invalid, NotAllowed, NotFound
from xinfang.supervision import reviews
from xinfang.supervision.models import CaseReview, ReviewRound

from .reviewkit import answered_by_town, answered_here  # noqa: F401


def _round(people, **overrides):
    today = timezone.localdate()
    values = dict(actor=people["ducha"], name="第四季度评查", period_start=today - datetime.timedelta(days=30), period_end=today)
    values.update(overrides)
    return reviews.open_round(**values)


@pytest.fixture
def six(answered_here, answered_by_town):
    return [answered_here() for _ in range(4)] + [answered_by_town() for _ in range(2)]


def test_a_random_sample_records_its_seed_and_draws_the_same_cases_again(people, six):
    first = _round(people)
    made = reviews.sample(first, actor=people["ducha"], size=3, seed=20261203)
    assert len(made) == 3
    first.refresh_from_db()
    assert first.rule == {"mode": "random", "size": 3, "seed": 20261203, "filters": [], "unit": ""}
    assert "种子20261203" in first.rule_label
    again = _round(people, name="重抽")
    reviews.sample(again, actor=people["ducha"], size=first.rule["size"], seed=first.rule["seed"])
    assert sorted(again.reviews.values_list("case_id", flat=True)) == sorted(first.reviews.values_list("case_id", flat=True))
    assert AuditEntry.objects.filter(action="review.sample", object_id=str(first.pk)).exists()


def test_without_a_seed_one_is_chosen_and_recorded(people, six):
    row = _round(people)
    reviews.sample(row, actor=people["ducha"], size=2)
    row.refresh_from_db()
    assert isinstance(row.rule["seed"], int) and row.reviews.count() == 2


def test_findings_go_to_the_unit_that_answered(people, six):
    row = _round(people)
    reviews.sample(row, actor=people["ducha"], numbers=[c.number for c in six])
    units = dict(row.reviews.values_list("case__number", "unit__name"))
    assert units[six[0].number] == "安宁县信访局" and units[six[5].number] == "城关镇人民政府"


def test_filters_narrow_the_pool(people, six, answered_here):
    late = answered_here()
    late.replied_on_time = False
    late.save(update_fields=["replied_on_time"])
    row = _round(people)
    reviews.sample(row, actor=people["ducha"], filters=["overdue"])
    assert list(row.reviews.values_list("case_id", flat=True)) == [late.pk]
    by_unit = _round(people, name="城关镇")
    reviews.sample(by_unit, actor=people["ducha"], unit="341122100")
    assert set(by_unit.reviews.values_list("case_id", flat=True)) == {six[4].pk, six[5].pk}


def test_unanswered_and_out_of_period_cases_are_not_drawn(people, six, register_case):
    register_case()  # registered, never answered
    old = _round(people, period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 12, 31))
    with pytest.raises(Invalid) as refused:
        reviews.sample(old, actor=people["ducha"], size=5)
    assert refused.value.code == "empty_sample" and not old.reviews.exists()
    row = _round(people)
    reviews.sample(row, actor=people["ducha"], size=100)
    assert row.reviews.count() == 6


def test_a_case_by_hand_must_be_answered_and_in_scope(people, six, register_case, units):
    row = _round(people)
    fresh = register_case()
    with pytest.raises(Invalid) as refused:
        reviews.sample(row, actor=people["ducha"], numbers=[six[0].number, fresh.number])
    assert refused.value.code == "not_answered"
    with pytest.raises(NotFound):
        reviews.sample(row, actor=people["ducha"], numbers=["NO-SUCH-1"])
    assert not row.reviews.exists()


def test_a_case_outside_scope_is_refused(people, six, units):
    from xinfang.org.sample import make_user
    from xinfang.org.choices import Role

    qs_ducha = make_user("qs_ducha", units["qingshan"], [Role.SUPERVISOR], password="x")
    row = _round(people, actor=qs_ducha)
    with pytest.raises(NotFound):
        reviews.sample(row, actor=qs_ducha, numbers=[six[0].number])
    with pytest.raises(Invalid):
        reviews.sample(row, actor=qs_ducha, size=5)  # nothing of 青山乡 answered
    assert not row.reviews.exists()
    with pytest.raises(NotFound):
        reviews.get_round(qs_ducha, _round(people).pk)


def test_only_supervisors_open_rounds_and_draw(people, six):
    for who in ("chengban", "fuzeren", "lingdao", "cg_fuzeren"):
        with pytest.raises(NotAllowed):
            _round(people, actor=people[who])
    row = _round(people)
    with pytest.raises((NotAllowed, NotFound)):
        reviews.sample(row, actor=people["fuzeren"], size=2)
    assert ReviewRound.objects.count() == 1 and not CaseReview.objects.exists()


def test_a_round_period_must_run_forward(people):
    today = timezone.localdate()
    with pytest.raises(Invalid):
        _round(people, period_start=today, period_end=today - datetime.timedelta(days=1))
    with pytest.raises(NotAllowed):
        _round(people, unit="341100")  # the city: above the bureau's scope
    assert not ReviewRound.objects.exists()
