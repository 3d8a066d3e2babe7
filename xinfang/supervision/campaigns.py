"""Backlog campaigns (积案化解专项行动、挂牌督办、销号管理、反弹、序时进度).

A campaign lists long-running cases of a unit's subtree. Listing a case opens the one
follow-through mechanism, an Obligation (kind supervision, level listed 挂牌督办) that the
responsible unit owes the campaign's unit by the campaign's end: sweeps, overdue lists,
level badges and bulletins see it with no code of their own. Clearing a case off (销号)
is that obligation's result report with its evidence (a reply, a settlement, the
conclusion, the petitioner's satisfied evaluation of this case), accepted or sent back by
the campaign's unit. A cleared case that receives a new petition within the campaign's
rebound window is flagged 反弹 and listed again (a new obligation).

Progress (序时进度): per responsible unit and overall, cleared ÷ listed against the share
of the campaign's time gone; every figure is the length of `entries(...)` with the same
filters, so each links to its list."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case as When_, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.cases import clock, obligations
from xinfang.cases.choices import OPEN_STATUSES, Action, ObligationKind, ObligationStatus, Satisfaction, Status, SupervisionLevel
from xinfang.cases.models import Case, CaseEvent, Evaluation, Obligation, Reply
from xinfang.intake.models import Attachment, Petition
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound, WrongState, require
from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.org.choices import LEVEL_RANK, Role
from xinfang.org.models import Unit, User

from .models.campaigns import default_rebound_days
from .models import AddedHow, Campaign, CampaignCase, CampaignCaseStatus, CampaignStatus, EvidenceKind

CS = CampaignCaseStatus
# Who may run a campaign (create it, list cases, decide on clear-offs).
RUN_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.HEAD)
# Most cases one addition may list (a rule's preview shows them all first).
ADD_LIMIT = 500
# Cases that can no longer be worked on are never listed.
NOT_LISTABLE = (Status.MERGED, Status.VOIDED, Status.ARCHIVED)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
# New petitions on a case: a repeat joining it, or another case merged into it.
REBOUND_ACTIONS = (Action.REPEAT, Action.MERGE)


def source_of(campaign):
    return f"supervision.campaign:{campaign.pk}"


# --- reading ---------------------------------------------------------------------------


def visible_to(user):
    """Campaigns a user sees: those of a unit in their scope, and those that cover their
    unit (a township sees the county's campaign, with its own cases only: `entries`)."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Campaign.objects.none()
    root = user.unit.scope_root.path
    ancestors = [root[:i] for i in range(1, len(root) + 1)]
    return Campaign.objects.filter(Q(unit_path__startswith=root) | Q(unit_path__in=ancestors)).select_related("unit", "leader")


def get_for(user, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    row = visible_to(user).filter(pk=pk).first()
    if row is None:
        raise NotFound("找不到该专项行动或无权查看 / No such campaign, or not visible to you.")
    return row


def sees_all(user, campaign):
    """Whether `user` sees every case of the campaign (its unit is in their scope), or
    only those their own subtree is responsible for."""
    return user.unit_id is not None and campaign.unit_path.startswith(user.unit.scope_root.path)


def _unit(code, name):
    found = Unit.objects.filter(code=str(code).strip()).first()
    if found is None:
        raise Invalid("单位不存在 / Unknown unit.", code="bad_filter", fields={name: str(code)})
    return found


def entries(campaign, user, *, unit="", within="", status=""):
    """The campaign's cases `user` may see, filtered by responsible unit (`unit`: that
    unit's own, as a row of the progress table counts them; `within`: its subtree) and
    status (listed, cleared, rebound, or "open" for listed+rebound)."""
    qs = campaign.entries.all()
    if not sees_all(user, campaign):
        qs = qs.filter(unit_path__startswith=user.unit.scope_root.path) if user.unit_id else qs.none()
    if unit:
        qs = qs.filter(unit=_unit(unit, "unit"))
    if within:
        qs = qs.filter(unit_path__startswith=_unit(within, "within").path)
    if status:
        if status == "open":
            qs = qs.filter(status__in=(CS.LISTED, CS.REBOUND))
        elif status in CS.values:
            qs = qs.filter(status=status)
        else:
            raise Invalid("状态不正确 / Unknown status.", code="bad_filter", fields={"status": "listed|cleared|rebound|open"})
    return qs.select_related("case", "unit", "obligation").order_by("unit__sort_order", "unit_path", "id")


def entry_for(user, campaign, number):
    """The listed case numbered `number` of the campaign, as `user` may see it."""
    row = entries(campaign, user).filter(case__number=str(number or "").strip()).first()
    if row is None:
        raise NotFound("该事项不在本专项行动中或无权查看 / That case is not in this campaign, or not visible to you.")
    return row


def time_share(campaign, today=None):
    """序时进度: the share of the campaign's time gone, 0..1."""
    today = today or timezone.localdate()
    days = (campaign.ends_on - campaign.starts_on).days
    gone = (today - campaign.starts_on).days
    return min(1.0, max(0.0, gone / days)) if days > 0 else 1.0


@dataclass
class Progress:
    """Cleared ÷ listed for a unit (or the whole campaign) against the time gone."""

    unit: object
    total: int = 0
    cleared: int = 0
    rebound: int = 0
    applying: int = 0
    time_share: float = 0.0
    code: str = ""
    name: str = ""

    @property
    def open(self):
        return self.total - self.cleared

    @property
    def rate(self):
        return self.cleared / self.total if self.total else 0.0

    @property
    def ahead(self):
        return self.rate >= self.time_share

    @property
    def rate_pct(self):
        return round(self.rate * 100, 1)

    @property
    def share_pct(self):
        return round(self.time_share * 100, 1)

    @property
    def gap(self):
        """Percentage points ahead (+) or behind (-) the time gone."""
        return round((self.rate - self.time_share) * 100, 1)

    def as_dict(self):
        return {"unit": self.code, "unit_name": self.name, "total": self.total, "cleared": self.cleared, "open": self.open,
                "rebound": self.rebound, "applying": self.applying, "rate": round(self.rate * 100, 1),
                "time_share": round(self.time_share * 100, 1), "ahead": self.ahead, "gap": self.gap}


@dataclass
class CampaignProgress:
    overall: Progress
    units: list = field(default_factory=list)
    time_share: float = 0.0
    today: datetime.date = None


def progress(campaign, user, *, within="", today=None):
    """Per responsible unit and overall, over the cases `user` sees (one grouped query),
    in the subtree of the unit coded `within` when given."""
    share = time_share(campaign, today)
    rows = (entries(campaign, user, within=within).order_by().values("unit_id")
            .annotate(total=Count("id"), cleared=Count("id", filter=Q(status=CS.CLEARED)),
                      rebound=Count("id", filter=Q(status=CS.REBOUND)),
                      applying=Count("id", filter=Q(status__in=(CS.LISTED, CS.REBOUND), obligation__status=ObligationStatus.REPORTED))))
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
    per_unit = []
    overall = Progress(unit=None, time_share=share, name="合计")
    for r in rows:
        u = units[r["unit_id"]]
        per_unit.append(Progress(unit=u, total=r["total"], cleared=r["cleared"], rebound=r["rebound"], applying=r["applying"],
                                 time_share=share, code=u.code, name=u.name))
        for name in ("total", "cleared", "rebound", "applying"):
            setattr(overall, name, getattr(overall, name) + r[name])
    per_unit.sort(key=lambda p: (p.unit.sort_order, p.unit.path))
    return CampaignProgress(overall=overall, units=per_unit, time_share=share, today=today or timezone.localdate())


# --- running a campaign ------------------------------------------------------------------


def _may_run(user, unit):
    if user.unit_id is None or not unit.path.startswith(user.unit.scope_root.path):
        return NotAllowed("只能为本辖区单位组织专项行动 / You may run campaigns only for units in your scope.", code="out_of_scope")
    if not user.has_role(*RUN_ROLES):
        return NotAllowed("需要领导、督查员或单位负责人角色 / Only leaders, supervisors and unit heads may run a campaign.")
    return None



def _leader(leader, leader_name):
    """A leader with an account (a user with the leader role, by username or object), or
    only a name for one without an account."""
    leader_name = str(leader_name or "").strip()[:60]
    if leader in (None, ""):
        require({"leader_name": leader_name})
        return None, leader_name
    user = leader if isinstance(leader, User) else User.objects.filter(username=str(leader).strip(), is_active=True).first()
    if user is None or not user.has_role(Role.LEADER):
        raise Invalid("责任领导应为具有领导角色的用户，无账号的请填写姓名 / The responsible leader must be a user with the leader role; "
                      "give only a name for a leader without an account.", code="not_leader", fields={"leader": str(leader)})
    return user, leader_name or user.display_name or user.username


def _clean(*, name, starts_on, ends_on, rebound_days, today):
    name = str(name or "").strip()
    require({"name": name})
    if len(name) > 120:
        raise Invalid("名称不超过120字 / At most 120 characters.", fields={"name": "过长 / Too long."})
    starts, ends = clock.parse_date(starts_on, "starts_on"), clock.parse_date(ends_on, "ends_on")
    if ends <= starts:
        raise Invalid("截止日期应晚于开始日期 / The end must be after the start.", code="bad_period", fields={"ends_on": "应晚于开始日期 / After the start."})
    if ends < today:
        raise Invalid("截止日期不能早于今天 / The end cannot be in the past.", code="bad_period", fields={"ends_on": "已过 / In the past."})
    try:
        days = int(rebound_days)
    except (TypeError, ValueError):
        raise Invalid("反弹观察期应为天数 / The rebound window is a number of days.", fields={"rebound_days": "1–1095"})
    if not 1 <= days <= 1095:
        raise Invalid("反弹观察期应为1至1095天 / The rebound window is 1 to 1095 days.", fields={"rebound_days": "1–1095"})
    return name, starts, ends, days


def create(*, actor, name, starts_on, ends_on, unit=None, leader=None, leader_name="", rebound_days=None, note="", now=None):
    """Start a campaign for `unit` (a Unit or its code; default the actor's scope)."""
    now = now or timezone.now()
    if unit in (None, ""):
        unit = actor.unit.scope_root if actor.unit_id else None
    elif not isinstance(unit, Unit):
        unit = Unit.objects.filter(code=str(unit).strip()).first()
        if unit is None:
            raise Invalid("单位不存在 / Unknown unit.", fields={"unit": "找不到该单位 / No such unit."})
    if unit is None or (why := _may_run(actor, unit)) is not None:
        raise why if unit is not None else NotAllowed("您没有所属单位 / You belong to no unit.")
    name, starts, ends, days = _clean(name=name, starts_on=starts_on, ends_on=ends_on,
                                      rebound_days=default_rebound_days() if rebound_days in (None, "") else rebound_days,
                                      today=clock.as_date(now))
    leader, leader_name = _leader(leader, leader_name)
    with transaction.atomic():
        row = Campaign.objects.create(name=name, unit=unit, unit_path=unit.path, starts_on=starts, ends_on=ends, leader=leader,
                                      leader_name=leader_name, rebound_days=days, note=str(note or "").strip()[:2000],
                                      created_by=actor, created_at=now)
        audit(actor=actor, action="campaign.create", obj=row, detail={"unit": unit.code, "from": starts.isoformat(), "to": ends.isoformat()})
    return row


def update(campaign, *, actor, name, starts_on, ends_on, leader=None, leader_name="", rebound_days=None, note="", now=None):
    """Edit a running campaign. A new end date moves the due date of the listed cases'
    open obligations with it."""
    now = now or timezone.now()
    if (why := _may_run(actor, campaign.unit)) is not None:
        raise why
    if campaign.status != CampaignStatus.RUNNING:
        raise WrongState("专项行动已结束，不能修改 / The campaign has finished.", code="finished")
    name, starts, ends, days = _clean(name=name, starts_on=starts_on, ends_on=ends_on,
                                      rebound_days=campaign.rebound_days if rebound_days in (None, "") else rebound_days,
                                      today=clock.as_date(now))
    leader, leader_name = _leader(leader, leader_name)
    with transaction.atomic():
        row = Campaign.objects.select_for_update().get(pk=campaign.pk)
        moved = row.ends_on != ends
        row.name, row.starts_on, row.ends_on, row.leader, row.leader_name, row.rebound_days = name, starts, ends, leader, leader_name, days
        row.note = str(note or "").strip()[:2000]
        row.save(update_fields=["name", "starts_on", "ends_on", "leader", "leader_name", "rebound_days", "note"])
        if moved:
            Obligation.objects.filter(source=source_of(row), status=ObligationStatus.OPEN).update(due_date=ends)
        audit(actor=actor, action="campaign.update", obj=row, detail={"from": starts.isoformat(), "to": ends.isoformat()})
    return row


# --- which cases ---------------------------------------------------------------------------


def _candidates(campaign, user):
    """Cases the user may see whose responsible unit (`responsible_unit`) lies in the
    campaign's subtree and that could be listed now."""
    root = campaign.unit_path
    listed = CampaignCase.objects.filter(campaign=campaign, case=OuterRef("pk"))
    responsible = (Q(lead_unit__path__startswith=root) | Q(lead_unit__isnull=True, current_unit_path__startswith=root)
                   | Q(lead_unit__isnull=True, current_unit__isnull=True, unit_path__startswith=root))
    return (Case.objects.visible_to(user).filter(responsible)
            .exclude(status__in=NOT_LISTABLE).exclude(Exists(listed)))


def _rank(field):
    return When_(*(When(**{field: level}, then=Value(rank)) for level, rank in LEVEL_RANK.items()), default=Value(0),
                 output_field=IntegerField())


RULE_FIELDS = {"open_days": "立案超过天数", "petitions": "信访次数超过", "over_level": "越级信访"}


def clean_rule(rule):
    """{"open_days": N, "petitions": N, "over_level": bool}: at least one, each a number in range."""
    rule = dict(rule or {})
    if unknown := set(rule) - set(RULE_FIELDS):
        raise Invalid("未知的筛选条件 / Unknown rule.", code="bad_rule", fields={k: "|".join(RULE_FIELDS) for k in unknown})
    out = {}
    for name, limit in (("open_days", 3650), ("petitions", 1000)):
        value = rule.get(name)
        if value in (None, ""):
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise Invalid("筛选条件应为整数 / A whole number is needed.", code="bad_rule", fields={name: f"0–{limit}"})
        if not 0 <= value <= limit:
            raise Invalid("筛选条件超出范围 / Out of range.", code="bad_rule", fields={name: f"0–{limit}"})
        out[name] = value
    if rule.get("over_level") in (True, "1", "true", "on", 1):
        out["over_level"] = True
    if not out:
        raise Invalid("请至少设置一个筛选条件 / Give at least one rule.", code="bad_rule",
                      fields={"rule": "open_days|petitions|over_level"})
    return out


def describe_rule(rule):
    parts = []
    if "open_days" in rule:
        parts.append(f"未办结超过{rule['open_days']}天")
    if "petitions" in rule:
        parts.append(f"信访超过{rule['petitions']}次")
    if rule.get("over_level"):
        parts.append("越级信访")
    return "、".join(parts)


def rule_cases(campaign, user, rule, *, now=None):
    """The cases a rule picks (all its conditions hold): open longer than N days; more
    than N petitions; a petition received at a level above the case's unit (越级: the
    level of the unit that registered the matter; an assignment down to a township does
    not make every county case 越级)."""
    rule = clean_rule(rule)
    now = now or timezone.now()
    qs = _candidates(campaign, user)
    if "open_days" in rule:
        qs = qs.filter(status__in=OPEN_STATUSES, received_at__lt=now - datetime.timedelta(days=rule["open_days"]))
    if "petitions" in rule:
        qs = qs.filter(petition_count__gt=rule["petitions"])
    if rule.get("over_level"):
        above = (Petition.objects.filter(case=OuterRef("pk")).annotate(rank=_rank("receiving_level"))
                 .filter(rank__gt=OuterRef("responsible_rank")))
        qs = qs.annotate(responsible_rank=_rank("unit__level")).filter(Exists(above))
    return qs.select_related("current_unit", "lead_unit").order_by("received_at", "id")


def search_cases(campaign, user, q):
    """The cases the case search finds for `q` (the search of the 案件查询 page)."""
    q = str(q or "").strip()
    require({"q": q})
    found = filter_cases(user, CaseFilter(q=q)).values("pk")
    return _candidates(campaign, user).filter(pk__in=found).select_related("current_unit", "lead_unit").order_by("received_at", "id")


def numbered_cases(campaign, user, numbers):
    """The cases numbered `numbers`: each must exist, be seen by `user`, lie in the
    campaign's subtree and not be listed already; else nothing is added."""
    if isinstance(numbers, str):
        numbers = numbers.replace("，", ",").replace("\n", ",").replace(" ", ",").split(",")
    numbers = list(dict.fromkeys(n.strip() for n in numbers or () if n and n.strip()))
    require({"numbers": numbers})
    if len(numbers) > ADD_LIMIT:
        raise Invalid(f"一次最多添加{ADD_LIMIT}件 / At most {ADD_LIMIT} cases at a time.", fields={"numbers": str(len(numbers))})
    found = {c.number: c for c in Case.objects.visible_to(user).filter(number__in=numbers).select_related("current_unit", "lead_unit")}
    if missing := [n for n in numbers if n not in found]:
        raise NotFound("找不到这些信访事项或无权查看 / No such cases, or not visible to you.", fields={"numbers": ",".join(missing)})
    root = campaign.unit_path
    outside = [n for n in numbers if not (found[n].unit_path.startswith(root) or found[n].current_unit_path.startswith(root))]
    if outside:
        raise NotAllowed("这些事项不在本专项行动的辖区内 / These cases are outside the campaign's scope.", code="out_of_scope",
                         fields={"numbers": ",".join(outside)})
    closed = [n for n in numbers if found[n].status in NOT_LISTABLE]
    if closed:
        raise WrongState("已并案、作废或归档的事项不能列入 / Merged, voided or archived cases cannot be listed.", code="not_listable",
                         fields={"numbers": ",".join(closed)})
    twice = list(CampaignCase.objects.filter(campaign=campaign, case__number__in=numbers).values_list("case__number", flat=True))
    if twice:
        raise Conflict("这些事项已在本专项行动中 / These cases are already in this campaign.", code="already_listed",
                       fields={"numbers": ",".join(sorted(twice))})
    return [found[n] for n in numbers]


def responsible_unit(case):
    return case.lead_unit or case.current_unit or case.unit


def add_cases(campaign, *, actor, how, numbers=None, q="", rule=None, leader_name="", limit=None, now=None):
    """List cases in the campaign, by hand (`numbers`), by search (`q`) or by rule (the
    oldest `limit` of them when given); each opens its listed obligation. Returns the new
    CampaignCase rows. A case already in another running campaign, or one whose
    responsible unit lies outside the campaign, refuses the whole addition."""
    now = now or timezone.now()
    if (why := _may_run(actor, campaign.unit)) is not None:
        raise why
    if campaign.status != CampaignStatus.RUNNING or campaign.ends_on < clock.as_date(now):
        raise WrongState("专项行动已结束，不能再添加事项 / The campaign has ended: no cases can be added.", code="finished")
    if how == AddedHow.HAND:
        cases, detail = numbered_cases(campaign, actor, numbers), ""
    elif how == AddedHow.SEARCH:
        cases, detail = list(search_cases(campaign, actor, q)[:ADD_LIMIT + 1]), f"查询：{str(q).strip()[:100]}"
    elif how == AddedHow.RULE:
        rule = clean_rule(rule)
        cases, detail = list(rule_cases(campaign, actor, rule, now=now)[:ADD_LIMIT + 1]), f"规则：{describe_rule(rule)}"
    else:
        raise Invalid("添加方式应为按编号、按查询或按规则 / Add by numbers, search or rule.", fields={"how": "|".join(AddedHow.values)})
    if limit is not None and how != AddedHow.HAND:
        cases = cases[:max(1, min(int(limit), ADD_LIMIT))]
    if not cases:
        raise Invalid("没有可添加的事项 / No cases to add.", code="nothing_to_add")
    if len(cases) > ADD_LIMIT:
        raise Invalid(f"一次最多添加{ADD_LIMIT}件，请收紧条件 / At most {ADD_LIMIT} cases at a time: narrow the choice.", code="too_many")
    root = campaign.unit_path
    outside = [c.number for c in cases if not responsible_unit(c).path.startswith(root)]
    if outside:
        raise NotAllowed("这些事项的责任单位不在本专项行动的辖区内 / These cases' responsible units are outside the campaign's scope.",
                         code="out_of_scope", fields={"numbers": ",".join(outside)})
    elsewhere = list(CampaignCase.objects.filter(case__in=cases, campaign__status=CampaignStatus.RUNNING)
                     .exclude(campaign=campaign).values_list("case__number", "campaign__name"))
    if elsewhere:
        raise Conflict("这些事项已在其他进行中的专项行动中 / These cases are already in another running campaign.", code="already_listed",
                       fields={n: name for n, name in elsewhere})
    leader_name = str(leader_name or "").strip()[:60] or campaign.leader_name
    added = []
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        for case in cases:
            unit = responsible_unit(case)
            if CampaignCase.objects.filter(campaign=campaign, case=case).exists():
                raise Conflict("这些事项已在本专项行动中 / These cases are already in this campaign.", code="already_listed",
                               fields={"numbers": case.number})
            obligation = _open(campaign, case, unit, actor=actor, now=now)
            added.append(CampaignCase.objects.create(
                campaign=campaign, case=case, unit=unit, unit_path=unit.path,
                leader=campaign.leader if leader_name == campaign.leader_name else None, leader_name=leader_name, obligation=obligation, added_at=now,
                added_by=actor, added_how=how, added_detail=detail[:200]))
        audit(actor=actor, action="campaign.add_cases", obj=campaign,
              detail={"how": how, "cases": [c.number for c in cases][:100], "count": len(cases), "detail": detail[:200]})
    return added


def _open(campaign, case, unit, *, actor, now, again=False):
    title = f"{'反弹重新挂牌' if again else '挂牌督办积案'}：{case.title}"[:200]
    return obligations.open_obligation(
        kind=ObligationKind.SUPERVISION, owner_unit=unit, creditor_unit=campaign.unit, due_date=campaign.ends_on, title=title,
        actor=actor, case=case, level=SupervisionLevel.LISTED, source=source_of(campaign), now=now,
        requirement=f"{campaign.name}：{campaign.ends_on:%Y年%m月%d日}前化解并申请销号（责任领导：{campaign.leader_name}）")


# --- clearing off ------------------------------------------------------------------------


def evidence_choices(entry):
    """What the unit may show for this case: (kind, id or None, label), newest first."""
    case = entry.case
    out = []
    for reply in Reply.objects.filter(case=case).order_by("-replied_at", "-id")[:20]:
        out.append((EvidenceKind.REPLY, reply.pk, f"答复意见（{clock.as_date(reply.replied_at):%Y-%m-%d}，{reply.get_outcome_display()}）"))
        if reply.settlement.strip():
            out.append((EvidenceKind.SETTLEMENT, reply.pk, f"和解（调解）协议（随{clock.as_date(reply.replied_at):%Y-%m-%d}答复）"))
    for item in Attachment.objects.filter(case=case).order_by("-id")[:20]:
        out.append((EvidenceKind.SETTLEMENT, -item.pk, f"上传的协议文件：{item.original_name}"))
    if case.status == Status.CONCLUDED or case.concluded_at:
        out.append((EvidenceKind.CONCLUSION, None, "该事项已终结"))
    for ev in Evaluation.objects.filter(case=case, satisfaction__in=SATISFIED).order_by("-at", "-id")[:10]:
        out.append((EvidenceKind.EVALUATION, ev.pk, f"信访人评价：{ev.get_satisfaction_display()}（{clock.as_date(ev.at):%Y-%m-%d}）"))
    return out


def _evidence(entry, kind, ref):
    """Check that the evidence exists and is of this case; returns (kind, ref, label)."""
    case = entry.case
    if kind in (None, ""):
        raise Invalid("申请销号须提供化解依据 / A clear-off needs evidence.", code="no_evidence",
                      fields={"evidence_kind": "|".join(EvidenceKind.values)})
    if kind not in EvidenceKind.values:
        raise Invalid("化解依据类型不正确 / Unknown kind of evidence.", code="no_evidence", fields={"evidence_kind": "|".join(EvidenceKind.values)})
    if kind == EvidenceKind.CONCLUSION:
        if case.status != Status.CONCLUDED and not case.concluded_at:
            raise Invalid("该事项尚未终结 / The case is not concluded.", code="bad_evidence", fields={"evidence_kind": kind})
        return kind, None, "该事项已终结"
    try:
        ref = int(ref)
    except (TypeError, ValueError):
        raise Invalid("请选择化解依据 / Choose the evidence.", code="no_evidence", fields={"evidence_ref": "必填 / Required."})
    not_this = Invalid("所选依据不属于本事项 / The evidence is not of this case.", code="bad_evidence", fields={"evidence_ref": str(ref)})
    if kind == EvidenceKind.REPLY:
        reply = Reply.objects.filter(pk=ref, case=case).first()
        if reply is None:
            raise not_this
        return kind, ref, f"答复意见（{clock.as_date(reply.replied_at):%Y-%m-%d}）"
    if kind == EvidenceKind.SETTLEMENT:
        if ref < 0:  # an uploaded file of the case
            item = Attachment.objects.filter(pk=-ref, case=case).first()
            if item is None:
                raise not_this
            return kind, ref, f"协议文件：{item.original_name}"
        reply = Reply.objects.filter(pk=ref, case=case).first()
        if reply is None:
            raise not_this
        if not reply.settlement.strip():
            raise Invalid("该答复没有和解（调解）协议 / That reply holds no settlement.", code="bad_evidence", fields={"evidence_ref": str(ref)})
        return kind, ref, "和解（调解）协议"
    ev = Evaluation.objects.filter(pk=ref, case=case).first()
    if ev is None:
        raise not_this
    if ev.satisfaction not in SATISFIED:
        raise Invalid("信访人评价不满意，不能作为销号依据 / The petitioner was not satisfied: no clear-off on it.", code="bad_evidence",
                      fields={"evidence_ref": str(ref)})
    return kind, ref, f"信访人评价：{ev.get_satisfaction_display()}"


def apply_clear(entry, *, actor, evidence_kind, evidence_ref=None, text="", now=None):
    """申请销号: the responsible unit reports the case solved, with its evidence; the
    result waits for the campaign unit's decision."""
    now = now or timezone.now()
    if entry.status == CS.CLEARED:
        raise WrongState("该事项已销号 / The case is already cleared off.", code="already_cleared")
    ob = _obligation(entry)
    if (why := obligations.report_refusal(ob, actor)) is not None:
        if ob.status == ObligationStatus.REPORTED and isinstance(why, WrongState):
            raise WrongState("已申请销号，等待审核 / A clear-off is already waiting for a decision.", code="already_applied")
        raise why
    kind, ref, label = _evidence(entry, evidence_kind, evidence_ref)
    text = str(text or "").strip() or f"申请销号，依据：{label}"
    with transaction.atomic():
        result = obligations.report(ob, actor=actor, text=text, final=True, now=now,
                                    data={"clear_off": True, "evidence": {"kind": kind, "ref": ref, "label": label}})
        audit(actor=actor, action="campaign.apply_clear", obj=entry.case, detail={"campaign": entry.campaign_id, "evidence": kind})
    return result


def _obligation(entry):
    """The entry's current obligation, read afresh (the entry may be an older copy)."""
    ob = Obligation.objects.filter(pk=entry.obligation_id).first()
    if ob is None:
        raise WrongState("该事项没有督办事项 / The case has no obligation.")
    entry.obligation = ob
    return ob


def decide_refusal(entry, actor):
    """Why `actor` may not decide on the entry's clear-off, or None. The responsible unit
    never approves its own clear-off."""
    if actor.unit_id is not None and entry.unit_id in actor.unit.acts_for:
        return NotAllowed("责任单位不能审核本单位的销号申请 / The responsible unit cannot approve its own clear-off.", code="own_unit")
    return obligations.decide_refusal(_obligation(entry), actor)


def approve_clear(entry, *, actor, note="", now=None):
    """销号: the campaign's unit accepts the clear-off; the case counts as cleared."""
    now = now or timezone.now()
    if (why := decide_refusal(entry, actor)) is not None:
        raise why
    with transaction.atomic():
        row = CampaignCase.objects.select_for_update().get(pk=entry.pk)
        if row.status == CS.CLEARED:
            raise WrongState("该事项已销号 / The case is already cleared off.", code="already_cleared")
        obligations.accept(row.obligation_id, actor=actor, note=note, now=now)
        result = obligations.last_result(row.obligation)
        evidence = (result.data or {}).get("evidence", {}) if result else {}
        row.status, row.cleared_at, row.cleared_by = CS.CLEARED, now, actor
        row.evidence_kind, row.evidence_ref = evidence.get("kind", ""), evidence.get("ref")
        row.evidence_note = (result.text if result else "")[:2000]
        row.save(update_fields=["status", "cleared_at", "cleared_by", "evidence_kind", "evidence_ref", "evidence_note"])
        audit(actor=actor, action="campaign.clear", obj=row.case, detail={"campaign": row.campaign_id, "evidence": row.evidence_kind})
    return row


def refuse_clear(entry, *, actor, reason, due_date, now=None):
    """不予销号: the clear-off is sent back with a reason and a new date (by the campaign's end)."""
    now = now or timezone.now()
    if (why := decide_refusal(entry, actor)) is not None:
        raise why
    with transaction.atomic():
        obligations.send_back(entry.obligation_id, actor=actor, reason=reason, due_date=due_date, now=now,
                              latest=entry.campaign.ends_on)
        audit(actor=actor, action="campaign.refuse_clear", obj=entry.case, detail={"campaign": entry.campaign_id})
    entry.refresh_from_db()
    return entry


# --- rebound (反弹) -----------------------------------------------------------------------


def _is_new_petition(event):
    return event.action == Action.REPEAT or (event.action == Action.MERGE and "from_case_id" in (event.data or {}))


def check_rebound(case_id, *, at=None, event_id=None):
    """Flag 反弹 the cleared entries of this case in running campaigns whose clear-off
    came within the rebound window before `at` (a new petition), and list them again.
    Returns the entries flagged. Safe to call twice for one petition."""
    at = at or timezone.now()
    flagged = []
    with transaction.atomic():
        rows = (CampaignCase.objects.select_for_update(of=("self",)).select_related("campaign", "campaign__unit", "case", "unit")
                .filter(case_id=case_id, status=CS.CLEARED, cleared_at__lte=at, campaign__status=CampaignStatus.RUNNING))
        for row in rows:
            if at - row.cleared_at > datetime.timedelta(days=row.campaign.rebound_days):
                continue
            campaign = row.campaign
            due_ok = campaign.ends_on >= clock.as_date(at)
            row.status, row.rebound_at, row.rebound_count = CS.REBOUND, at, row.rebound_count + 1
            fields = ["status", "rebound_at", "rebound_count"]
            if due_ok:
                row.obligation = _open(campaign, row.case, row.unit, actor=campaign.created_by, now=at, again=True)
                fields.append("obligation")
            row.save(update_fields=fields)
            audit(actor=None, action="campaign.rebound", obj=row.case, detail={"campaign": campaign.pk, "event": event_id})
            flagged.append(row)
    return flagged


def check_rebounds(*, now=None):
    """The sweep's check: every cleared entry of a running campaign whose case received a
    new petition after its clear-off and within the window. Returns the entries flagged."""
    now = now or timezone.now()
    flagged = []
    rows = CampaignCase.objects.filter(status=CS.CLEARED, campaign__status=CampaignStatus.RUNNING).select_related("campaign")
    for row in rows.iterator():
        window_end = row.cleared_at + datetime.timedelta(days=row.campaign.rebound_days)
        events = (CaseEvent.objects.filter(case_id=row.case_id, action__in=REBOUND_ACTIONS, at__gt=row.cleared_at, at__lte=min(now, window_end))
                  .order_by("at", "id"))
        event = next((e for e in events if _is_new_petition(e)), None)
        if event is not None:
            flagged += check_rebound(row.case_id, at=event.at, event_id=event.pk)
    return flagged


def on_case_event(event):
    """Called after the commit of a new CaseEvent (apps.py): a new petition on a cleared
    case is a rebound."""
    if _is_new_petition(event) and CampaignCase.objects.filter(case_id=event.case_id, status=CS.CLEARED).exists():
        check_rebound(event.case_id, at=event.at, event_id=event.pk)
