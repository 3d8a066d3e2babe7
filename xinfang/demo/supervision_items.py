"""Supervision items (督办件) in the demo: the bureau's supervisor (`ducha`, 钱督查, of
org.sample) puts some of the open assigned cases under supervision at each level, through
the real services at moments in the past — progress reports, a result waiting for the
supervisor, one sent back (补办), one accepted, one overdue, one raised a level — so the
supervisor's desk and the townships' 督办待办 have something to show on any day."""

import datetime as dt

import time_machine
from django.utils import timezone

from xinfang.cases import clock
from xinfang.cases.choices import Kind, Status
from xinfang.cases.models import Case
from xinfang.org.choices import Role
from xinfang.org.models import User
from xinfang.supervision import items

SUPERVISOR = "ducha"

# level, what happens after it is opened (in order), the due date in days from today
# (None: five days after it was opened, twenty days ago, and never reported: overdue)
PLAN = [
    ("listed", ["progress", "result", "send_back", "progress"], 12),
    ("key", ["progress", "result", "accept"], 10),
    ("general", [], None),
    ("key", ["progress", "progress"], 6),
    ("listed", ["result"], 14),
    ("general", ["escalate", "progress"], 9),
    ("general", ["progress"], 20),
    ("key", [], 18),
]
TEXTS = {
    "progress": ["已约见信访人，正在会同村委会核实情况。", "已形成初步处理方案，正在征求相关部门意见。"],
    "result": "经调查核实，问题已按政策处理到位，已向信访人当面反馈，信访人表示认可。",
    "send_back": "报告未附处理依据和信访人签字的反馈材料，请补充后重新报送。",
    "accept": "办理情况属实，同意办结。",
    "escalate": "久拖未决，群众反映强烈，提级督办。",
}
REQUIREMENTS = {
    "general": "请按期办结，并将办理情况书面报告县信访局。",
    "key": "请主要负责同志亲自过问，查明事实，依法依规处理，按期报告办理结果。",
    "listed": "挂牌督办：请成立专班，逐项落实，每周报告进展，限期化解到位。",
}


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _reporter(unit):
    return (User.objects.filter(unit=unit, is_active=True, groups__name__in=(Role.HANDLER, Role.HEAD))
            .order_by("username").first())


def candidates(limit):
    """Open assigned cases, oldest first, that the supervisor may put under supervision
    of their lead unit (never an accusation's accused unit)."""
    qs = (Case.objects.filter(status__in=(Status.ASSIGNED, Status.IN_PROGRESS), lead_unit__isnull=False)
          .exclude(kind=Kind.ACCUSATION).select_related("lead_unit").order_by("received_at", "id"))
    return list(qs[:limit])


def load(*, people=None, now=None):
    """Open the demo's supervision items. Returns how many were opened."""
    now = now or timezone.now()
    supervisor = (people or {}).get(SUPERVISOR) or User.objects.filter(username=SUPERVISOR).first()
    if supervisor is None:
        return 0
    opened = 0
    for (level, steps, due_days), case in zip(PLAN, candidates(len(PLAN))):
        owner = case.lead_unit
        reporter = _reporter(owner)
        # Opened 20 days ago (never before the case was assigned), each step three days on.
        start = max(now - dt.timedelta(days=20), (case.assigned_at or case.received_at) + dt.timedelta(hours=2))
        if start >= now - dt.timedelta(hours=1) or reporter is None:
            continue
        span = (now - start) / (len(steps) + 2)
        step_gap = min(dt.timedelta(days=3), span)
        due = clock.as_date(start) + dt.timedelta(days=5) if due_days is None else clock.as_date(now) + dt.timedelta(days=due_days)
        with _at(start):
            row, _ = items.open_item(case=case, actor=supervisor, level=level, unit=owner, requirement=REQUIREMENTS[level],
                                     due_date=due, reason="群众多次反映，久拖未决")
        opened += 1
        moment, progress = start, 0
        for step in steps:
            moment += step_gap
            with _at(moment):
                if step == "progress":
                    items.report_on(row, actor=reporter, text=TEXTS["progress"][progress % 2])
                    progress += 1
                elif step == "result":
                    items.report_on(row, actor=reporter, text=TEXTS["result"], final=True)
                elif step == "send_back":
                    items.send_back_item(row, actor=supervisor, reason=TEXTS["send_back"],
                                         due_date=clock.as_date(now) + dt.timedelta(days=7))
                elif step == "accept":
                    items.accept_item(row, actor=supervisor, note=TEXTS["accept"])
                elif step == "escalate":
                    items.escalate_item(row, actor=supervisor, level="key", text=TEXTS["escalate"])
    return opened
