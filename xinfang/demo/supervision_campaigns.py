"""The demo's backlog campaign (积案化解专项行动): one running campaign of the county,
started five weeks before today and ending four months after, listing the longest-open
cases and some repeat-petition ones by rule; some cleared off on the evidence of their
reply or evaluation, and one cleared case that received a new petition (反弹). Made
through the campaign services; run again it changes nothing; loads on any date."""

import datetime

from django.db.models import Q
from django.utils import timezone

from xinfang.cases.models import Evaluation, Reply
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import ServiceError
from xinfang.org.choices import Role, UnitKind
from xinfang.org.models import User
from xinfang.supervision import campaigns
from xinfang.supervision.models import Campaign

NAME = "信访积案化解专项行动"


def _reporter(entry):
    """A head (else a handler) who may report for the entry's unit: of the unit, or of
    the petition office that acts for it."""
    ob = campaigns._obligation(entry)
    staff = (User.objects.filter(is_active=True, groups__name__in=(Role.HEAD, Role.HANDLER))
             .filter(Q(unit=entry.unit) | Q(unit__parent=entry.unit, unit__kind=UnitKind.PETITION_OFFICE)).distinct().order_by("id"))
    return next((u for u in staff if campaigns.obligations.report_refusal(ob, u) is None), None)


def _evidence(entry):
    ev = Evaluation.objects.filter(case=entry.case, satisfaction__in=campaigns.SATISFIED).order_by("-at").first()
    if ev is not None:
        return "evaluation", ev.pk
    reply = Reply.objects.filter(case=entry.case).order_by("-replied_at").first()
    return ("reply", reply.pk) if reply is not None else (None, None)


def load(units, people, *, now=None):
    """Make the campaign once; returns it (or the one already there)."""
    found = Campaign.objects.filter(name=NAME, unit=units["county"]).first()
    if found is not None:
        return found
    now = now or timezone.now()
    today = timezone.localdate(now)
    supervisor, leader = people["ducha"], people["lingdao"]
    campaign = campaigns.create(actor=supervisor, name=NAME, unit=units["county"], starts_on=today - datetime.timedelta(days=35),
                                ends_on=today + datetime.timedelta(days=120), leader=leader, now=now,
                                note="对信访积案实行领导包案、挂牌督办，化解一件、销号一件，按序时进度挂图作战。")
    for rule, limit in (({"petitions": 1}, 8), ({"open_days": 30}, 14), ({"open_days": 10}, 14)):
        if campaign.entries.count() >= 10:
            break
        try:
            campaigns.add_cases(campaign, actor=supervisor, how="rule", rule=rule, limit=limit, now=now)
        except ServiceError:
            continue  # nothing (new) matches this rule on this day's data
    cleared = []
    for entry in campaign.entries.select_related("case", "unit").order_by("id"):
        if len(cleared) >= max(1, campaign.entries.count() // 3):
            break
        kind, ref = _evidence(entry)
        reporter = _reporter(entry)
        if kind is None or reporter is None or entry.unit_id in leader.unit.acts_for:  # a unit never clears its own
            continue
        try:
            campaigns.apply_clear(entry, actor=reporter, evidence_kind=kind, evidence_ref=ref, text="已答复并做好解释疏导，信访人认可。",
                                  now=now)
            if campaigns.decide_refusal(entry, leader) is None:
                cleared.append(campaigns.approve_clear(entry, actor=leader, note="同意销号。", now=now))
        except ServiceError:
            continue
    back = next((e for e in reversed(cleared) if e.case.kind != "accusation"), None)
    if back is not None:
        # One cleared case comes back: its petitioner writes again (反弹), and it is listed again.
        first = back.case.petitions.order_by("received_at", "id").first()
        person = first.petitioners.order_by("position", "id").first()
        again = [{"name": person.name, "id_number": person.id_number, "phone": person.phone}] if person else [{"name": "信访人"}]
        register(actor=people["dengji"], data=PetitionIn(
            channel="letter", receiving_unit=units["bureau"], title=f"再次反映：{back.case.title}"[:200],
            content="前次答复后问题仍未彻底解决，再次来信反映，请求继续处理。", kind=back.case.kind, petitioners=again,
            case=back.case.number))
        campaigns.check_rebound(back.case_id, at=timezone.now())
    return campaign
