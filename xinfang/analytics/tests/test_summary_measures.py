import datetime

import pytest

from xinfang.analytics.services import summary
from xinfang.lib.errors import Invalid, NotAllowed

from .dataset import build_march

MARCH = dict(date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))


@pytest.fixture
def march(time_machine, people, units):
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    return build_march(time_machine, people, units)


def counts(items):
    return {item["code"]: item["count"] for item in items if item["count"]}


def test_it_counts_the_cases_received_in_the_period(march, people):
    result = summary(people["dengji"], **MARCH)

    cases = result["cases"]
    assert (cases["total"], cases["overdue_now"], cases["collective"]) == (4, 1, 1)
    assert counts(cases["by_status"]) == {"evaluated": 1, "accepted": 1, "registered": 1, "declined": 1}
    assert counts(cases["by_kind"]) == {"grievance": 3, "suggestion": 1}


def test_it_counts_petitions_visits_and_person_visits(march, people):
    petitions = summary(people["dengji"], **MARCH)["petitions"]

    assert (petitions["total"], petitions["repeat"]) == (5, 1)
    assert counts(petitions["by_channel"]) == {"letter": 2, "visit": 1, "online": 1, "phone": 1}
    assert petitions["visits"] == {"batches": 1, "person_visits": 6, "collective_batches": 1, "collective_person_visits": 6}


def test_it_computes_the_measures_with_their_numerators_and_denominators(march, people):
    measures = summary(people["dengji"], **MARCH)["measures"]

    def fraction(name):
        m = measures[name]
        return m["numerator"], m["denominator"], m["value"]

    assert fraction("completion_rate") == (1, 2, 0.5)  # A answered of A, B accepted
    assert fraction("timely_acceptance_rate") == (3, 4, 0.75)  # A, B, F in time; C overdue undecided
    assert fraction("on_time_completion_rate") == (1, 1, 1.0)
    assert fraction("satisfaction_rate") == (1, 1, 1.0)
    assert fraction("participation_rate") == (1, 1, 1.0)
    assert fraction("repeat_rate") == (1, 5, 0.2)
    assert measures["completion_rate"]["label"] == "办结率"


def test_a_rate_with_nothing_to_divide_by_is_none(march, people):
    measures = summary(people["dengji"], date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31))["measures"]

    assert measures["completion_rate"] == {**measures["completion_rate"], "value": None, "numerator": 0, "denominator": 0}


def test_a_unit_narrows_the_figures_to_its_subtree(march, people):
    result = summary(people["dengji"], unit_code="341122100", **MARCH)

    assert result["unit"] == {"code": "341122100", "name": "城关镇人民政府"}
    assert result["cases"]["total"] == 1  # A, routed to 城关镇
    assert result["petitions"]["total"] == 2  # A's letter and its phone repeat


def test_someone_who_sees_none_of_it_counts_nothing(march, people):
    result = summary(people["qs_fuzeren"], **MARCH)

    assert result["cases"]["total"] == 0 and result["petitions"]["total"] == 0


def test_it_refuses_a_unit_outside_the_users_scope(march, people):
    with pytest.raises(NotAllowed):
        summary(people["qs_fuzeren"], unit_code="341122100", **MARCH)


def test_it_refuses_a_period_that_ends_before_it_starts(march, people):
    with pytest.raises(Invalid):
        summary(people["dengji"], date_from=datetime.date(2026, 3, 31), date_to=datetime.date(2026, 3, 1))


def test_the_period_defaults_to_this_month_so_far(march, people):
    assert summary(people["dengji"])["period"] == {"from": datetime.date(2026, 3, 1), "to": datetime.date(2026, 3, 20)}
