"""Every refused action says why, in Chinese and English, and changes nothing."""

import pytest

from xinfang.cases.models import CaseEvent, Reply
from xinfang.cases.services import allowed_actions, shows_identity
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound, WrongState

from .conftest import REPLY


def unchanged(case, status, events):
    case.refresh_from_db()
    assert case.status == status
    assert CaseEvent.objects.filter(case=case).count() == events


def test_accepting_twice_is_a_wrong_state(register_case, act):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(WrongState) as err:
        act("accept", case, "dengji")
    assert "已受理" in err.value.message and "/" in err.value.message
    unchanged(case, "accepted", 2)


def test_a_handler_may_not_sign_a_reply(register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with pytest.raises(NotAllowed):
        act("reply", case, "cg_chengban", **REPLY)
    assert not Reply.objects.exists()
    unchanged(case, "assigned", 3)


def test_a_head_of_another_unit_may_not_reply(register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with pytest.raises(NotFound):  # 青山乡 cannot even see it
        act("reply", case, "qs_fuzeren", **REPLY)
    with pytest.raises(NotAllowed) as err:  # 住建局 is in the county but the case is not with it
        act("reply", case, "fuzeren", **REPLY)  # the county bureau head: in scope, not the lead unit
    assert "不由您的单位办理" in err.value.message
    unchanged(case, "assigned", 3)


def test_a_reply_missing_its_facts_writes_nothing(register_case, act):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(Invalid) as err:
        act("reply", case, "fuzeren", outcome="support", request_summary="x", facts="", opinion="y")
    assert "facts" in err.value.fields
    assert not Reply.objects.exists()
    unchanged(case, "accepted", 2)


def test_an_unknown_outcome_is_refused(register_case, act):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(Invalid):
        act("reply", case, "fuzeren", **{**REPLY, "outcome": "maybe"})


def test_decline_needs_a_reason_and_the_proper_channel(register_case, act):
    case = register_case()
    with pytest.raises(Invalid) as err:
        act("decline", case, "dengji", reason="属于诉讼程序")
    assert "proper_channel" in err.value.fields
    case = act("decline", case, "dengji", reason="属于诉讼程序", proper_channel="向县人民法院起诉", guided_procedure="litigation")
    assert case.status == "declined" and case.guided_procedure == "litigation" and case.due_date is None


def test_refuse_needs_a_known_basis(register_case, act):
    case = register_case()
    with pytest.raises(Invalid):
        act("refuse", case, "dengji", basis="because", reason="重复")
    assert act("refuse", case, "dengji", basis="art36", reason="已复核终结").status == "refused"


def test_a_stale_version_is_a_conflict(register_case, act):
    case = register_case()
    seen = case.version
    act("accept", case, "dengji", version=seen)
    with pytest.raises(Conflict) as err:
        act("decline", case, "fuzeren", version=seen, reason="r", proper_channel="c")
    assert "他人" in err.value.message
    unchanged(case, "accepted", 2)


def test_unknown_actions_and_parameters_are_refused(register_case, act):
    case = register_case()
    with pytest.raises(Invalid):
        act("teleport", case, "dengji")
    with pytest.raises(Invalid) as err:
        act("accept", case, "dengji", colour="blue")
    assert err.value.code == "bad_parameters"
    unchanged(case, "registered", 1)


def test_assigning_outside_the_scope_or_to_oneself_is_refused(register_case, act, units):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(Invalid):
        act("assign", case, "dengji", unit="341100")  # the city is above the county
    with pytest.raises(Invalid):
        act("assign", case, "dengji", unit="341122-XFJ")
    with pytest.raises(Invalid):
        act("assign", case, "dengji", unit="341122100", assisting=["341122100"])
    with pytest.raises(Invalid):
        act("assign", case, "dengji", unit="nope")
    unchanged(case, "accepted", 2)


def test_evaluating_the_same_reply_twice_is_refused_and_no_longer_offered(replied_case, act, people):
    with pytest.raises(Invalid):
        act("evaluate", replied_case, "dengji", satisfaction="meh")
    assert "evaluate" in allowed_actions(replied_case, people["dengji"])
    case = act("evaluate", replied_case, "dengji", satisfaction="satisfied")
    assert "evaluate" not in allowed_actions(case, people["dengji"])
    with pytest.raises(WrongState) as err:
        act("evaluate", case, "dengji", satisfaction="not_satisfied")
    assert err.value.code == "already_evaluated"
    assert case.evaluations.get().satisfaction == "satisfied"


def test_an_accusers_identity_is_shown_only_to_the_registering_office(register_case, act, people):
    case = act("assign", act("accept", register_case(kind="accusation", title="举报村干部侵占补偿款"), "dengji"),
               "dengji", unit="341122100")
    assert shows_identity(case, people["dengji"]) and shows_identity(case, people["fuzeren"])
    assert not shows_identity(case, people["cg_fuzeren"]) and not shows_identity(case, people["cg_chengban"])
    plain = register_case(kind="grievance")
    assert shows_identity(plain, people["cg_fuzeren"])


def test_an_unknown_parameter_is_named_in_the_error(register_case, act):
    case = register_case()
    with pytest.raises(Invalid) as err:
        act("accept", case, "dengji", note="ok", colour="blue")
    assert set(err.value.fields) == {"colour"}
    unchanged(case, "registered", 1)


def test_assisting_units_must_be_a_list(register_case, act):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(Invalid) as err:
        act("assign", case, "dengji", unit="341122100", assisting="341122-ZRZY")
    assert "assisting" in err.value.fields
    unchanged(case, "accepted", 2)
