import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.tests.answer import answer

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_it_shows_the_case_with_petitions_units_deadlines_and_timeline(api_as, routed_case):
    body = api_as("dengji").get(f"/cases/{routed_case.number}").json()

    assert body["number"] == routed_case.number
    assert (body["status"], body["status_label"]) == ("assigned", "已交办")
    assert body["unit"] == {"code": "341122-XFJ", "name": "安宁县信访局"}
    assert body["current_unit"] == body["lead_unit"] == {"code": "341122100", "name": "城关镇人民政府"}
    assert body["deadlines"]["decide_due"] == "2026-03-17"
    assert body["deadlines"]["handle_due"] == "2026-05-06"
    assert (body["deadlines"]["due_date"], body["deadlines"]["due_kind"]) == ("2026-05-06", "handle")
    assert body["days_left"] == 65 and body["overdue"] is False
    assert body["version"] == 3
    [petition] = body["petitions"]
    assert petition["petitioners"][0]["name"] == "刘某"
    assert [(a["unit"]["code"], a["role"], a["role_label"]) for a in body["assignments"]] == [("341122100", "lead", "主办")]
    assert [e["action"] for e in body["timeline"]] == ["register", "accept", "assign"]
    assign = body["timeline"][-1]
    assert assign["action_label"] == "交办" and assign["actor"] == "王登记" and assign["unit"] == "安宁县信访局"
    assert (assign["from_status"], assign["to_status"]) == ("accepted", "assigned")
    assert assign["at"] == "2026-03-02T10:00:00+08:00"


def test_allowed_actions_depend_on_who_asks(api_as, routed_case):
    assert api_as("cg_chengban").get(f"/cases/{routed_case.number}").json()["allowed_actions"] == ["return", "start", "deliver"]
    assert api_as("dengji").get(f"/cases/{routed_case.number}").json()["allowed_actions"] == ["correct", "deliver"]


def test_it_shows_replies_and_evaluations(api_as, routed_case, people):
    answer(routed_case, people["cg_fuzeren"], outcome="support", request_summary="发放补偿款", facts="补偿款未发放",
           opinion="十日内发放")  # its result report, accepted by the bureau
    perform(case=routed_case, action="evaluate", actor=people["dengji"], satisfaction="basically", channel="phone")

    body = api_as("dengji").get(f"/cases/{routed_case.number}").json()

    [reply] = body["replies"]
    assert (reply["outcome"], reply["outcome_label"], reply["stage"]) == ("support", "支持", "handling")
    assert reply["unit"]["name"] == "城关镇人民政府" and reply["signed_by"] == "陈镇长"
    assert "复查" in reply["remedy"]
    [evaluation] = body["evaluations"]
    assert (evaluation["satisfaction_label"], evaluation["reply_id"]) == ("基本满意", reply["id"])
    assert (body["satisfaction"], body["satisfaction_label"]) == ("basically", "基本满意")


def test_reading_a_case_is_recorded_because_it_shows_personal_data(api_as, routed_case, people):
    api_as("dengji").get(f"/cases/{routed_case.number}")

    entry = AuditEntry.objects.get(action="case.view")
    assert entry.actor == people["dengji"] and entry.object_id == str(routed_case.pk)


def queries_for(api, path):
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


def test_it_loads_a_case_in_the_same_number_of_queries_however_long_its_file(api_as, routed_case, people, register_case):
    api, path = api_as("dengji"), f"/cases/{routed_case.number}"
    api.get(path)  # the token's first use writes last_used_at
    small = queries_for(api, path)

    for _ in range(3):
        register_case(case=routed_case.number, channel="phone")
    for text in ("一", "二", "三"):
        perform(case=routed_case, action="note", actor=people["dengji"], note=text)
    large = queries_for(api, path)

    assert large == small
    assert len(api.get(path).json()["timeline"]) == 9
