"""The demo's backlog campaign (demo/supervision_campaigns.py): running for the county on
any day, 10–25 long-running cases listed by rule, some cleared off with evidence, one
rebound; loading it again changes nothing. (load_demo itself waits for the report-back
flow in the demo's stories; here the campaign is loaded over cases made the same way.)"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xinfang.cases.services import perform
from xinfang.demo import supervision_campaigns
from xinfang.intake.services import PetitionIn, register
from xinfang.supervision import campaigns
from xinfang.supervision.models import Campaign, CampaignCase

from .campaign_fixtures import REPORT, held_case  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["2026-10-03 10:00", "2027-02-10 19:00"])
def test_the_demo_campaign_loads_on_any_day_once(day, held_case, people, units):
    with time_machine.travel(timezone.make_aware(dt.datetime.fromisoformat(day)), tick=False):
        long_ago = timezone.now() - dt.timedelta(days=40)
        for i in range(5):  # answered, and the petitioner came back once
            case = held_case(title=f"答复后重复信访{i}", received_at=long_ago)
            perform(case=case, action="report", actor=people["cg_fuzeren"], **REPORT)
            perform(case=case, action="approve", actor=people["fuzeren"])
            register(actor=people["dengji"], data=PetitionIn(channel="letter", receiving_unit=units["bureau"], title="再次来信",
                                                             content="仍有异议。", kind="grievance", petitioners=[{"name": "刘某"}],
                                                             case=case.number))
        for i in range(8):  # open for forty days
            held_case(title=f"久拖未结{i}", received_at=long_ago)

        campaign = supervision_campaigns.load(units, people)
        today = timezone.localdate()
        assert campaign.status == "running" and campaign.starts_on < today < campaign.ends_on
        assert campaign.unit.code == "341122" and campaign.leader_name == "赵县长"
        entries = CampaignCase.objects.filter(campaign=campaign)
        assert 10 <= entries.count() <= 25
        assert {e.added_how for e in entries} == {"rule"}
        assert entries.filter(status="cleared").exclude(evidence_kind="").count() >= 1
        assert entries.filter(status="rebound").count() == 1
        p = campaigns.progress(campaign, people["lingdao"])
        assert (p.overall.total, p.overall.rebound) == (entries.count(), 1)
        before = list(entries.values_list("pk", "status"))
        assert supervision_campaigns.load(units, people) == campaign
        assert list(entries.values_list("pk", "status")) == before and Campaign.objects.count() == 1
