"""The screens the text features change, in Debian's Chromium: the register page's side
panel (similar petitions, suggestions), search with highlights, the hot-topics board.
Screenshots go to var/screens/nlp-*.png for a person to look at."""

import datetime

import pytest
from django.utils import timezone

from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

pytestmark = BROWSER_TEST

PIGS = "城关镇东街社区翠苑小区旁的养猪场臭气熏天，苍蝇成群，周边三百多户居民无法开窗，多次向镇里反映无人处理，请求有关部门尽快关停或整改。"


@pytest.fixture
def screen_people(transactional_db):
    units = build_units()
    people = build_people(units, password=PASSWORD)
    now = timezone.now()
    for i, (unit, name) in enumerate([("chengguan", "甲"), ("bureau", "乙"), ("bureau", "丙")]):
        register(actor=people["dengji"], data=PetitionIn(
            channel="letter", receiving_unit=units[unit], kind="grievance", category="0601", title=f"翠苑小区旁养猪场臭气扰民（{name}）",
            content=PIGS, received_at=now - datetime.timedelta(days=i * 4), petitioners=[{"name": f"{name}某"}]))
    register(actor=people["dengji"], data=PetitionIn(
        channel="online", receiving_unit=units["bureau"], kind="grievance", category="0301", title="建筑工地拖欠农民工工资",
        content="城关镇某建筑工地老板拖欠二十多名农民工工资三个月，多次讨要无果。", petitioners=[{"name": "丁某"}]))
    from xinfang.nlp.services import MODELS, train_models

    train_models(actor=people["guanli"], folds=2)
    MODELS.stale()
    return people


def test_the_register_panel_search_and_topics_screens(live_server, screen_people, staff_page):
    from playwright.sync_api import expect

    page, errors = staff_page("dengji")

    page.goto(live_server.url + "/register/")
    page.fill("#id_title", "反映養豬場臭氣擾民")  # traditional characters on purpose
    page.fill("#id_content", PIGS.replace("，", "。"))
    expect(page.get_by_test_id("similar")).to_be_visible()
    expect(page.get_by_test_id("suggestions")).to_contain_text("生态环境")
    expect(page.get_by_test_id("similar")).to_contain_text("相同内容")
    page.click("[data-apply-category]")
    expect(page.locator("#id_category_top")).to_have_value("06")
    page.screenshot(path=str(SCREENS / "nlp-01-register-similar.png"), full_page=True)

    page.goto(live_server.url + "/cases/?q=养猪场+臭气")
    expect(page.locator("#results [data-case]")).to_have_count(3)
    expect(page.locator("#results mark").first).to_be_visible()
    page.screenshot(path=str(SCREENS / "nlp-02-search-highlight.png"), full_page=True)

    page.goto(live_server.url + "/nlp/topics/")
    expect(page.get_by_test_id("topic").first).to_contain_text("养猪场")
    page.screenshot(path=str(SCREENS / "nlp-03-hot-topics.png"), full_page=True)
    assert errors == []
