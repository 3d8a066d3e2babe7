"""Who may see a petitioner's ID number, phone and address in full, and the one way to
see them: `reveal()`, which writes an audit entry (DOMAIN.md "Rights built in").

Every screen, answer and export shows these values masked (xinfang/lib/masking.py).
The accuser shield comes first: whoever may not see an accuser's identity
(`Petition.shield_unit`, which travels with the petition) gets nothing, masked or not. After it, full values
are for the people who must reach the petitioner:

- a registrar of the unit that received the petition or registered the case (a petition
  office acts for its government): they took the details down and may need to check them;
- the head and the handlers of the unit that holds the case now (`current_unit`): they
  answer the petitioner in writing (the address) and call them (the phone).

Everyone else (leaders, supervisors, statisticians, auditors, other units, the head of a
unit the case has left) sees masked values only. A superuser is no exception.
"""

from django.db import transaction

from xinfang.audit.services import record as audit
from xinfang.cases.services import get_case_for
from xinfang.lib import ratelimit
from xinfang.lib.crypto import Unreadable
from xinfang.lib.errors import NotAllowed, NotFound
from xinfang.org.choices import Role

from .models import Petitioner, identity_shown

PERSONAL_FIELDS = ("id_number", "phone", "address")


def may_reveal(user, case, petition):
    """Whether `user` may see the full personal data of the petitioners of `petition`
    (a petition of `case`)."""
    unit = getattr(user, "unit", None)
    if unit is None or not user.is_active or not identity_shown(user, petition.shield_unit_id):
        return False
    acts_for = unit.acts_for
    if user.has_role(Role.REGISTRAR) and {case.unit_id, petition.receiving_unit_id} & acts_for:
        return True
    return user.has_role(Role.HEAD, Role.HANDLER) and case.current_unit_id in acts_for


NOT_FOUND = "找不到该信访人或无权查看 / No such petitioner, or not visible to you."


def reveal(*, actor, case, petitioner_id, ip=None):
    """The petitioner with full values, for a user allowed to see them; every reveal is
    on the audit record, and so is every refused attempt. A case or petitioner the user
    may not see at all (another unit's case, an accuser hidden from them) is NotFound,
    never a hint that it exists."""
    if isinstance(case, str):
        case = get_case_for(actor, case)
    try:
        petitioner_id = int(petitioner_id)
    except (TypeError, ValueError):
        raise NotFound(NOT_FOUND) from None
    petitioner = (Petitioner.objects.select_related("petition").filter(pk=petitioner_id, petition__case=case).first())
    if petitioner is None or not identity_shown(actor, petitioner.petition.shield_unit_id):
        raise NotFound(NOT_FOUND)
    if not may_reveal(actor, case, petitioner.petition):
        with transaction.atomic():
            audit(actor=actor, action="petitioner.reveal_refused", obj=petitioner, detail={"case": case.number}, ip=ip)
        raise NotAllowed("您的岗位不能查看信访人的完整个人信息 / Your role may not see petitioners' full personal data.")
    if not ratelimit.hit("reveal_user", actor.pk):
        wait = ratelimit.retry_after("reveal_user", actor.pk)
        with transaction.atomic():
            audit(actor=actor, action="petitioner.reveal_throttled", obj=petitioner, detail={"case": case.number}, ip=ip)
        raise ratelimit.Throttled(f"查看完整个人信息过于频繁，请{ratelimit.minutes(wait)}分钟后再试（已记录） / Too many full records "
                                  f"shown; try again in {ratelimit.minutes(wait)} minutes (this is recorded).", retry_after=wait)
    shown = [name for name in PERSONAL_FIELDS if getattr(petitioner, name)]
    with transaction.atomic():
        audit(actor=actor, action="petitioner.reveal", obj=petitioner, detail={"case": case.number, "fields": shown}, ip=ip)
    return petitioner


def unreadable_fields(petitioner):
    """Names of the fields whose value could not be decrypted (its key is missing)."""
    return [name for name in PERSONAL_FIELDS if isinstance(getattr(petitioner, name), Unreadable)]
