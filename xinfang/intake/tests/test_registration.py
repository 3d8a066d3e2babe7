import pytest
import time_machine

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case, CaseEvent
from xinfang.intake.models import Petition, Petitioner
from xinfang.intake.services import PetitionIn, candidate_cases, register
from xinfang.lib.errors import Invalid, NotAllowed

pytestmark = pytest.mark.django_db
GOOD_ID = "11010519491231002X"


def data(units, **kw):
    base = dict(channel="letter", receiving_unit=units["bureau"], title="拖欠工资", content="某公司拖欠工资三个月。", kind="grievance")
    base.update(kw)
    return PetitionIn(**base)


def test_an_anonymous_letter_is_registered_and_opens_a_case(people, units):
    petition, case = register(actor=people["dengji"], data=data(units, petitioners=[]))
    assert petition.is_anonymous and petition.receiving_level == "county"
    assert case.petitions.count() == 1 and case.status == "registered"
    assert CaseEvent.objects.filter(case=case, action="register").count() == 1
    assert AuditEntry.objects.filter(action="petition.register", object_id=str(petition.pk)).exists()


def test_an_id_number_with_a_wrong_check_digit_is_refused_and_nothing_is_written(people, units):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, petitioners=[{"name": "刘某", "id_number": "110105194912310021"}]))
    assert "petitioners.0.id_number" in err.value.fields
    assert "校验位" in err.value.fields["petitioners.0.id_number"]
    assert not Case.objects.exists() and not Petition.objects.exists() and not Petitioner.objects.exists()


def test_missing_title_and_content_are_named_in_the_error(people, units):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, title=" ", content="", channel="fax", kind=""))
    assert set(err.value.fields) >= {"title", "content", "channel", "kind"}
    assert "/" in err.value.message  # Chinese, then English


def test_a_clerk_cannot_register_for_a_unit_outside_their_scope(people, units):
    with pytest.raises(Invalid) as err:
        register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["chengguan"]))
    assert "receiving_unit" in err.value.fields
    assert not Case.objects.exists()


def test_a_statistician_may_not_register(people, units):
    with pytest.raises(NotAllowed):
        register(actor=people["tongji"], data=data(units))


def test_a_collective_visit_is_marked_and_may_have_at_most_five_representatives(people, units):
    six = [{"name": f"村民{i}", "is_representative": True} for i in range(6)]
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, channel="visit", headcount=12, petitioners=six))
    assert "representatives" in err.value.fields
    five = [{"name": f"村民{i}"} for i in range(5)]
    petition, case = register(actor=people["dengji"], data=data(units, channel="visit", headcount=12, petitioners=five,
                                                                 representatives=["村民0", "村民1"]))
    assert case.is_collective and petition.is_collective
    assert petition.petitioners.filter(is_representative=True).count() == 2


def test_a_collective_visit_without_representatives_is_refused(people, units):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, channel="visit", headcount=8, petitioners=[{"name": "甲"}]))
    assert "representatives" in err.value.fields


def test_a_repeat_joins_the_existing_case_and_keeps_its_number(people, units):
    _, first = register(actor=people["dengji"], data=data(units, petitioners=[{"name": "刘某", "id_number": GOOD_ID}]))
    petition, case = register(actor=people["dengji"], data=data(units, channel="visit", headcount=1, case=first.number,
                                                                 petitioners=[{"name": "刘某", "id_number": GOOD_ID}]))
    assert case.pk == first.pk and petition.is_repeat
    assert case.petition_count == 2 and Case.objects.count() == 1
    assert list(case.events.values_list("action", flat=True)) == ["register", "repeat"]


def test_candidates_are_cases_of_the_same_petitioner_in_scope(people, units, register_case):
    mine = register_case(petitioners=[{"name": "刘某", "id_number": GOOD_ID, "phone": "13800000001"}])
    register_case(petitioners=[{"name": "别人", "phone": "13900000009"}])
    found = list(candidate_cases(actor=people["dengji"], petitioners=[{"phone": "13800000001"}]))
    assert found == [mine]
    assert list(candidate_cases(actor=people["dengji"], petitioners=[{"id_number": GOOD_ID.lower()}])) == [mine]
    assert list(candidate_cases(actor=people["qs_fuzeren"], petitioners=[{"phone": "13800000001"}])) == []


@time_machine.travel("2026-05-10 09:00 +0800", tick=False)
def test_a_received_time_in_the_future_is_refused(people, units):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, received_at="2026-05-11T09:00:00+08:00"))
    assert "received_at" in err.value.fields


def test_an_impossible_date_is_a_field_error_not_a_crash(people, units):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, received_at="2026-02-30T10:00"))
    assert "received_at" in err.value.fields


def test_a_user_without_a_unit_may_not_register(people, units):
    loose = people["dengji"]
    loose.unit = None
    with pytest.raises(NotAllowed):
        register(actor=loose, data=data(units))
