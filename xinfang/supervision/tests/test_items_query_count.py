"""The desk, 督办待办 and the API list run the same number of queries for 2 items as for 8."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.api.services import issue_token
from xinfang.cases.services import perform
from xinfang.supervision import items

from .conftest import DAY

pytestmark = pytest.mark.usefixtures("on_day")


def _supervise(people, register_case, n):
    for i in range(n):
        case = register_case(title=f"事项{i}")
        perform(case=case, action="accept", actor=people["dengji"])
        perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
        items.open_item(case=case, actor=people["ducha"], level=("general", "key", "listed")[i % 3], unit="341122100",
                        requirement="报告", due_date=DAY + datetime.timedelta(days=i + 1), responsible="cg_chengban")


@pytest.mark.parametrize("who, url", [("ducha", "/supervision/desk/"), ("cg_chengban", "/supervision/owed/"),
                                      ("ducha", "/api/v1/obligations")])
def test_the_lists_do_not_query_per_item(client, people, register_case, settings, tmp_path, who, url, django_assert_max_num_queries):
    settings.MEDIA_ROOT = tmp_path
    headers = {"Authorization": f"Bearer {issue_token(user=people[who])[0]}"} if url.startswith("/api/") else {}
    client.force_login(people[who])
    _supervise(people, register_case, 2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url, headers=headers).status_code == 200
    _supervise(people, register_case, 6)
    with django_assert_max_num_queries(len(two)):
        response = client.get(url, headers=headers)
    assert response.status_code == 200 and response.content.count(b"341122-XFJ-2026-") >= 8
