"""Which step of a case issues which written document, the fields it is filled with, and
who may open a case's documents.

`issue_for()` is called by services._apply in the transaction of the step, after its
timeline event: the document is numbered and stored with the step or not at all. The
documents themselves (templates, numbers, versions) are documents.services'; the
petitioners are intake's, reached through the case's own relation (as attachments.py
does), so this module imports nothing above cases."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from xinfang.audit.services import record as audit
from xinfang.documents import services as documents
from xinfang.documents.kinds import DocKind, VersionSource
from xinfang.documents.models import Document
from xinfang.lib.errors import NotAllowed, NotFound
from xinfang.org.choices import Role
from xinfang.org.models import identity_shown

from . import clock
from .choices import Action, Kind, Outcome, RefuseBasis, Stage
from .models import Case, Reply

K = DocKind
cn = documents.cn_date
SHIELDED_NAME = "（检举控告人身份保密）"

# The article each notice rests on, unless the reply names its own basis.
LEGAL_BASIS = {
    K.ACCEPT_NOTICE: "《信访工作条例》第二十二条、第三十二条",
    K.DECLINE_NOTICE: "《信访工作条例》第二十二条、第三十一条",
    K.FORWARD_NOTICE: "《信访工作条例》第二十二条",
    K.EXTENSION_NOTICE: "《信访工作条例》第三十四条",
    K.OPINION: "《信访工作条例》第三十二条",
    K.REVIEW_OPINION: "《信访工作条例》第三十五条",
    K.RE_REVIEW_OPINION: "《信访工作条例》第三十六条",
    K.REFUSE_NOTICE: "《信访工作条例》",
}

# Which step issues what (the reply's kind depends on its stage).
ISSUES = {
    Action.ACCEPT: (K.ACCEPT_NOTICE,),
    Action.DECLINE: (K.DECLINE_NOTICE,),
    Action.FORWARD: (K.FORWARD_NOTICE, K.FORWARD_FORM),
    Action.ASSIGN: (K.ASSIGN_FORM,),
    Action.EXTEND: (K.EXTENSION_NOTICE,),
    Action.REPLY: (K.OPINION, K.REVIEW_OPINION, K.RE_REVIEW_OPINION),
    Action.SIGN: (K.OPINION, K.REVIEW_OPINION, K.RE_REVIEW_OPINION),
    Action.APPROVE: (K.OPINION,),
    Action.REFUSE: (K.REFUSE_NOTICE,),
}
OPINION_OF_STAGE = {Stage.HANDLING: K.OPINION, Stage.REVIEW: K.REVIEW_OPINION, Stage.RE_REVIEW: K.RE_REVIEW_OPINION}


def _clause(text):
    """A reason as the middle of a sentence: without its own closing stop."""
    return str(text or "").strip().rstrip("。．.；;，,")


def shields(case):
    """The units an accuser of this case is shielded for (Art. 30): those of its shielded
    petitions, and for an accusation its registering unit."""
    found = list(case.petitions.filter(shield_unit__isnull=False).order_by("received_at", "id")
                 .values_list("shield_unit_id", flat=True).distinct())
    if case.kind == Kind.ACCUSATION and case.unit_id not in found:
        found.insert(0, case.unit_id)
    return found


def petitioner_names(case):
    """Whom a notice is addressed to: every petitioner of the case by name, or when some
    are representatives (Art. 20), the representatives and how many they speak for."""
    petitioner = case.petitions.model._meta.get_field("petitioners").related_model
    rows = petitioner.objects.filter(petition__case=case).order_by("petition__received_at", "petition_id", "position", "id")
    people, representatives = [], []
    for name, is_rep in rows.values_list("name", "is_representative"):
        name = (name or "").strip()
        if name and name not in people:
            people.append(name)
            if is_rep:
                representatives.append(name)
    if not people:
        return "信访人"
    if representatives and len(representatives) < len(people):
        return f"{'、'.join(representatives)}等{len(people)}人"
    return "、".join(people)


def _base(case, *, names=True):
    return {"case_number": case.number, "petitioner_name": petitioner_names(case) if names else SHIELDED_NAME,
            "received_date_cn": cn(case.received_at), "request_summary": _clause(case.title)}


def _content(case):
    first = case.petitions.order_by("received_at", "id").values_list("content", flat=True).first()
    return first or ""


def _to_unit_knows(unit, case_shields):
    return all(unit.may_know_accuser(s) for s in case_shields)


def issue_for(case, action, *, event, actor):
    """Issue the documents the law ties to `action`, just taken on `case` (its event is
    `event`). Returns the documents issued (none for most steps)."""
    if action not in ISSUES:
        return []
    case_shields = shields(case)
    shield = case_shields[0] if case_shields else None
    unit = event.actor_unit or case.current_unit
    source = f"event:{event.pk}"
    issued = []

    def notice(kind, extra, *, by=unit, src=source):
        context = {**_base(case), "legal_basis": LEGAL_BASIS[kind], **extra}
        issued.append(documents.issue(kind, unit=by, subject=case, context=context, actor=actor, source=src, shield_unit=shield))

    def form(kind, to_unit, extra):
        # An internal form names the accuser only to a unit allowed to know them.
        context = {**_base(case, names=_to_unit_knows(to_unit, case_shields)), "to_unit_name": to_unit.name,
                   "content": _content(case), **extra}
        knows = _to_unit_knows(to_unit, case_shields)
        issued.append(documents.issue(kind, unit=unit, subject=case, context=context, actor=actor, source=source, to_unit=to_unit,
                                      shield_unit=shield if knows else None))

    if action == Action.ACCEPT:
        notice(K.ACCEPT_NOTICE, {"handle_due_cn": cn(case.handle_due), "handle_days": clock.limit("handle_days").get(case.kind, 60)})
    elif action == Action.DECLINE:
        notice(K.DECLINE_NOTICE, {"decline_reason": _clause(case.decline_reason), "proper_channel": _clause(case.proper_channel)})
    elif action == Action.REFUSE:
        basis = RefuseBasis(case.refuse_basis).label if case.refuse_basis in RefuseBasis.values else ""
        notice(K.REFUSE_NOTICE, {"refuse_basis": basis, "decline_reason": _clause(case.decline_reason)})
    elif action == Action.FORWARD:
        notice(K.FORWARD_NOTICE, {"to_unit_name": case.current_unit.name})
        form(K.FORWARD_FORM, case.current_unit, {"decide_due_cn": cn(case.decide_due), "note": event.note})
    elif action == Action.ASSIGN:
        helpers = "、".join(event.data.get("assisting") or [])
        form(K.ASSIGN_FORM, case.lead_unit, {"assisting_units": helpers, "handle_due_cn": cn(case.handle_due), "note": event.note})
    elif action == Action.EXTEND:
        notice(K.EXTENSION_NOTICE, {"extension_days": case.extended_days, "extension_reason": _clause(case.extension_reason),
                                    "handle_due_cn": cn(case.handle_due)})
    elif action in (Action.REPLY, Action.SIGN, Action.APPROVE):
        reply = Reply.objects.select_related("unit").get(pk=event.data["reply_id"])
        kind = OPINION_OF_STAGE[reply.stage]
        notice(kind, {"request_summary": _clause(reply.request_summary), "facts": reply.facts, "opinion": reply.opinion,
                      "outcome": Outcome(reply.outcome).label, "legal_basis": reply.legal_basis or LEGAL_BASIS[kind],
                      "remedy": reply.remedy}, by=reply.unit, src=f"reply:{reply.pk}")
    return issued


# --- who may open them -------------------------------------------------------------------


def _case_type():
    return ContentType.objects.get_for_model(Case)


def may_open(user, document):
    """Whether `user` may download `document`: one naming an accuser only for those who
    may know the accuser (Art. 30)."""
    return identity_shown(user, document.shield_unit_id)


def documents_for(user, case):
    """The documents of `case` (already found through Case.objects.visible_to), each with
    `may_open` set for `user`, and their versions newest first."""
    items = list(documents.documents_of(case).select_related("issued_by"))
    for item in items:
        item.may_open = may_open(user, item)
        item.version_list = sorted(item.versions.all(), key=lambda v: -v.version)
        item.current_version = item.version_list[0] if item.version_list else None
    return items


def get_document_for(user, pk):
    """A document of a case `user` may see (or an internal form sent to their unit);
    NotFound otherwise, saying nothing of whether it exists."""
    missing = NotFound("找不到该文书或无权查看 / No such document, or not visible to you.")
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise missing
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        raise missing
    visible = Case.objects.visible_to(user).values("pk")
    document = (Document.objects.filter(pk=pk, subject_type=_case_type())
                .filter(Q(subject_id__in=visible) | Q(to_unit__in=user.unit.acts_for))
                .select_related("unit", "to_unit").first())
    if document is None:
        raise missing
    return document


def _require_open(user, document):
    if not may_open(user, document):
        raise NotAllowed("该文书载有对您单位保密的检举控告人信息，不能查看 / This document names an accuser withheld from your unit.",
                         code="shielded")


def version_for(user, document, version=None, *, ip=None):
    """The file `user` downloads: the current version, or the numbered one. Documents
    name petitioners: every download is on the audit record."""
    _require_open(user, document)
    try:
        version = int(version) if version not in (None, "") else None
    except (TypeError, ValueError):
        version = 0  # no such version
    item = documents.current_version(document, version)
    if item is None:
        raise NotFound("找不到该版本 / No such version.")
    audit(actor=user, action="document.download", obj=document, detail={"number": document.number, "version": item.version}, ip=ip)
    return item


def case_of(document):
    return Case.objects.get(pk=document.subject_id)


def add_version_for(user, document, upload, *, source=VersionSource.EDITED, note=""):
    """The issuing unit (or, for an internal form, the receiving unit) replaces the file
    with an edited or a signed-and-scanned one; the older versions stay."""
    _require_open(user, document)
    units = {document.unit_id, document.to_unit_id} - {None}
    if not user.has_role(Role.REGISTRAR, Role.HANDLER, Role.HEAD) or not (user.unit.acts_for & units):
        raise NotAllowed("只有制发单位的工作人员可以上传修改稿或扫描件 / Only the issuing unit's staff may add a version.")
    return documents.add_version(document, upload, actor=user, source=source, note=note)
