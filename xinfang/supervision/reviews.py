"""Case quality review (案件评查) and accountability records (责任追究).

A supervisor opens a review round over the answered cases of a period in a unit's
subtree, draws the sample (at random with a recorded seed, by filters, or by hand),
scores each case against the checklist, and sends the findings to the unit that
answered; with a due date, the unit's response is an Obligation (cases/obligations.py,
kind supervision), so reminders and overdue lists cover it. Accountability records keep
what organs decided about units or officials over cases; every read is in the audit
record. The software records and reports: it decides nothing about people."""

import datetime
import io
import random
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from xinfang.audit.models import AuditEntry
from xinfang.audit.services import record as audit
from xinfang.cases import clock, obligations
from xinfang.cases.attachments import checked, store
from xinfang.cases.choices import ObligationKind, ObligationStatus, Satisfaction, Status
from xinfang.cases.models import Case, Obligation
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState, require
from xinfang.notify.kinds import Kind as NotifyKind
from xinfang.notify.services import inform
from xinfang.org.choices import Role, UnitKind
from xinfang.org.models import Unit, User

from .models import (
    AccountabilityFile, AccountabilityKind, AccountabilityRecord, CaseReview, ReviewGrade, ReviewItem, ReviewRound, ReviewStatus,
)

RS = ReviewStatus
# Who runs reviews (opens rounds, draws samples, scores, sends findings).
REVIEW_ROLES = (Role.SUPERVISOR,)
# Who may read the reviews of their scope (besides the unit a review was sent to).
READ_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.AUDITOR)
# Who records accountability decisions; who may read them.
RECORD_ROLES = (Role.SUPERVISOR,)
ACCOUNTABILITY_READ_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.AUDITOR)
# Who answers findings for the unit they were sent to.
RESPOND_ROLES = (Role.HEAD,)
TEXT_LIMIT = 5000
SAMPLE_LIMIT = 500
# Answered: a written reply was given (handling stage or later); voided and merged cases
# are out of every list.
OUT = (Status.VOIDED, Status.MERGED)

# The default checklist, created on first use when a deployment has none (the admin
# edits it): the 三到位 of case quality review, then procedure, time and documents.
DEFAULT_ITEMS = [
    ("facts", "事实调查到位", "诉求查清、调查核实充分、证据材料完整", 25),
    ("policy", "政策法规运用到位", "适用法律政策准确，处理意见有依据", 25),
    ("answer", "群众答复（工作）到位", "书面答复规范、告知救济途径、群众工作做到位", 20),
    ("procedure", "办理程序规范", "登记、受理告知、交办转送、审签程序合法", 10),
    ("timeliness", "办理时限符合规定", "受理、办理、答复、送达均在法定期限内", 10),
    ("documents", "文书材料规范齐全", "文书格式规范、送达有据、案卷材料齐全", 10),
]
DEFAULT_GRADES = {"excellent": 90, "pass": 60}


def grade_thresholds():
    """The least total for 优秀 and for 合格 (settings.XINFANG_REVIEW_GRADES)."""
    return {**DEFAULT_GRADES, **getattr(settings, "XINFANG_REVIEW_GRADES", {})}


def grade_of(total):
    limits = grade_thresholds()
    if total >= limits["excellent"]:
        return ReviewGrade.EXCELLENT
    if total >= limits["pass"]:
        return ReviewGrade.PASS
    return ReviewGrade.FAIL


def checklist():
    """The active checklist; the default set is created the first time none exists."""
    if not ReviewItem.objects.exists():
        ReviewItem.objects.bulk_create(
            [ReviewItem(code=code, name=name, description=text, max_score=top, sort_order=i)
             for i, (code, name, text, top) in enumerate(DEFAULT_ITEMS)], ignore_conflicts=True)
    return list(ReviewItem.objects.filter(active=True))


# --- who may -------------------------------------------------------------------------


def _root(user):
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return None
    return user.unit.scope_root.path


def may_review(user):
    return _root(user) is not None and user.has_role(*REVIEW_ROLES)


def may_read_reviews(user):
    return _root(user) is not None and user.has_role(*READ_ROLES)


def may_record(user):
    return _root(user) is not None and user.has_role(*RECORD_ROLES)


def may_read_accountability(user):
    return _root(user) is not None and user.has_role(*ACCOUNTABILITY_READ_ROLES)


def _need_reviewer(user):
    if not may_review(user):
        raise NotAllowed("只有督查员可以开展案件评查 / Only supervisors may run case quality reviews.", code="not_reviewer")


def rounds_visible_to(user):
    root = _root(user)
    if root is None or not user.has_role(*READ_ROLES):
        return ReviewRound.objects.none()
    return ReviewRound.objects.filter(unit_path__startswith=root)


def reviews_visible_to(user):
    """Reviews of rounds in the user's scope (supervisors, leaders, auditors), and the
    findings sent to the user's own unit."""
    root = _root(user)
    if root is None:
        return CaseReview.objects.none()
    sent = Q(unit_id__in=user.unit.acts_for, status__in=(RS.SENT, RS.ACKNOWLEDGED))
    if user.has_role(*READ_ROLES):
        return CaseReview.objects.filter(Q(round__unit_path__startswith=root) | sent)
    return CaseReview.objects.filter(sent)


def findings_for(user):
    """The findings sent to the user's unit (its view, 评查反馈)."""
    if _root(user) is None:
        return CaseReview.objects.none()
    return (CaseReview.objects.filter(unit_id__in=user.unit.acts_for, status__in=(RS.SENT, RS.ACKNOWLEDGED))
            .select_related("case", "round", "unit").order_by("-sent_at", "-id"))


def rounds_listed(user, limit=200):
    """The rounds a user may see, newest first, each with its headline figures
    (sampled, reviewed, responded, average) counted in the one query."""
    rows = (rounds_visible_to(user).select_related("unit", "created_by")
            .annotate(n_sampled=Count("reviews"), n_reviewed=Count("reviews", filter=~Q(reviews__status=RS.PENDING)),
                      n_responded=Count("reviews", filter=Q(reviews__status=RS.ACKNOWLEDGED)), avg_total=Avg("reviews__total")))
    found = list(rows[:limit])
    for row in found:
        row.average = Decimal(row.avg_total).quantize(Decimal("0.1")) if row.avg_total is not None else None
    return found


def get_round(user, pk):
    found = rounds_visible_to(user).select_related("unit", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound("没有这个评查，或不在您的范围内 / No such review round in your scope.")
    return found


def get_review(user, pk):
    found = reviews_visible_to(user).select_related("case", "round", "unit", "reviewer", "obligation").filter(pk=pk).first()
    if found is None:
        raise NotFound("没有这条评查记录，或不在您的范围内 / No such review in your scope.")
    return found


# --- rounds and samples --------------------------------------------------------------



def _text(value, field, *, required=True, limit=TEXT_LIMIT):
    value = str(value or "").strip()
    if required:
        require({field: value})
    if len(value) > limit:
        raise Invalid(f"内容不超过{limit}字 / At most {limit} characters.", fields={field: "过长 / Too long."})
    return value


def _unit_in_scope(user, code_or_unit, field="unit"):
    if isinstance(code_or_unit, Unit):
        unit = code_or_unit
    else:
        unit = Unit.objects.filter(code=str(code_or_unit or "").strip()).first() if code_or_unit else None
    if unit is None:
        raise Invalid("没有这个单位 / No such unit.", code="unknown_unit", fields={field: str(code_or_unit or "")})
    if not unit.path.startswith(_root(user)):
        raise NotAllowed("该单位不在您的范围内 / That unit is outside your scope.", code="out_of_scope", fields={field: unit.code})
    return unit


def open_round(*, actor, name, period_start, period_end, unit=None):
    """Open a review round (no cases yet: draw them with `sample`)."""
    _need_reviewer(actor)
    name = _text(name, "name", limit=100)
    start, end = clock.parse_date(period_start, "period_start"), clock.parse_date(period_end, "period_end")
    if end < start:
        raise Invalid("结束日期不能早于开始日期 / The period ends before it starts.", fields={"period_end": "早于开始 / Before the start."})
    unit = _unit_in_scope(actor, unit) if unit else actor.unit.scope_root
    with transaction.atomic():
        row = ReviewRound.objects.create(name=name, period_start=start, period_end=end, unit=unit, unit_path=unit.path,
                                         created_by=actor)
        audit(actor=actor, action="review.round_open", obj=row, detail={"name": name, "unit": unit.code,
                                                                        "period": [start.isoformat(), end.isoformat()]})
    return row


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def candidates(review_round, user):
    """The answered cases of the round's period and unit subtree that the user may see."""
    root = review_round.unit_path
    start = _day_start(review_round.period_start)
    end = _day_start(review_round.period_end + datetime.timedelta(days=1))
    return (Case.objects.visible_to(user).exclude(status__in=OUT)
            .filter(replied_at__gte=start, replied_at__lt=end)
            .filter(Q(unit_path__startswith=root) | Q(current_unit_path__startswith=root)))


FILTERS = {
    "unsatisfied": ("群众不满意", lambda qs: qs.filter(satisfaction=Satisfaction.NOT_SATISFIED)),
    "sent_back": ("曾被退回补办", lambda qs: qs.filter(
        obligations__kind=ObligationKind.REPORT_BACK, obligations__sent_back_count__gt=0)),
    "overdue": ("超期答复", lambda qs: qs.filter(replied_on_time=False)),
}


def sample(review_round, *, actor, size=None, seed=None, filters=(), unit=None, numbers=None):
    """Draw the round's sample: `numbers` by hand; or the candidates narrowed by `filters`
    (unsatisfied, sent_back, overdue) and `unit` (a unit code: its subtree), then `size`
    of them at random with `seed` (chosen and recorded when not given, so the same rule
    draws the same cases again). Cases already in the round stay; returns the new reviews."""
    _need_reviewer(actor)
    if review_round.pk not in set(rounds_visible_to(actor).values_list("pk", flat=True)):
        raise NotFound("没有这个评查，或不在您的范围内 / No such review round in your scope.")
    pool = candidates(review_round, actor)
    if numbers:
        numbers = [str(n).strip() for n in numbers if str(n).strip()]
        if len(numbers) > SAMPLE_LIMIT:
            raise Invalid(f"一次最多抽取{SAMPLE_LIMIT}件 / At most {SAMPLE_LIMIT} cases at once.", fields={"numbers": "过多 / Too many."})
        found = {c.number: c for c in Case.objects.visible_to(actor).exclude(status__in=OUT).filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise NotFound("以下事项不存在或不在您的范围内 / These cases are not found in your scope: " + "、".join(missing),
                           code="case_not_found", fields={"numbers": "、".join(missing)})
        unanswered = [n for n in numbers if found[n].replied_at is None]
        if unanswered:
            raise Invalid("以下事项尚未答复，不能评查 / These cases are not answered yet: " + "、".join(unanswered),
                          code="not_answered", fields={"numbers": "、".join(unanswered)})
        chosen = [found[n] for n in dict.fromkeys(numbers)]
        rule = {"mode": "hand", "numbers": list(dict.fromkeys(numbers))}
        label = f"人工选取{len(chosen)}件"
    else:
        unknown = [f for f in filters if f not in FILTERS]
        if unknown:
            raise Invalid("抽取条件不正确 / Unknown sample filter.", fields={"filters": "|".join(FILTERS)})
        for name in filters:
            pool = FILTERS[name][1](pool)
        if unit:
            scope = _unit_in_scope(actor, unit)
            pool = pool.filter(Q(unit_path__startswith=scope.path) | Q(current_unit_path__startswith=scope.path))
        ids = sorted(set(pool.values_list("pk", flat=True)))
        if size in (None, ""):
            size = len(ids)
        try:
            size = int(size)
        except (TypeError, ValueError):
            raise Invalid("抽取件数应为整数 / The sample size must be a whole number.", fields={"size": "整数 / A whole number."})
        if not 1 <= size <= SAMPLE_LIMIT:
            raise Invalid(f"抽取件数应在1到{SAMPLE_LIMIT}之间 / The sample size must be 1 to {SAMPLE_LIMIT}.",
                          fields={"size": f"1–{SAMPLE_LIMIT}"})
        if seed in (None, ""):
            seed = random.SystemRandom().randrange(1, 10**9)
        try:
            seed = int(seed)
        except (TypeError, ValueError):
            raise Invalid("随机种子应为整数 / The seed must be a whole number.", fields={"seed": "整数 / A whole number."})
        picked = ids if size >= len(ids) else sorted(random.Random(seed).sample(ids, size))
        chosen = list(Case.objects.filter(pk__in=picked).order_by("pk"))
        rule = {"mode": "random", "size": size, "seed": seed, "filters": list(filters), "unit": getattr(unit, "code", unit) or ""}
        parts = [FILTERS[f][0] for f in filters] + ([f"单位{rule['unit']}"] if rule["unit"] else [])
        label = f"随机抽取{size}件（种子{seed}）" + (f"，条件：{'、'.join(parts)}" if parts else "")
    if not chosen:
        raise Invalid("没有符合条件的已答复事项 / No answered case matches.", code="empty_sample")
    with transaction.atomic():
        have = set(review_round.reviews.values_list("case_id", flat=True))
        made = []
        for case in chosen:
            if case.pk in have:
                continue
            unit_to = answering_unit(case)
            made.append(CaseReview.objects.create(round=review_round, case=case, unit=unit_to, unit_path=unit_to.path))
        review_round.rule = rule
        review_round.rule_label = label[:200]
        review_round.save(update_fields=["rule", "rule_label"])
        audit(actor=actor, action="review.sample", obj=review_round, detail={"rule": rule, "added": [c.case.number for c in made]})
    return made


def answering_unit(case):
    """The unit the findings go to: the one that signed the handling-stage answer, else
    the lead unit, else the unit holding the case."""
    reply = case.replies.order_by("-replied_at", "-id").only("unit_id").first()
    unit_id = (reply.unit_id if reply else None) or case.lead_unit_id or case.current_unit_id or case.unit_id
    return Unit.objects.get(pk=unit_id)


# --- reviewing ------------------------------------------------------------------------


def _number(value, field):
    if value in (None, ""):
        raise Invalid("每一项都要评分 / Every item needs a score.", code="missing_score", fields={field: "必填 / Required."})
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise Invalid("分数应为数字 / A score must be a number.", fields={field: "数字 / A number."})
    if not number.is_finite():
        raise Invalid("分数应为数字 / A score must be a number.", fields={field: "数字 / A number."})
    return number


def _shown_score(score):
    """10 → "10", 9.50 → "9.5" (never "1E+1")."""
    return str(int(score)) if score == score.to_integral_value() else format(score.normalize(), "f")


def review(case_review, *, actor, scores, notes=None, findings=""):
    """Score one sampled case: `scores` {item code: score} for every active item, each
    from 0 to its maximum; `findings` required when the grade is below 合格. May be
    revised until the findings are sent."""
    _need_reviewer(actor)
    case_review = get_review(actor, case_review.pk)
    if not case_review.round.unit_path.startswith(_root(actor)):
        raise NotFound("没有这条评查记录，或不在您的范围内 / No such review in your scope.")
    if case_review.status not in (RS.PENDING, RS.DRAFT):
        raise WrongState("评查意见已反馈单位，不能再修改 / The findings were sent: the review can no longer change.", code="already_sent")
    notes = notes or {}
    items = checklist()
    scores = dict(scores or {})
    unknown = set(scores) - {i.code for i in items}
    if unknown:
        raise Invalid("评分项目不正确 / Unknown checklist items.", fields={code: "未知项目 / Unknown item." for code in sorted(unknown)})
    lines, got, top, problems = [], Decimal(0), Decimal(0), {}
    for item in items:
        try:
            score = _number(scores.get(item.code), item.code)
        except Invalid as error:
            problems.update(error.fields)
            continue
        if not 0 <= score <= item.max_score:
            problems[item.code] = f"应在0到{item.max_score}之间 / From 0 to {item.max_score}."
            continue
        note = _text(notes.get(item.code), item.code, required=False, limit=500)
        lines.append({"code": item.code, "name": item.name, "max_score": item.max_score, "weight": item.weight,
                      "score": _shown_score(score), "note": note})
        got += score * item.weight
        top += item.max_score * item.weight
    if problems:
        raise Invalid("评分不完整或超出范围 / Scores are missing or out of range.", code="bad_scores", fields=problems)
    total = (got * 100 / top).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if top else Decimal(0)
    grade = grade_of(total)
    findings = _text(findings, "findings", required=False)
    if grade == ReviewGrade.FAIL and not findings:
        raise Invalid("评为不合格须写明评查意见 / A failing grade needs findings.", code="findings_required",
                      fields={"findings": "必填 / Required."})
    now = timezone.now()
    with transaction.atomic():
        case_review.scores = {"items": lines}
        case_review.total, case_review.grade, case_review.findings = total, grade, findings
        case_review.reviewer, case_review.reviewed_at, case_review.status = actor, now, RS.DRAFT
        case_review.save(update_fields=["scores", "total", "grade", "findings", "reviewer", "reviewed_at", "status"])
        audit(actor=actor, action="review.score", obj=case_review.case,
              detail={"review": case_review.pk, "round": case_review.round_id, "total": str(total), "grade": grade})
    return case_review


def unit_heads(unit):
    """The heads who answer for `unit`: its own, and its petition office's for a government."""
    return list(User.objects.filter(Q(unit=unit) | Q(unit__parent=unit, unit__kind=UnitKind.PETITION_OFFICE),
                                    groups__name=Role.HEAD, is_active=True).distinct())


def send(case_review, *, actor, due_date=None, now=None):
    """Send the findings to the answering unit's heads; with `due_date`, its response is
    owed as an Obligation (kind supervision) that reminders and overdue lists cover."""
    _need_reviewer(actor)
    now = now or timezone.now()
    case_review = get_review(actor, case_review.pk)
    if case_review.status == RS.PENDING:
        raise WrongState("尚未评查，不能反馈 / Score the case before sending findings.", code="not_reviewed")
    if case_review.status != RS.DRAFT:
        raise WrongState("评查意见已反馈单位 / The findings were already sent.", code="already_sent")
    with transaction.atomic():
        if due_date not in (None, ""):
            case_review.obligation = obligations.open_obligation(
                kind=ObligationKind.SUPERVISION, owner_unit=case_review.unit, creditor_unit=actor.unit, due_date=due_date,
                title=f"案件评查整改：{case_review.case.number}"[:200], actor=actor, case=case_review.case,
                requirement=case_review.findings or "按评查意见整改并反馈", source=f"supervision.review:{case_review.pk}", now=now)
            case_review.response_due = case_review.obligation.due_date
        case_review.status, case_review.sent_at, case_review.sent_by = RS.SENT, now, actor
        case_review.save(update_fields=["status", "sent_at", "sent_by", "obligation", "response_due"])
        audit(actor=actor, action="review.send", obj=case_review.case,
              detail={"review": case_review.pk, "unit": case_review.unit.code,
                      "due": case_review.response_due.isoformat() if case_review.response_due else None})
        link = reverse("supervision:review_finding", args=[case_review.pk])
        title = f"案件评查意见：{case_review.case.number}（{case_review.get_grade_display()}）"
        body = f"{case_review.round.name}：总分{case_review.total}，{case_review.get_grade_display()}。"
        if case_review.response_due:
            body += f"请于{case_review.response_due:%Y-%m-%d}前反馈整改情况。"
        recipients = unit_heads(case_review.unit)
        transaction.on_commit(lambda: inform(recipients, kind=NotifyKind.ASSIGNED, title=title, body=body, link=link,
                                             key=f"review-sent:{case_review.pk}"))
    return case_review


def accept_response(case_review, *, actor, note="", now=None):
    """The reviewer's unit accepts the unit's response: its obligation is done."""
    _need_reviewer(actor)
    case_review = get_review(actor, case_review.pk)
    if case_review.status != RS.ACKNOWLEDGED or not case_review.obligation_id:
        raise WrongState("没有待审核的整改情况 / No response waits for a decision.", code="nothing_to_accept")
    owed = Obligation.objects.get(pk=case_review.obligation_id)
    refusal = obligations.decide_refusal(owed, actor)
    if refusal:
        raise refusal
    obligations.accept(owed, actor=actor, note=_text(note, "note", required=False), now=now, check=False)
    return case_review


def respond(case_review, *, actor, text, now=None):
    """整改情况: the unit the findings were sent to says what it corrected. Reports the
    result on the response obligation, if there is one, for the reviewer's decision."""
    now = now or timezone.now()
    case_review = get_review(actor, case_review.pk)
    if actor.unit_id is None or case_review.unit_id not in actor.unit.acts_for:
        raise NotAllowed("评查意见不是反馈给您单位的 / These findings were not sent to your unit.", code="not_your_unit")
    if not actor.has_role(*RESPOND_ROLES):
        raise NotAllowed("需要单位负责人角色才能反馈整改情况 / Only unit heads may respond to findings.")
    if case_review.status != RS.SENT:
        raise WrongState("已反馈过整改情况 / The unit has already responded.", code="already_responded")
    text = _text(text, "response")
    with transaction.atomic():
        if case_review.obligation_id:
            owed = Obligation.objects.get(pk=case_review.obligation_id)
            if owed.status == ObligationStatus.OPEN:
                obligations.report(owed, actor=actor, text=text, final=True, now=now, check=False)
        case_review.response, case_review.responded_at, case_review.responded_by = text, now, actor
        case_review.status = RS.ACKNOWLEDGED
        case_review.save(update_fields=["response", "responded_at", "responded_by", "status"])
        audit(actor=actor, action="review.respond", obj=case_review.case, detail={"review": case_review.pk})
        if case_review.sent_by_id:
            link = reverse("supervision:review_case", args=[case_review.pk])
            sender = case_review.sent_by
            transaction.on_commit(lambda: inform([sender], kind=NotifyKind.REPLIED, title=f"整改情况已反馈：{case_review.case.number}",
                                                 body=text[:200], link=link, key=f"review-response:{case_review.pk}"))
    return case_review


# --- figures ---------------------------------------------------------------------------


def round_reviews(review_round, *, status="", grade="", unit=""):
    """The reviews of a round, narrowed as a figure of the round page is: every figure
    is the count of this list with the same arguments."""
    rows = review_round.reviews.select_related("case", "unit", "reviewer")
    if status == "reviewed":
        rows = rows.exclude(status=RS.PENDING)
    elif status:
        rows = rows.filter(status=status)
    if grade:
        rows = rows.filter(grade=grade)
    if unit:
        rows = rows.filter(unit__code=unit)
    return rows.order_by("id")


def figures(review_round):
    """Sampled, reviewed, sent, responded; average score; per grade; per unit."""
    rows = review_round.reviews.all()
    totals = rows.aggregate(sampled=Count("id"), reviewed=Count("id", filter=~Q(status=RS.PENDING)),
                            sent=Count("id", filter=Q(status__in=(RS.SENT, RS.ACKNOWLEDGED))),
                            responded=Count("id", filter=Q(status=RS.ACKNOWLEDGED)), average=Avg("total"))
    grades = dict(rows.exclude(grade="").values_list("grade").annotate(n=Count("id")).values_list("grade", "n"))
    per_grade = [{"grade": g.value, "label": g.label, "count": grades.get(g.value, 0)} for g in ReviewGrade]
    per_unit = [{"code": r["unit__code"], "name": r["unit__name"], "count": r["n"], "reviewed": r["done"],
                 "average": Decimal(r["avg"]).quantize(Decimal("0.1")) if r["avg"] is not None else None}
                for r in rows.values("unit__code", "unit__name").annotate(n=Count("id"), done=Count("id", filter=~Q(status=RS.PENDING)),
                                                                        avg=Avg("total")).order_by("unit__code")]
    average = totals.pop("average")
    return {**totals, "average": Decimal(average).quantize(Decimal("0.1")) if average is not None else None,
            "per_grade": per_grade, "per_unit": per_unit}


def entries_for_case(user, case):
    """What the case page shows under 评查 and 责任追究, to those who may see them."""
    reviews = list(reviews_visible_to(user).filter(case=case).exclude(status=RS.PENDING).select_related("round", "unit"))
    records = list(accountability_visible_to(user).filter(cases=case)) if may_read_accountability(user) else []
    return {"reviews": reviews, "records": records}


# --- accountability records --------------------------------------------------------------


def accountability_visible_to(user):
    """Records registered in the user's scope, or about a unit in it; for supervisors,
    leaders and auditors only."""
    root = _root(user)
    if root is None or not user.has_role(*ACCOUNTABILITY_READ_ROLES):
        return AccountabilityRecord.objects.none()
    return AccountabilityRecord.objects.filter(Q(unit_path__startswith=root) | Q(subject_unit_path__startswith=root))


def register_rows(user, *, kind="", unit="", q="", ip=None, limit=200):
    """The register (list) as a reader sees it; the read of the listed records is logged."""
    if not may_read_accountability(user):
        raise NotAllowed("只有督查员、领导和审计员可以查看责任追究记录 / Only supervisors, leaders and auditors may read these.")
    rows = accountability_visible_to(user).select_related("subject_unit").prefetch_related("cases")
    if kind:
        rows = rows.filter(kind=kind)
    if unit:
        rows = rows.filter(subject_unit__code=unit)
    if q:
        rows = rows.filter(Q(cases__number=q) | Q(summary__icontains=q) | Q(subject_person=q)).distinct()
    rows = list(rows[:limit])
    with transaction.atomic():
        audit(actor=user, action="accountability.list", object_type=AccountabilityRecord._meta.label_lower, object_id="list",
              detail={"ids": [r.pk for r in rows], "kind": kind, "unit": unit, "q": q}, ip=ip)
    return rows


def read_record(user, pk, *, ip=None):
    """One record for reading: the read goes into the audit record."""
    if not may_read_accountability(user):
        raise NotAllowed("只有督查员、领导和审计员可以查看责任追究记录 / Only supervisors, leaders and auditors may read these.")
    found = (accountability_visible_to(user).select_related("subject_unit", "unit", "recorded_by")
             .prefetch_related("cases", "files").filter(pk=pk).first())
    if found is None:
        raise NotFound("没有这条责任追究记录，或不在您的范围内 / No such record in your scope.")
    with transaction.atomic():
        audit(actor=user, action="accountability.read", obj=found, ip=ip)
    return found


FIELDS = ("summary", "subject_unit", "subject_person", "subject_post", "decided_by", "decided_on", "basis", "kind", "kind_other")


def _record_values(actor, data):
    values = {
        "summary": _text(data.get("summary"), "summary"),
        "subject_person": _text(data.get("subject_person"), "subject_person", required=False, limit=50),
        "subject_post": _text(data.get("subject_post"), "subject_post", required=False, limit=100),
        "decided_by": _text(data.get("decided_by"), "decided_by", limit=100),
        "basis": _text(data.get("basis"), "basis"),
        "kind_other": _text(data.get("kind_other"), "kind_other", required=False, limit=100),
    }
    values["decided_on"] = clock.parse_date(data.get("decided_on"), "decided_on")
    if values["decided_on"] > timezone.localdate():
        raise Invalid("决定日期不能晚于今天 / The decision date cannot be in the future.", fields={"decided_on": "晚于今天 / In the future."})
    kind = data.get("kind") or ""
    if kind not in AccountabilityKind.values:
        raise Invalid("处理方式不正确 / Unknown kind of decision.", fields={"kind": "|".join(AccountabilityKind.values)})
    if kind == AccountabilityKind.OTHER and not values["kind_other"]:
        raise Invalid("选择“其他”时请写明处理方式 / Say which decision when choosing other.", fields={"kind_other": "必填 / Required."})
    values["kind"] = kind
    subject = data.get("subject_unit") or None
    values["subject_unit"] = _unit_in_scope(actor, subject, "subject_unit") if subject else None
    if values["subject_unit"] is None and not values["subject_person"]:
        raise Invalid("请填写被追责单位或人员 / Name the unit or the official.", code="missing_fields",
                      fields={"subject_unit": "必填其一 / One of them.", "subject_person": "必填其一 / One of them."})
    numbers = [str(n).strip() for n in (data.get("cases") or []) if str(n).strip()]
    if not numbers:
        raise Invalid("请关联至少一件信访事项 / Link at least one case.", code="missing_fields", fields={"cases": "必填 / Required."})
    found = {c.number: c for c in Case.objects.visible_to(actor).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise NotFound("以下事项不存在或不在您的范围内 / These cases are not found in your scope: " + "、".join(missing),
                       code="case_not_found", fields={"cases": "、".join(missing)})
    return values, [found[n] for n in dict.fromkeys(numbers)]


def _need_recorder(actor):
    if not may_record(actor):
        raise NotAllowed("只有督查员可以登记责任追究记录 / Only supervisors may record accountability decisions.", code="not_recorder")


def _store_files(record, uploads, actor):
    for upload in uploads or ():
        name, size, body, mime, digest = checked(upload)
        item = AccountabilityFile(record=record, original_name=name[:200], content_type=mime, size=size, sha256=digest,
                                  uploaded_by=actor)
        store(item.file, name, body)
        item.save()


def _check_files(uploads):
    """Check every file before anything is written (bad input: nothing half-saved)."""
    ready = []
    for upload in uploads or ():
        checked(upload)
        upload.seek(0)
        ready.append(upload)
    return ready


def record_decision(*, actor, data, files=()):
    """Record an accountability decision taken by an organ (data: summary, subject_unit
    (code), subject_person, subject_post, decided_by, decided_on, basis, kind,
    kind_other, cases (numbers)), with its documents."""
    _need_recorder(actor)
    values, cases = _record_values(actor, data)
    files = _check_files(files)
    subject = values["subject_unit"]
    with transaction.atomic():
        row = AccountabilityRecord.objects.create(**values, subject_unit_path=subject.path if subject else "", unit=actor.unit,
                                                  unit_path=actor.unit.path, recorded_by=actor)
        row.cases.set(cases)
        _store_files(row, files, actor)
        audit(actor=actor, action="accountability.record", obj=row,
              detail={"kind": row.kind, "subject_unit": subject.code if subject else "", "cases": [c.number for c in cases]})
    return row


def _shown(value):
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def edit_decision(record, *, actor, data, files=()):
    """Change a record; the audit entry keeps every changed field's old and new value."""
    _need_recorder(actor)
    if not accountability_visible_to(actor).filter(pk=record.pk).exists():
        raise NotFound("没有这条责任追究记录，或不在您的范围内 / No such record in your scope.")
    values, cases = _record_values(actor, data)
    files = _check_files(files)
    with transaction.atomic():
        row = AccountabilityRecord.objects.select_for_update().get(pk=record.pk)
        changes = {name: [_shown(getattr(row, name)), _shown(values[name])] for name in FIELDS
                   if _shown(getattr(row, name)) != _shown(values[name])}
        old_cases = sorted(row.cases.values_list("number", flat=True))
        new_cases = sorted(c.number for c in cases)
        if old_cases != new_cases:
            changes["cases"] = [old_cases, new_cases]
        for name, value in values.items():
            setattr(row, name, value)
        row.subject_unit_path = values["subject_unit"].path if values["subject_unit"] else ""
        row.updated_at = timezone.now()
        row.save(update_fields=[*values, "subject_unit_path", "updated_at"])
        row.cases.set(cases)
        _store_files(row, files, actor)
        if files:
            changes["files_added"] = [getattr(f, "name", "") for f in files]
        audit(actor=actor, action="accountability.edit", obj=row, detail={"changes": changes})
    return row


def record_file(user, record_pk, file_pk, *, ip=None):
    """One document of a record, for download (the read is logged)."""
    record = read_record(user, record_pk, ip=ip)
    item = record.files.filter(pk=file_pk).first()
    if item is None:
        raise NotFound("没有这个文件 / No such file.")
    return item


FIELD_LABELS = {"summary": "问题情况", "subject_unit": "被追责单位", "subject_person": "被追责人员", "subject_post": "职务",
                "decided_by": "决定机关", "decided_on": "决定日期", "basis": "依据", "kind": "处理方式", "kind_other": "其他处理方式",
                "cases": "关联事项", "files_added": "新增文书"}


def _readable(name, value):
    if name == "kind":
        return AccountabilityKind(value).label if value in AccountabilityKind.values else value
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value if value not in (None, "") else "（空）"


def history(record):
    """The record's audit entries (recorded, edited), oldest first; each edit carries
    `changes`: (field label, old value, new value) for a person to read."""
    entries = list(AuditEntry.objects.filter(object_type=record._meta.label_lower, object_id=str(record.pk),
                                             action__in=("accountability.record", "accountability.edit"))
                   .select_related("actor").order_by("seq"))
    for entry in entries:
        changed = (entry.detail or {}).get("changes", {})
        entry.changes = [(FIELD_LABELS.get(name, name), *(_readable(name, v) for v in pair)) if name != "files_added"
                         else (FIELD_LABELS[name], "", _readable(name, pair)) for name, pair in changed.items()]
    return entries


# --- export ------------------------------------------------------------------------------


def export_round(review_round, *, actor):
    """The round's results as an Excel workbook (bytes): one row a sampled case, one
    column a checklist item, then the figures on a second sheet."""
    review_round = get_round(actor, review_round.pk)
    items = checklist()
    book = Workbook()
    sheet = book.active
    sheet.title = "评查结果"
    sheet.append([review_round.name, f"答复日期 {review_round.period_start:%Y-%m-%d} 至 {review_round.period_end:%Y-%m-%d}",
                  review_round.unit.name, review_round.rule_label])
    head = ["事项编号", "标题", "被评查单位", "状态", "评查人", "评查时间", *[f"{i.name}（{i.max_score}）" for i in items],
            "总分", "等次", "评查意见", "整改期限", "整改情况"]
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in round_reviews(review_round):
        got = {line["code"]: line["score"] for line in (row.scores or {}).get("items", [])}
        sheet.append([row.case.number, row.case.title, row.unit.name, row.get_status_display(),
                      str(row.reviewer) if row.reviewer else "",
                      timezone.localtime(row.reviewed_at).strftime("%Y-%m-%d %H:%M") if row.reviewed_at else "",
                      *[float(got[i.code]) if i.code in got else None for i in items],
                      float(row.total) if row.total is not None else None, row.get_grade_display(), row.findings,
                      row.response_due.isoformat() if row.response_due else "", row.response])
    stats = book.create_sheet("统计")
    found = figures(review_round)
    stats.append(["抽取件数", found["sampled"]])
    stats.append(["已评查", found["reviewed"]])
    stats.append(["平均分", float(found["average"]) if found["average"] is not None else None])
    for line in found["per_grade"]:
        stats.append([line["label"], line["count"]])
    stats.append([])
    stats.append(["单位", "抽取", "已评查", "平均分"])
    for line in found["per_unit"]:
        stats.append([line["name"], line["count"], line["reviewed"], float(line["average"]) if line["average"] is not None else None])
    out = io.BytesIO()
    book.save(out)
    with transaction.atomic():
        audit(actor=actor, action="review.export", obj=review_round, detail={"rows": found["sampled"]})
    return out.getvalue()
