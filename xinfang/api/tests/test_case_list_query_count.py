import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.cases.services import perform

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def queries_for(api, params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/cases", params)
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_the_list_runs_the_same_queries_for_one_case_or_many(api_as, register_case, people):
    for i in range(12):
        case = register_case(title=f"事项{i}", category="0101")
        if i % 3 == 0:
            perform(case=case, action="accept", actor=people["dengji"])
            perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    api = api_as("dengji")
    api.get("/cases")  # the token's first use writes last_used_at

    one, shown_one = queries_for(api, {"limit": 1, "q": "事项"})
    many, shown_many = queries_for(api, {"limit": 200, "q": "事项"})

    assert (shown_one, shown_many) == (1, 12)
    assert one == many <= 4
