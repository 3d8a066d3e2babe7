import re

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,17}[0-9]$")  # at most 20 characters, the column's size


def id_number_error(value):
    """Why a resident ID number (GB 11643-1999) is not valid, or None when it is."""
    value = (value or "").strip().upper()
    if not value:
        return None
    if len(value) != 18:
        return "身份证号应为18位 / An ID number has 18 characters."
    try:
        ric.validate(value)
    except StdnumError:
        return "身份证号校验位或出生日期不正确 / The ID number's check digit or birth date is wrong."
    return None


def phone_error(value):
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        return "电话号码格式不正确 / The phone number is not valid."
    return None
