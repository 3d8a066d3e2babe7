"""Masked personal data, as every staff screen, answer and export shows it unless the
user reveals the full value (xinfang/intake/privacy.py):

    mask_id("330102199001011234")  -> "3301**********1234"
    mask_phone("13812345678")      -> "138****5678"
    mask_address("安宁县城关镇东街1号") -> "安宁县城关镇****"

A value that could not be decrypted (crypto.Unreadable) is shown as its notice."""

import re

from .crypto import Unreadable

STARS = "****"
# One administrative division at the start of an address: a name and its suffix. A name
# with a street, a number or a village in it is finer than a town: it is masked.
# Not followed by another suffix: 杭州市 is one division, not 杭州 + 市….
DIVISION = re.compile(r"[^\s0-9０-９路街巷道号村组弄栋楼室单元小区社区屯]{1,12}?"
                      r"(自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|县|区|旗|街道|镇|乡|苏木)(?![市州县区旗盟])")
TOWN_LEVEL = {"街道", "镇", "乡", "苏木"}


def _plain(value):
    return value if isinstance(value, Unreadable) else None


def mask_id(value):
    """First four (the region of issue) and last four characters of an ID number."""
    if not value or _plain(value):
        return value
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value):
    """First three and last four digits of a mobile number; last four of anything else."""
    if not value or _plain(value):
        return value
    value = str(value)
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + STARS + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * min(len(digits) - 4, 8) + digits[-4:]


def mask_address(value):
    """The administrative divisions at the start, down to the town (乡镇、街道); the
    rest, where the person lives, becomes ****."""
    if not value or _plain(value):
        return value
    value = str(value).strip()
    kept, rest = "", value
    while rest and (match := DIVISION.match(rest)):
        kept, rest = kept + match[0], rest[match.end():]
        if match[1] in TOWN_LEVEL:
            break
    if not rest:
        # Nothing below the town was given: still hide the last division, so a mask
        # never equals the full value.
        kept = kept[: len(kept) - len(match[0])] if kept else ""
    return kept + STARS


def mask_person(person):
    """{name, id_number, phone, address} of a Petitioner as shown without revealing."""
    return {
        "name": person.name,
        "id_number": mask_id(person.id_number),
        "phone": mask_phone(person.phone),
        "address": mask_address(person.address),
    }
