"""Every change to a case goes through `perform()`: one table of allowed transitions,
one permission and state check, one transaction that writes the case, its timeline
event and an audit entry together. Views, API routes and commands call this module;
they never save a Case themselves."""

import datetime
import inspect
from dataclasses import dataclass, field
from functools import partial
from typing import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xinfang.audit.services import record as audit
from xinfang.documents import delivery
from xinfang.documents.casefile import ensure as ensure_casefile
from xinfang.documents.kinds import DeliveryChannel, DocKind
from xinfang.documents.models import Document
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound, WrongState, require
from xinfang.lib.sequences import next_value
from xinfang.lib.text import clean_deep
from xinfang.org.choices import Role, UnitKind
from xinfang.org.models import Unit, identity_shown

from . import case_documents, casefile, clock, notices, obligations, paperwork
from .attachments import attach
from .choices import (OBLIGATION_OPEN, Action, Channel, GuidedProcedure, Kind, MergeReason, ObligationKind, ObligationStatus, Outcome, RefuseBasis, Satisfaction,
                      Stage, Status)
from .models import Case, CaseAssignment, CaseEvent, CaseNumberSequence, Evaluation, Reply, ReplyDraft
from .tasks import schedule_casefile

S = Status


@dataclass
class Change:
    """What an action did, for the timeline: the new status, a note, extra data."""

    to_status: str
    note: str = ""
    data: dict = field(default_factory=dict)
    public: bool = False
    fields: set = field(default_factory=set)
    audit: dict = field(default_factory=dict)  # more for the audit entry (old values of a correction)


@dataclass(frozen=True)
class Flow:
    action: str
    sources: tuple
    roles: tuple
    units: Callable  # case -> ids of the units whose staff may take this action
    apply: Callable  # (case, actor, now, **params) -> Change
    guard: Callable | None = None  # case -> a ServiceError when the action is spent, else None


def _not_extended(case):
    if case.extended_days:
        return WrongState("办理期限只能延长一次 / The handling period may be extended only once.", code="already_extended")
    return None


def _not_evaluated(case):
    reply = case.replies.order_by("-replied_at", "-id").first()
    if reply is None:
        return WrongState("尚无答复意见，不能评价 / There is no reply to evaluate yet.")
    if reply.evaluations.exists():
        return WrongState("该答复已经评价 / This reply has already been evaluated.", code="already_evaluated")
    return None


def shows_identity(case, user):
    """Whether `user` may see everyone who brought this case. The shield is a property of
    the material (`Petition.shield_unit`, Art. 30: an accuser is known only to the office
    that registered the accusation and to the discipline organs), so a merge or a repeat
    that brings an accusation into another case brings its shield along; an accusation
    case shields what is added to it (replies) for its registering unit too."""
    if case.kind == Kind.ACCUSATION and not identity_shown(user, case.unit_id):
        return False
    shields = case.petitions.filter(shield_unit__isnull=False).values_list("shield_unit_id", flat=True).distinct()
    return all(identity_shown(user, unit_id) for unit_id in shields)


def _hides_material_from(case, user):
    """Whether `case` holds shielded material (petitions, files) that `user` may not see."""
    for material in (case.petitions, case.attachments):
        shields = material.filter(shield_unit__isnull=False).values_list("shield_unit_id", flat=True).distinct()
        if not all(identity_shown(user, unit_id) for unit_id in shields):
            return True
    return False


def casefile_download_refusal(case, user):
    """Why `user` (who can see the case) may not download its case file, or None. The
    file is the archive of record and holds an accuser's identity and material, so a
    unit the shield excludes sees its status but cannot have it (Art. 30)."""
    if not shows_identity(case, user) or _hides_material_from(case, user):
        return NotAllowed("本案卷含有对您单位保密的检举人信息或材料，不能下载 / This case file holds an accuser's identity or material "
                          "withheld from your unit: it cannot be downloaded.", code="shielded")
    return None


def casefile_rebuild_refusal(case, user):
    """Why `user` may not build the case file again, or None: only once archived, and
    only the staff who may archive it (registrars and heads of its current or
    registering unit) and may download it."""
    if case.status != S.ARCHIVED:
        return WrongState("事项尚未归档，没有电子案卷 / The case is not archived: it has no case file.", code="not_archived")
    flow = FLOWS[Action.ARCHIVE]
    if not user.has_role(*flow.roles) or user.unit_id is None or not (user.unit.acts_for & flow.units(case)):
        return NotAllowed("只有登记单位或办理单位的登记员、负责人可以重新生成案卷 / Only the registrars and heads of the registering "
                          "or handling unit may rebuild the case file.")
    return casefile_download_refusal(case, user)


def rebuild_casefile(*, case, actor, ip=None):
    """重新生成案卷 (the button, the API route): checked, recorded, and built again in the
    background worker once this commits (a build takes seconds). Returns the CaseFile
    row, marked as waiting."""
    if (why := casefile_rebuild_refusal(case, actor)) is not None:
        raise why
    row = ensure_casefile(case, retention="")
    audit(actor=actor, action="case.casefile_rebuild", obj=case, detail={"retention": row.retention}, ip=ip)
    schedule_casefile(case, actor)
    return row


def casefile_download(*, case, actor, which, ip=None):
    """The case file's PDF (`which` "pdf") or zip of originals ("zip") for `actor`, on the
    audit record. Refused for a unit the accuser shield excludes; 409 until it is built."""
    if (why := casefile_download_refusal(case, actor)) is not None:
        raise why
    row = casefile.casefile_for(case)
    field = None if row is None else (row.pdf if which == "pdf" else row.bundle)
    if not field:
        raise WrongState("电子案卷尚未生成 / The case file has not been built yet.", code="not_built")
    audit(actor=actor, action="casefile.download", obj=case, detail={"file": which, "built_at": row.built_at.isoformat()}, ip=ip)
    return field


def accused_refusal(case, unit, field_name="unit"):
    """Why `unit` may not be sent this case, or None: an accusation never goes to the
    unit accused or to any unit under it (Art. 30), which would hand the accuser and
    the material to the accused."""
    accused = case.accused_unit
    if accused is not None and unit.is_within(accused):
        return Invalid(f"根据《信访工作条例》第三十条，检举控告事项不得交由被检举控告的单位（{accused.name}）或其下级单位办理 / "
                       f"Art. 30: an accusation may not be routed to the accused unit or a unit under it.",
                       code="accused_unit", fields={field_name: f"{unit.name}：被检举控告单位或其下级 / The accused unit or below it."})
    return None


def routable(case, units):
    """`units` (a Unit queryset) without those the case may not be routed to (Art. 30):
    what the unit pickers offer."""
    if case.accused_unit_id is None:
        return units
    return units.exclude(path__startswith=case.accused_unit.path)


# --- who acts -------------------------------------------------------------------


def _current(case):
    return {case.current_unit_id}


def _current_or_registering(case):
    return {case.current_unit_id, case.unit_id}


def _review_receiver(case):
    """A review request reaches the unit one level up, or is logged by the office
    that registered the case on the petitioner's behalf."""
    replier = case.current_unit
    upper = replier.review_unit if replier else None
    return {case.unit_id, upper.pk if upper else None}


def _re_review_receiver(case):
    upper = case.review_unit.review_unit if case.review_unit else None
    return {case.unit_id, upper.pk if upper else None}


def _registering(case):
    return {case.unit_id}


def _involved(case):
    return {case.unit_id, case.current_unit_id, case.lead_unit_id}


# --- the actions ------------------------------------------------------------------


def _set_warnings(case, *ends):
    warnings = []
    for end in ends:
        warnings.extend(w for w in end.warnings if w not in warnings)
    case.deadline_warnings = warnings
    return {"deadline_warnings"}


def _accept(case, actor, now, *, note=""):
    due = clock.handle_due(now, case.kind)
    case.accepted_at = case.decided_at = now
    case.handle_due = due.date
    return Change(S.ACCEPTED, note=note, public=True, data={"handle_due": due.date.isoformat()},
                  fields={"accepted_at", "decided_at", "handle_due"} | _set_warnings(case, due))


def _decline(case, actor, now, *, reason="", proper_channel="", guided_procedure="", note=""):
    require({"reason": reason, "proper_channel": proper_channel})
    if len(proper_channel) > 200:
        raise Invalid("告知途径不超过200字 / At most 200 characters.", fields={"proper_channel": "过长 / Too long."})
    if guided_procedure and guided_procedure not in GuidedProcedure.values:
        raise Invalid("导入程序不正确 / Unknown statutory procedure.", fields={"guided_procedure": "无此选项 / Not a valid choice."})
    case.decided_at = now
    case.decline_reason = reason
    case.proper_channel = proper_channel
    case.guided_procedure = guided_procedure
    return Change(S.DECLINED, note=reason, public=True, data={"proper_channel": proper_channel, "guided_procedure": guided_procedure},
                  fields={"decided_at", "decline_reason", "proper_channel", "guided_procedure"})


def _refuse(case, actor, now, *, basis="", reason="", note=""):
    require({"basis": basis, "reason": reason})
    if basis not in RefuseBasis.values:
        raise Invalid("不再受理依据不正确 / Unknown basis for refusal.", fields={"basis": "无此选项 / Not a valid choice."})
    case.decided_at = now
    case.refuse_basis = basis
    case.decline_reason = reason
    return Change(S.REFUSED, note=reason, public=True, data={"basis": basis}, fields={"decided_at", "refuse_basis", "decline_reason"})


def _unit(code_or_unit, field_name):
    if isinstance(code_or_unit, Unit):
        return code_or_unit
    require({field_name: code_or_unit})
    unit = Unit.objects.filter(code=code_or_unit, is_active=True).first()
    if unit is None:
        raise Invalid("单位不存在 / No such unit.", fields={field_name: f"找不到单位代码 {code_or_unit} / Unknown unit code."})
    return unit


def _route(case, actor, now, *, unit, assisting=(), is_forward):
    if is_forward:
        # A forward hands the whole matter on; earlier routings end here.
        CaseAssignment.objects.filter(case=case, returned_at__isnull=True).update(returned_at=now)
    CaseAssignment.objects.create(case=case, unit=unit, unit_path=unit.path, is_lead=True, assigned_by=case.current_unit, assigned_at=now)
    for helper in assisting:
        CaseAssignment.objects.create(case=case, unit=helper, unit_path=helper.path, is_lead=False, assigned_by=case.current_unit, assigned_at=now)
    case.current_unit = unit
    case.current_unit_path = unit.path
    return {"current_unit", "current_unit_path"}


def _forward(case, actor, now, *, unit=None, note=""):
    target = _unit(unit, "unit")
    if why := accused_refusal(case, target):
        raise why
    if target.pk == case.current_unit_id:
        raise Invalid("不能转送给本单位 / Cannot forward a case to its own unit.", fields={"unit": "请选择其他单位 / Choose another unit."})
    due = clock.decide_due(now)
    fields = _route(case, actor, now, unit=target, is_forward=True)
    case.decide_due = due.date
    return Change(S.FORWARDED, note=note, public=True, data={"unit": target.code, "unit_name": target.name, "decide_due": due.date.isoformat()},
                  fields=fields | {"decide_due"} | _set_warnings(case, due))


def _date_param(value, name):
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise Invalid("期限日期格式不正确 / The due date is not a valid date.", fields={name: "YYYY-MM-DD"})
    return value


def _assign(case, actor, now, *, unit=None, assisting=(), due_date=None, assist_due=None, note=""):
    lead = _unit(unit, "unit")
    scope = actor.unit.scope_root
    if isinstance(assisting, (str, Unit)) or not isinstance(assisting or [], (list, tuple)):
        raise Invalid("协办单位应为单位代码列表 / Assisting units are a list of unit codes.", fields={"assisting": "列表 / A list."})
    helpers = [_unit(code, "assisting") for code in (assisting or [])]
    for target, name in [(lead, "unit")] + [(h, "assisting") for h in helpers]:
        if why := accused_refusal(case, target, name):
            raise why
        if not target.is_within(scope) or target.pk == case.current_unit_id:
            raise Invalid("只能交办给本单位辖区内的其他单位 / Assign only to another unit within your scope.", fields={name: target.name})
    if any(h.pk == lead.pk for h in helpers) or len({h.pk for h in helpers}) != len(helpers):
        raise Invalid("协办单位不能重复或与主办单位相同 / Assisting units must differ from each other and from the lead.", fields={"assisting": "重复 / Duplicate."})
    if due_date:
        if isinstance(due_date, str):
            try:
                due_date = datetime.date.fromisoformat(due_date)
            except ValueError:
                raise Invalid("期限日期格式不正确 / The due date is not a valid date.", fields={"due_date": "YYYY-MM-DD"})
        if case.handle_due and due_date > case.handle_due:
            raise Invalid("交办期限不得晚于法定办理期限 / The due date cannot be later than the legal handling deadline.",
                          fields={"due_date": f"最迟 {case.handle_due:%Y-%m-%d} / At the latest {case.handle_due}"})
        if due_date < clock.as_date(now):
            raise Invalid("交办期限不能早于今天 / The due date cannot be in the past.", fields={"due_date": "已过 / In the past."})
        case.handle_due = due_date
    assigner = case.current_unit
    fields = _route(case, actor, now, unit=lead, assisting=helpers, is_forward=False)
    data = {"unit": lead.code, "unit_name": lead.name, "assisting": [h.name for h in helpers]}
    # 交办 carries a duty to report back (Art. 23): the lead unit owes its result report to
    # the assigning unit by the due date (a case already late owes it at once). A petition
    # office handing a case to the government it serves (acts_for) hands it within one
    # body: nobody there could decide on a report to itself, so the lead answers directly.
    if lead.pk not in assigner.acts_for:
        owed = obligations.open_obligation(kind=ObligationKind.REPORT_BACK, case=case, owner_unit=lead, creditor_unit=assigner,
                                           due_date=max(case.handle_due, clock.as_date(now)), title=case.title[:200], actor=actor,
                                           requirement=note, now=now)
        data["obligation_id"] = owed.pk
    if helpers:
        # The assisting units' own date: given, or assist_days on; never after the lead's.
        help_due = _date_param(assist_due, "assist_due") if assist_due else clock.days_after(now, clock.limit("assist_days")).date
        if case.handle_due and help_due > case.handle_due:
            help_due = case.handle_due
        if help_due < clock.as_date(now):
            raise Invalid("协办期限不能早于今天 / The assisting units' due date cannot be in the past.", fields={"assist_due": "已过 / In the past."})
        CaseAssignment.objects.filter(case=case, is_lead=False, returned_at__isnull=True, assigned_at=now).update(due_date=help_due)
        data["assist_due"] = help_due.isoformat()
    case.lead_unit = lead
    case.assigned_at = now
    return Change(S.ASSIGNED, note=note, data=data, fields=fields | {"lead_unit", "assigned_at", "handle_due"})


def _return(case, actor, now, *, reason=""):
    require({"reason": reason})
    routing = CaseAssignment.objects.filter(case=case, unit=case.current_unit, is_lead=True, returned_at__isnull=True).select_related("assigned_by").last()
    if routing is None or routing.assigned_by is None:
        raise WrongState("本事项不是交办或转送给本单位的，无法退回 / This case was not routed to your unit.")
    allowed = clock.limit("objection_working_days")
    if clock.working_days_since(routing.assigned_at, now) > allowed:
        raise WrongState(f"已超过{allowed}个工作日的异议期限，不能退回 / The {allowed}-working-day period to object has passed.")
    CaseAssignment.objects.filter(case=case, returned_at__isnull=True).update(returned_at=now)
    if (owed := obligations.report_back_of(case)) is not None:
        # Returned as wrongly assigned: the unit owes no report on it.
        obligations.cancel(owed, actor=actor, reason=f"退回：{reason}", now=now, check=False)
    back = routing.assigned_by
    case.current_unit = back
    case.current_unit_path = back.path
    case.lead_unit = None
    to = S.REGISTERED if case.status == S.FORWARDED else S.ACCEPTED
    return Change(to, note=reason, data={"to_unit": back.name}, fields={"current_unit", "current_unit_path", "lead_unit"})


def _assisting_pending(case):
    """The assisting units whose part is still owed."""
    return case.assistants_owing()


def _assist(case, actor, now, *, opinion=""):
    """协办意见: an assisting unit submits its part; the lead unit reads it before replying."""
    require({"opinion": opinion})
    part = (CaseAssignment.objects.select_for_update().filter(case=case, is_lead=False, returned_at__isnull=True, submitted_at__isnull=True,
                                                               unit_id__in=actor.unit.acts_for).first())
    part.opinion, part.submitted_at, part.submitted_by = opinion, now, actor
    part.save(update_fields=["opinion", "submitted_at", "submitted_by"])
    late = part.due_date is not None and clock.as_date(now) > part.due_date
    return Change(case.status, note=opinion, data={"unit_name": part.unit.name, "assignment_id": part.pk, "late": late})


def _progress(case, actor, now, *, note=""):
    """办理进展: what the handler has done so far (a visit, a meeting, a document found)."""
    require({"note": note})
    return Change(case.status, note=note)


def _reply_fields(outcome, request_summary, facts, opinion):
    require({"outcome": outcome, "request_summary": request_summary, "facts": facts, "opinion": opinion})
    if outcome not in Outcome.values:
        raise Invalid("处理意见应为支持、解释或不支持 / Outcome must be support, explain or not_support.", fields={"outcome": "无此选项 / Not a valid choice."})


def _stage_of(case):
    return {S.REVIEW: Stage.REVIEW, S.RE_REVIEW: Stage.RE_REVIEW}.get(case.status, Stage.HANDLING)


def _draft(case, actor, now, *, outcome="", request_summary="", facts="", opinion="", legal_basis="", remedy="", settlement=""):
    """拟办: the handler drafts the written opinion for the unit head to sign. A newer
    draft replaces the one waiting for signature (both stay on the record)."""
    _reply_fields(outcome, request_summary, facts, opinion)
    draft = ReplyDraft.objects.create(case=case, stage=_stage_of(case), unit=case.current_unit, outcome=outcome,
                                      request_summary=request_summary, facts=facts, opinion=opinion, legal_basis=legal_basis,
                                      remedy=remedy, settlement=settlement, drafted_by=actor, drafted_at=now)
    return Change(case.status, note=opinion, data={"draft_id": draft.pk, "outcome": outcome})


def pending_draft(case):
    """The draft waiting for the unit head's signature at this stage, or None."""
    return (ReplyDraft.objects.filter(case=case, stage=_stage_of(case), unit=case.current_unit_id, signed_at__isnull=True)
            .order_by("-drafted_at", "-id").first())


def _has_draft(case):
    if pending_draft(case) is None:
        return WrongState("没有待审签的拟办意见 / There is no draft waiting for signature.", code="no_draft")
    return None


def _sign(case, actor, now, *, outcome="", request_summary="", facts="", opinion="", legal_basis="", remedy="", settlement="",
          documents=()):
    """审签: the unit head reviews the handler's draft, edits what needs editing, and signs
    it; the signed text becomes the written reply (答复), with everything a reply does."""
    draft = pending_draft(case)
    given = {"outcome": outcome, "request_summary": request_summary, "facts": facts, "opinion": opinion,
             "legal_basis": legal_basis, "remedy": remedy, "settlement": settlement}
    values = {name: given[name] or getattr(draft, name) for name in ReplyDraft.FIELDS}
    edited = [name for name in ReplyDraft.FIELDS if given[name] and given[name] != getattr(draft, name)]
    change = _reply(case, actor, now, documents=documents, **values)
    draft.signed_by, draft.signed_at = actor, now
    draft.reply_id = change.data["reply_id"]
    draft.save(update_fields=["signed_by", "signed_at", "reply"])
    change.data.update({"draft_id": draft.pk, "edited": edited})
    return change


def _report_owed(case):
    """The open report-back of an assigned case at the handling stage, or None."""
    if _stage_of(case) != Stage.HANDLING or case.lead_unit_id is None:
        return None
    return obligations.report_back_of(case)


def _answers_directly(case):
    """An assigned case is answered through its result report (REPORT, then APPROVE by
    the assigning unit), never by the lead unit's own reply."""
    if _report_owed(case) is not None:
        return WrongState("交办事项须向交办单位报送办理结果，经审核通过后答复 / An assigned case is answered through its result report: "
                          "report it to the assigning unit, which accepts it.", code="report_owed")
    return None


def _sign_guard(case):
    return _answers_directly(case) or _has_draft(case)


def _owes_report(case):
    owed = _report_owed(case)
    if owed is None or owed.status != ObligationStatus.OPEN or owed.owner_unit_id != case.current_unit_id:
        return WrongState("本事项没有待报送的交办办理结果 / This case owes no result report.", code="no_report_owed")
    return None


def _report_creditor(case):
    """The unit that assigned the case and now decides on its result report."""
    owed = _report_owed(case)
    return {owed.creditor_unit_id} if owed is not None else set()


def _report(case, actor, now, *, summary="", outcome="", request_summary="", facts="", opinion="", legal_basis="", remedy="",
            settlement="", documents=()):
    """报送办理结果 (办理情况报告): the lead unit of an assigned case reports what it did and
    the written answer it proposes (blank parts are taken from the handler's draft);
    the assigning unit accepts it or sends it back. The files go on the case and, once
    the report is accepted, with the answer."""
    _check_documents(documents)
    draft = pending_draft(case)
    owed = _report_owed(case)
    given = {"outcome": outcome, "request_summary": request_summary, "facts": facts, "opinion": opinion,
             "legal_basis": legal_basis, "remedy": remedy, "settlement": settlement}
    values = {name: given[name] or proposed for name, proposed in proposed_answer(case, owed=owed, draft=draft).items()}
    require({"summary": summary})
    _reply_fields(values["outcome"], values["request_summary"], values["facts"], values["opinion"])
    stored = [attach(case=case, upload=upload, actor=actor).pk for upload in documents]
    entry = obligations.report(owed, actor=actor, text=summary, final=True, data={"reply": values, "draft_id": draft.pk if draft else None},
                               attachments=stored, now=now, check=False)
    return Change(S.REPORTED, note=summary, data={"obligation_id": owed.pk, "entry_id": entry.pk, "late": entry.data["late"],
                                                  "outcome": values["outcome"], "documents": len(stored)})


def proposed_answer(case, *, owed=None, draft=None):
    """The answer a result report starts from (the report form's initial values, and the
    parts a report leaves blank): after a send-back the answer last reported, else the
    handler's pending draft, else nothing."""
    owed = owed if owed is not None else _report_owed(case)
    previous = obligations.last_result(owed) if owed is not None else None
    if previous is not None and previous.data.get("reply"):
        return {name: previous.data["reply"].get(name, "") for name in ReplyDraft.FIELDS}
    draft = draft if draft is not None else pending_draft(case)
    return {name: getattr(draft, name) if draft else "" for name in ReplyDraft.FIELDS}


def _approve(case, actor, now, *, note=""):
    """审核通过: the assigning unit accepts the lead unit's result; its proposed answer
    becomes the written reply, signed by whoever reported it, with everything a reply
    does. Only now is the assigned case answered."""
    owed = _report_owed(case)
    result = obligations.last_result(owed)
    obligations.accept(owed, actor=actor, note=note, now=now, check=False)
    values = result.data["reply"]
    change = _answer(case, result.actor, now, stored=result.data.get("attachments") or (), **values)
    if (draft_id := result.data.get("draft_id")) and (draft := ReplyDraft.objects.filter(pk=draft_id, signed_at__isnull=True).first()):
        draft.signed_by, draft.signed_at, draft.reply_id = result.actor, now, change.data["reply_id"]
        draft.save(update_fields=["signed_by", "signed_at", "reply"])
    change.data.update({"obligation_id": owed.pk, "approved_note": note})
    return change


def legal_handle_due(case):
    """The last day the law allows for the answer: the handling limit from acceptance,
    with an approved extension (an assignment's own due date may be earlier)."""
    if case.accepted_at is None:
        return case.handle_due
    end = clock.handle_due(case.accepted_at, case.kind).date
    return clock.days_after(end, case.extended_days).date if case.extended_days else end


SEND_BACK_DAYS = 15  # the time a sent-back result is given by default (the screen's suggestion)


def suggested_send_back_due(case, now=None):
    """The due date the send-back form suggests: SEND_BACK_DAYS on, never after the legal
    deadline, never before today."""
    today = clock.as_date(now or timezone.now())
    return max(today, min(clock.days_after(today, SEND_BACK_DAYS).date, legal_handle_due(case)))


def _send_back(case, actor, now, *, reason="", due_date=None):
    """退回补办: the result report is not enough; the lead unit works on to a new due date,
    never later than the legal deadline."""
    require({"reason": reason, "due_date": due_date})
    owed = _report_owed(case)
    row = obligations.send_back(owed, actor=actor, reason=reason, due_date=due_date, now=now, latest=legal_handle_due(case), check=False)
    # The new date is what the lead unit owes its report by (the obligation's). The case's
    # own deadline, told to the petitioner, never shrinks for it; it moves later only when
    # the assignment's earlier date is overtaken (and never past the legal deadline).
    fields = set()
    if case.handle_due is None or row.due_date > case.handle_due:
        case.handle_due = row.due_date
        fields.add("handle_due")
    return Change(S.IN_PROGRESS, note=reason, data={"obligation_id": owed.pk, "due_date": row.due_date.isoformat(),
                                                    "times": row.sent_back_count}, fields=fields)


def _start(case, actor, now, *, note=""):
    return Change(S.IN_PROGRESS, note=note)


def _extend(case, actor, now, *, days=None, reason=""):
    require({"days": days, "reason": reason})
    max_days = clock.limit("extend_max_days")
    try:
        days = int(days)
    except (TypeError, ValueError, OverflowError):
        raise Invalid("延期天数应为整数 / Days must be a whole number.", fields={"days": "整数 / Whole number."})
    if not 1 <= days <= max_days:
        raise Invalid(f"延期不得超过{max_days}日 / An extension is 1 to {max_days} days.", fields={"days": f"1–{max_days}"})
    old = case.handle_due
    due = clock.days_after(old, days)
    case.handle_due = due.date
    case.extended_days = days
    case.extension_reason = reason
    return Change(case.status, note=reason, public=True, data={"days": days, "from": old.isoformat(), "to": due.date.isoformat()},
                  fields={"handle_due", "extended_days", "extension_reason"} | _set_warnings(case, due))


def _reply(case, actor, now, *, outcome="", request_summary="", facts="", opinion="", legal_basis="", remedy="", settlement="",
           documents=()):
    """The written opinion (Art. 32). `documents`: uploaded files of the opinion as sent
    (a signed scan, a settlement agreement); they are the petitioner's to download on
    the public site, so nothing internal belongs here."""
    _check_documents(documents)
    return _answer(case, actor, now, outcome=outcome, request_summary=request_summary, facts=facts, opinion=opinion,
                   legal_basis=legal_basis, remedy=remedy, settlement=settlement, documents=documents)


def _check_documents(documents):
    if isinstance(documents, (str, bytes)) or any(not hasattr(d, "read") for d in documents):
        raise Invalid("答复文书须作为文件上传 / Reply documents must be uploaded files.", fields={"documents": "须为文件 / Files only."})


def _answer(case, signer, now, *, outcome, request_summary, facts, opinion, legal_basis, remedy, settlement, documents=(),
            stored=()):
    """What every written answer does, whoever signed it: the Reply row, its files
    (`documents` uploaded now, `stored` attachment ids already on the case), the
    delivery clock, and the status of its stage."""
    actor = signer
    _reply_fields(outcome, request_summary, facts, opinion)
    stage = _stage_of(case)
    if not remedy:
        remedy = _default_remedy(case, stage)
    reply = Reply.objects.create(case=case, stage=stage, unit=case.current_unit, outcome=outcome, request_summary=request_summary,
                                 facts=facts, opinion=opinion, legal_basis=legal_basis, remedy=remedy, settlement=settlement,
                                 signed_by=actor, replied_at=now)
    if documents:
        for upload in documents:
            attach(case=case, upload=upload, actor=actor, reply=reply)
    if stored:
        case.attachments.filter(pk__in=stored, reply__isnull=True).update(reply=reply)
    today = clock.as_date(now)
    data = {"reply_id": reply.pk, "outcome": outcome}
    if documents or stored:
        data["documents"] = len(documents) + len(stored)
    # The review (re-review) window runs from the day the petitioner receives the written
    # answer (Arts. 35-36), so it opens on delivery (_deliver); until then it is unknown
    # (待送达) and the answer is owed to the petitioner within deliver_days.
    deliver = clock.days_after(today, clock.limit("deliver_days"))
    case.deliver_due = deliver.date
    data["deliver_due"] = deliver.date.isoformat()
    fields = {"deliver_due"} | _set_warnings(case, deliver)
    if stage == Stage.HANDLING:
        case.replied_at = now
        case.replied_on_time = case.handle_due is None or today <= case.handle_due
        case.review_window_end = None
        return Change(S.REPLIED, note=opinion, public=True, data=data,
                      fields=fields | {"replied_at", "replied_on_time", "review_window_end"})
    if stage == Stage.REVIEW:
        case.reviewed_at = now
        case.re_review_window_end = None
        return Change(S.REVIEWED, note=opinion, public=True, data=data, fields=fields | {"reviewed_at", "re_review_window_end"})
    case.concluded_at = now
    return Change(S.CONCLUDED, note=opinion, public=True, data=data, fields=fields | {"concluded_at"})


def _has_notices(case):
    if not case_documents.notices_of(case).exists():
        return WrongState("本事项没有需要送达信访人的文书 / This case has no document for the petitioner to deliver.",
                          code="nothing_to_deliver")
    return None


def _deliver(case, actor, now, *, document=None, channel="", delivered_on=None, recipient="", note="", proof=None, reason=""):
    """送达: how and when a document of this case reached the petitioner, with its proof
    (documents/delivery.py keeps the rules of the record). A second record for the same
    document is a correction, with a reason; the old record stays. Delivering the
    written answer of a reply opens the review (re-review) window from that day, and a
    corrected date moves it."""
    require({"document": document, "channel": channel, "delivered_on": delivered_on})
    try:
        pk = int(document.pk if hasattr(document, "pk") else document)
    except (TypeError, ValueError):
        raise Invalid("文书编号应为整数 / The document id must be a whole number.", fields={"document": "整数 / Whole number."})
    item = Document.objects.filter(pk=pk).first()
    if item is None or not case_documents.is_of(item, case):
        raise Invalid("该文书不属于本事项 / This document is not one of this case's.", code="not_this_case",
                      fields={"document": "不是本事项的文书 / Not a document of this case."})
    record, previous = delivery.record(document=item, channel=channel, delivered_on=delivered_on, actor=actor, recipient=recipient,
                                       note=note, proof=proof, reason=reason, now=now)
    data = {"document_id": item.pk, "kind": item.kind, "kind_label": DocKind(item.kind).label, "number": item.number,
            "channel": record.channel, "delivered_on": record.delivered_on.isoformat(), "delivery_id": record.pk}
    audit_detail = {"document": item.pk, "delivery": record.pk}
    if previous is not None:
        data["corrected_from"] = previous.delivered_on.isoformat()
        audit_detail.update(corrected={"delivery": previous.pk, "channel": previous.channel,
                                       "delivered_on": previous.delivered_on.isoformat()}, reason=record.correction_reason)
    fields = _opens_window(case, item, record.delivered_on, data)
    return Change(case.status, note=record.correction_reason or record.note, public=True, data=data, fields=fields, audit=audit_detail)


def _opens_window(case, document, delivered_on, data):
    """When `document` is the written answer of a reply of this case, the window it opens
    counts from `delivered_on`; delivering the latest answer ends the delivery due."""
    reply_id = case_documents.reply_id_of(document)
    reply = case.replies.filter(pk=reply_id).first() if reply_id else None
    if reply is None:
        return set()
    fields = set()
    ends = []
    if reply.stage in (Stage.HANDLING, Stage.REVIEW):
        review = reply.stage == Stage.HANDLING
        name = "review_window_end" if review else "re_review_window_end"
        window = clock.days_after(delivered_on, clock.limit("review_window_days" if review else "re_review_window_days"))
        setattr(case, name, window.date)
        data[name] = window.date.isoformat()
        fields.add(name)
        ends.append(window)
    latest = case.replies.order_by("-replied_at", "-id").values_list("pk", flat=True).first()
    if latest == reply.pk and case.deliver_due is not None:
        case.deliver_due = None
        fields.add("deliver_due")
    if ends:
        fields |= _set_warnings(case, *ends)
    return fields


def _default_remedy(case, stage):
    days = clock.limit("review_window_days")
    if stage == Stage.HANDLING:
        return f"如不服本处理意见，可自收到本意见书之日起{days}日内请求原办理机关的上一级机关复查。"
    if stage == Stage.REVIEW:
        return f"如不服本复查意见，可自收到之日起{days}日内向复查机关的上一级机关请求复核。"
    return "本复核意见为终结意见，信访人以同一事实和理由再次提出的，不再受理。"


def _evaluate(case, actor, now, *, satisfaction="", comment="", channel=""):
    require({"satisfaction": satisfaction})
    if satisfaction not in Satisfaction.values:
        raise Invalid("评价应为满意、基本满意或不满意 / Satisfaction must be satisfied, basically or not_satisfied.",
                      fields={"satisfaction": "无此选项 / Not a valid choice."})
    if channel and channel not in Channel.values:
        raise Invalid("评价渠道不正确 / Unknown channel.", fields={"channel": "|".join(Channel.values)})
    reply = case.replies.order_by("-replied_at", "-id").first()
    Evaluation.objects.create(case=case, reply=reply, satisfaction=satisfaction, comment=comment, channel=channel, recorded_by=actor, at=now)
    case.satisfaction = satisfaction
    to = S.EVALUATED if case.status == S.REPLIED else case.status
    return Change(to, note=comment, public=True, data={"satisfaction": satisfaction, "reply_id": reply.pk}, fields={"satisfaction"})


def _close(case, actor, now, *, note=""):
    case.closed_at = now
    return Change(S.CLOSED, note=note, fields={"closed_at"})


def _higher_refusal(case, now, stage):
    """Why a review (or re-review) cannot be asked for now: its window has closed, or
    there is no unit above to ask. None when it can."""
    review = stage == Stage.REVIEW
    window_end = case.review_window_end if review else case.re_review_window_end
    word = "复查" if review else "复核"
    if window_end and clock.as_date(now) > window_end:
        return WrongState(f"已超过请求{word}期限（{window_end:%Y年%m月%d日}）/ The window to ask for {stage.replace('_', '-')} ended on {window_end}.",
                          code="window_closed")
    below = case.current_unit if review else case.review_unit
    if (below.review_unit if below else None) is None:
        return WrongState(f"没有可受理{word}的上一级机关 / There is no higher unit for a {stage.replace('_', '-')}.")
    return None


def _ask_higher(case, now, *, reasons, stage):
    """The petitioner asks the unit one level up to look again (review, Art. 35; or
    re-review, Art. 36), within the window opened by the last answer."""
    require({"reasons": reasons})
    review = stage == Stage.REVIEW
    if (why := _higher_refusal(case, now, stage)) is not None:
        raise why
    upper = (case.current_unit if review else case.review_unit).review_unit
    due = clock.days_after(now, clock.limit("review_answer_days" if review else "re_review_answer_days"))
    prefix = "review" if review else "re_review"
    setattr(case, f"{prefix}_requested_at", now)
    setattr(case, f"{prefix}_unit", upper)
    setattr(case, f"{prefix}_due", due.date)
    case.current_unit = upper
    case.current_unit_path = upper.path
    case.stage = stage
    return Change(S.REVIEW if review else S.RE_REVIEW, note=reasons, public=True,
                  data={"unit": upper.name, f"{prefix}_due": due.date.isoformat()},
                  fields={f"{prefix}_requested_at", f"{prefix}_unit", f"{prefix}_due", "current_unit", "current_unit_path", "stage"}
                  | _set_warnings(case, due))


def _review(case, actor, now, *, reasons=""):
    return _ask_higher(case, now, reasons=reasons, stage=Stage.REVIEW)


def _re_review(case, actor, now, *, reasons=""):
    return _ask_higher(case, now, reasons=reasons, stage=Stage.RE_REVIEW)


def _conclude(case, actor, now, *, note=""):
    case.concluded_at = now
    return Change(S.CONCLUDED, note=note, public=True, fields={"concluded_at"})


def _follow_up(case, actor, now, *, note="", method=""):
    require({"note": note})
    return Change(case.status, note=note, data={"method": method})


def _archive(case, actor, now, *, note="", retention=""):
    """归档: the case file (电子案卷) is built once this commits, in the background
    (cases/casefile.py); `retention` (保管期限) defaults by the kind of case."""
    retention = casefile.check_retention(retention) or casefile.default_retention(case)
    case.archived_at = now
    ensure_casefile(case, retention=retention)
    schedule_casefile(case, actor)
    return Change(S.ARCHIVED, note=note, data={"retention": retention}, fields={"archived_at"})


def _note(case, actor, now, *, note=""):
    require({"note": note})
    return Change(case.status, note=note)


def _merge(case, actor, now, *, into="", reason=MergeReason.REPEAT, note=""):
    """Join this case into the case numbered `into`: its petitions and attachments move
    there, and this case is left as 已并案. Nothing is lost: the event records what moved
    and how it was, so `split` puts it back."""
    require({"into": into})
    if reason not in MergeReason.values:
        raise Invalid("并案原因不正确 / Unknown reason for merging.", fields={"reason": "|".join(MergeReason.values)})
    try:
        target = get_case_for(actor, str(into).strip(), lock=True)
    except NotFound:
        raise Invalid("找不到要并入的信访事项或无权查看 / No such case to merge into, or not visible to you.",
                      fields={"into": "找不到该事项 / No such case."})
    if target.pk == case.pk:
        raise Invalid("不能并入本事项 / A case cannot be merged into itself.", fields={"into": "请选择其他事项 / Choose another case."})
    if target.status in (S.MERGED, S.ARCHIVED, S.VOIDED):
        raise WrongState(f"目标事项为“{target.get_status_display()}”，不能并入 / Cannot merge into a case that is {target.status}.")
    if _hides_material_from(case, actor):
        # Whoever may not know the accuser cannot judge that it is the same matter, and
        # must not decide where an accuser's material goes (Art. 30).
        raise NotAllowed("本事项含有对您单位保密的检举人信息或材料，不能由您并案，请交登记单位或纪检监察机关处理 / "
                         "This case holds an accuser's identity or material withheld from your unit: only the registering "
                         "office or the discipline organs may merge it.", code="shielded")
    moved = list(case.petitions.values_list("pk", "is_repeat", "headcount"))
    files = list(case.attachments.values_list("pk", flat=True))
    case.petitions.filter(pk__in=[pk for pk, _, _ in moved]).update(case=target, is_repeat=reason == MergeReason.REPEAT)
    case.attachments.filter(pk__in=files).update(case=target)
    Case.objects.filter(pk=target.pk).update(
        petition_count=F("petition_count") + len(moved), headcount=max([target.headcount] + [h for _, _, h in moved]),
        is_collective=target.is_collective or case.is_collective, version=F("version") + 1)
    label = MergeReason(reason).label
    CaseEvent.objects.create(case=target, action=Action.MERGE, at=now, actor=actor, actor_unit=actor.unit, from_status=target.status,
                             to_status=target.status, note=note or f"{case.number} 以{label}并入本事项",
                             data={"from": case.number, "from_case_id": case.pk, "reason": reason, "petitions": len(moved)})
    data = {"into": target.number, "into_case_id": target.pk, "reason": reason, "from_status": case.status,
            "petition_count": case.petition_count, "petitions": [[pk, repeat] for pk, repeat, _ in moved], "attachments": files}
    case.petition_count = 0
    # What was owed on this case (its report-back, supervision) is owed on the case it
    # joined, if anywhere: here it ends, so no list keeps chasing a merged case.
    for owed in case.obligations.filter(status__in=OBLIGATION_OPEN):
        obligations.cancel(owed, actor=actor, reason=f"并入 {target.number}", now=now, check=False)
    return Change(S.MERGED, note=note or f"以{label}并入 {target.number}", data=data, fields={"petition_count"})


def _split(case, actor, now, *, note=""):
    """Undo the last merge of this case: its petitions and attachments come back from the
    case they joined, and it returns to the status it had."""
    # The petitions and attachments are intake's: reached through the case's relations.
    Petition, Attachment = case.petitions.model, case.attachments.model
    event = next((e for e in case.events.filter(action=Action.MERGE).order_by("-at", "-id") if "into_case_id" in e.data), None)
    if event is None:
        raise WrongState("没有可撤销的并案记录 / There is no merge to undo.")
    data = event.data
    target = Case.objects.select_for_update().filter(pk=data["into_case_id"]).first()
    ids = [pk for pk, _ in data.get("petitions", [])]
    if target is None or Petition.objects.filter(pk__in=ids).exclude(case=target).exists():
        raise WrongState("并入的信访件已不在目标事项中（目标事项可能已再并案），请先撤销后来的并案 / "
                         "The petitions are no longer in the case they joined; undo the later merge first.")
    for pk, was_repeat in data.get("petitions", []):
        Petition.objects.filter(pk=pk).update(case=case, is_repeat=was_repeat)
    Attachment.objects.filter(pk__in=data.get("attachments", [])).update(case=case)
    left = target.petitions.exclude(pk__in=ids)
    Case.objects.filter(pk=target.pk).update(
        petition_count=F("petition_count") - len(ids), headcount=max([1] + list(left.values_list("headcount", flat=True))),
        version=F("version") + 1)
    CaseEvent.objects.create(case=target, action=Action.SPLIT, at=now, actor=actor, actor_unit=actor.unit, from_status=target.status,
                             to_status=target.status, note=note or f"撤销 {case.number} 的并案",
                             data={"from": case.number, "from_case_id": case.pk, "petitions": len(ids)})
    case.petition_count = data.get("petition_count", len(ids))
    return Change(data.get("from_status") or S.REGISTERED, note=note or f"撤销并入 {data.get('into', '')}",
                  data={"from": data.get("into"), "into_case_id": target.pk, "petitions": len(ids)}, fields={"petition_count"})


# What a correction (更正) may change: the registered facts of the petition that opened
# the case. Petitioners' personal data and the receiving unit are not among them (a
# wrong unit is voided and registered again).
CORRECTABLE = {
    "received_at": "收到时间", "channel": "渠道", "title": "标题", "content": "信访内容", "kind": "信访性质",
    "category": "问题类别", "headcount": "人数", "accused_unit": "被检举控告单位", "accused_post": "被检举控告职务或部门",
    "agent_name": "代办人", "agent_role": "代办人身份", "referral_from": "转送来源",
}


def _shown(name, value):
    """A registered value as the timeline and the audit record show it."""
    if value in (None, ""):
        return ""
    if name == "received_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if name == "channel":
        return Channel(value).label if value in Channel.values else str(value)
    if name == "kind":
        return Kind(value).label if value in Kind.values else str(value)
    if name == "accused_unit":
        return f"{value.name}（{value.code}）"
    return str(value)


COLLECTIVE_HEADCOUNT = 5  # as intake.choices (Art. 20): five or more people in one visit


def _check_correction(case, petition, values, *, confirm):
    """The checks registration makes, on the corrected values of one registered petition
    (cases does not import intake: the category is found through the case's relation).
    Returns the cleaned values and `late`; raises Invalid naming every field at fault."""
    errors, out = {}, {}
    if values["channel"] not in Channel.values:
        errors["channel"] = "|".join(Channel.values)
    if values["kind"] not in Kind.values:
        errors["kind"] = "|".join(Kind.values)
    for name, size in (("title", 200), ("content", 100_000)):
        out[name] = str(values[name] or "").strip()
        if not out[name]:
            errors[name] = "不能为空 / Required."
        elif len(out[name]) > size:
            errors[name] = f"不超过{size}字 / At most {size} characters."
    for name, size in (("agent_name", 40), ("agent_role", 40), ("referral_from", 100), ("accused_post", 100)):
        out[name] = str(values[name] or "").strip()
        if len(out[name]) > size:
            errors[name] = f"不超过{size}字 / At most {size} characters."
    received = values["received_at"]
    if isinstance(received, str):
        try:
            received = parse_datetime(received)
        except ValueError:
            received = None
    late = False
    if not isinstance(received, datetime.datetime):
        errors["received_at"] = "时间格式不正确 / Not a valid date and time."
    else:
        received, late, wrong = clock.check_received(received, entered_at=petition.registered_at, confirm_late=confirm)
        errors.update(wrong)
    out["received_at"] = received
    category = values["category"]
    if category not in (None, "") and not hasattr(category, "pk"):
        model = Case._meta.get_field("category").related_model
        category = model.objects.filter(code=str(values["category"]), is_active=True).first()
        if category is None:
            errors["category"] = "问题类别不存在 / Unknown category."
    out["category"] = category or None
    try:
        out["headcount"] = int(values["headcount"] or 1)
        if not 1 <= out["headcount"] <= 100_000:
            raise ValueError
    except (TypeError, ValueError):
        errors["headcount"] = "人数应为正整数 / Headcount must be a positive whole number."
    accused = values["accused_unit"] or None
    if accused is not None and not isinstance(accused, Unit):
        accused = Unit.objects.filter(code=str(accused), is_active=True).first()
        if accused is None:
            errors["accused_unit"] = "被检举控告单位不存在 / Unknown accused unit."
    if (accused is not None or out["accused_post"]) and values["kind"] != Kind.ACCUSATION:
        errors["accused_unit"] = "只有检举控告件填写被检举控告对象 / Only an accusation names who is accused."
    out["accused_unit"] = accused
    if errors:
        raise Invalid("更正内容有误，请检查标示的项目 / Some corrected fields need attention.", fields=errors)
    out["late"] = late
    return out


def _correct(case, actor, now, *, reason="", confirm_late=False, received_at=None, channel="", title="", content="", kind="",
             category="", headcount=None, accused_unit="", accused_post="", agent_name="", agent_role="", referral_from=""):
    """更正: put right what was registered wrongly in the petition that opened the case,
    with the reason. The old values stay on the timeline and the audit record; the
    clocks that run from what changed are computed again. Blank parameters leave a
    field as it is."""
    require({"reason": reason})
    petition = (case.petitions.select_related("category", "receiving_unit", "accused_unit").order_by("received_at", "id").first())
    if petition is None:
        raise WrongState("本事项没有可更正的信访件 / This case has no petition to correct.")
    given = {"received_at": received_at, "channel": channel, "title": title, "content": content, "kind": kind, "category": category,
             "headcount": headcount, "accused_unit": accused_unit, "accused_post": accused_post, "agent_name": agent_name,
             "agent_role": agent_role, "referral_from": referral_from}
    given = {k: v for k, v in given.items() if v not in (None, "")}
    current = {name: getattr(petition, name) for name in CORRECTABLE}
    merged = {**current, **given}
    if merged["kind"] != Kind.ACCUSATION:
        # Only an accusation names who is accused: a kind corrected away from it drops them.
        merged.update(accused_unit=None, accused_post="")
    same_time = "received_at" not in given
    confirm = str(confirm_late).lower() in ("1", "true", "on", "yes") or (same_time and petition.is_late_entry)
    clean = _check_correction(case, petition, merged, confirm=confirm)
    new = {**merged, **clean}
    changes = {name: [_shown(name, current[name]), _shown(name, new[name])] for name in CORRECTABLE
               if _shown(name, current[name]) != _shown(name, new[name])}
    if not changes:
        raise Invalid("没有需要更正的内容 / Nothing differs from what is registered.", fields={"reason": "未改动任何登记项 / No field changed."})
    for name in CORRECTABLE:
        setattr(petition, name, new[name])
    petition.is_late_entry = clean.pop("late")
    petition.save(update_fields=set(CORRECTABLE) | {"is_late_entry"})

    fields = set()
    data = {"petition_id": petition.pk, "changes": changes}
    for name in ("title", "kind", "category", "received_at", "accused_unit", "accused_post"):
        setattr(case, name, new[name])
    case.is_late_entry = petition.is_late_entry
    case.headcount = max(case.petitions.exclude(pk=petition.pk).values_list("headcount", flat=True), default=0)
    case.headcount = max(case.headcount, new["headcount"])
    case.is_collective = case.petitions.filter(channel=Channel.VISIT, headcount__gte=COLLECTIVE_HEADCOUNT).exists()
    fields |= {"title", "kind", "category", "received_at", "accused_unit", "accused_post", "is_late_entry", "headcount", "is_collective"}
    ends = []
    if "received_at" in changes and case.status in DECIDE_FROM and case.current_unit_id == case.unit_id:
        # The decision clock runs from receipt while the case is with the registering unit.
        due = clock.decide_due(new["received_at"])
        data["decide_due"] = [case.decide_due.isoformat() if case.decide_due else "", due.date.isoformat()]
        case.decide_due = due.date
        fields.add("decide_due")
        ends.append(due)
    if "kind" in changes and case.accepted_at and case.status in (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS):
        def legal(kind):
            end = clock.handle_due(case.accepted_at, kind)
            return clock.days_after(end.date, case.extended_days) if case.extended_days else end

        old_end, new_end = legal(current["kind"]), legal(new["kind"])
        # An assignment's tighter due date stays, unless the new legal limit is tighter still.
        due = new_end.date if case.handle_due == old_end.date else min(case.handle_due, new_end.date)
        data["handle_due"] = [case.handle_due.isoformat() if case.handle_due else "", due.isoformat()]
        case.handle_due = due
        fields.add("handle_due")
        ends.append(new_end)
    if ends:
        fields |= _set_warnings(case, *ends)
    return Change(case.status, note=reason, data=data, fields=fields, audit={"changes": changes, "reason": reason})


def _voidable(case):
    """A registration is voided only while it has not left the registering unit and no
    repeat petition has joined it (a duplicate with repeats is merged instead)."""
    if case.current_unit_id != case.unit_id:
        return WrongState("本事项已离开登记单位，不能作废 / The case has left the registering unit and can no longer be voided.",
                          code="left_registering_unit")
    if case.petition_count > 1:
        return WrongState("已有重复信访并入本事项，不能作废，请改用并案 / Repeat petitions joined this case: merge it instead of voiding it.",
                          code="has_repeats")
    return None


def _void(case, actor, now, *, reason="", duplicate_of=""):
    """作废: a duplicate or mistaken registration leaves every list, work queue and
    figure. Its number stays used (numbers are never handed out twice) and the case
    page still opens, showing why. Only while nothing has been decided on it: a case
    accepted, forwarded or answered has told the petitioner something, and is merged
    (a duplicate) or carried on instead (docs/decisions.md)."""
    require({"reason": reason})
    data = {}
    if duplicate_of := str(duplicate_of or "").strip():
        try:
            original = get_case_for(actor, duplicate_of)
        except NotFound:
            raise Invalid("找不到所重复的信访事项或无权查看 / No such case, or not visible to you.",
                          fields={"duplicate_of": "找不到该事项 / No such case."})
        if original.pk == case.pk:
            raise Invalid("不能与本事项重复 / A case cannot duplicate itself.", fields={"duplicate_of": "请填写其他事项 / Another case."})
        data["duplicate_of"] = original.number
    case.voided_at = now
    return Change(S.VOIDED, note=reason, data=data, fields={"voided_at"})


R = Role
DECIDE_FROM = (S.REGISTERED, S.FORWARDED)
ANSWERED = (S.REPLIED, S.EVALUATED, S.CLOSED, S.REVIEWED, S.CONCLUDED)

FLOWS = {
    f.action: f
    for f in [
        Flow(Action.ACCEPT, DECIDE_FROM, (R.REGISTRAR, R.HEAD), _current, _accept),
        Flow(Action.DECLINE, DECIDE_FROM, (R.REGISTRAR, R.HEAD), _current, _decline),
        Flow(Action.REFUSE, DECIDE_FROM, (R.REGISTRAR, R.HEAD), _current, _refuse),
        Flow(Action.FORWARD, DECIDE_FROM, (R.REGISTRAR, R.HEAD), _current, _forward),
        Flow(Action.ASSIGN, (S.ACCEPTED,), (R.REGISTRAR, R.HEAD), _current, _assign),
        Flow(Action.RETURN, (S.FORWARDED, S.ASSIGNED, S.IN_PROGRESS), (R.HEAD, R.HANDLER), _current, _return),
        Flow(Action.START, (S.ACCEPTED, S.ASSIGNED), (R.HANDLER, R.HEAD), _current, _start),
        Flow(Action.PROGRESS, (S.IN_PROGRESS, S.REVIEW, S.RE_REVIEW), (R.HANDLER, R.HEAD), _current, _progress),
        Flow(Action.ASSIST, (S.ASSIGNED, S.IN_PROGRESS), (R.HANDLER, R.HEAD), _assisting_pending, _assist),
        Flow(Action.DRAFT, (S.IN_PROGRESS, S.REVIEW, S.RE_REVIEW), (R.HANDLER, R.HEAD), _current, _draft),
        Flow(Action.EXTEND, (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS), (R.HEAD,), _current, _extend, _not_extended),
        Flow(Action.SIGN, (S.IN_PROGRESS, S.REVIEW, S.RE_REVIEW), (R.HEAD,), _current, _sign, _sign_guard),
        Flow(Action.REPLY, (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REVIEW, S.RE_REVIEW), (R.HEAD,), _current, _reply, _answers_directly),
        Flow(Action.REPORT, (S.IN_PROGRESS,), (R.HEAD,), _current, _report, _owes_report),
        Flow(Action.APPROVE, (S.REPORTED,), (R.HEAD, R.SUPERVISOR), _report_creditor, _approve),
        Flow(Action.SEND_BACK, (S.REPORTED,), (R.HEAD, R.SUPERVISOR), _report_creditor, _send_back),
        Flow(Action.EVALUATE, ANSWERED, (R.REGISTRAR, R.HANDLER, R.HEAD), _current_or_registering, _evaluate, _not_evaluated),
        Flow(Action.CLOSE, (S.REPLIED, S.EVALUATED), (R.HEAD, R.REGISTRAR), _current_or_registering, _close),
        Flow(Action.REVIEW, (S.REPLIED, S.EVALUATED, S.CLOSED), (R.REGISTRAR, R.HEAD), _review_receiver, _review),
        Flow(Action.RE_REVIEW, (S.REVIEWED,), (R.REGISTRAR, R.HEAD), _re_review_receiver, _re_review),
        Flow(Action.CONCLUDE, (S.REVIEWED,), (R.HEAD,), _current_or_registering, _conclude),
        Flow(Action.FOLLOW_UP, ANSWERED, (R.HANDLER, R.HEAD, R.REGISTRAR), _involved, _follow_up),
        Flow(Action.ARCHIVE, (S.CLOSED, S.CONCLUDED, S.DECLINED, S.REFUSED), (R.REGISTRAR, R.HEAD), _current_or_registering, _archive),
        Flow(Action.MERGE, tuple(v for v in Status.values if v not in (S.MERGED, S.ARCHIVED, S.VOIDED)), (R.REGISTRAR, R.HEAD),
             _current, _merge),
        Flow(Action.SPLIT, (S.MERGED,), (R.REGISTRAR, R.HEAD), _current, _split),
        Flow(Action.CORRECT, tuple(v for v in Status.values if v not in (S.MERGED, S.ARCHIVED, S.VOIDED)), (R.REGISTRAR, R.HEAD),
             _registering, _correct),
        Flow(Action.VOID, (S.REGISTERED,), (R.REGISTRAR, R.HEAD), _registering, _void, _voidable),
        Flow(Action.DELIVER, tuple(v for v in Status.values if v not in (S.MERGED, S.ARCHIVED, S.VOIDED)),
             (R.REGISTRAR, R.HANDLER, R.HEAD), _involved, _deliver, _has_notices),
        Flow(Action.NOTE, tuple(Status.values), (R.REGISTRAR, R.HANDLER, R.HEAD, R.LEADER, R.SUPERVISOR),
             _involved, _note),
    ]
}


def _wrong_state(case, action):
    return WrongState(f"事项当前为“{case.get_status_display()}”，不能{Action(action).label} / "
                      f"Action '{action}' is not allowed while the case is '{case.status}'.")


def refusal(case, action, user):
    """Why `user` may not take `action` on `case` now, or None when they may."""
    flow = FLOWS.get(action)
    if flow is None:
        return Invalid(f"未知操作 {action} / Unknown action.", code="unknown_action")
    if case.status not in flow.sources:
        return _wrong_state(case, action)
    if not user.has_role(*flow.roles):
        needed = "、".join(Role(r).label for r in flow.roles)
        return NotAllowed(f"需要{needed}角色才能{Action(action).label} / Your role may not {action} cases.")
    if user.unit_id is None or not (user.unit.acts_for & flow.units(case)):
        return NotAllowed(f"本事项当前不由您的单位办理，不能{Action(action).label} / This case is not with your unit for this step.")
    return flow.guard(case) if flow.guard else None


def allowed_actions(case, user):
    """The actions `user` may take on `case` now, in the order of the FLOWS table."""
    return [a for a in FLOWS if a != Action.NOTE and refusal(case, a, user) is None]


def get_case_for(user, number, *, lock=False):
    pk = Case.objects.visible_to(user).filter(number=number).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound("找不到该信访事项或无权查看 / No such case, or not visible to you.")
    qs = Case.objects.select_for_update(of=("self",)) if lock else Case.objects
    return qs.select_related("current_unit", "unit", "review_unit", "accused_unit").get(pk=pk)


def _parameters(apply):
    """The keyword parameters an action takes (those after `*` in its signature)."""
    return {name for name, p in inspect.signature(apply).parameters.items() if p.kind == p.KEYWORD_ONLY}


def action_parameters(action):
    flow = FLOWS.get(action)
    return sorted(_parameters(flow.apply)) if flow else []


def perform(*, case, action, actor, version=None, ip=None, **params):
    """Take one action on a case. Raises a ServiceError and changes nothing when the
    action is unknown, not allowed in this state, not allowed for this user, stale
    (`version` given and the case has moved on), or its parameters are wrong."""
    with transaction.atomic():
        locked = get_case_for(actor, case.number if isinstance(case, Case) else case, lock=True)
        if version is not None and int(version) != locked.version:
            raise Conflict("该事项已被他人处理，请刷新后重试 / Someone else changed this case; reload and try again.")
        if (why := refusal(locked, action, actor)) is not None:
            raise why
        _apply(locked, action, actor=actor, params=params, ip=ip)
    return locked


def _apply(locked, action, *, actor, params, ip, by=None):
    """Run one FLOWS row on a locked, checked case: the effect, the status, the clock,
    the timeline event and the audit entry. `by` marks who acted when it was not staff."""
    flow = FLOWS[action]
    if unknown := set(params) - _parameters(flow.apply):
        raise Invalid(f"“{Action(action).label}”不接受这些参数 / Not parameters of {action}: {', '.join(sorted(unknown))}",
                      code="bad_parameters", fields={name: "不支持此参数 / Not a parameter of this action." for name in unknown})
    now = timezone.now()
    from_status = locked.status
    params = clean_deep(params)  # no text that cannot go into a file (lib/text.py)
    change = flow.apply(locked, actor, now, **params)
    locked.status = change.to_status
    locked.refresh_due()
    locked.version = F("version") + 1
    locked.save(update_fields=change.fields | {"status", "due_date", "due_kind", "version", "updated_at"})
    locked.refresh_from_db(fields=["version"])
    event = CaseEvent.objects.create(case=locked, action=action, at=now, actor=actor, actor_unit=actor.unit if actor else None,
                                     from_status=from_status, to_status=change.to_status, note=change.note,
                                     data={**change.data, **(by or {})}, public=change.public)
    paperwork.issue_for(locked, action, event=event, actor=actor)  # the written documents of this step (paperwork.py)
    audit(actor=actor, action=f"case.{action}", obj=locked,
          detail={"from": from_status, "to": change.to_status, **change.audit, **(by or {})}, ip=ip)
    transaction.on_commit(partial(notices.after_step, event.pk))  # the petitioners' SMS, the staff's notifications (notices.py)
    return locked


# --- the petitioner's own moves -------------------------------------------------------

# What a petitioner may do without staff (online, with their query code), and the
# parameters each takes: evaluate a reply, ask for review or re-review (Arts. 32, 35, 36).
PETITIONER_ACTIONS = {
    Action.EVALUATE: {"satisfaction", "comment"},
    Action.REVIEW: {"reasons"},
    Action.RE_REVIEW: {"reasons"},
}


def petitioner_refusal(case, action, *, now=None):
    """Why the petitioner may not take `action` on `case` now, or None when they may.
    The same FLOWS states and guards as staff, plus the review windows checked up front,
    so a page can say why before anyone types their reasons."""
    if action not in PETITIONER_ACTIONS:
        return NotAllowed(f"信访人不能进行此操作 / A petitioner may not {action} a case.")
    flow = FLOWS[action]
    if case.status not in flow.sources:
        return _wrong_state(case, action)
    if flow.guard and (why := flow.guard(case)) is not None:
        return why
    if action in (Action.REVIEW, Action.RE_REVIEW):
        stage = Stage.REVIEW if action == Action.REVIEW else Stage.RE_REVIEW
        return _higher_refusal(case, now or timezone.now(), stage)
    return None


def _lock_for_petitioner(case):
    """The case (or its id) locked for a step the petitioner takes: found by id, not
    through a staff member's scope."""
    pk = case.pk if isinstance(case, Case) else case
    locked = (Case.objects.select_for_update(of=("self",)).filter(pk=pk)
              .select_related("current_unit", "unit", "review_unit").first())
    if locked is None:
        raise NotFound("找不到该信访事项 / No such case.")
    return locked


def perform_as_petitioner(*, case, action, channel=Channel.ONLINE, ip=None, **params):
    """The petitioner takes one of PETITIONER_ACTIONS on their case through the FLOWS
    table, with no staff actor: the event has actor=None and data {"by": "petitioner",
    "channel": channel}. Callers prove the person is the petitioner (the portal's query
    code); this function only keeps the table's rules."""
    with transaction.atomic():
        locked = _lock_for_petitioner(case)
        if (why := petitioner_refusal(locked, action)) is not None:
            raise why
        if unknown := set(params) - PETITIONER_ACTIONS[action]:
            raise Invalid(f"不接受这些参数 / Not parameters of {action}: {', '.join(sorted(unknown))}", code="bad_parameters",
                          fields={name: "不支持此参数 / Not a parameter of this action." for name in unknown})
        if action == Action.EVALUATE:
            params["channel"] = channel
        _apply(locked, action, actor=None, params=params, ip=ip, by={"by": "petitioner", "channel": channel})
    return locked


def deliver_on_download(*, case, document, ip=None):
    """The petitioner opened (downloaded) a notice on the portal with their query code:
    that is online delivery (网上送达) on that day, recorded through the same row of the
    table as staff would, unless the document has a delivery record already. Callers
    prove the person is the petitioner. Returns the new record, or None."""
    with transaction.atomic():
        locked = _lock_for_petitioner(case)
        if locked.status not in FLOWS[Action.DELIVER].sources or not document.for_petitioner or not case_documents.is_of(document, locked):
            return None
        if delivery.current(document) is not None:
            return None
        _apply(locked, Action.DELIVER, actor=None, ip=ip, by={"by": "petitioner", "channel": "online"},
               params={"document": document.pk, "channel": DeliveryChannel.ONLINE, "delivered_on": clock.as_date(timezone.now()),
                       "note": "信访人凭查询码在网上查阅下载"})
    return delivery.current(document)


def next_number(unit, year):
    """The next case number of a unit for a year: gapless, unique under concurrency."""
    return f"{unit.code}-{year}-{next_value(CaseNumberSequence, unit=unit, year=year):05d}"
