"""Sending findings to the answering unit (notified; with a due date, an Obligation the
sweeps cover) and the unit's response (整改情况)."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.cases.choices import ObligationKind, ObligationStatus
from xinfang.cases.models import Obligation
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState
from xinfang.notify.models import Notification
from xinfang.supervision import reviews
from xinfang.supervision.models import ReviewStatus

from .reviewkit import GOOD, POOR, answered_by_town, answered_here  # noqa: F401


@pytest.fixture
def scored(people, answered_by_town):
    today = timezone.localdate()
    row = reviews.open_round(actor=people["ducha"], name="十二月评查", period_start=today - datetime.timedelta(days=7), period_end=today)
    item = reviews.sample(row, actor=people["ducha"], numbers=[answered_by_town().number])[0]
    return reviews.review(item, actor=people["ducha"], scores=POOR, findings="未告知救济途径，请补正")


def test_sending_tells_the_units_heads_with_a_link(people, scored, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = reviews.send(scored, actor=people["ducha"])
    assert sent.status == ReviewStatus.SENT and sent.obligation is None
    note = Notification.objects.get(recipient=people["cg_fuzeren"])
    assert note.link == f"/supervision/findings/{sent.pk}/" and "不合格" in note.title
    assert not Notification.objects.filter(recipient=people["cg_chengban"]).exists()


def test_a_due_date_makes_the_response_an_obligation(people, scored):
    due = timezone.localdate() + datetime.timedelta(days=10)
    sent = reviews.send(scored, actor=people["ducha"], due_date=due.isoformat())
    owed = sent.obligation
    assert owed.kind == ObligationKind.SUPERVISION and owed.source == f"supervision.review:{sent.pk}"
    assert owed.owner_unit.name == "城关镇人民政府" and owed.creditor_unit.name == "安宁县信访局" and owed.due_date == due
    assert owed in obligations.owed_by(people["cg_fuzeren"].unit)
    later = due + datetime.timedelta(days=1)
    assert owed in obligations.overdue(Obligation.objects.all(), later)


def test_a_due_date_in_the_past_is_refused_and_nothing_is_sent(people, scored):
    with pytest.raises(Invalid):
        reviews.send(scored, actor=people["ducha"], due_date="2020-01-01")
    scored.refresh_from_db()
    assert scored.status == ReviewStatus.DRAFT and not Obligation.objects.filter(kind=ObligationKind.SUPERVISION).exists()


def test_unreviewed_or_already_sent_findings_cannot_be_sent(people, scored, answered_here):
    reviews.send(scored, actor=people["ducha"])
    with pytest.raises(WrongState):
        reviews.send(scored, actor=people["ducha"])
    other = reviews.sample(scored.round, actor=people["ducha"], numbers=[answered_here().number])[0]
    with pytest.raises(WrongState):
        reviews.send(other, actor=people["ducha"])


def test_the_unit_responds_and_its_obligation_is_reported(people, scored, django_capture_on_commit_callbacks):
    sent = reviews.send(scored, actor=people["ducha"], due_date=timezone.localdate() + datetime.timedelta(days=5))
    assert list(reviews.findings_for(people["cg_fuzeren"])) == [sent]
    with django_capture_on_commit_callbacks(execute=True):
        done = reviews.respond(sent, actor=people["cg_fuzeren"], text="已补发告知书并组织学习")
    assert done.status == ReviewStatus.ACKNOWLEDGED and done.response == "已补发告知书并组织学习"
    assert Obligation.objects.get(pk=sent.obligation_id).status == ObligationStatus.REPORTED
    assert Notification.objects.filter(recipient=people["ducha"], link=f"/supervision/reviews/case/{sent.pk}/").exists()
    with pytest.raises(WrongState):
        reviews.respond(done, actor=people["cg_fuzeren"], text="再次")


def test_another_unit_cannot_see_or_answer_the_findings(people, scored, units):
    sent = reviews.send(scored, actor=people["ducha"])
    with pytest.raises(NotFound):
        reviews.respond(sent, actor=people["qs_fuzeren"], text="不是我们的")
    assert not reviews.findings_for(people["qs_fuzeren"]).exists()
    with pytest.raises(NotFound):
        reviews.respond(sent, actor=people["fuzeren"], text="信访局代答")  # the bureau's head: not a reviewer, not the unit
    with pytest.raises(NotAllowed):
        reviews.respond(sent, actor=people["ducha"], text="督查员代答")  # sees the round, but not its unit's findings
    with pytest.raises(NotAllowed):
        reviews.respond(sent, actor=people["cg_chengban"], text="承办人")  # a handler of the unit, not its head
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.SENT and sent.response == ""


def test_the_unit_sees_nothing_before_the_findings_are_sent(people, scored):
    assert not reviews.findings_for(people["cg_fuzeren"]).exists()
    with pytest.raises(NotFound):
        reviews.get_review(people["cg_fuzeren"], scored.pk)


def test_the_reviewer_accepts_the_response_and_the_obligation_is_done(people, scored):
    sent = reviews.send(scored, actor=people["ducha"], due_date=timezone.localdate() + datetime.timedelta(days=5))
    with pytest.raises(WrongState):
        reviews.accept_response(sent, actor=people["ducha"])  # nothing reported yet
    reviews.respond(sent, actor=people["cg_fuzeren"], text="已整改")
    with pytest.raises(NotAllowed):
        reviews.accept_response(sent, actor=people["lingdao"])
    assert Obligation.objects.get(pk=sent.obligation_id).status == ObligationStatus.REPORTED
    reviews.accept_response(sent, actor=people["ducha"], note="整改到位")
    assert Obligation.objects.get(pk=sent.obligation_id).status == ObligationStatus.ACCEPTED
