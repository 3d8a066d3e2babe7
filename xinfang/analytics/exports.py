"""The case list as a ledger (台账) for a spreadsheet: one row per case of the list the
user filtered, in the list's order. What is listed is decided by `nlp.filters.filter_cases`
alone; this module only says what each row shows.

Never in a row: a petitioner's ID number, phone or address, not even masked — the
petitioners are loaded without those columns. The sex and household place (户籍地) are
those of the first petitioner, as a ledger has them. An accuser's name only for whoever may
see who brought it (`Petition.shield_unit`, which travels with the petition; Art. 30)."""

from django.db.models import Prefetch
from django.utils import timezone

from xinfang.cases.choices import OPEN_STATUSES, Channel, Kind, Satisfaction, Status, SupervisionLevel
from xinfang.intake.models import Petition, Petitioner
from xinfang.org.models import identity_shown

HEADER = ["事项编号", "登记日期", "渠道", "性质", "问题类别（一级）", "问题类别（二级）", "标题", "信访人", "性别", "户籍地", "人数", "是否集体访",
          "重复信访次数", "当前办理单位", "状态", "督办级别", "受理期限", "办理期限", "是否逾期", "答复日期", "是否按期答复", "满意度"]
WIDTHS = [22, 12, 12, 10, 14, 16, 36, 24, 6, 20, 6, 10, 12, 22, 10, 10, 12, 12, 10, 12, 12, 10]
SHEET = "信访事项台账"
SHIELDED = "（检举人信息不予显示）"
ANONYMOUS = "匿名"
MAX_NAMES = 10  # a collective visit of a hundred people is "甲、乙…等100人"
CHUNK = 2000  # rows per database round trip; prefetching runs once per chunk

YES, NO = "是", "否"


def ledger_queryset(qs):
    """`qs` (from filter_cases) with what a row needs, in a fixed number of queries per
    chunk of rows: the units and categories joined, the petitions and petitioners' names
    prefetched — and nothing else of the petitioners."""
    petitioners = Petitioner.objects.order_by("position", "id").only("id", "petition_id", "name", "position", "sex",
                                                                     "household_place")
    petitions = (Petition.objects.order_by("received_at", "id").only("id", "case_id", "received_at", "channel", "shield_unit_id")
                 .prefetch_related(Prefetch("petitioners", queryset=petitioners, to_attr="ledger_people")))
    return qs.select_related("current_unit", "category", "category__parent").prefetch_related(
        Prefetch("petitions", queryset=petitions, to_attr="ledger_petitions"))


def _day(value):
    """A date, or a moment as its local (TIME_ZONE, Asia/Shanghai) date, as YYYY-MM-DD."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _yes_no(value):
    return "" if value is None else (YES if value else NO)


def _label(choices, code):
    return choices(code).label if code in choices.values else (code or "")


def petitioner_names(case, user):
    """The names of whoever brought the case, across all its petitions, each once; an
    accuser's (a petition shielded from `user`, wherever it was merged) never."""
    if case.kind == Kind.ACCUSATION and not identity_shown(user, case.unit_id):
        return SHIELDED
    names, shielded = [], False
    for petition in case.ledger_petitions:
        if not petition.shows_identity_to(user):
            shielded = True
            continue
        for person in petition.ledger_people:
            name = person.name.strip()
            if name and name not in names:
                names.append(name)
    if shielded:
        return "、".join(names[:MAX_NAMES] + [SHIELDED])
    if not names:
        return ANONYMOUS
    text = "、".join(names[:MAX_NAMES])
    return f"{text}等{len(names)}人" if len(names) > MAX_NAMES else text


def first_person(case, user):
    """(sex, household place) of the first petitioner who gave either, or blanks —
    blanks too for whoever may not see who brought the case."""
    if case.kind != Kind.ACCUSATION or identity_shown(user, case.unit_id):
        for petition in case.ledger_petitions:
            if not petition.shows_identity_to(user):
                continue
            for person in petition.ledger_people:
                if person.sex or person.household_place:
                    return person.get_sex_display() if person.sex else "", person.household_place
    return "", ""


def row(case, user, today):
    category = case.category
    top, second = "", ""
    if category is not None:
        top, second = (category.parent.name, category.name) if category.parent_id else (category.name, "")
    first = case.ledger_petitions[0] if case.ledger_petitions else None
    overdue = case.status in OPEN_STATUSES and case.due_date is not None and case.due_date < today
    return [
        case.number, _day(case.received_at), _label(Channel, first.channel) if first else "", case.get_kind_display(),
        top, second, case.title, petitioner_names(case, user), *first_person(case, user), case.headcount, _yes_no(case.is_collective),
        max(case.petition_count - 1, 0), case.current_unit.name if case.current_unit_id else "", _label(Status, case.status),
        _label(SupervisionLevel, case.supervision_level), _day(case.decide_due), _day(case.handle_due), _yes_no(overdue), _day(case.replied_at),
        _yes_no(case.replied_on_time), _label(Satisfaction, case.satisfaction),
    ]


def rows(qs, user):
    """The ledger's rows for `qs` (already scoped and filtered), streamed in chunks."""
    today = timezone.localdate()
    for case in ledger_queryset(qs).iterator(chunk_size=CHUNK):
        yield row(case, user, today)
