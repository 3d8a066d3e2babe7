"""Submitting online: the petition lands in the chosen unit's intake queue as channel
`online`, with a query code that opens it; each rejection names the field."""

import pytest

from xinfang.cases.models import Case
from xinfang.intake.models import Petition
from xinfang.lib.errors import Invalid
from xinfang.lib import ratelimit as limits
from xinfang.portal import codes
from xinfang.portal.models import Submission
from xinfang.notify.sms import LocmemBackend

from .conftest import CONTENT


def test_a_grievance_lands_in_the_chosen_units_queue_as_online(submit_online, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = submit_online(unit="341122100")  # 城关镇
    case = receipt.case
    assert case.current_unit == units["chengguan"] and case.status == "registered"
    assert Case.objects.waiting_on(units["chengguan_office"]).filter(pk=case.pk).exists()
    petition = case.petitions.get()
    assert petition.channel == "online" and petition.registered_by is None
    assert petition.petitioners.get().phone == "13800000001"
    assert "事发地点：城关镇东街" in petition.content
    submission = Submission.objects.get(case=case)
    assert submission.code_hash == codes.code_hash(codes.normalize(receipt.code))
    assert receipt.code.replace("-", "") not in str(Submission.objects.values().get())  # only the hash is stored
    assert LocmemBackend.outbox == [("13800000001", LocmemBackend.outbox[0][1])]
    assert receipt.code in LocmemBackend.outbox[0][1]
    assert Submission.objects.get().sms_status == "sent"


def test_an_anonymous_accusation_is_accepted_and_keeps_no_identity(submit_online):
    receipt = submit_online(kind="accusation", anonymous=True, name="刘某", phone="13800000001")
    petition = receipt.case.petitions.get()
    assert petition.is_anonymous and not petition.petitioners.exists()
    assert not receipt.submission.needs_verifier
    assert LocmemBackend.outbox == []


def test_a_grievance_needs_a_name_and_a_phone(submit_online):
    with pytest.raises(Invalid) as err:
        submit_online(kind="grievance", anonymous=True)
    assert "anonymous" in err.value.fields
    with pytest.raises(Invalid) as err:
        submit_online(kind="grievance", name="", phone="")
    assert {"name", "phone"} <= set(err.value.fields)
    assert not Petition.objects.exists()


def test_each_bad_field_is_named_at_once(submit_online):
    with pytest.raises(Invalid) as err:
        submit_online(kind="", phone="12345", id_number="110105194912310021", content="太短", consent=False, unit="nope")
    assert set(err.value.fields) >= {"kind", "phone", "id_number", "content", "consent", "unit"}
    assert all(" / " in m for m in err.value.fields.values())


def test_a_village_cannot_be_chosen_but_its_name_in_the_text_finds_its_township(submit_online, units):
    with pytest.raises(Invalid) as err:
        submit_online(unit="341122200202")  # 竹岭村 has no desk
    assert "unit" in err.value.fields
    receipt = submit_online(unit="", place="竹岭村村委会旁", content="竹岭村的灌溉水渠多处损坏，春耕用水困难，请求尽快修复。")
    assert receipt.case.unit == units["qingshan"]


def test_without_a_unit_or_a_place_it_asks_for_the_unit(submit_online):
    with pytest.raises(Invalid) as err:
        submit_online(unit="", place="", content="补偿款一直没有发放，请求有关部门督促发放到位。")
    assert "unit" in err.value.fields


def test_too_many_submissions_from_one_network_are_refused_with_a_time(submit_online, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "submit_ip": "2/1h"}
    submit_online(ip="203.0.113.50")
    submit_online(ip="203.0.113.50")
    with pytest.raises(limits.Throttled) as err:
        submit_online(ip="203.0.113.50")
    assert "分钟后再试" in err.value.message
    assert Petition.objects.count() == 2
    submit_online(ip="203.0.113.51")


def test_a_wrong_captcha_writes_nothing(units):
    from xinfang.portal.captcha import new_challenge
    from xinfang.portal.services import submit

    from .conftest import submission_in

    challenge = new_challenge()
    with pytest.raises(Invalid) as err:
        submit(data=submission_in(), captcha_key=challenge.key, captcha_answer="0000" if challenge.answer != "0000" else "1111")
    assert "captcha" in err.value.fields
    assert not Petition.objects.exists() and not Submission.objects.exists()


def test_a_failing_sms_gateway_does_not_undo_the_registration(submit_online, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "xinfang.portal.tests.test_submit_online.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        receipt = submit_online(content=CONTENT)
    assert Case.objects.filter(pk=receipt.case.pk).exists()
    assert Submission.objects.get().sms_status == "failed"


class BrokenGateway:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def test_an_id_number_born_before_its_region_code_and_a_residence_permit_are_accepted_online(submit_online):
    from stdnum.cn import ric

    from xinfang.intake.models import Petitioner

    permit = "81000019900101001" + ric.calc_check_digit("810000199001010010")
    for number, document_type in (("341122198503154327", "resident_id"), (permit, "residence_permit")):
        receipt = submit_online(id_number=number)
        person = Petitioner.objects.get(petition=receipt.submission.petition)
        assert (person.id_number, person.document_type) == (number, document_type)
