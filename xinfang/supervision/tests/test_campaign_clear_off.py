"""Listing backlog cases opens a listed obligation; the responsible unit applies for a
clear-off with evidence of this case; the campaign's unit approves or refuses."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.cases.choices import ObligationKind, ObligationStatus, SupervisionLevel
from xinfang.cases.models import Obligation
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, WrongState
from xinfang.supervision import campaigns
from xinfang.supervision.models import CampaignCase

from .campaign_fixtures import answered, campaign, held_case  # noqa: F401

pytestmark = pytest.mark.django_db


def test_listing_a_case_opens_a_listed_obligation_owed_by_the_responsible_unit(campaign, held_case, people, units):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    ob = entry.obligation
    assert (ob.kind, ob.level, ob.status) == (ObligationKind.SUPERVISION, SupervisionLevel.LISTED, ObligationStatus.OPEN)
    assert ob.owner_unit == units["chengguan"] and ob.creditor_unit == units["county"]
    assert ob.due_date == campaign.ends_on and ob.source == f"supervision.campaign:{campaign.pk}"
    assert entry.unit == units["chengguan"] and entry.leader_name == "赵县长" and entry.added_how == "hand"
    case.refresh_from_db()
    assert case.supervision_level == SupervisionLevel.LISTED
    # The unit sees it among what it owes, like any other obligation.
    assert obligations.owed_by(units["chengguan"]).filter(pk=ob.pk).exists()


def test_a_case_is_listed_once(campaign, held_case, people):
    case = held_case()
    campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    with pytest.raises(Conflict) as error:
        campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=[case.number])
    assert error.value.code == "already_listed"
    assert CampaignCase.objects.filter(case=case).count() == 1
    assert Obligation.objects.filter(case=case, kind=ObligationKind.SUPERVISION).count() == 1


def test_a_case_in_another_running_campaign_is_refused(campaign, held_case, people, units):
    case = held_case()
    campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    other = campaigns.create(actor=people["ducha"], name="第二批", unit=units["county"], starts_on=campaign.starts_on,
                             ends_on=campaign.ends_on, leader_name="某副县长")
    with pytest.raises(Conflict):
        campaigns.add_cases(other, actor=people["ducha"], how="hand", numbers=case.number)
    assert not other.entries.exists()


def test_a_case_outside_the_campaign_or_unseen_is_refused_and_nothing_is_added(held_case, people, units):
    case = held_case()
    today = timezone.localdate()
    township = campaigns.create(actor=people["qs_fuzeren"], name="青山乡积案", unit=units["qingshan"], starts_on=today,
                                ends_on=today + datetime.timedelta(days=90), leader_name="冯乡长")
    with pytest.raises(Exception) as error:
        campaigns.add_cases(township, actor=people["qs_fuzeren"], how="hand", numbers=case.number)
    assert error.value.status in (403, 404)
    assert not township.entries.exists()
    assert not Obligation.objects.filter(case=case, kind=ObligationKind.SUPERVISION).exists()


def test_clear_off_with_the_accepted_reply_then_approval_counts_it_cleared(campaign, held_case, answered, people):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    case = answered(case)
    reply = case.replies.get()
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=reply.pk, text="已答复，信访人认可")
    entry.obligation.refresh_from_db()
    assert entry.obligation.status == ObligationStatus.REPORTED
    assert campaigns.progress(campaign, people["ducha"]).overall.applying == 1
    row = campaigns.approve_clear(entry, actor=people["ducha"], note="同意销号")
    assert row.status == "cleared" and row.evidence_kind == "reply" and row.evidence_ref == reply.pk and row.cleared_by == people["ducha"]
    entry.obligation.refresh_from_db()
    assert entry.obligation.status == ObligationStatus.ACCEPTED
    case.refresh_from_db()
    assert case.supervision_level == ""
    p = campaigns.progress(campaign, people["ducha"]).overall
    assert (p.cleared, p.total) == (1, 1)


def test_clear_off_with_a_settlement_in_the_reply(campaign, held_case, answered, people):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    case = answered(case, settlement="双方达成和解，一次性补偿两万元")
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="settlement", evidence_ref=case.replies.get().pk)
    assert campaigns.approve_clear(entry, actor=people["ducha"]).evidence_kind == "settlement"


def test_clear_off_with_a_satisfied_evaluation(campaign, held_case, answered, people):
    from xinfang.cases.services import perform

    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    case = answered(case)
    perform(case=case, action="evaluate", actor=people["dengji"], satisfaction="basically")
    ev = case.evaluations.get()
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="evaluation", evidence_ref=ev.pk)
    assert campaigns.approve_clear(entry, actor=people["ducha"]).evidence_kind == "evaluation"


def test_clear_off_without_evidence_or_with_another_cases_evidence_is_refused(campaign, held_case, answered, people):
    case, other = held_case(), held_case(title="另一件")
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    other = answered(other)
    with pytest.raises(Invalid) as error:
        campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="", text="已化解")
    assert error.value.code == "no_evidence"
    with pytest.raises(Invalid) as error:
        campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=other.replies.get().pk)
    assert error.value.code == "bad_evidence"
    with pytest.raises(Invalid) as error:
        campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="conclusion")
    assert error.value.code == "bad_evidence"
    entry.obligation.refresh_from_db()
    assert entry.obligation.status == ObligationStatus.OPEN and not entry.obligation.entries.filter(kind="result").exists()


def test_only_the_responsible_unit_applies_and_never_approves_itself(campaign, held_case, answered, people):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    case = answered(case)
    with pytest.raises(NotAllowed):
        campaigns.apply_clear(entry, actor=people["qs_fuzeren"], evidence_kind="reply", evidence_ref=case.replies.get().pk)
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=case.replies.get().pk)
    with pytest.raises(NotAllowed) as error:
        campaigns.approve_clear(entry, actor=people["cg_fuzeren"])
    assert error.value.code == "own_unit"
    with pytest.raises(WrongState):
        campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=case.replies.get().pk)
    entry.refresh_from_db()
    assert entry.status == "listed"


def test_a_refused_clear_off_goes_back_with_a_reason_and_a_new_date(campaign, held_case, answered, people):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    case = answered(case)
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=case.replies.get().pk)
    new_due = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(Invalid):  # not after the campaign's end
        campaigns.refuse_clear(entry, actor=people["ducha"], reason="协议未履行", due_date=campaign.ends_on + datetime.timedelta(days=1))
    campaigns.refuse_clear(entry, actor=people["ducha"], reason="协议未履行，请继续做工作", due_date=new_due)
    entry.refresh_from_db()
    entry.obligation.refresh_from_db()
    assert entry.status == "listed"
    assert (entry.obligation.status, entry.obligation.due_date, entry.obligation.sent_back_count) == (ObligationStatus.OPEN, new_due, 1)
    with pytest.raises(WrongState):
        campaigns.approve_clear(entry, actor=people["ducha"])
