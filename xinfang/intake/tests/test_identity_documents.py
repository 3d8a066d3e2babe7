"""Identity documents at the window: numbers with a valid check digit and birth date are
accepted whatever their region code's history; each document type has its own check;
the sex comes from an 18-digit number; the household place is one of the area's places."""

import datetime

import pytest
from stdnum.cn import ric

from xinfang.intake.models import Petitioner
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import Invalid
from xinfang.lib.validators import document_error, id_number_error, id_region_hint, sex_from_document

# Valid numbers whose holders were born before their region code existed: 安徽来安县
# (341122, from 1992), 杭州西湖区 (330106, from 1983), 深圳南山区 (440305, from 1990).
BORN_BEFORE_THEIR_CODE = ["341122198503154327", "330106197001011230", "440305196001011236"]


def with_check_digit(first17):
    return first17 + ric.calc_check_digit(first17 + "0")


def test_numbers_born_before_their_region_code_existed_are_accepted():
    for number in BORN_BEFORE_THEIR_CODE:
        assert ric.calc_check_digit(number) == number[-1]
        assert id_number_error(number) is None, number
    # More of the same kind: a 1992 county, people born in 1930 and 1991.
    for first17 in ("34112219300101001", "34112219911231002", "44030519490501003", "33010619500808123"):
        assert id_number_error(with_check_digit(first17)) is None, first17


def test_a_wrong_check_digit_is_still_refused():
    for number in BORN_BEFORE_THEIR_CODE:
        wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
        assert "校验位" in id_number_error(wrong)


def test_a_birth_date_that_is_not_a_day_or_in_the_future_or_absurdly_old_is_refused():
    today = datetime.date(2026, 12, 3)
    for birth in ("19850230", "19851301", "20270101", "18800101"):
        number = with_check_digit("341122" + birth + "001")
        assert id_number_error(number, today=today) is not None, birth
    assert id_number_error(with_check_digit("34112219000101001"), today=today) is None  # 126 years: rare, possible


def test_wrong_length_and_letters_are_refused():
    assert "18位" in id_number_error("34112219850315432")
    assert id_number_error("34112219850315432A") is not None


def test_an_unknown_region_code_is_a_hint_never_a_refusal():
    number = with_check_digit("99999919850315001")
    assert id_number_error(number) is None
    assert "地区代码" in id_region_hint(number)
    assert id_region_hint(BORN_BEFORE_THEIR_CODE[0]) is None


@pytest.mark.parametrize("document_type, valid, invalid", [
    ("resident_id", ["341122198503154327"], ["341122198503154328", with_check_digit("81000019900101001")]),
    ("residence_permit", [with_check_digit("81000019900101001"), with_check_digit("83000019751111002")],
     ["341122198503154327", with_check_digit("81000019900101001")[:-1] + "Y", with_check_digit("81000029900101001")]),
    ("hkmo_permit", ["H12345678", "M1234567890", "h 1234 5678"], ["H1234567", "X12345678", "H123456789", "12345678"]),
    ("taiwan_permit", ["12345678"], ["1234567", "123456789", "A1234567"]),
    ("passport", ["E12345678", "G1234567", "123456789", "AB12345"], ["E123", "ABCDEFGH", "E1234567890123456789", "E12-345"]),
    ("other", ["军字第123456号"], ["一二三四五六七八九十一二三四五六七八九"]),
])
def test_each_document_type_has_its_own_check(document_type, valid, invalid):
    for number in valid:
        assert document_error(document_type, number) is None, number
    for number in invalid:
        assert document_error(document_type, number) is not None, number


def test_an_unknown_document_type_is_refused():
    assert document_error("driving_licence", "123") is not None


def test_the_sex_comes_from_the_seventeenth_digit_of_an_18_digit_number():
    assert sex_from_document("resident_id", "341122198503154327") == "female"  # 2: even
    assert sex_from_document("resident_id", "330106197001011230") == "male"  # 3: odd
    assert sex_from_document("residence_permit", with_check_digit("81000019900101001")) == "male"
    assert sex_from_document("passport", "E12345678") == ""




def data(units, person):
    return PetitionIn(channel="letter", receiving_unit=units["bureau"], title="拖欠工资", content="某公司拖欠工资三个月。",
                      kind="grievance", petitioners=[person])


@pytest.mark.django_db
def test_registration_stores_document_type_derived_sex_and_household_place(people, units):
    petition, _ = register(actor=people["dengji"], data=data(units, {
        "name": "刘某", "id_number": "341122198503154327", "household_unit": "341122100001"}))
    person = Petitioner.objects.get(petition=petition)
    assert person.document_type == "resident_id" and person.sex == "female"
    assert person.household_unit == units["dongjie"] and person.household_place == "安宁县城关镇东街社区"


@pytest.mark.django_db
def test_a_passport_holder_from_elsewhere_gives_sex_and_place_as_entered(people, units):
    petition, _ = register(actor=people["dengji"], data=data(units, {
        "name": "Smith", "document_type": "passport", "id_number": "e1234 5678", "sex": "male",
        "household_place": "浙江省杭州市西湖区"}))
    person = Petitioner.objects.get(petition=petition)
    assert (person.document_type, person.id_number, person.sex) == ("passport", "E12345678", "male")
    assert person.household_unit is None and person.household_place == "浙江省杭州市西湖区"


@pytest.mark.django_db
@pytest.mark.parametrize("person, field", [
    ({"name": "刘某", "id_number": "341122198503154327", "sex": "male"}, "sex"),  # the number says female
    ({"name": "刘某", "document_type": "passport", "id_number": "E1"}, "id_number"),
    ({"name": "刘某", "document_type": "licence", "id_number": "E12345678"}, "document_type"),
    ({"name": "刘某", "household_unit": "341122-ZRZY"}, "household_unit"),  # a department is not a place
    ({"name": "刘某", "household_unit": "999999"}, "household_unit"),
    ({"name": "刘某", "sex": "x"}, "sex"),
])
def test_bad_identity_details_are_refused_by_field_and_nothing_is_written(people, units, person, field):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=data(units, person))
    assert f"petitioners.0.{field}" in err.value.fields
    assert not Petitioner.objects.exists()
