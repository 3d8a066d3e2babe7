"""register_public(): an online petition from the public opens a case in the chosen
unit's queue with no staff actor, through the same code as a clerk's registration."""

import pytest

from xinfang.cases.models import Case
from xinfang.intake.models import Petition
from xinfang.intake.services import PetitionIn, register_public
from xinfang.lib.errors import Invalid


def online(**overrides):
    fields = dict(channel="online", receiving_unit="341122200", kind="suggestion", title="建议增设公交站点",
                  content="建议在青山乡竹岭村路口增设公交站点，方便村民出行。", petitioners=[])
    fields.update(overrides)
    return PetitionIn(**fields)


def test_it_opens_a_case_in_the_chosen_units_queue_with_no_registrar(units):
    petition, case = register_public(data=online())
    assert case.current_unit == units["qingshan"] and case.status == "registered"
    assert Case.objects.waiting_on(units["qingshan_office"]).filter(pk=case.pk).exists()
    assert petition.channel == "online" and petition.registered_by is None and petition.is_anonymous
    event = case.events.get()
    assert event.actor is None and event.data["by"] == "petitioner" and event.public


def test_any_active_unit_may_receive_it_whatever_scope(units):
    _, case = register_public(data=online(receiving_unit="341100"))
    assert case.unit == units["city"]


def test_it_refuses_another_channel(units):
    with pytest.raises(Invalid) as err:
        register_public(data=online(channel="letter"))
    assert "channel" in err.value.fields
    assert not Petition.objects.exists()


def test_it_refuses_to_join_an_existing_case(register_case):
    case = register_case()
    with pytest.raises(Invalid) as err:
        register_public(data=online(case=case.number))
    assert "case" in err.value.fields


def test_it_keeps_the_same_checks_as_a_clerks_registration(units):
    with pytest.raises(Invalid) as err:
        register_public(data=online(receiving_unit="nope", petitioners=[{"name": "刘某", "id_number": "110105194912310021"}]))
    assert set(err.value.fields) == {"receiving_unit", "petitioners.0.id_number"}
    assert not Case.objects.exists()
