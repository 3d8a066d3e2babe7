"""intake.privacy at the service level (the pages and the API have their own tests): who
may see a petitioner's personal data in full, and every refusal of reveal() with what it
leaves on the audit record (issue #20)."""

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.intake.privacy import may_reveal, reveal, unreadable_fields
from xinfang.lib.errors import NotAllowed, NotFound
from xinfang.lib import ratelimit
from xinfang.lib.ratelimit import Throttled

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


@pytest.fixture
def assigned(register_case, people):
    from xinfang.cases.services import perform

    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    return perform(case=case, action="assign", actor=people["dengji"], unit="341122100")


# Registered by the county bureau, now with 城关镇: the bureau's registrar took the details
# down; 城关镇's head and handler answer the petitioner. Nobody else.
MAY_REVEAL = {
    "dengji": True, "cg_fuzeren": True, "cg_chengban": True,
    "fuzeren": False, "chengban": False, "cg_dengji": False, "lingdao": False, "ducha": False, "tongji": False,
    "guanli": False, "qs_fuzeren": False, "zj_fuzeren": False, "city_fuzeren": False, "jw_fuzeren": False,
}


def test_who_may_reveal(assigned, people):
    petition = assigned.petitions.get()
    assert {name: may_reveal(people[name], assigned, petition) for name in MAY_REVEAL} == MAY_REVEAL


def test_before_routing_the_registering_units_head_and_handler_may_reveal(register_case, people):
    case = register_case()
    petition = case.petitions.get()
    assert may_reveal(people["fuzeren"], case, petition) and may_reveal(people["chengban"], case, petition)
    assert not may_reveal(people["cg_fuzeren"], case, petition)


def test_an_inactive_user_or_one_without_a_unit_may_not(assigned, people):
    petition = assigned.petitions.get()
    clerk = people["dengji"]
    clerk.is_active = False
    assert not may_reveal(clerk, assigned, petition)
    clerk.is_active = True
    clerk.unit = None
    assert not may_reveal(clerk, assigned, petition)


def test_the_accused_unit_may_not_reveal_an_accuser(register_case, people):
    from xinfang.cases.services import perform

    case = register_case(kind="accusation", title="举报村干部")
    perform(case=case, action="accept", actor=people["dengji"])
    case = perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    petition = case.petitions.get()
    assert not may_reveal(people["cg_fuzeren"], case, petition)
    assert may_reveal(people["dengji"], case, petition)
    with pytest.raises(NotFound):
        reveal(actor=people["cg_fuzeren"], case=case, petitioner_id=petition.petitioners.get().pk)
    assert not AuditEntry.objects.filter(action__startswith="petitioner.").exists()
    # The bureau that registered the accusation sees the accuser through the shield.
    accuser = petition.petitioners.get()
    assert reveal(actor=people["dengji"], case=case, petitioner_id=accuser.pk).pk == accuser.pk


def test_a_visitor_who_is_not_signed_in_may_not_reveal(assigned):
    from django.contrib.auth.models import AnonymousUser

    assert not may_reveal(AnonymousUser(), assigned, assigned.petitions.get())


def audit_actions():
    return list(AuditEntry.objects.filter(action__startswith="petitioner.").values_list("action", flat=True))


IP = "203.0.113.9"


def recorded(action, petitioner, actor, detail):
    """The one audit entry of `action`: who, on which petitioner, what, from where."""
    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor, entry.object_type, entry.object_id, entry.detail, entry.ip) == (
        actor, "intake.petitioner", str(petitioner.pk), detail, IP)


def test_reveal_records_the_fields_it_showed(assigned, people):
    pid = assigned.petitions.get().petitioners.get().pk
    petitioner = reveal(actor=people["cg_fuzeren"], case=assigned.number, petitioner_id=str(pid), ip=IP)
    assert petitioner.phone == "13800000001" and petitioner.id_number == "11010519491231002X"
    recorded("petitioner.reveal", petitioner, people["cg_fuzeren"], {"case": assigned.number, "fields": ["id_number", "phone"]})
    assert unreadable_fields(petitioner) == []


@pytest.mark.parametrize("petitioner_id", ["abc", None, 10**9])
def test_an_unknown_petitioner_is_not_found_and_nothing_is_recorded(assigned, people, petitioner_id):
    with pytest.raises(NotFound) as err:
        reveal(actor=people["cg_fuzeren"], case=assigned, petitioner_id=petitioner_id)
    assert "/" in err.value.message
    assert audit_actions() == []


def test_a_petitioner_of_another_case_is_not_found(assigned, register_case, people):
    other = register_case().petitions.get().petitioners.get()
    with pytest.raises(NotFound):
        reveal(actor=people["dengji"], case=assigned, petitioner_id=other.pk)
    assert audit_actions() == []


def test_a_role_that_may_not_reveal_is_refused_and_the_attempt_recorded(assigned, people):
    petitioner = assigned.petitions.get().petitioners.get()
    with pytest.raises(NotAllowed) as err:
        reveal(actor=people["fuzeren"], case=assigned, petitioner_id=petitioner.pk, ip=IP)
    assert err.value.message == "您的岗位不能查看信访人的完整个人信息 / Your role may not see petitioners' full personal data."
    assert audit_actions() == ["petitioner.reveal_refused"]
    recorded("petitioner.reveal_refused", petitioner, people["fuzeren"], {"case": assigned.number})


def test_past_the_limit_it_is_throttled_and_recorded(assigned, people, settings):
    from django.core.cache import cache

    cache.clear()
    settings.STAFF_RATE_LIMITS = {"reveal_user": "2/1h"}
    petitioner = assigned.petitions.get().petitioners.get()
    for _ in range(2):
        reveal(actor=people["dengji"], case=assigned, petitioner_id=petitioner.pk, ip=IP)
    with pytest.raises(Throttled) as err:
        reveal(actor=people["dengji"], case=assigned, petitioner_id=petitioner.pk, ip=IP)
    assert err.value.message.startswith("查看完整个人信息过于频繁，请") and "（已记录） / Too many full records shown; try again in" in err.value.message
    assert err.value.retry_after == ratelimit.retry_after("reveal_user", people["dengji"].pk) > 60
    recorded("petitioner.reveal_throttled", petitioner, people["dengji"], {"case": assigned.number})
    # The limit is per person: the township head, who may reveal too, is not stopped.
    assert reveal(actor=people["cg_fuzeren"], case=assigned, petitioner_id=petitioner.pk).pk == petitioner.pk
    assert sorted(audit_actions()) == ["petitioner.reveal"] * 3 + ["petitioner.reveal_throttled"]
    cache.clear()
