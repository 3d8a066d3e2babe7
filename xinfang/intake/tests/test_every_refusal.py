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


# What each refusal says, by field: the words a clerk reads beside the field they must put
# right (the page shows the Chinese half, the API both).
SAYS = {
    "unknown channel": "请选择信访渠道 / Choose a channel: letter|visit|online|phone|deputy|referral",
    "unknown kind": "请选择信访性质 / Choose a kind: suggestion|accusation|grievance",
    "title of 201 characters": "标题不超过200字 / At most 200 characters.",
    "blank title": "请填写标题 / A title is required.",
    "content over 100,000 characters": "内容不超过10万字 / At most 100,000 characters.",
    "malformed time": "时间格式不正确 / Not a valid date and time.",
    "unknown receiving unit": "请选择有效的接收单位 / Choose a valid receiving unit.",
    "no receiving unit": "请选择有效的接收单位 / Choose a valid receiving unit.",
    "unknown category": "问题类别不存在 / Unknown category.",
    "headcount 0": "人数应为正整数 / Headcount must be a positive whole number.",
    "headcount over 100,000": "人数应为正整数 / Headcount must be a positive whole number.",
    "headcount not a number": "人数应为正整数 / Headcount must be a positive whole number.",
    "name of 41 characters": "姓名不超过40字 / At most 40 characters.",
    "address of 201 characters": "住址不超过200字 / At most 200 characters.",
    "a representative who is not a petitioner": "代表须是已填写的信访人 / Representatives must be among the petitioners.",
    "six representatives": "代表人数不超过5人（第二十条）/ At most 5 representatives (Art. 20).",
    "headcount below the petitioners of a visit": "来访人数不能少于登记的信访人数 / Headcount is lower than the number of petitioners.",
    "collective visit without representatives": "集体访请推选不超过5名代表 / A collective visit chooses up to 5 representatives.",
    "agent name of 41 characters": "不超过40字 / At most 40 characters.",
    "agent role of 41 characters": "不超过40字 / At most 40 characters.",
    "referral of 101 characters": "不超过100字 / At most 100 characters.",
}


@pytest.mark.parametrize("row", [r for r in REFUSED if r[0] in SAYS], ids=[r[0] for r in REFUSED if r[0] in SAYS])
def test_each_refusal_says_what_is_wrong_beside_its_field(people, units, row):
    what, field, overrides = row
    with refused(field=field) as caught:
        register(actor=people["dengji"], data=data(units, **overrides))
    assert caught.value.message == "登记信息有误，请检查标示的项目 / Some fields need attention."
    assert caught.value.fields[field] == SAYS[what]
    assert set(caught.value.fields) == {field}  # nothing else was at fault


def test_the_scope_refusal_says_why(people, units):
    with refused(field="receiving_unit") as caught:
        register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["chengguan"]))
    assert caught.value.fields == {"receiving_unit": "只能为本单位辖区内的单位登记 / You may register only for units within your scope."}


@pytest.mark.parametrize("person, field, says", [
    ({"name": "刘某", "id_number": "341122198503154327", "sex": "male"}, "sex",
     "性别与证件号码不符 / The sex differs from what the ID number states."),
    ({"name": "刘某", "sex": "x"}, "sex", "性别不正确 / Unknown sex."),
    ({"name": "刘某", "document_type": "licence", "id_number": "E12345678"}, "document_type", "证件类型不正确 / Unknown document type."),
    ({"name": "刘某", "household_place": "地" * 101}, "household_unit", "户籍地不超过100字 / At most 100 characters."),
    ({"name": "刘某", "household_unit": "341122-ZRZY"}, "household_unit",
     "户籍地应为本辖区的县、乡镇或村（社区）/ Choose a county, township or village of this area."),
], ids=["sex against the number", "unknown sex", "unknown document", "household place of 101", "household not a place"])
def test_each_refusal_of_a_person_says_what_is_wrong(people, units, person, field, says):
    with refused(field=f"petitioners.0.{field}") as caught:
        register(actor=people["dengji"], data=data(units, petitioners=[person]))
    assert caught.value.fields == {f"petitioners.0.{field}": says}


@pytest.mark.parametrize("overrides, field, says", [
    (dict(kind="accusation", accused_unit="341122-NOPE"), "accused_unit", "被检举控告单位不存在 / Unknown accused unit."),
    (dict(kind="grievance", accused_post="村主任"), "accused_unit", "只有检举控告件填写被检举控告对象 / Only an accusation names who is accused."),
    (dict(kind="grievance", accused_unit="341122200201"), "accused_unit", "只有检举控告件填写被检举控告对象 / Only an accusation names who is accused."),
    (dict(kind="accusation", accused_post="职" * 101), "accused_post", "不超过100字 / At most 100 characters."),
], ids=["unknown accused unit", "a post named in a grievance", "a unit named in a grievance", "accused post of 101"])
def test_each_refusal_about_the_accused_says_what_is_wrong(people, units, overrides, field, says):
    with refused(field=field) as caught:
        register(actor=people["dengji"], data=data(units, **overrides))
    assert caught.value.fields == {field: says}


def test_an_accused_post_of_100_characters_passes_and_is_stored_trimmed(people, units):
    petition, case = register(actor=people["dengji"], data=data(units, kind="accusation", accused_unit="341122200201",
                                                                accused_post=" " + "职" * 100 + " "))
    assert petition.accused_post == case.accused_post == "职" * 100
    assert petition.accused_unit == case.accused_unit == units["shanxia"]


def test_the_role_and_public_refusals_say_why(people, units, register_case):
    with refused(NotAllowed) as caught:
        register(actor=people["lingdao"], data=data(units))
    assert caught.value.message == "您没有登记信访件的权限 / Your role may not register petitions."
    with refused(field="channel") as caught:
        register_public(data=data(units, channel="letter"))
    assert caught.value.message == "网上提交的信访件渠道应为网上信访 / A public submission comes through the online channel."
    assert caught.value.fields == {"channel": "online"}
    case = register_case()
    with refused(field="case") as caught:
        register_public(data=data(units, channel="online", case=case.number))
    assert caught.value.message == "网上提交不能并入已有事项 / A public submission cannot join an existing case."
    assert caught.value.fields == {"case": case.number}
