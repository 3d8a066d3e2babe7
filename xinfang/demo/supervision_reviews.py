"""Demo: a case quality review round over last month's answered cases (several reviewed,
one failing with findings sent back to the unit and its response), and one
accountability record linked to that case. Made through the real services; loads on
any date; does nothing the second time."""

import datetime

from django.utils import timezone

from xinfang.supervision import reviews
from xinfang.supervision.models import AccountabilityRecord, ReviewRound

SIZE = 10
SEED = 2026
# Scores: two excellent, two passing, one failing (the one sent back).
SCORES = [
    {"facts": 24, "policy": 23, "answer": 19, "procedure": 10, "timeliness": 10, "documents": 9},
    {"facts": 23, "policy": 24, "answer": 18, "procedure": 9, "timeliness": 9, "documents": 9},
    {"facts": 20, "policy": 18, "answer": 14, "procedure": 8, "timeliness": 6, "documents": 7},
    {"facts": 18, "policy": 17, "answer": 15, "procedure": 7, "timeliness": 8, "documents": 6},
]
FAILING = {"facts": 12, "policy": 11, "answer": 8, "procedure": 6, "timeliness": 3, "documents": 5}
FINDINGS = ("一、调查核实不充分，未见现场核查笔录；二、答复意见书未告知申请复查的机关和期限；三、超过法定办理期限答复，"
            "未办理延期手续。请于期限内整改并反馈整改情况。")
RESPONSE = ("已组织承办人员重新核查并补充现场核查笔录；已向信访人补发告知复查途径的书面答复并送达；"
            "已在全镇信访工作例会上通报本案，建立办理期限提醒台账。")


def _last_month(today):
    first = today.replace(day=1)
    end = first - datetime.timedelta(days=1)
    return end.replace(day=1), end


def load(people):
    """One round named after last month, made by the bureau's supervisor (钱督查)."""
    supervisor = people["ducha"]
    today = timezone.localdate()
    start, end = _last_month(today)
    name = f"{start.year}年{start.month}月案件质量评查"
    if ReviewRound.objects.filter(name=name).exists():
        return None
    row = reviews.open_round(actor=supervisor, name=name, period_start=start, period_end=end)
    pool = reviews.candidates(row, supervisor)
    # Early in a demo's history few cases were answered last month: reach back further.
    while pool.count() < SIZE and (row.period_start > today - datetime.timedelta(days=150)):
        row.period_start -= datetime.timedelta(days=30)
        row.save(update_fields=["period_start"])
        pool = reviews.candidates(row, supervisor)
    if not pool.exists():
        return row
    made = reviews.sample(row, actor=supervisor, size=SIZE, seed=SEED)
    # The failing one: a case a township or department answered, so the findings go out.
    made.sort(key=lambda r: (r.unit.path.startswith(supervisor.unit.path), r.pk))
    failing, rest = made[0], made[1:]
    for item, scores in zip(rest, SCORES):
        reviews.review(item, actor=supervisor, scores=scores, notes={"answer": "答复规范，已告知救济途径"})
    reviews.review(failing, actor=supervisor, scores=FAILING, findings=FINDINGS,
                   notes={"timeliness": "超期答复", "answer": "未告知复查途径"})
    reviews.send(failing, actor=supervisor, due_date=today + datetime.timedelta(days=15))
    heads = reviews.unit_heads(failing.unit)
    if heads:
        reviews.respond(failing, actor=heads[0], text=RESPONSE)
    if rest:
        reviews.send(rest[0], actor=supervisor)
    _accountability(supervisor, failing)
    return row


def _accountability(supervisor, failing):
    case = failing.case
    if AccountabilityRecord.objects.filter(cases=case).exists():
        return
    unit = failing.unit if failing.unit.path.startswith(supervisor.unit.scope_root.path) else None
    reviews.record_decision(actor=supervisor, data={
        "summary": f"{failing.unit.name}办理信访事项{case.number}时调查核实不充分、超期答复且未告知复查途径，经案件评查认定为不合格。",
        "subject_unit": unit.code if unit else "", "subject_person": "" if unit else "（承办单位）",
        "subject_post": "", "decided_by": "中共安宁县委办公室", "decided_on": timezone.localdate() - datetime.timedelta(days=2),
        "basis": "《信访工作条例》第四十五条；《安宁县信访工作责任制实施细则》", "kind": "notice", "kind_other": "",
        "cases": [case.number],
    })
