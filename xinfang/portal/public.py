"""A case as its petitioner may see it: status in plain words, every legal deadline and
whether it was kept, the written replies, their own evaluations and the next step they
may take. Built field by field from an allow-list, so nothing internal (notes,
instructions, routing inside the government, staff names, other people) can leak by
being added to a model later. The page and the API show this same dictionary."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinfang.cases.choices import Action, Kind, Stage, Status
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.case_documents import notices_of
from xinfang.cases.services import petitioner_refusal
from xinfang.documents import delivery
from xinfang.intake.models import Attachment

from .services import review_action

S = Status
STATUS = {
    S.REGISTERED: gettext_lazy("已登记，等待受理"),
    S.FORWARDED: gettext_lazy("已转送有权处理的单位"),
    S.ACCEPTED: gettext_lazy("已受理，正在办理"),
    S.ASSIGNED: gettext_lazy("已受理，正在办理"),
    S.IN_PROGRESS: gettext_lazy("已受理，正在办理"),
    # The lead unit's result report waits for the assigning unit's review (待审核): to the
    # petitioner the matter is still being handled, and the answer is still owed.
    S.REPORTED: gettext_lazy("已受理，正在办理"),
    S.DECLINED: gettext_lazy("不予受理"),
    S.REFUSED: gettext_lazy("不再受理"),
    S.REPLIED: gettext_lazy("已书面答复"),
    S.EVALUATED: gettext_lazy("已答复，已评价"),
    S.CLOSED: gettext_lazy("已办结"),
    S.REVIEW: gettext_lazy("复查中"),
    S.REVIEWED: gettext_lazy("已作出复查意见"),
    S.RE_REVIEW: gettext_lazy("复核中"),
    S.CONCLUDED: gettext_lazy("已终结"),
    S.ARCHIVED: gettext_lazy("已办结归档"),
}
KIND = {Kind.SUGGESTION: gettext_lazy("建议意见"), Kind.ACCUSATION: gettext_lazy("检举控告"), Kind.GRIEVANCE: gettext_lazy("申诉求决")}
OUTCOME = {"support": gettext_lazy("支持"), "explain": gettext_lazy("解释"), "not_support": gettext_lazy("不支持")}
SATISFACTION = {"satisfied": gettext_lazy("满意"), "basically": gettext_lazy("基本满意"), "not_satisfied": gettext_lazy("不满意")}
STAGE = {Stage.HANDLING: gettext_lazy("处理意见"), Stage.REVIEW: gettext_lazy("复查意见"), Stage.RE_REVIEW: gettext_lazy("复核意见")}
GUIDED = {"litigation": gettext_lazy("诉讼"), "arbitration": gettext_lazy("仲裁"), "reconsideration": gettext_lazy("行政复议"),
          "party_appeal": gettext_lazy("党员申诉"), "discipline": gettext_lazy("纪检监察"), "other": gettext_lazy("其他法定途径")}
STEP = {
    Action.REGISTER: gettext_lazy("登记"),
    Action.ACCEPT: gettext_lazy("受理"),
    Action.DECLINE: gettext_lazy("不予受理"),
    Action.REFUSE: gettext_lazy("不再受理"),
    Action.FORWARD: gettext_lazy("转送"),
    Action.EXTEND: gettext_lazy("延长办理期限"),
    Action.REPLY: gettext_lazy("书面答复"),
    Action.SIGN: gettext_lazy("书面答复"),  # a reply signed from the handler's draft
    Action.APPROVE: gettext_lazy("书面答复"),  # an assigned case's answer, given when its result report is accepted
    Action.EVALUATE: gettext_lazy("满意度评价"),
    Action.REVIEW: gettext_lazy("申请复查"),
    Action.RE_REVIEW: gettext_lazy("申请复核"),
    Action.CONCLUDE: gettext_lazy("终结"),
    Action.DELIVER: gettext_lazy("送达"),
}
# The petitioner is told of the written answer, not of the review between units that
# preceded it (审核通过 of an assigned case's result report).
PUBLIC_ACTION = {Action.APPROVE: Action.REPLY}
CHANNEL = {"online": gettext_lazy("网上送达"), "post": gettext_lazy("邮寄送达"), "in_person": gettext_lazy("直接送达"),
           "announced": gettext_lazy("公告送达")}
# The notices a petitioner receives, by kind (documents.kinds.FOR_PETITIONER).
NOTICE_KIND = {"accept_notice": gettext_lazy("受理告知书"), "decline_notice": gettext_lazy("不予受理告知书"),
               "forward_notice": gettext_lazy("转送告知书"), "extension_notice": gettext_lazy("延期告知书"),
               "opinion": gettext_lazy("信访处理意见书"), "review_opinion": gettext_lazy("复查意见书"),
               "re_review_opinion": gettext_lazy("复核意见书"), "refuse_notice": gettext_lazy("不再受理告知书")}


def day(value):
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _deadline(name, label, due, done_at, today, *, window=False, detail=""):
    """One legal date: kept / late once the step is done; open / overdue before."""
    done = timezone.localdate(done_at) if done_at else None
    if window:
        state = "window_used" if done else ("window_open" if today <= due else "window_closed")
    elif done:
        state = "kept" if done <= due else "late"
    else:
        state = "open" if today <= due else "overdue"
    text = {
        "kept": _("按期完成（%(date)s）") % {"date": day(done)},
        "late": _("超期完成（%(date)s）") % {"date": day(done)},
        "open": _("剩余%(days)s天") % {"days": (due - today).days},
        "overdue": _("已超期%(days)s天，尚未完成") % {"days": (today - due).days},
        "window_open": _("您可在此日期前提出"),
        "window_used": _("您已于%(date)s提出") % {"date": day(done)},
        "window_closed": _("期限已过"),
    }[state]
    return {"name": name, "label": str(label), "due": due, "done_at": done_at, "state": state, "state_text": text, "detail": str(detail)}


def _pending_window(name, label, limit, asked_at):
    """A review (re-review) window whose written answer is not yet delivered: it runs from
    the day the petitioner receives it (Arts. 35-36), so it has no date yet (待送达); or
    the petitioner asked before delivery was recorded (the window had not even begun)."""
    if asked_at:
        return {"name": name, "label": str(label), "due": None, "done_at": asked_at, "state": "window_used",
                "state_text": _("您已于%(date)s提出") % {"date": day(timezone.localdate(asked_at))}, "detail": ""}
    days = settings.XINFANG_LIMITS[limit]
    return {"name": name, "label": str(label), "due": None, "done_at": None, "state": "pending_delivery",
            "state_text": _("待送达：自您收到书面答复之日起%(days)s日内可以提出") % {"days": days}, "detail": ""}


def deadlines(case, today, *, extended_from=None):
    """Every legal date of the case, in the order they come: decide, answer (with its
    extension, Art. 34), the review window and answer, the re-review window and answer.
    `extended_from`: the answer date before the extension, from the timeline."""
    out = []
    if case.decide_due:
        out.append(_deadline("decide", _("告知是否受理"), case.decide_due, case.decided_at, today))
    if case.handle_due:
        label, detail = _("办理并书面答复"), ""
        if case.extended_days:
            label = _("办理并书面答复（已延长%(days)s天）") % {"days": case.extended_days}
            if extended_from:
                detail = _("原期限%(from)s，经批准延长至%(to)s，延长理由：%(reason)s") % {
                    "from": day(extended_from), "to": day(case.handle_due), "reason": case.extension_reason}
            else:
                detail = _("经批准延长至%(to)s，延长理由：%(reason)s") % {"to": day(case.handle_due), "reason": case.extension_reason}
        out.append(_deadline("handle", label, case.handle_due, case.replied_at, today, detail=detail))
    if case.review_window_end:
        out.append(_deadline("review_window", _("申请复查"), case.review_window_end, case.review_requested_at, today, window=True))
    elif case.replied_at:
        out.append(_pending_window("review_window", _("申请复查"), "review_window_days", case.review_requested_at))
    if case.review_due:
        out.append(_deadline("review", _("复查机关答复"), case.review_due, case.reviewed_at, today))
    if case.re_review_window_end:
        out.append(_deadline("re_review_window", _("申请复核"), case.re_review_window_end, case.re_review_requested_at, today,
                             window=True))
    elif case.reviewed_at:
        out.append(_pending_window("re_review_window", _("申请复核"), "re_review_window_days", case.re_review_requested_at))
    if case.re_review_due:
        done = case.concluded_at if case.re_review_requested_at else None
        out.append(_deadline("re_review", _("复核机关答复"), case.re_review_due, done, today))
    return out


def status_text(case):
    """The status in one plain sentence with its date."""
    S_ = Status
    unit = case.current_unit.name if case.current_unit_id else ""
    if case.status in (S_.REGISTERED, S_.FORWARDED):
        return _("%(unit)s将在%(date)s前告知您是否受理。") % {"unit": unit, "date": day(case.decide_due)}
    if case.status in (S_.ACCEPTED, S_.ASSIGNED, S_.IN_PROGRESS, S_.REPORTED):
        return _("您的事项已受理，正在办理，将在%(date)s前书面答复您。") % {"date": day(case.handle_due)}
    if case.status == S_.DECLINED:
        return _("您的事项不予受理，理由和可以采取的途径见下方的告知。")
    if case.status == S_.REFUSED:
        return _("同一事实和理由已经处理终结或正在办理，不再受理。")
    if case.status in (S_.REPLIED, S_.EVALUATED, S_.CLOSED):
        if case.review_window_end:
            return _("已作出书面答复。如不服，可在%(date)s前请求上一级机关复查。") % {"date": day(case.review_window_end)}
        if not case.review_requested_at:
            return _("已作出书面答复，待送达。如不服，可自收到之日起%(days)s日内请求上一级机关复查。") % {
                "days": settings.XINFANG_LIMITS["review_window_days"]}
        return _("已作出书面答复。")
    if case.status == S_.REVIEW:
        return _("%(unit)s正在复查，将在%(date)s前答复您。") % {"unit": unit, "date": day(case.review_due)}
    if case.status == S_.REVIEWED:
        if not case.re_review_window_end:
            return _("已作出复查意见，待送达。如不服，可自收到之日起%(days)s日内请求复核。") % {
                "days": settings.XINFANG_LIMITS["re_review_window_days"]}
        return _("已作出复查意见。如不服，可在%(date)s前请求复核。") % {"date": day(case.re_review_window_end)}
    if case.status == S_.RE_REVIEW:
        return _("%(unit)s正在复核，将在%(date)s前答复您。") % {"unit": unit, "date": day(case.re_review_due)}
    if case.status == S_.CONCLUDED:
        return _("复核意见为终结意见；以同一事实和理由再次提出的，不再受理。")
    return _("您的事项已办结。")


def _event_text(event, case):
    data = event.data or {}
    a = event.action
    if a == Action.REGISTER:
        return _("网上提交，已登记") if data.get("by") == "petitioner" else _("已登记")
    if a == Action.ACCEPT and data.get("handle_due"):
        return _("办理期限至%(date)s") % {"date": day(datetime.date.fromisoformat(data["handle_due"]))}
    if a == Action.FORWARD and data.get("unit_name"):
        return _("转送%(unit)s处理") % {"unit": data["unit_name"]}
    if a == Action.EXTEND and data.get("days"):
        return _("延长%(days)s天，理由：%(reason)s") % {"days": data["days"], "reason": case.extension_reason}
    if a in (Action.REPLY, Action.SIGN, Action.APPROVE) and data.get("outcome") in OUTCOME:
        return _("处理意见：%(outcome)s") % {"outcome": OUTCOME[data["outcome"]]}
    if a == Action.EVALUATE and data.get("satisfaction") in SATISFACTION:
        return str(SATISFACTION[data["satisfaction"]])
    if a == Action.DELIVER and data.get("kind") in NOTICE_KIND:
        return _("%(kind)s %(number)s，%(channel)s，送达日期%(date)s") % {
            "kind": NOTICE_KIND[data["kind"]], "number": data.get("number", ""), "channel": CHANNEL.get(data.get("channel"), ""),
            "date": day(datetime.date.fromisoformat(data["delivered_on"]))}
    if a in (Action.REVIEW, Action.RE_REVIEW) and data.get("unit"):
        return _("受理机关：%(unit)s") % {"unit": data["unit"]}
    return ""


def _why_not(case, action, error):
    """The reason a step is not open, in the petitioner's words where the table's own
    message would read as jargon; dated messages (a closed window) pass through."""
    S_ = Status
    if error.code == "already_evaluated":
        return _("您已评价过最新的书面答复。")
    if error.code == "window_closed":
        return error.message
    if action == Action.EVALUATE:
        if case.status in (S_.REVIEW, S_.RE_REVIEW):
            return _("上一级机关作出答复后，可以评价该答复。")
        if case.status in (S_.DECLINED, S_.REFUSED):
            return _("本事项未受理，没有可评价的答复。")
        if case.status == S_.ARCHIVED:
            return _("本事项已办结归档。")
        return _("书面答复作出后才能评价。")
    if case.status in (S_.REVIEW, S_.RE_REVIEW):
        return _("上一级机关正在复查（复核），请等待答复。")
    if case.status == S_.CONCLUDED:
        return _("复核意见为终结意见，不能再请求复查或复核。")
    if case.status in (S_.DECLINED, S_.REFUSED):
        return _("本事项未受理，不适用复查；请按告知的途径办理。")
    if case.status == S_.ARCHIVED:
        return _("本事项已办结归档。")
    if case.status in (S_.REGISTERED, S_.FORWARDED, S_.ACCEPTED, S_.ASSIGNED, S_.IN_PROGRESS, S_.REPORTED):
        return _("书面答复作出后，如不服，才能请求复查。")
    return error.message


def next_steps(case, today=None):
    """What the petitioner may do now (evaluate, ask for review or re-review), each with
    the reason when they may not."""
    steps = {}
    for name, action in (("evaluate", Action.EVALUATE), ("review", review_action(case))):
        why = petitioner_refusal(case, action)
        steps[name] = {"action": str(action), "allowed": why is None, "reason": "" if why is None else str(_why_not(case, action, why))}
    window = case.re_review_window_end if steps["review"]["action"] == Action.RE_REVIEW else case.review_window_end
    steps["review"]["window_end"] = window
    steps["review"]["label"] = str(STEP[steps["review"]["action"]])
    return steps


# Everything the view shows changes only with the case's `version` (every transition,
# reply, evaluation and review request bumps it) or with the date; so a view is kept
# under that key for a minute, and a follow is one query while nothing has happened.
VIEW_SECONDS = 60


def view(submission, today=None):
    """The dictionary the page and the API show; a fixed handful of queries."""
    case = submission.case
    today = today or timezone.localdate()
    key = f"xf:portal:view:{case.pk}:{case.version}:{get_language()}:{today.isoformat()}"
    shown = cache.get(key)
    if shown is None:
        shown = _build(case, today)
        cache.set(key, shown, VIEW_SECONDS)
    return shown


def _extended_from(events):
    for event in events:
        if event.action == Action.EXTEND and (event.data or {}).get("from"):
            try:
                return datetime.date.fromisoformat(event.data["from"])
            except ValueError:
                return None
    return None


def _notices(case):
    """The documents sent to the petitioner (受理告知书, 处理意见书 …), with the state of
    their delivery; never an internal form (cases.case_documents.notices_of)."""
    docs = delivery.with_current(notices_of(case).only("id", "kind", "number", "issued_at"))  # one query
    return [{
        "id": d.pk, "kind": d.kind, "kind_label": str(NOTICE_KIND.get(d.kind, "")), "number": d.number,
        "issued_on": timezone.localdate(d.issued_at), "delivered_on": d.delivered_on, "channel": d.delivery_channel or "",
        "channel_label": str(CHANNEL.get(d.delivery_channel, "")),
        "delivery_text": (_("%(channel)s，%(date)s") % {"channel": CHANNEL.get(d.delivery_channel, ""), "date": day(d.delivered_on)}
                          if d.delivered_on else _("待送达")),
    } for d in docs]


def _build(case, today):
    # A fixed number of queries whatever the length of the timeline: the case with its
    # units, the replies with their documents (one prefetch), the public events, the
    # evaluations, and the few the next-step rules read.
    # The parents: the next-step rules ask for the unit one level up (review_unit).
    case = Case.objects.select_related("unit", "current_unit__parent", "review_unit__parent").get(pk=case.pk)
    documents = Attachment.objects.only("id", "reply_id", "original_name", "content_type", "size").order_by("id")
    replies = list(case.replies.select_related("unit").prefetch_related(Prefetch("attachments", queryset=documents))
                   .order_by("replied_at", "id"))
    events = list(CaseEvent.objects.filter(case=case, public=True, action__in=list(STEP)).only("id", "action", "at", "data")
                  .order_by("at", "id"))
    evaluations = case.evaluations.order_by("at", "id")
    notice = None
    if case.status in (Status.DECLINED, Status.REFUSED) or case.decline_reason:
        notice = {"reason": case.decline_reason, "proper_channel": case.proper_channel,
                  "guided_procedure": str(GUIDED.get(case.guided_procedure, "")) if case.guided_procedure else ""}
    return {
        "number": case.number,
        "title": case.title,
        "kind": case.kind,
        "kind_label": str(KIND.get(case.kind, "")),
        "received_at": case.received_at,
        "unit": case.unit.name,
        "handling_unit": case.current_unit.name if case.current_unit_id else "",
        "status": case.status,
        "status_label": str(STATUS.get(case.status, "")),
        "status_text": status_text(case),
        "deadlines": deadlines(case, today, extended_from=_extended_from(events)),
        "replies": [{
            "stage": r.stage, "stage_label": str(STAGE.get(r.stage, "")), "unit": r.unit.name,
            "outcome": r.outcome, "outcome_label": str(OUTCOME.get(r.outcome, "")),
            "request_summary": r.request_summary, "facts": r.facts, "opinion": r.opinion, "legal_basis": r.legal_basis,
            "remedy": r.remedy, "settlement": r.settlement, "replied_at": r.replied_at,
            "documents": [{"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
                          for a in r.attachments.all()],
        } for r in replies],
        "notice": notice,
        "notices": _notices(case),
        "timeline": [{"action": PUBLIC_ACTION.get(e.action, e.action), "label": str(STEP[e.action]), "at": e.at,
                      "text": _event_text(e, case)} for e in events],
        "evaluations": [{"satisfaction": e.satisfaction, "label": str(SATISFACTION.get(e.satisfaction, "")), "comment": e.comment,
                         "at": e.at} for e in evaluations],
        "next_steps": next_steps(case, today),
    }
