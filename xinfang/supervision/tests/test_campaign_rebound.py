"""A cleared backlog case that receives a new petition within the rebound window is
flagged 反弹 and listed again, whether the petition repeats it or a case is merged in."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases.choices import ObligationKind, ObligationStatus
from xinfang.cases.models import Obligation
from xinfang.intake.services import PetitionIn, register
from xinfang.supervision import campaigns
from xinfang.supervision.models import CampaignCase

from .campaign_fixtures import answered, campaign, held_case  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleared(campaign, held_case, answered, people):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    case = answered(case)
    campaigns.apply_clear(entry, actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=case.replies.get().pk)
    return campaigns.approve_clear(entry, actor=people["ducha"])


def _repeat(case, people, units):
    data = PetitionIn(channel="visit", receiving_unit=units["bureau"], title="补偿款仍未到位", content="补偿款仍未到位，再次来访。",
                      kind="grievance", petitioners=[{"name": "刘某"}], case=case.number)
    return register(actor=people["dengji"], data=data)


def test_a_repeat_petition_after_the_clear_off_is_a_rebound_listed_again(cleared, people, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _repeat(cleared.case, people, units)
    entry = CampaignCase.objects.get(pk=cleared.pk)
    assert entry.status == "rebound" and entry.rebound_count == 1 and entry.rebound_at is not None
    assert entry.obligation_id != cleared.obligation_id
    assert (entry.obligation.status, entry.obligation.level) == (ObligationStatus.OPEN, "listed")
    assert Obligation.objects.filter(case=cleared.case, kind=ObligationKind.SUPERVISION).count() == 2
    p = campaigns.progress(cleared.campaign, people["ducha"]).overall
    assert (p.cleared, p.rebound, p.total) == (0, 1, 1)
    assert campaigns.entries(cleared.campaign, people["ducha"], status="rebound").count() == 1
    cleared.case.refresh_from_db()
    assert cleared.case.supervision_level == "listed"


def test_a_case_merged_into_a_cleared_case_is_a_rebound(cleared, register_case, people, django_capture_on_commit_callbacks):
    from xinfang.cases.services import perform

    other = register_case(title="同一补偿款问题")
    with django_capture_on_commit_callbacks(execute=True):
        perform(case=other, action="merge", actor=people["dengji"], into=cleared.case.number, reason="repeat")
    assert CampaignCase.objects.get(pk=cleared.pk).status == "rebound"


def test_a_petition_after_the_window_is_no_rebound(cleared, people, units, django_capture_on_commit_callbacks):
    CampaignCase.objects.filter(pk=cleared.pk).update(cleared_at=timezone.now() - datetime.timedelta(days=181))
    with django_capture_on_commit_callbacks(execute=True):
        _repeat(cleared.case, people, units)
    assert CampaignCase.objects.get(pk=cleared.pk).status == "cleared"


def test_the_sweep_check_finds_a_rebound_the_signal_missed(cleared, people, units):
    _repeat(cleared.case, people, units)  # on_commit never runs inside the test's transaction
    assert CampaignCase.objects.get(pk=cleared.pk).status == "cleared"
    flagged = campaigns.check_rebounds()
    assert [e.pk for e in flagged] == [cleared.pk]
    assert CampaignCase.objects.get(pk=cleared.pk).status == "rebound"
    assert campaigns.check_rebounds() == []  # once only
