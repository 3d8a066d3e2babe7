"""Adding backlog cases by hand, by search and by rule (with a preview), and the
progress against the time gone (序时进度), each figure the size of its list."""

import datetime

import pytest
from django.utils import timezone

from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import Invalid
from xinfang.supervision import campaigns

from .campaign_fixtures import answered, campaign, held_case  # noqa: F401

pytestmark = pytest.mark.django_db


def _repeat(case, actor, unit, **extra):
    data = dict(channel="visit", receiving_unit=unit, title="再次反映补偿款", content="补偿款仍未到位，再次来访。", kind="grievance",
                petitioners=[{"name": "刘某"}], case=case.number)
    data.update(extra)
    return register(actor=actor, data=PetitionIn(**data))[1]


@pytest.fixture
def three(held_case, people, units):
    """old: received 100 days ago; many: three petitions; over: a repeat taken at the city."""
    old = held_case(title="百日未结", received_at=timezone.now() - datetime.timedelta(days=100))
    many = held_case(title="多次信访")
    _repeat(many, people["dengji"], units["bureau"])
    _repeat(many, people["dengji"], units["bureau"])
    over = held_case(title="越级到市")
    _repeat(over, people["city_fuzeren"], units["city_office"])
    return old, many, over


def test_each_rule_picks_its_cases_and_the_preview_adds_nothing(campaign, three, people):
    old, many, over = three
    pick = lambda **rule: {c.number for c in campaigns.rule_cases(campaign, people["ducha"], rule)}  # noqa: E731
    assert pick(open_days=90) == {old.number}
    assert pick(petitions=2) == {many.number}
    assert pick(over_level=True) == {over.number}
    assert pick(open_days=90, petitions=2) == set()
    assert not campaign.entries.exists()


def test_adding_by_rule_says_how_and_skips_cases_already_listed(campaign, three, people):
    old, many, over = three
    campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=[many.number])
    added = campaigns.add_cases(campaign, actor=people["ducha"], how="rule", rule={"petitions": 0})
    assert {e.case.number for e in added} == {old.number, over.number}
    assert {e.added_how for e in added} == {"rule"} and added[0].added_detail == "规则：信访超过0次"
    with pytest.raises(Invalid) as error:
        campaigns.add_cases(campaign, actor=people["ducha"], how="rule", rule={"petitions": 0})
    assert error.value.code == "nothing_to_add"


def test_a_rule_needs_a_condition_in_range(campaign, people):
    for rule in ({}, {"open_days": -1}, {"petitions": "many"}, {"colour": "red"}):
        with pytest.raises(Invalid) as error:
            campaigns.rule_cases(campaign, people["ducha"], rule)
        assert error.value.code == "bad_rule"


def test_adding_by_search_uses_the_case_search(campaign, three, people):
    old, many, over = three
    found = {c.number for c in campaigns.search_cases(campaign, people["ducha"], "百日未结")}
    assert old.number in found and many.number not in found
    added = campaigns.add_cases(campaign, actor=people["ducha"], how="search", q="百日未结")
    assert {e.case.number for e in added} == found and added[0].added_how == "search"


def test_only_leaders_supervisors_and_heads_of_the_scope_run_campaigns(campaign, held_case, people, units):
    case = held_case()
    for who in ("dengji", "cg_fuzeren", "qs_fuzeren"):
        with pytest.raises(Exception) as error:
            campaigns.add_cases(campaign, actor=people[who], how="hand", numbers=case.number)
        assert error.value.status == 403
    assert not campaign.entries.exists()
    with pytest.raises(Exception):
        campaigns.create(actor=people["qs_fuzeren"], name="越权", unit=units["county"], starts_on="2026-01-01", ends_on="2027-01-01",
                         leader_name="某")


def test_a_campaign_needs_a_leader_with_the_leader_role_or_a_name_and_a_sound_period(people, units):
    today = timezone.localdate()
    ok = dict(actor=people["ducha"], name="积案化解", unit=units["county"], starts_on=today, ends_on=today + datetime.timedelta(days=30))
    with pytest.raises(Invalid) as error:
        campaigns.create(**ok, leader=people["dengji"])
    assert error.value.code == "not_leader"
    with pytest.raises(Invalid):
        campaigns.create(**ok)
    with pytest.raises(Invalid) as error:
        campaigns.create(**{**ok, "ends_on": today - datetime.timedelta(days=1)}, leader_name="某副县长")
    assert error.value.code == "bad_period"
    row = campaigns.create(**ok, leader_name="某副县长")
    assert row.leader is None and row.leader_name == "某副县长" and row.rebound_days == 180


def test_progress_per_unit_against_the_time_gone_each_figure_the_size_of_its_list(campaign, held_case, answered, people, units,
                                                                                   register_case):
    from xinfang.cases.services import perform

    cases = [held_case(title=f"积案{i}") for i in range(3)]
    bureau_case = register_case(title="信访局自办")
    perform(case=bureau_case, action="accept", actor=people["dengji"])
    entries = campaigns.add_cases(campaign, actor=people["ducha"], how="hand", numbers=[c.number for c in cases] + [bureau_case.number])
    case = answered(cases[0])
    campaigns.apply_clear(entries[0], actor=people["cg_fuzeren"], evidence_kind="reply", evidence_ref=case.replies.get().pk)
    campaigns.approve_clear(entries[0], actor=people["ducha"])

    p = campaigns.progress(campaign, people["ducha"])
    assert round(p.time_share * 100, 1) == 33.3  # 30 of 90 days gone
    assert (p.overall.total, p.overall.cleared, p.overall.rate) == (4, 1, 0.25)
    assert not p.overall.ahead and p.overall.gap == -8.3
    by_unit = {u.code: u for u in p.units}
    assert (by_unit["341122100"].total, by_unit["341122100"].cleared) == (3, 1)
    assert by_unit["341122100"].ahead is True  # 33.3% cleared, 33.3% of the time gone
    assert (by_unit["341122-XFJ"].total, by_unit["341122-XFJ"].cleared) == (1, 0)
    for u in p.units:
        assert campaigns.entries(campaign, people["ducha"], unit=u.code).count() == u.total
        assert campaigns.entries(campaign, people["ducha"], unit=u.code, status="cleared").count() == u.cleared
    assert campaigns.entries(campaign, people["ducha"], status="cleared").count() == p.overall.cleared
    assert campaigns.entries(campaign, people["ducha"], status="open").count() == p.overall.open

    # 城关镇 sees the county's campaign, with its own cases only.
    mine = campaigns.progress(campaign, people["cg_fuzeren"])
    assert (mine.overall.total, [u.code for u in mine.units]) == (3, ["341122100"])
    assert not campaigns.visible_to(people["qs_fuzeren"]).exclude(pk=campaign.pk).exists()
    assert campaigns.entries(campaign, people["qs_fuzeren"]).count() == 0


def test_time_share_is_capped(campaign):
    assert campaigns.time_share(campaign, campaign.starts_on - datetime.timedelta(days=5)) == 0.0
    assert campaigns.time_share(campaign, campaign.ends_on + datetime.timedelta(days=5)) == 1.0
