"""Checks of what people type about themselves: ID documents and phone numbers.

An 18-digit ID number (居民身份证, GB 11643-1999; the 港澳台居民居住证 uses the same
scheme) is checked for its check digit and a real birth date only. Its first six digits
are the region code of the place of *issue*, which may have been created (or renamed)
after the holder was born — a county set up in 1992 issues numbers to people born in
1950 — so a region code is never tested against the birth date, and an unknown one is at
most a hint (`id_region_hint`), never a refusal."""

import datetime
import re

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,17}[0-9]$")  # at most 20 characters, the column's size

# Document types (证件类型). The codes are those of `intake.choices.DocumentType`.
RESIDENT_ID = "resident_id"  # 居民身份证
RESIDENCE_PERMIT = "residence_permit"  # 港澳台居民居住证
HKMO_PERMIT = "hkmo_permit"  # 港澳居民来往内地通行证
TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
PASSPORT = "passport"  # 护照
OTHER = "other"  # 其他
DOCUMENT_TYPES = (RESIDENT_ID, RESIDENCE_PERMIT, HKMO_PERMIT, TAIWAN_PERMIT, PASSPORT, OTHER)
# Documents whose number says the holder's birth date and sex.
EIGHTEEN_DIGITS = (RESIDENT_ID, RESIDENCE_PERMIT)

# 港澳台居民居住证: 810000 Hong Kong, 820000 Macao, 830000 Taiwan.
PERMIT_REGIONS = ("810000", "820000", "830000")
OLDEST_AGE = 130  # a birth date further back is a typing error
ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
HKMO_SHAPE = re.compile(r"^[HM][0-9]{8}([0-9]{2})?$")
TAIWAN_SHAPE = re.compile(r"^[0-9]{8}$")
PASSPORT_SHAPE = re.compile(r"^(?=.*[0-9])[A-Z0-9]{5,17}$")
OTHER_SHAPE = re.compile(r"^[^\x00-\x1f\x7f]{1,18}$")
NUMBER_MAX = 18  # the column's size

CHECK_OR_BIRTH = "身份证号校验位或出生日期不正确 / The ID number's check digit or birth date is wrong."


def normalise_document(value):
    """A document number as stored and hashed: upper-case, without spaces."""
    return re.sub(r"\s+", "", value or "").upper()


def birth_date(value):
    """The birth date an 18-digit number states, or None when it states no real date."""
    value = normalise_document(value)
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def _eighteen_digit_error(value, today=None):
    if len(value) != 18:
        return "身份证号应为18位 / An ID number has 18 characters."
    if not ID_SHAPE.match(value) or value[-1] != ric.calc_check_digit(value):
        return CHECK_OR_BIRTH
    born = birth_date(value)
    today = today or datetime.date.today()
    if born is None or born > today or born.year < today.year - OLDEST_AGE:
        return CHECK_OR_BIRTH
    return None


def id_number_error(value, *, today=None):
    """Why a resident ID number (居民身份证) is not valid, or None when it is: a wrong
    check digit, or a birth date that is not a real day, lies in the future or more than
    130 years back. The region code is not checked against the birth date."""
    value = normalise_document(value)
    if not value:
        return None
    if why := _eighteen_digit_error(value, today):
        return why
    if value[:6] in PERMIT_REGIONS:
        return ("这是港澳台居民居住证号码，请将证件类型选为港澳台居民居住证 / "
                "This is the number of a residence permit for Hong Kong, Macao or Taiwan residents: choose that document type.")
    return None


def document_error(document_type, value, *, today=None):
    """Why `value` is not a valid number of this document type, or None when it is (or
    is blank: every field of a petitioner may be blank)."""
    value = normalise_document(value)
    document_type = document_type or RESIDENT_ID
    if document_type not in DOCUMENT_TYPES:
        return "证件类型不正确 / Unknown document type."
    if not value:
        return None
    if document_type == RESIDENT_ID:
        return id_number_error(value, today=today)
    if document_type == RESIDENCE_PERMIT:
        if why := _eighteen_digit_error(value, today):
            return why.replace("身份证号", "居住证号").replace("An ID number", "A residence permit number").replace(
                "The ID number's", "The permit number's")
        if value[:6] not in PERMIT_REGIONS:
            return ("港澳台居民居住证号码应以810000、820000或830000开头 / "
                    "A residence permit number starts with 810000, 820000 or 830000.")
        return None
    if document_type == HKMO_PERMIT:
        if not HKMO_SHAPE.match(value):
            return ("港澳居民来往内地通行证号码应为H或M加8位或10位数字 / "
                    "A Home Return Permit number is H or M followed by 8 or 10 digits.")
        return None
    if document_type == TAIWAN_PERMIT:
        if not TAIWAN_SHAPE.match(value):
            return "台湾居民来往大陆通行证号码应为8位数字 / A Taiwan Compatriot Permit number has 8 digits."
        return None
    if document_type == PASSPORT:
        if not PASSPORT_SHAPE.match(value):
            return "护照号码应为5至17位字母和数字 / A passport number has 5 to 17 letters and digits."
        return None
    if not OTHER_SHAPE.match(value):
        return f"证件号码不超过{NUMBER_MAX}个字符 / At most {NUMBER_MAX} characters."
    return None


def eighteen_digit_type(value):
    """The document an 18-digit number belongs to, told by its region code: a residence
    permit for Hong Kong, Macao or Taiwan residents (810000/820000/830000) or a resident
    ID. For forms that ask for "身份证号" without a document type (the public site)."""
    return RESIDENCE_PERMIT if normalise_document(value)[:6] in PERMIT_REGIONS else RESIDENT_ID


def sex_from_document(document_type, value):
    """"male" or "female" as an 18-digit number says it (the 17th digit: odd for men,
    even for women), or "" when the document does not say."""
    value = normalise_document(value)
    if (document_type or RESIDENT_ID) not in EIGHTEEN_DIGITS or not ID_SHAPE.match(value):
        return ""
    return "male" if int(value[16]) % 2 else "female"


def id_region_hint(value):
    """A note when an 18-digit number's region code is unknown to the division tables —
    a hint to check the number with the person, never a reason to refuse it."""
    value = normalise_document(value)
    if not ID_SHAPE.match(value) or value[:6] in PERMIT_REGIONS:
        return None
    from stdnum import numdb

    info = {k for _, props in numdb.get("cn/loc").info(value[:6]) for k in props}
    if "county" not in info:
        return "身份证号的地区代码未能识别，请与信访人核对 / The ID number's region code is not known: check it."
    return None


def phone_error(value):
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        return "电话号码格式不正确 / The phone number is not valid."
    return None
