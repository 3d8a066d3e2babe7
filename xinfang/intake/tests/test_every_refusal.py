"""Every refusal of registration (intake/services.py), each naming its field, in Chinese
and English, and writing nothing: no case, petition, petitioner, event, file or audit
entry. With the limits themselves: a value at the limit passes (issue #20)."""

from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case, CaseEvent
from xinfang.intake.models import Attachment, Petition, Petitioner
from xinfang.intake.services import PetitionIn, register, register_public
from xinfang.lib.errors import Invalid, NotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)]

GOOD_ID = "11010519491231002X"


def counts():
    return [m.objects.count() for m in (Case, Petition, Petitioner, CaseEvent, Attachment, AuditEntry)]


@contextmanager
def refused(error=Invalid, *, field=None):
    before = counts()
    with pytest.raises(error) as caught:
        yield caught
    assert "/" in caught.value.message
    if field:
        assert field in caught.value.fields, caught.value.fields
    assert counts() == before


def data(units, **kw):
    base = dict(channel="letter", receiving_unit=units["bureau"], title="拖欠工资", content="某公司拖欠工资三个月。", kind="grievance")
    base.update(kw)
    return PetitionIn(**base)


def people_named(*names):
    return [{"name": n} for n in names]


# (what is wrong, the field it names, the petition's fields; `units` keys fill in units)
REFUSED = [
    ("unknown channel", "channel", dict(channel="fax")),
    ("unknown kind", "kind", dict(kind="complaint")),
    ("title of 201 characters", "title", dict(title="题" * 201)),
    ("blank title", "title", dict(title="   ")),
    ("content over 100,000 characters", "content", dict(content="字" * 100_001)),
    ("malformed time", "received_at", dict(received_at="yesterday")),
    ("time six minutes ahead", "received_at", dict(received_at="2026-03-20T10:06:00+08:00")),
    ("time before 1990", "received_at", dict(received_at="1989-12-31T10:00:00+08:00")),
    ("unknown receiving unit", "receiving_unit", dict(receiving_unit="341122-NOPE")),
    ("no receiving unit", "receiving_unit", dict(receiving_unit=None)),
    ("unknown category", "category", dict(category="no-such-category")),
    ("headcount 0", "headcount", dict(headcount=0)),
    ("headcount over 100,000", "headcount", dict(headcount=100_001)),
    ("headcount not a number", "headcount", dict(headcount="many")),
    ("name of 41 characters", "petitioners.0.name", dict(petitioners=[{"name": "名" * 41}])),
    ("address of 201 characters", "petitioners.0.address", dict(petitioners=[{"name": "甲", "address": "址" * 201}])),
    ("bad ID number", "petitioners.1.id_number", dict(petitioners=[{"name": "甲"}, {"name": "乙", "id_number": "123"}])),
    ("bad phone", "petitioners.0.phone", dict(petitioners=[{"name": "甲", "phone": "12345"}])),
    ("a representative who is not a petitioner", "representatives", dict(petitioners=people_named("甲", "乙"), representatives=["丙"])),
    ("six representatives", "representatives", dict(petitioners=[{"name": f"村民{i}", "is_representative": True} for i in range(6)])),
    ("headcount below the petitioners of a visit", "headcount", dict(channel="visit", headcount=2, petitioners=people_named("甲", "乙", "丙"))),
    ("collective visit without representatives", "representatives", dict(channel="visit", headcount=5, petitioners=people_named("甲"))),
    ("agent name of 41 characters", "agent_name", dict(agent_name="代" * 41)),
    ("agent role of 41 characters", "agent_role", dict(agent_role="员" * 41)),
    ("referral of 101 characters", "referral_from", dict(referral_from="转" * 101)),
]


@pytest.mark.parametrize("fields", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_registration_refuses(people, units, fields):
    field, overrides = fields
    with refused(field=field):
        register(actor=people["dengji"], data=data(units, **overrides))


def test_an_inactive_receiving_unit_is_refused(people, units):
    units["land"].is_active = False
    units["land"].save(update_fields=["is_active"])
    with refused(field="receiving_unit"):
        register(actor=people["dengji"], data=data(units, receiving_unit="341122-ZRZY"))
    with refused(field="receiving_unit"):
        register_public(data=data(units, channel="online", receiving_unit="341122-ZRZY"))


def test_the_own_office_code_is_refused_when_the_office_is_inactive(people, units):
    units["bureau"].is_active = False
    units["bureau"].save(update_fields=["is_active"])
    people["dengji"].unit.refresh_from_db()
    with refused(field="receiving_unit"):
        register(actor=people["dengji"], data=data(units, receiving_unit="341122-XFJ"))


# Each limit itself passes: what is at the edge is accepted.
AT_THE_LIMIT = [
    ("title of 200 characters", dict(title="题" * 200)),
    ("content of 100,000 characters", dict(content="字" * 100_000)),
    ("time five minutes ahead", dict(received_at="2026-03-20T10:05:00+08:00")),
    ("time in 1990, confirmed as a late entry", dict(received_at="1990-01-01T10:00:00+08:00", confirm_late=True)),
    ("headcount 100,000", dict(headcount=100_000)),
    ("name of 40 characters", dict(petitioners=[{"name": "名" * 40}])),
    ("address of 200 characters", dict(petitioners=[{"name": "甲", "address": "址" * 200}])),
    ("five representatives (Art. 20)", dict(channel="visit", headcount=9,
                                            petitioners=[{"name": f"村民{i}", "is_representative": True} for i in range(5)])),
    ("five representatives by name", dict(channel="visit", headcount=6, petitioners=people_named(*"甲乙丙丁戊己"),
                                          representatives=list("甲乙丙丁戊"))),
    ("a visit's headcount equal to its petitioners", dict(channel="visit", headcount=3, petitioners=people_named("甲", "乙", "丙"))),
    ("a visit of four without representatives", dict(channel="visit", headcount=4, petitioners=people_named("甲"))),
    ("agent, role and referral at their limits", dict(agent_name="代" * 40, agent_role="员" * 40, referral_from="转" * 100)),
]


@pytest.mark.parametrize("overrides", [r[1] for r in AT_THE_LIMIT], ids=[r[0] for r in AT_THE_LIMIT])
def test_registration_accepts_at_the_limit(people, units, overrides):
    petition, case = register(actor=people["dengji"], data=data(units, **overrides))
    assert case.status == "registered" and case.petitions.get() == petition


def test_exactly_five_representatives_are_recorded_and_a_sixth_is_refused(people, units):
    six = people_named(*"甲乙丙丁戊己")
    petition, case = register(actor=people["dengji"], data=data(units, channel="visit", headcount=6, petitioners=six,
                                                                representatives=list("甲乙丙丁戊")))
    assert case.is_collective and petition.petitioners.filter(is_representative=True).count() == 5
    with refused(field="representatives"):
        register(actor=people["dengji"], data=data(units, channel="visit", headcount=6, petitioners=six,
                                                   representatives=list("甲乙丙丁戊己")))


def test_a_leader_without_a_registering_role_may_not_register(people, units):
    with refused(NotAllowed):
        register(actor=people["lingdao"], data=data(units))


def test_a_public_submission_must_be_online_and_new(units, register_case):
    case = register_case()
    with refused(field="channel"):
        register_public(data=data(units, channel="letter"))
    with refused(field="case"):
        register_public(data=data(units, channel="online", case=case.number))


def test_a_public_submission_has_the_same_field_checks(units):
    with refused(field="title"):
        register_public(data=data(units, channel="online", title="题" * 201))


def test_a_file_of_a_forbidden_type_is_refused_with_the_whole_registration(people, units):
    script = SimpleUploadedFile("letter.jpg", b"#!/bin/sh\x00rm -rf /\x00" * 10)
    with refused(field="attachments"):
        register(actor=people["dengji"], data=data(units), files=[script])


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_passes(people, units, settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    with refused(field="attachments"):
        register(actor=people["dengji"], data=data(units), files=[SimpleUploadedFile("a.txt", b"x" * 65)])
    petition, case = register(actor=people["dengji"], data=data(units), files=[SimpleUploadedFile("a.txt", b"x" * 64)])
    assert case.attachments.get().size == 64


def test_an_empty_file_is_refused(people, units):
    with refused(field="attachments"):
        register(actor=people["dengji"], data=data(units), files=[SimpleUploadedFile("a.txt", b"")])
