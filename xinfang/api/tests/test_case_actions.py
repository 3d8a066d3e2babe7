import pytest

from xinfang.cases.models import Case, CaseEvent

from .conftest import error_of

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def act(api, case, action, body=None):
    return api.post(f"/cases/{case.number}/actions/{action}", body or {})


def test_an_action_answers_200_with_the_changed_case(api_as, register_case):
    case = register_case()

    response = act(api_as("dengji"), case, "accept", {"note": "属本机关职责", "version": 1})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"]) == ("accepted", 2)
    assert body["deadlines"]["handle_due"] == "2026-05-06"
    assert body["timeline"][-1]["note"] == "属本机关职责"
    assert "assign" in body["allowed_actions"]


def test_an_action_not_allowed_in_this_state_is_409_wrong_state(api_as, register_case):
    case = register_case()

    response = act(api_as("fuzeren"), case, "reply", {"outcome": "support", "request_summary": "诉求", "facts": "事实", "opinion": "意见"})

    assert response.status_code == 409
    assert error_of(response)["code"] == "wrong_state"
    assert Case.objects.get().status == "registered"


def test_an_action_not_allowed_for_this_role_is_403(api_as, register_case):
    case = register_case()

    response = act(api_as("chengban"), case, "accept")  # a handler may not decide acceptance

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_a_unit_the_case_is_not_with_gets_403(api_as, routed_case):
    # The bureau routed the case to 城关镇: its head still sees it, but the deadline is 城关镇's to extend.
    response = act(api_as("fuzeren"), routed_case, "extend", {"days": 10, "reason": "需要勘验"})

    assert response.status_code == 403


def test_a_stale_version_is_409_conflict_and_changes_nothing(api_as, register_case):
    case = register_case()
    api = api_as("dengji")
    act(api, case, "note", {"note": "先记一笔", "version": 1})

    response = act(api, case, "accept", {"version": 1})

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert Case.objects.get().status == "registered"


def test_the_handling_period_can_be_extended_only_once(api_as, register_case):
    case = register_case()
    act(api_as("dengji"), case, "accept")
    head = api_as("fuzeren")

    first = act(head, case, "extend", {"days": 30, "reason": "需要现场勘验"})
    second = act(head, case, "extend", {"days": 5, "reason": "再延一次"})

    assert first.status_code == 200
    assert first.json()["deadlines"]["handle_due"] == "2026-06-05"
    assert second.status_code == 409
    assert error_of(second)["code"] == "already_extended"


def test_an_extension_beyond_the_limit_is_422(api_as, register_case):
    case = register_case()
    act(api_as("dengji"), case, "accept")

    response = act(api_as("fuzeren"), case, "extend", {"days": 31, "reason": "太久"})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["days"]


def test_a_reply_changes_what_the_caller_may_do_next(api_as, register_case):
    case = register_case()
    act(api_as("dengji"), case, "accept")
    head = api_as("fuzeren")
    before = head.get(f"/cases/{case.number}").json()["allowed_actions"]

    response = act(head, case, "reply", {"outcome": "explain", "request_summary": "补偿款", "facts": "已核实", "opinion": "已发放"})

    after = response.json()["allowed_actions"]
    assert "reply" in before and "extend" in before
    assert "reply" not in after and "extend" not in after
    assert {"evaluate", "close", "follow_up"} <= set(after)
    assert response.json()["replies"][0]["outcome_label"] == "解释"


def test_missing_parameters_are_named(api_as, register_case):
    case = register_case()

    response = act(api_as("dengji"), case, "decline", {"reason": "属诉讼程序"})

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"proper_channel": "此项必填 / This field is required."}


@pytest.mark.parametrize("body, field", [
    ({"note": {"nested": "object"}}, "note"),
    ({"note": ["a", "list"]}, "note"),
    ({"note": 1.5}, "note"),
    ({"version": "1"}, "version"),
    ({"version": True}, "version"),
    ({"actor": "dengji"}, "actor"),
    ({"note": "x" * 100_001}, "note"),
    ({"note": "a\x00b"}, "note"),
])
def test_junk_parameters_are_422_and_change_nothing(api_as, register_case, body, field):
    case = register_case()

    response = act(api_as("dengji"), case, "accept", body)

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "bad_parameters" and list(error["fields"]) == [field]
    assert CaseEvent.objects.count() == 1


def test_parameters_an_action_does_not_take_are_422(api_as, register_case):
    case = register_case()

    response = act(api_as("dengji"), case, "accept", {"colour": "red"})

    assert response.status_code == 422
    assert error_of(response)["code"] == "bad_parameters"


def test_odd_values_for_known_parameters_are_422_not_500(api_as, register_case):
    case = register_case()
    api = api_as("dengji")
    act(api, case, "accept")
    head = api_as("fuzeren")

    for body in ({"days": "Infinity", "reason": "r"}, {"days": 10**40, "reason": "r"}, {"days": True, "reason": "r"}, {"days": "", "reason": "r"}):
        response = act(head, case, "extend", body)
        assert response.status_code == 422, body
    response = act(api, case, "assign", {"unit": "341122100", "assisting": "341122-ZRZY"})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["assisting"]
    response = act(api, case, "assign", {"unit": "341122100", "due_date": "2026-02-30"})
    assert response.status_code == 422


def test_an_unknown_action_is_422(api_as, register_case):
    case = register_case()

    response = act(api_as("dengji"), case, "demolish")

    assert response.status_code == 422
    assert error_of(response)["code"] == "unknown_action"


def test_an_action_on_a_missing_case_is_404(api_as, people):
    response = api_as("dengji").post("/cases/341122-XFJ-2026-99999/actions/accept", {})

    assert response.status_code == 404


def test_a_body_that_is_not_an_object_is_422(api_as, register_case):
    case = register_case()

    for raw in ("[1]", '"accept"', "3"):
        response = api_as("dengji").post(f"/cases/{case.number}/actions/accept", raw=raw)
        assert response.status_code == 422, raw
