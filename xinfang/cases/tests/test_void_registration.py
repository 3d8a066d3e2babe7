"""作废: a duplicate or mistaken registration leaves lists, work queues and figures,
keeps its number (never handed out again), and only while nothing was decided on it."""

import pytest
from django.utils import timezone

from xinfang.analytics.services import summary
from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.cases.models import Case, CaseEvent
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


def test_a_voided_duplicate_leaves_the_lists_the_work_queue_and_the_figures(register_case, act, people, units):
    first = register_case()
    twice = register_case()
    case = act("void", twice, "dengji", reason="同一来信登记了两次", duplicate_of=first.number)
    assert case.status == "voided" and case.voided_at and case.due_date is None
    user = people["dengji"]
    assert list(filter_cases(user, CaseFilter())) == [first]
    assert list(filter_cases(user, CaseFilter(waiting=True))) == [first]
    assert list(Case.objects.waiting_on(units["bureau"])) == [first]
    assert list(filter_cases(user, CaseFilter(status="voided"))) == [case]
    figures = summary(user, date_from=timezone.localdate(), date_to=timezone.localdate())
    assert figures["cases"]["total"] == 1 and figures["petitions"]["total"] == 1
    assert CaseEvent.objects.get(case=case, action="void").data == {"duplicate_of": first.number}


def test_the_number_of_a_voided_case_is_never_used_again(register_case, act):
    voided = act("void", register_case(), "dengji", reason="误登记")
    after = register_case()
    assert voided.number.endswith("-00001") and after.number.endswith("-00002")


def test_voiding_needs_a_reason(register_case, act):
    with pytest.raises(Invalid) as caught:
        act("void", register_case(), "dengji")
    assert "reason" in caught.value.fields


def test_only_the_registering_units_registrar_or_head_may_void(register_case, act):
    case = register_case()
    with pytest.raises(NotAllowed):
        act("void", case, "chengban", reason="承办人不能作废")
    with pytest.raises(NotFound):
        act("void", case, "qs_fuzeren", reason="别的单位")
    assert act("void", case, "fuzeren", reason="误登记").status == "voided"


def test_a_case_decided_on_is_not_voided(register_case, act):
    case = act("accept", register_case(), "dengji")
    with pytest.raises(WrongState):
        act("void", case, "dengji", reason="太晚")


def test_a_case_forwarded_away_is_not_voided_by_the_registering_unit(register_case, act):
    case = act("forward", register_case(), "dengji", unit="341122-ZJJ")
    with pytest.raises(WrongState):
        act("void", case, "dengji", reason="已转走")


def test_a_case_with_repeat_petitions_is_merged_not_voided(register_case, act):
    case = register_case()
    register_case(case=case.number, title="再次反映")
    case.refresh_from_db()
    with pytest.raises(WrongState) as caught:
        act("void", case, "dengji", reason="重复")
    assert caught.value.code == "has_repeats"


def test_nothing_merges_into_a_voided_case(register_case, act):
    voided = act("void", register_case(), "dengji", reason="误登记")
    with pytest.raises(WrongState):
        act("merge", register_case(), "dengji", into=voided.number)
