from ninja import Router, Status

from xinfang.cases.choices import Kind
from xinfang.cases.services import shows_identity
from xinfang.intake.services import PetitionIn, register_once
from xinfang.lib import idempotency
from xinfang.lib.errors import Invalid, NotFound
from xinfang.lib.unavailable import after_commit
from xinfang.nlp.services import similar_petitions, suggest

from ..auth import client_ip, staff
from ..schemas import PetitionIn as PetitionBody
from ..schemas import RegisteredOut, RelatedCaseOut, errors

router = Router(tags=["petitions 信访件"])

RELATED_UNAVAILABLE = ("已登记。可能相关的已有事项暂时无法读取，请稍后在登记页或事项页查看 / Registered. The related petitions "
                       "could not be read just now; look again later.")


@router.post("", response={201: RegisteredOut, **errors(403, 409)})
def register_petition(request, payload: PetitionBody):
    """登记一件信访件：新开事项，或以 `case` 并入已有事项作为重复信访 / Register one
    petition: it opens a case, or joins the case numbered `case` as a repeat. Send an
    `Idempotency-Key` header (16–64 letters, digits, - or _): a retried request with the
    same key and body answers with the same petition (`replayed`: true) instead of
    registering it twice; the same key with another body answers 409. A 201 always means
    saved: when the related petitions cannot be read after the save, `related` is empty
    and `related_unavailable` is true."""
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
        accused_unit=payload.accused_unit or None,
        accused_post=payload.accused_post,
        confirm_late=payload.confirm_late,
    )
    # The suggestions first: they cut the text into words, which the registration's own
    # indexing then finds done, so its transaction (which holds the unit's number
    # sequence and the audit chain) is that much shorter.
    suggestions = suggest(title=data.title.strip(), content=data.content.strip(), actor=user)
    try:
        petition, case, replayed = register_once(actor=user, data=data, ip=client_ip(request),
                                                 idempotency_key=request.headers.get(idempotency.HEADER, ""))
    except NotFound:
        # The only lookup that can miss is the case to attach to: a field error, not a
        # missing resource (and the same answer whether it exists or is out of scope).
        raise Invalid("找不到要并入的信访事项或无权查看 / No such case to attach to, or not visible to you.",
                      fields={"case": "找不到该事项 / No such case."})
    # The petition is saved. What follows reads only: a database failure now must not
    # answer "nothing was saved" (lib/unavailable.after_commit). The answer is built from
    # what is in memory first, then the similar petitions are added if they can be read.
    answer = RegisteredOut.model_validate({"petition": petition, "case": case, "related": [], "suggestions": suggestions,
                                           "replayed": replayed})

    def related_cases():
        # Similar petitions (same petitioner, same or near-identical text, same place and
        # category) are read after the commit: they never hold up the write.
        found = similar_petitions(actor=user, title=petition.title, content=petition.content, petitioners=data.petitioners,
                                  category=petition.category, exclude_case=case, receiving_unit=petition.receiving_unit)
        for item in found:
            # "Same petitioner" on an accusation whose accuser the caller may not see would
            # name the accuser (Art. 30): that link is left out.
            if "same_petitioner" in item.reasons and not shows_identity(item.case, user):
                item.reasons = [r for r in item.reasons if r != "same_petitioner"]
        return [RelatedCaseOut.model_validate(item) for item in found if item.reasons]

    related = after_commit(related_cases, fallback=None, what="similar petitions of a registration")
    if related is None:
        answer.related_unavailable, answer.notice = True, RELATED_UNAVAILABLE
    else:
        answer.related = related
    return Status(201, answer)
