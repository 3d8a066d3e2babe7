"""The measures of DOMAIN.md, computed one way for every screen, export and API.

Population. A summary covers the cases the user may see (`Case.objects.visible_to`)
that were first received in the period, narrowed to a unit's subtree when one is given
— exactly the cases that `GET /api/v1/cases?received_from=…&received_to=…&unit=…`
lists, so every case figure can be traced to that list. Petition figures count the
petitions *received* in the period on cases the user may see (in the unit's subtree):
a repeat petition this month about a case opened last year counts this month.

Every figure is a COUNT or SUM in the database: nothing here loads rows.
"""


from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from xinfang.cases.choices import OPEN_STATUSES, Channel, Kind, Satisfaction, Status
from xinfang.intake.choices import COLLECTIVE_HEADCOUNT
from xinfang.intake.models import Petition
from xinfang.lib.errors import Invalid, NotAllowed
from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.org.models import Unit

S = Status
HANDLING = (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPORTED)  # the answer still owed (待审核 included)

# label, definition (Chinese / English): shown beside each rate.
DEFINITIONS = {
    "completion_rate": (
        "办结率",
        "已答复或终结的事项 ÷ 已受理的事项 / Accepted cases that have a reply or a conclusion ÷ accepted cases.",
    ),
    "timely_acceptance_rate": (
        "及时受理率",
        "在受理告知期限内作出受理、不予受理或不再受理决定的事项 ÷ 应作出决定的事项（已决定的，加上期限已过仍未决定的）"
        " / Decisions (accept, decline, refuse) made by the decision deadline ÷ decisions due"
        " (made, plus those past their deadline and still not made).",
    ),
    "on_time_completion_rate": (
        "按期办结率",
        "在办理期限（含批准的延期）内答复的事项 ÷ 已答复的事项与超期未答复的事项"
        " / Cases replied to within the handling deadline (with any approved extension)"
        " ÷ cases replied to plus cases past that deadline without a reply.",
    ),
    "satisfaction_rate": (
        "群众满意率",
        "最近一次评价为满意或基本满意的事项 ÷ 已评价的事项 / Cases whose latest evaluation is satisfied"
        " or basically satisfied ÷ evaluated cases.",
    ),
    "participation_rate": (
        "参评率",
        "已评价的事项 ÷ 已答复的事项 / Evaluated cases ÷ cases replied to.",
    ),
    "repeat_rate": (
        "重复信访率",
        "期间收到的重复信访件 ÷ 期间收到的全部信访件 / Repeat petitions ÷ all petitions received in the period.",
    ),
}


def rate(name, numerator, denominator):
    label, definition = DEFINITIONS[name]
    value = round(numerator / denominator, 4) if denominator else None
    return {"label": label, "value": value, "numerator": numerator, "denominator": denominator, "definition": definition}


def _counts(qs, field, choices):
    found = dict(qs.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [{"code": code, "label": label, "count": found.get(code, 0)} for code, label in choices]


def _period(date_from, date_to):
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date_to.replace(day=1)
    if date_from > date_to:
        raise Invalid("开始日期不能晚于结束日期 / The start date is after the end date.", fields={"from": date_from.isoformat()})
    return date_from, date_to


def _unit(user, unit_code):
    if not unit_code:
        return None
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Invalid("单位不存在 / Unknown unit.", code="bad_filter", fields={"unit": unit_code})
    if user.unit_id is None or not unit.is_within(user.unit.scope_root):
        # Figures for a unit outside the user's scope would silently show only the
        # part they can see, which reads as the unit's whole figure: refuse instead.
        raise NotAllowed("只能统计本单位辖区内的单位 / You may only see statistics for units within your scope.",
                         fields={"unit": unit_code})
    return unit


def summary(user, *, date_from=None, date_to=None, unit_code=None):
    """The measures for the cases received between `date_from` and `date_to` (inclusive;
    by default the first day of `date_to`'s month and today) that `user` may see, in
    the subtree of the unit `unit_code` when given. Rates are floats in 0..1 with their
    numerator and denominator, or None when the denominator is 0."""
    date_from, date_to = _period(date_from, date_to)
    unit = _unit(user, unit_code)
    today = timezone.localdate()
    scope = filter_cases(user, CaseFilter(unit=unit_code or "")).order_by()
    cases = filter_cases(user, CaseFilter(unit=unit_code or "", received_from=date_from, received_to=date_to)).order_by()

    accepted = Q(accepted_at__isnull=False)
    answered = Q(replied_at__isnull=False) | Q(concluded_at__isnull=False)
    decided = Q(decided_at__isnull=False)
    evaluated = ~Q(satisfaction="")
    c = cases.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        collective=Count("pk", filter=Q(is_collective=True)),
        accepted=Count("pk", filter=accepted),
        accepted_answered=Count("pk", filter=accepted & answered),
        decided=Count("pk", filter=decided),
        decided_in_time=Count("pk", filter=decided & Q(decided_at__date__lte=F("decide_due"))),
        decision_late_pending=Count("pk", filter=Q(decided_at__isnull=True, decide_due__lt=today)),
        replied=Count("pk", filter=Q(replied_at__isnull=False)),
        replied_on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_on_time=True)),
        reply_late_pending=Count("pk", filter=Q(replied_at__isnull=True, status__in=HANDLING, handle_due__lt=today)),
        evaluated=Count("pk", filter=evaluated),
        satisfied=Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
    )

    petitions = Petition.objects.filter(case__in=scope.values("pk"), received_at__date__gte=date_from, received_at__date__lte=date_to)
    visit = Q(channel=Channel.VISIT)
    collective = visit & Q(headcount__gte=COLLECTIVE_HEADCOUNT)
    p = petitions.aggregate(
        total=Count("pk"),
        repeat=Count("pk", filter=Q(is_repeat=True)),
        batches=Count("pk", filter=visit),
        person_visits=Sum("headcount", filter=visit, default=0),
        collective_batches=Count("pk", filter=collective),
        collective_person_visits=Sum("headcount", filter=collective, default=0),
    )

    return {
        "period": {"from": date_from, "to": date_to},
        "unit": {"code": unit.code, "name": unit.name} if unit else None,
        "cases": {
            "total": c["total"],
            "overdue_now": c["overdue"],
            "collective": c["collective"],
            "by_status": _counts(cases, "status", Status.choices),
            "by_kind": _counts(cases, "kind", Kind.choices),
        },
        "petitions": {
            "total": p["total"],
            "repeat": p["repeat"],
            "by_channel": _counts(petitions, "channel", Channel.choices),
            "visits": {k: p[k] for k in ("batches", "person_visits", "collective_batches", "collective_person_visits")},
        },
        "measures": {
            "completion_rate": rate("completion_rate", c["accepted_answered"], c["accepted"]),
            "timely_acceptance_rate": rate("timely_acceptance_rate", c["decided_in_time"], c["decided"] + c["decision_late_pending"]),
            "on_time_completion_rate": rate("on_time_completion_rate", c["replied_on_time"], c["replied"] + c["reply_late_pending"]),
            "satisfaction_rate": rate("satisfaction_rate", c["satisfied"], c["evaluated"]),
            "participation_rate": rate("participation_rate", c["evaluated"], c["replied"]),
            "repeat_rate": rate("repeat_rate", p["repeat"], p["total"]),
        },
    }
