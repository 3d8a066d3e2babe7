"""The campaign screens: list, create, the campaign page (add by rule with a preview,
clear-off by the unit, approval by the supervisor), the wall chart; each figure links to
a list of as many cases; other units see only their own cases."""

import datetime
import re

import pytest
from django.utils import timezone

from xinfang.supervision import campaigns
from xinfang.supervision.models import Campaign, CampaignCase

from .campaign_fixtures import answered, campaign, held_case  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_supervisor_creates_a_campaign_from_the_form(login, people):
    client = login("ducha")
    assert "新建专项行动" in client.get("/supervision/campaigns/").content.decode()
    today = timezone.localdate()
    r = client.post("/supervision/campaigns/new/", {"unit": "341122", "name": "积案清仓", "starts_on": str(today),
                                                     "ends_on": str(today - datetime.timedelta(days=1)), "leader": "lingdao"})
    assert r.status_code == 422 and "截止日期应晚于开始日期" in r.content.decode() and not Campaign.objects.exists()
    r = client.post("/supervision/campaigns/new/", {"unit": "341122", "name": "积案清仓", "starts_on": str(today),
                                                     "ends_on": str(today + datetime.timedelta(days=90)), "leader": "lingdao"})
    c = Campaign.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/campaigns/{c.pk}/"
    assert (c.leader, c.leader_name, c.unit.code) == (people["lingdao"], "赵县长", "341122")


def test_rule_preview_then_add_then_clear_off_and_approve(login, campaign, held_case, answered, people):
    old = held_case(title="百日未结", received_at=timezone.now() - datetime.timedelta(days=100))
    held_case(title="新近来信")
    client = login("ducha")
    page = client.get(f"/supervision/campaigns/{campaign.pk}/", {"preview": "rule", "open_days": "90"}).content.decode()
    assert "预览：未办结超过90天，共 1 件（尚未添加）" in page and old.number in page
    assert not CampaignCase.objects.exists()
    client.post(f"/supervision/campaigns/{campaign.pk}/cases/", {"how": "rule", "open_days": "90", "petitions": ""})
    entry = CampaignCase.objects.get()
    assert entry.case == old and entry.added_how == "rule"

    old = answered(old)
    unit = login("cg_fuzeren")
    page = unit.get(f"/supervision/campaigns/{campaign.pk}/").content.decode()
    assert "申请销号" in page and f"reply:{old.replies.get().pk}" in page and "添加挂牌积案" not in page
    r = unit.post(f"/supervision/campaigns/{campaign.pk}/cases/{old.number}/clear-off/", {"evidence": "", "text": "已化解"}, follow=True)
    assert "申请销号须提供化解依据" in r.content.decode()
    unit.post(f"/supervision/campaigns/{campaign.pk}/cases/{old.number}/clear-off/", {"evidence": f"reply:{old.replies.get().pk}"})
    page = unit.get(f"/supervision/campaigns/{campaign.pk}/").content.decode()
    assert "销号待审核" in page and "同意销号" not in page

    client = login("ducha")
    assert "同意销号" in client.get(f"/supervision/campaigns/{campaign.pk}/").content.decode()
    r = client.post(f"/supervision/campaigns/{campaign.pk}/cases/{old.number}/decide/", {"decision": "approve"}, follow=True)
    assert "已销号" in r.content.decode()
    entry.refresh_from_db()
    assert entry.status == "cleared"


def test_every_figure_links_to_a_list_of_as_many_cases(login, campaign, held_case, answered, people, register_case):
    from xinfang.cases.services import perform

    cases = [held_case(title=f"积案{i}") for i in range(3)]
    own = register_case(title="信访局自办")
    perform(case=own, action="accept", actor=people["dengji"])
    entries = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=[c.number for c in cases] + [own.number])
    done = answered(cases[0])
    campaigns.apply_clear(entries[0], actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=done.replies.get().pk)
    campaigns.approve_clear(entries[0], actor=people["ducha"])
    client = login("ducha")
    for url in (f"/supervision/campaigns/{campaign.pk}/", f"/supervision/campaigns/{campaign.pk}/chart/"):
        page = client.get(url).content.decode()
        links = re.findall(r'data-figure="(\w+)" href="([^"]+)">(\d+)</a>', page)
        assert len(links) == 12  # two units and the total, four figures each
        for _, href, figure in links:
            listed = client.get(href.replace("&amp;", "&")).content.decode()
            assert listed.count('data-testid="entry"') == int(figure), href
    chart = client.get(f"/supervision/campaigns/{campaign.pk}/chart/").content.decode()
    assert "echarts.min.js" in chart and '"time_share": 33.3' in chart and "25.0%" in chart


def test_a_unit_sees_only_its_own_cases_and_others_see_nothing(login, campaign, held_case, people, units):
    case = held_case()
    campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    assert case.number in login("cg_fuzeren").get(f"/supervision/campaigns/{campaign.pk}/").content.decode()
    page = login("qs_fuzeren").get(f"/supervision/campaigns/{campaign.pk}/").content.decode()
    assert case.number not in page and "添加挂牌积案" not in page
    today = timezone.localdate()
    township = campaigns.create(actor=people["qs_fuzeren"], name="青山乡积案", unit=units["qingshan"], starts_on=today,
                                ends_on=today + datetime.timedelta(days=30), leader_name="冯乡长")
    assert login("cg_fuzeren").get(f"/supervision/campaigns/{township.pk}/").status_code == 404
    assert login("cg_fuzeren").get(f"/supervision/campaigns/{township.pk}/chart/").status_code == 404
    r = login("qs_fuzeren").post(f"/supervision/campaigns/{campaign.pk}/cases/", {"how": "hand", "numbers": case.number}, follow=True)
    assert "需要领导、督查员或单位负责人角色" in r.content.decode() or "只能为本辖区单位组织专项行动" in r.content.decode()
    assert CampaignCase.objects.count() == 1


def test_editing_the_end_date_moves_the_listed_cases_due_date(login, campaign, held_case, people):
    case = held_case()
    (entry,) = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=case.number)
    later = campaign.ends_on + datetime.timedelta(days=30)
    page = login("ducha").get(f"/supervision/campaigns/{campaign.pk}/edit/").content.decode()
    assert campaign.name in page and 'value="lingdao" selected' in page
    r = login("ducha").post(f"/supervision/campaigns/{campaign.pk}/edit/", {
        "name": campaign.name, "starts_on": str(campaign.starts_on), "ends_on": str(later), "leader": "", "leader_name": "孙副县长",
        "rebound_days": "90"})
    assert r.status_code == 302
    campaign.refresh_from_db()
    entry.obligation.refresh_from_db()
    assert (campaign.ends_on, campaign.leader, campaign.leader_name, campaign.rebound_days) == (later, None, "孙副县长", 90)
    assert entry.obligation.due_date == later
    r = login("cg_fuzeren").post(f"/supervision/campaigns/{campaign.pk}/edit/", {
        "name": "改名", "starts_on": str(campaign.starts_on), "ends_on": str(later), "leader_name": "某"})
    assert r.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name != "改名"
