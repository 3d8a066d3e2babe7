"""Public information: the legal time limits in force, guidance on statutory procedures,
the leaders' reception schedule, and the open figures from analytics."""

from xinfang.cases.services import perform


def test_the_time_limits_follow_the_deployments_configuration(client, db, settings):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "decide_days": 10, "decide_working_days": True}
    page = client.get("/portal/guide/").content.decode()
    assert "10个工作日" in page and "第三十五条" in page
    assert "行政复议" in page and "劳动人事争议仲裁委员会" in page


def test_without_a_leaders_app_the_schedule_says_none_is_published(client, db):
    page = client.get("/portal/reception/").content.decode()
    assert 'data-testid="schedule-empty"' in page


def test_the_open_figures_count_this_years_cases_of_the_whole_deployment(client, submit_online, people, replied):
    first = submit_online(unit="341122-XFJ")
    submit_online(unit="341122100", ip="203.0.113.99")
    replied(first.case)
    perform(case=first.case, action="evaluate", actor=people["dengji"], satisfaction="satisfied")
    page = client.get("/portal/figures/").content.decode()
    assert 'data-testid="figure-total">2<' in page
    assert "群众满意率" in page and "100%" in page and "江州市人民政府" in page


def test_the_home_page_leads_to_every_public_service(client, db):
    page = client.get("/portal/").content.decode()
    for path in ["/portal/submit/", "/portal/follow/", "/portal/guide/", "/portal/reception/", "/portal/figures/"]:
        assert f'href="{path}"' in page
