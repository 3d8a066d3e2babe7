"""An accusation never goes to the unit accused or a unit under it (Art. 30): the
routing actions refuse it with the reason, and the unit pickers do not offer them."""

import pytest

from xinfang.cases.models import Case
from xinfang.lib.errors import Invalid
from xinfang.web.forms import AssignForm, ForwardForm

ZHULING, QINGSHAN, DISCIPLINE, QS_DISCIPLINE = "341122200202", "341122200", "341122-JW", "341122200-JW"


@pytest.fixture
def accusation(register_case):
    def make(accused=ZHULING, **extra):
        return register_case(kind="accusation", title="举报竹岭村村主任侵占集体资金", petitioners=[],
                             accused_unit=accused, accused_post="村主任", **extra)
    return make


def test_registration_records_who_is_accused_on_the_petition_and_the_case(accusation, units):
    case = accusation()
    petition = case.petitions.get()
    assert (case.accused_unit, case.accused_post) == (units["zhuling"], "村主任")
    assert (petition.accused_unit, petition.accused_post) == (units["zhuling"], "村主任")


def test_only_an_accusation_names_who_is_accused(register_case):
    with pytest.raises(Invalid) as caught:
        register_case(accused_unit=ZHULING)
    assert "accused_unit" in caught.value.fields
    assert not Case.objects.exists()


def test_an_unknown_accused_unit_is_refused(register_case):
    with pytest.raises(Invalid) as caught:
        register_case(kind="accusation", accused_unit="NO-SUCH")
    assert "accused_unit" in caught.value.fields


def test_assigning_an_accusation_to_the_accused_unit_is_refused_with_the_reason(accusation, act):
    case = act("accept", accusation(), "dengji")
    with pytest.raises(Invalid) as caught:
        act("assign", case, "dengji", unit=ZHULING)
    assert caught.value.code == "accused_unit" and "第三十条" in caught.value.message
    case.refresh_from_db()
    assert case.status == "accepted" and not case.assignments.exists()


def test_a_unit_above_the_accused_unit_still_is_a_routing_choice_but_not_one_below(accusation, act, units):
    case = act("accept", accusation(accused=QINGSHAN), "dengji")
    for below in (ZHULING, "341122200-XF", QS_DISCIPLINE):
        with pytest.raises(Invalid):
            act("assign", case, "dengji", unit=below)
    case = act("assign", case, "dengji", unit=DISCIPLINE)
    assert case.current_unit == units["discipline"]


def test_an_accused_unit_cannot_assist_either(accusation, act):
    case = act("accept", accusation(), "dengji")
    with pytest.raises(Invalid) as caught:
        act("assign", case, "dengji", unit=DISCIPLINE, assisting=[ZHULING])
    assert "assisting" in caught.value.fields


def test_forwarding_an_accusation_to_the_accused_unit_is_refused(accusation, act):
    with pytest.raises(Invalid) as caught:
        act("forward", accusation(), "dengji", unit=ZHULING)
    assert caught.value.code == "accused_unit"


def test_an_accusation_goes_to_discipline_inspection(accusation, act, units):
    case = act("forward", accusation(), "dengji", unit=QS_DISCIPLINE)
    assert case.current_unit == units["qingshan_discipline"]


def test_the_unit_pickers_do_not_offer_the_accused_unit_or_those_under_it(accusation, act, people):
    case = accusation(accused=QINGSHAN)
    offered = {code for code, _ in ForwardForm(case=case, actor=people["dengji"]).fields["unit"].choices}
    assert DISCIPLINE in offered and ZHULING not in offered and QINGSHAN not in offered and QS_DISCIPLINE not in offered
    case = act("accept", case, "dengji")
    form = AssignForm(case=case, actor=people["dengji"])
    lead = {code for code, _ in form.fields["unit"].choices}
    assisting = {code for code, _ in form.fields["assisting"].choices}
    assert DISCIPLINE in lead and not {ZHULING, QINGSHAN, QS_DISCIPLINE} & (lead | assisting)


def test_a_grievance_is_routed_anywhere_in_scope(register_case, act, units):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit=ZHULING)
    assert case.current_unit == units["zhuling"]
