import pytest

from xinfang.analytics.tests.dataset import build_march

from .conftest import error_of


@pytest.fixture
def march(time_machine, people, units):
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    return build_march(time_machine, people, units)


def test_it_answers_the_months_figures(api_as, march):
    response = api_as("tongji").get("/stats/summary", {"from": "2026-03-01", "to": "2026-03-31"})

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert body["unit"] is None
    assert (body["cases"]["total"], body["petitions"]["total"]) == (4, 5)
    assert body["petitions"]["visits"]["person_visits"] == 6
    rate = body["measures"]["timely_acceptance_rate"]
    assert (rate["label"], rate["value"], rate["numerator"], rate["denominator"]) == ("及时受理率", 0.75, 3, 4)
    assert body["measures"]["on_time_completion_rate"]["value"] == 1.0


def test_the_case_figures_match_the_case_list_with_the_same_filters(api_as, march):
    api = api_as("tongji")
    params = {"from": "2026-03-01", "to": "2026-03-31", "unit": "341122-XFJ"}

    total = api.get("/stats/summary", params).json()["cases"]["total"]
    listed = api.get("/cases", {"received_from": "2026-03-01", "received_to": "2026-03-31", "unit": "341122-XFJ"}).json()["count"]

    assert total == listed == 4


def test_it_defaults_to_this_month_so_far(api_as, march):
    body = api_as("tongji").get("/stats/summary").json()

    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-20"}


def test_it_narrows_to_a_unit_subtree(api_as, march):
    body = api_as("tongji").get("/stats/summary", {"from": "2026-03-01", "unit": "341122100"}).json()

    assert body["unit"] == {"code": "341122100", "name": "城关镇人民政府"}
    assert body["cases"]["total"] == 1


def test_a_unit_outside_the_callers_scope_is_403(api_as, march):
    response = api_as("qs_fuzeren").get("/stats/summary", {"unit": "341122100"})

    assert response.status_code == 403
    assert error_of(response)["fields"] == {"unit": "341122100"}


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-03-31", "to": "2026-03-01"}, "from"),
    ({"from": "March"}, "from"),
    ({"to": "2026-02-30"}, "to"),
    ({"unit": "nowhere"}, "unit"),
])
def test_bad_periods_and_units_are_422(api_as, people, params, field):
    response = api_as("tongji").get("/stats/summary", params)

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]
