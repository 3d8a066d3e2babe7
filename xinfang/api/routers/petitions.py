from ninja import Router, Status

from xinfang.cases.choices import Kind
from xinfang.cases.services import shows_identity
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import Invalid, NotFound
from xinfang.nlp.services import similar_petitions, suggest

from ..auth import client_ip, staff
from ..schemas import PetitionIn as PetitionBody
from ..schemas import RegisteredOut

router = Router(tags=["petitions 信访件"])


@router.post("", response={201: RegisteredOut})
def register_petition(request, payload: PetitionBody):
    """登记一件信访件：新开事项，或以 `case` 并入已有事项作为重复信访 / Register one
    petition: it opens a case, or joins the case numbered `case` as a repeat."""
    user = staff(request)
    data = PetitionIn(
        channel=payload.channel,
        received_at=payload.received_at,
        receiving_unit=payload.receiving_unit,
        title=payload.title,
        content=payload.content,
        # Leaving the kind out is allowed (API.md); the general path is the default.
        kind=payload.kind or Kind.GRIEVANCE,
        category=payload.category or None,
        petitioners=[p.model_dump() for p in payload.petitioners],
        headcount=payload.headcount,
        representatives=[name for name in payload.representatives if name],
        case=payload.case,
    )
    # The suggestions first: they cut the text into words, which the registration's own
    # indexing then finds done, so its transaction (which holds the unit's number
    # sequence and the audit chain) is that much shorter.
    suggestions = suggest(title=data.title.strip(), content=data.content.strip(), actor=user)
    try:
        petition, case = register(actor=user, data=data, ip=client_ip(request))
    except NotFound:
        # The only lookup that can miss is the case to attach to: a field error, not a
        # missing resource (and the same answer whether it exists or is out of scope).
        raise Invalid("找不到要并入的信访事项或无权查看 / No such case to attach to, or not visible to you.",
                      fields={"case": "找不到该事项 / No such case."})
    # Similar petitions (same petitioner, same or near-identical text, same place and
    # category) are read after the commit: they never hold up the write.
    related = similar_petitions(actor=user, title=petition.title, content=petition.content, petitioners=data.petitioners,
                                category=petition.category, exclude_case=case, receiving_unit=petition.receiving_unit)
    for item in related:
        # "Same petitioner" on an accusation whose accuser the caller may not see would
        # name the accuser (Art. 30): that link is left out.
        if "same_petitioner" in item.reasons and not shows_identity(item.case, user):
            item.reasons = [r for r in item.reasons if r != "same_petitioner"]
    related = [item for item in related if item.reasons]
    return Status(201, {"petition": petition, "case": case, "related": related, "suggestions": suggestions})
