"""The petitioner's own moves (evaluate, review, re-review) run through the FLOWS table
with no staff actor: same states, guards and clocks; nothing else is open to them."""

import datetime

import pytest
import time_machine

from xinfang.audit.models import AuditEntry
from xinfang.cases.choices import Status
from xinfang.cases.services import perform_as_petitioner, petitioner_refusal
from xinfang.lib.errors import Invalid, NotAllowed, WrongState

from .conftest import REPLY


def test_the_petitioner_evaluates_a_reply_with_no_staff_actor(replied_case):
    case = perform_as_petitioner(case=replied_case, action="evaluate", satisfaction="basically", comment="基本解决")
    assert case.status == Status.EVALUATED and case.satisfaction == "basically"
    event = case.events.last()
    assert event.action == "evaluate" and event.actor is None and event.actor_unit is None
    assert event.data["by"] == "petitioner" and event.data["channel"] == "online"
    evaluation = case.evaluations.get()
    assert evaluation.recorded_by is None and evaluation.channel == "online" and evaluation.comment == "基本解决"
    entry = AuditEntry.objects.filter(action="case.evaluate").get()
    assert entry.actor is None and entry.detail["by"] == "petitioner"


def test_the_petitioner_asks_for_review_and_then_re_review(replied_case, act, units):
    case = perform_as_petitioner(case=replied_case, action="review", reasons="补偿标准过低")
    assert case.status == Status.REVIEW and case.current_unit == units["county"]
    assert case.events.last().data["by"] == "petitioner"
    case = act("reply", case, "fuzeren", **REPLY)
    assert case.status == Status.REVIEWED
    case = perform_as_petitioner(case=case, action="re_review", reasons="仍不服")
    assert case.status == Status.RE_REVIEW and case.current_unit == units["city"]


@pytest.mark.parametrize("action", ["accept", "reply", "close", "conclude", "archive", "note", "extend"])
def test_it_refuses_every_action_but_the_petitioners_own(replied_case, action):
    with pytest.raises(NotAllowed):
        perform_as_petitioner(case=replied_case, action=action)


def test_it_refuses_evaluation_before_any_reply(register_case):
    case = register_case()
    with pytest.raises(WrongState):
        perform_as_petitioner(case=case, action="evaluate", satisfaction="satisfied")
    assert case.events.count() == 1


def test_it_refuses_a_second_evaluation_of_the_same_reply(replied_case):
    perform_as_petitioner(case=replied_case, action="evaluate", satisfaction="satisfied")
    with pytest.raises(WrongState) as err:
        perform_as_petitioner(case=replied_case, action="evaluate", satisfaction="not_satisfied")
    assert err.value.code == "already_evaluated"


def test_it_refuses_review_after_the_window_closed_and_says_until_when(replied_case, deliver):
    replied_case = deliver(replied_case, "cg_fuzeren")
    end = replied_case.review_window_end
    with time_machine.travel(f"{end.isoformat()} 23:00 +0800", tick=False):
        assert petitioner_refusal(replied_case, "review") is None
    after = end + datetime.timedelta(days=1)
    with time_machine.travel(f"{after.isoformat()} 09:00 +0800", tick=False):
        why = petitioner_refusal(replied_case, "review")
        assert why.code == "window_closed" and f"{end:%Y年%m月%d日}" in why.message
        with pytest.raises(WrongState):
            perform_as_petitioner(case=replied_case, action="review", reasons="不服")
    replied_case.refresh_from_db()
    assert replied_case.status == Status.REPLIED


def test_it_refuses_parameters_the_petitioner_does_not_give(replied_case):
    with pytest.raises(Invalid) as err:
        perform_as_petitioner(case=replied_case, action="evaluate", satisfaction="satisfied", recorded_by="x")
    assert "recorded_by" in err.value.fields
    with pytest.raises(Invalid):
        perform_as_petitioner(case=replied_case, action="review", reasons="")
