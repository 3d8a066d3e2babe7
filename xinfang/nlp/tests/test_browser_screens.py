"""The screens the text features change, in Debian's Chromium: the register page's side
panel (similar petitions, suggestions), search with highlights, the hot-topics board.
Screenshots go to var/screens/nlp-*.png for a person to look at."""

import datetime
import os

import pytest
from django.utils import timezone

from xinfang.conftest import PASSWORD
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units
from xinfang.web.tests.test_browser_walk import ARGS, CHROMIUM, SCREENS, seed_reference_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]

PIGS = "城关镇东街社区翠苑小区旁的养猪场臭气熏天，苍蝇成群，周边三百多户居民无法开窗，多次向镇里反映无人处理，请求有关部门尽快关停或整改。"


@pytest.fixture(scope="module", autouse=True)
def reseed_after_flush(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.fixture
def screen_people(transactional_db):
    seed_reference_data()
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



def test_the_register_panel_search_and_topics_screens(live_server, screen_people, browser):
    from playwright.sync_api import expect

    SCREENS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    page.fill("#id_username", "dengji")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()

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
