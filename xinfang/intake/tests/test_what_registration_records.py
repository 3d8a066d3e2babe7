"""What a registration writes besides the case itself (intake/services.py `_record`): the
petition's marks (co-signed, anonymous, the accuser shield), a repeat's effect on its
case, the timeline event, the audit entry and what the other apps are told; and the
retried request (`register_once`) that must not register twice (issue #20: rules that
could change without a test failing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case, CaseEvent
from xinfang.intake.models import Attachment, Petition
from xinfang.intake.services import PetitionIn, register, register_once, register_public
from xinfang.intake.signals import petition_recorded
from xinfang.lib.errors import Conflict

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)]

KEY = "retry-key-0000000001"


def data(units, **kw):
    base = dict(channel="letter", receiving_unit=units["bureau"], title="拖欠工资", content="某公司拖欠工资三个月。", kind="grievance")
    base.update(kw)
    return PetitionIn(**base)


def people_named(*names):
    return [{"name": n} for n in names]


@pytest.mark.parametrize("channel, petitioners, cosigned_flag, cosigned", [
    ("letter", people_named("甲", "乙"), False, True),
    ("letter", people_named("甲"), False, False),
    ("visit", people_named("甲", "乙"), False, False),
    ("visit", people_named("甲"), True, True),
], ids=["a letter of two", "a letter of one", "a visit of two", "marked co-signed by the clerk"])
def test_a_letter_signed_by_more_than_one_person_is_cosigned(people, units, channel, petitioners, cosigned_flag, cosigned):
    petition, _ = register(actor=people["dengji"], data=data(units, channel=channel, headcount=2, petitioners=petitioners,
                                                             is_cosigned=cosigned_flag))
    assert petition.is_cosigned is cosigned


@pytest.mark.parametrize("person, anonymous", [
    ({"address": "城关镇东街1号"}, True),
    ({"name": "刘某"}, False),
    ({"id_number": "11010519491231002X"}, False),
    ({"phone": "13800000001"}, False),
], ids=["only an address", "a name", "an ID number", "a phone"])
def test_a_petition_is_anonymous_unless_it_names_a_person_an_id_or_a_phone(people, units, person, anonymous):
    petition, _ = register(actor=people["dengji"], data=data(units, petitioners=[person]))
    assert petition.is_anonymous is anonymous


def test_a_repeat_raises_its_case_to_the_larger_headcount_and_never_lowers_it(people, units):
    _, case = register(actor=people["dengji"], data=data(units, channel="visit", headcount=3, petitioners=people_named("甲")))
    version = case.version
    register(actor=people["dengji"], data=data(units, channel="visit", headcount=4, petitioners=people_named("甲"), case=case.number))
    case.refresh_from_db()
    assert case.headcount == 4 and case.petition_count == 2 and not case.is_collective
    assert case.version == version + 1
    register(actor=people["dengji"], data=data(units, headcount=2, case=case.number))
    case.refresh_from_db()
    assert case.headcount == 4 and case.petition_count == 3


@pytest.mark.parametrize("channel, headcount, collective", [("visit", 5, True), ("visit", 4, False), ("letter", 5, False)])
def test_a_repeat_by_a_visit_of_five_or_more_makes_its_case_collective(people, units, channel, headcount, collective):
    _, case = register(actor=people["dengji"], data=data(units))
    reps = ["甲"] if channel == "visit" else []
    _, joined = register(actor=people["dengji"], data=data(units, channel=channel, headcount=headcount, case=case.number,
                                                           petitioners=people_named("甲"), representatives=reps))
    assert joined.is_collective is collective
    assert Case.objects.get(pk=case.pk).is_collective is collective


def test_an_accusation_is_shielded_for_the_office_that_registered_it(people, units):
    accusation, _ = register(actor=people["dengji"], data=data(units, kind="accusation"))
    grievance, _ = register(actor=people["dengji"], data=data(units))
    assert accusation.shield_unit == units["bureau"]
    assert grievance.shield_unit is None


def test_a_repeat_in_an_accusation_case_is_shielded_for_the_office_that_registered_the_case(people, units):
    _, case = register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["qingshan"], kind="accusation"))
    # The accuser's second letter, received in the village, joins the township's case.
    repeat, _ = register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["shanxia"], case=case.number))
    assert repeat.shield_unit == units["qingshan"]


def test_an_accusation_joining_another_matter_is_shielded_for_the_office_that_took_it_down(people, units):
    _, case = register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["qingshan"]))
    accusation, _ = register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["shanxia"], kind="accusation",
                                                                   case=case.number))
    plain, _ = register(actor=people["qs_fuzeren"], data=data(units, receiving_unit=units["shanxia"], case=case.number))
    assert accusation.shield_unit == units["shanxia"]
    assert plain.shield_unit is None


def test_the_registration_event_is_public_and_says_who_registered_which_petition(people, units):
    petition, case = register(actor=people["dengji"], data=data(units, channel="visit"))
    event = CaseEvent.objects.get(case=case, action="register")
    assert event.public and event.actor == people["dengji"] and event.actor_unit == units["bureau"]
    assert event.to_status == "registered" and event.note == "拖欠工资"
    assert event.data == {"petition_id": petition.pk, "channel": "visit"}

    repeat, _ = register(actor=people["dengji"], data=data(units, title="又来信", case=case.number))
    event = CaseEvent.objects.get(case=case, action="repeat")
    assert event.public and event.note == "又来信" and event.data == {"petition_id": repeat.pk, "channel": "letter"}


def test_a_public_submission_is_recorded_as_the_petitioners_own(units):
    petition, case = register_public(data=data(units, channel="online", petitioners=people_named("刘某")))
    event = CaseEvent.objects.get(case=case, action="register")
    assert event.actor is None and event.actor_unit is None and event.public
    assert event.data == {"petition_id": petition.pk, "channel": "online", "by": "petitioner"}
    assert petition.registered_by is None


def test_the_audit_entry_names_the_case_whether_it_was_a_repeat_and_where_from(people, units):
    petition, case = register(actor=people["dengji"], data=data(units), ip="10.1.2.3")
    entry = AuditEntry.objects.get(action="petition.register", object_id=str(petition.pk))
    assert entry.actor == people["dengji"] and entry.ip == "10.1.2.3"
    assert entry.detail == {"case": case.number, "repeat": False}
    repeat, _ = register(actor=people["dengji"], data=data(units, case=case.number))
    assert AuditEntry.objects.get(action="petition.register", object_id=str(repeat.pk)).detail == {"case": case.number, "repeat": True}


def test_the_other_apps_are_told_of_each_petition_recorded(people, units):
    heard = []

    def listener(sender, **kw):
        heard.append((sender, kw["petition"].pk, kw["case"].pk, kw["opened"], kw["names"]))

    petition_recorded.connect(listener, dispatch_uid="test-listener")
    try:
        first, case = register(actor=people["dengji"], data=data(units, petitioners=[{"name": "刘某"}, {"phone": "13800000001"}]))
        repeat, _ = register(actor=people["dengji"], data=data(units, case=case.number, petitioners=people_named("张某")))
    finally:
        petition_recorded.disconnect(dispatch_uid="test-listener")
    assert heard == [(Petition, first.pk, case.pk, True, ["刘某"]), (Petition, repeat.pk, case.pk, False, ["张某"])]


def test_the_same_request_sent_again_returns_the_first_registration(people, units):
    first = register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY)
    again = register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY)
    assert first[2] is False and again[2] is True
    assert (again[0].pk, again[1].pk) == (first[0].pk, first[1].pk)
    assert Petition.objects.count() == 1 and Case.objects.count() == 1
    assert again[0].idempotency_key == KEY and again[0].fingerprint == first[0].fingerprint != ""


def test_the_same_key_with_other_content_is_a_conflict_and_writes_nothing(people, units):
    register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY)
    with pytest.raises(Conflict):
        register_once(actor=people["dengji"], data=data(units, title="另一件事"), idempotency_key=KEY)
    assert Petition.objects.count() == 1 and Case.objects.count() == 1


def test_the_same_key_with_another_file_is_a_conflict(people, units):
    def upload(body):
        return SimpleUploadedFile("材料.txt", body, content_type="text/plain")

    register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY, files=[upload(b"first text")])
    with pytest.raises(Conflict):
        register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY, files=[upload(b"other text")])
    assert Attachment.objects.count() == 1


def test_a_retried_request_stores_the_whole_file_it_read(people, units):
    body = "信访材料全文。".encode() * 50
    upload = SimpleUploadedFile("材料.txt", body, content_type="text/plain")
    upload.seek(7)  # a caller that has already read some of it
    petition, case, _ = register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY, files=[upload])
    stored = Attachment.objects.get(petition=petition)
    with stored.file.open("rb") as f:
        assert f.read() == body


def test_keys_are_each_users_own(people, units):
    mine = register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY)
    theirs = register_once(actor=people["fuzeren"], data=data(units), idempotency_key=KEY)
    assert theirs[2] is False and theirs[0].pk != mine[0].pk and Case.objects.count() == 2


def test_without_a_key_every_request_registers(people, units):
    one = register_once(actor=people["dengji"], data=data(units))
    two = register_once(actor=people["dengji"], data=data(units))
    assert one[2] is two[2] is False and one[0].pk != two[0].pk
    assert one[0].idempotency_key is None and one[0].fingerprint == ""


def test_another_key_registers_again_even_with_the_same_content(people, units):
    first = register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY)
    second = register_once(actor=people["dengji"], data=data(units), idempotency_key="retry-key-0000000002")
    assert second[2] is False and second[0].pk != first[0].pk and Case.objects.count() == 2


def test_a_retried_request_keeps_where_it_came_from_and_its_files(people, units):
    for key in (KEY, ""):
        upload = SimpleUploadedFile("材料.txt", "信访材料。".encode(), content_type="text/plain")
        petition, _, _ = register_once(actor=people["dengji"], data=data(units), idempotency_key=key, files=[upload], ip="10.1.2.3")
        assert AuditEntry.objects.get(action="petition.register", object_id=str(petition.pk)).ip == "10.1.2.3"
        assert Attachment.objects.filter(petition=petition).count() == 1


def test_files_that_differ_only_in_their_first_byte_are_other_content(people, units):
    def upload(body):
        return SimpleUploadedFile("材料.txt", body, content_type="text/plain")

    register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY, files=[upload(b"A: the first statement")])
    with pytest.raises(Conflict):
        register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY, files=[upload(b"B: the first statement")])


@pytest.fixture
def twin_first(monkeypatch):
    """The twin request sent at the same moment: the first look finds nothing (the twin
    has not committed yet), and the key is taken by the time this one writes."""
    from xinfang.intake import services

    looked = []
    real = services._replay

    def late_look(*args):
        looked.append(args)
        return None if len(looked) == 1 else real(*args)

    monkeypatch.setattr(services, "_replay", late_look)
    return looked


def test_a_twin_that_claimed_the_key_first_is_answered_with_its_petition(people, units, twin_first):
    first = register(actor=people["dengji"], data=data(units), _key=(KEY, _fingerprint(data(units))))
    again = register_once(actor=people["dengji"], data=data(units), idempotency_key=KEY)
    assert again[2] is True and (again[0].pk, again[1].pk) == (first[0].pk, first[1].pk)
    assert Petition.objects.count() == 1 and Case.objects.count() == 1


def test_a_twin_with_other_content_under_the_same_key_is_a_conflict(people, units, twin_first):
    register(actor=people["dengji"], data=data(units), _key=(KEY, _fingerprint(data(units))))
    with pytest.raises(Conflict):
        register_once(actor=people["dengji"], data=data(units, title="另一件事"), idempotency_key=KEY)
    assert Petition.objects.count() == 1 and Case.objects.count() == 1


def _fingerprint(petition_in):
    from dataclasses import asdict

    from xinfang.lib import idempotency

    return idempotency.fingerprint(asdict(petition_in), [])


def test_a_household_place_is_kept_as_given_up_to_100_characters_and_blank_when_not_given(people, units):
    petition, _ = register(actor=people["dengji"], data=data(units, petitioners=[
        {"name": "甲", "household_place": " " + "地" * 100 + " "}, {"name": "乙"}, {"name": "丙", "household_unit": ""}]))
    first, second, third = petition.petitioners.order_by("position")
    assert first.household_place == "地" * 100 and first.household_unit is None
    assert second.household_place == "" and second.household_unit is None
    assert third.household_place == "" and third.household_unit is None  # a form's blank choice
