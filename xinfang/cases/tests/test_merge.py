"""Merging two cases into one matter (重复信访, 一信多投), and undoing it."""

import pytest

from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import perform
from xinfang.lib.errors import Invalid, NotAllowed, WrongState

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def test_a_merge_moves_the_petitions_and_leaves_the_case_merged(register_case, people):
    target, source = register_case(), register_case(title="补偿款还没发")

    perform(case=source, action="merge", actor=people["dengji"], into=target.number, reason="repeat", note="同一信访人同一事项")

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == "merged" and source.petition_count == 0 and source.due_date is None
    assert target.petition_count == 2 and target.petitions.filter(is_repeat=True).count() == 1
    assert CaseEvent.objects.filter(case=target, action="merge").get().data["from"] == source.number


def test_the_same_letter_sent_elsewhere_is_not_counted_as_a_repeat(register_case, people):
    target, source = register_case(), register_case()
    perform(case=source, action="merge", actor=people["dengji"], into=target.number, reason="same_letter")
    assert not Case.objects.get(pk=target.pk).petitions.filter(is_repeat=True).exists()


def test_a_split_undoes_the_merge(register_case, people):
    target, source = register_case(), register_case(title="补偿款还没发")
    perform(case=target, action="accept", actor=people["dengji"])
    perform(case=source, action="merge", actor=people["dengji"], into=target.number)

    perform(case=source, action="split", actor=people["dengji"], note="并案有误")

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == "registered" and source.petition_count == 1 and source.petitions.get().title == "补偿款还没发"
    assert not source.petitions.get().is_repeat
    assert target.status == "accepted" and target.petition_count == 1


def test_it_refuses_a_merge_into_itself_or_an_unknown_case(register_case, people):
    case = register_case()
    with pytest.raises(Invalid):
        perform(case=case, action="merge", actor=people["dengji"], into=case.number)
    with pytest.raises(Invalid) as error:
        perform(case=case, action="merge", actor=people["dengji"], into="341122-XFJ-2026-99999")
    assert "into" in error.value.fields
    with pytest.raises(Invalid):
        perform(case=case, action="merge", actor=people["dengji"], into="")


def test_it_refuses_a_merge_into_a_case_the_user_cannot_see(register_case, people, units):
    other = register_case()
    mine = register_case(actor=people["qs_fuzeren"], receiving_unit=units["qingshan"])
    with pytest.raises(Invalid):
        perform(case=mine, action="merge", actor=people["qs_fuzeren"], into=other.number)


def test_it_refuses_a_split_of_a_case_never_merged_and_a_handler_merging(register_case, people):
    target, case = register_case(), register_case()
    with pytest.raises(WrongState):
        perform(case=case, action="split", actor=people["dengji"])
    with pytest.raises(NotAllowed):
        perform(case=case, action="merge", actor=people["chengban"], into=target.number)


def test_it_refuses_a_split_after_the_target_was_merged_again(register_case, people):
    a, b, c = register_case(), register_case(), register_case()
    perform(case=b, action="merge", actor=people["dengji"], into=a.number)
    perform(case=a, action="merge", actor=people["dengji"], into=c.number)
    with pytest.raises(WrongState):
        perform(case=b, action="split", actor=people["dengji"])
