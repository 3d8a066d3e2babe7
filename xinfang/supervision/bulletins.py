"""Bulletins (通报, 逾期未结通报): a supervisor's periodic account of which units of a
subtree were late, had results sent back and were reminded, with the matters behind
every figure.

What each figure counts, for a unit U named in a bulletin on the subtree of R for the
period [start, end] (calendar days in the deployment's time zone):

- 逾期未结 (overdue): what U owed and had not done by the end of the period, judged on
  `as_of` = the day after the period (or the day the figures were generated, when that
  comes first), as the records stand when the figures are generated:
  * every open obligation U owns (cases/obligations.py: report-back of an assigned
    case, supervision item, instruction...) whose due date is before `as_of` (status
    open: a result U reported waits on the creditor, not on U, as obligations.overdue
    says), and
  * every case whose current legal deadline (Case.due_date: deciding, handling,
    answering a review, delivering the answer) U owes as its current unit and that is
    before `as_of`; not while the case waits for the assigning unit to approve U's
    report (status reported), for the same reason.
  A case counted through an obligation of U is not counted again through its deadline:
  one matter, one line. Matters overdue since before the period count too: the figure
  is what stood unanswered at the period's end (逾期未结), not only what fell due in it.
- 退回补办 (sent back): each time a result of an obligation U owns was sent back for
  more work in the period (ObligationEntry kind sent_back); twice is two.
- 催办 (reminded): each reminder (催办单, supervision.models.Reminder) addressed to U
  created in the period.

A unit is named (a line, a read receipt, a notification) when at least one of its
figures is not zero; the bulletin also says how many units of the subtree had nothing.
The subtree total of each figure is the sum of the lines. Figures and lists are frozen in
the lines when generated, so a published bulletin never changes as cases move on.

Who: supervisors, leaders and unit heads generate, regenerate, publish and delete (a
draft only) bulletins on units within their scope; the staff of a named unit read a
published one, and the first of them to open it marks their unit's receipt read."""

import datetime
import io

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.cases import clock
from xinfang.cases.choices import EntryKind, Kind, ObligationStatus, Status
from xinfang.cases.models import Case, Obligation, ObligationEntry
from xinfang.documents import services as documents
from xinfang.documents.kinds import DocKind
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState, require
from xinfang.notify import services as notify
from xinfang.notify.kinds import Kind as NotifyKind
from xinfang.org.choices import Role, UnitKind
from xinfang.org.models import Unit, User

from .models import Bulletin, BulletinLine, BulletinReceipt, BulletinStatus, PeriodKind, Reminder

MANAGE_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.HEAD)
FIGURES = ("overdue", "sent_back", "reminded")
FIGURE_LABELS = {"overdue": "逾期未结", "sent_back": "退回补办", "reminded": "催办"}
NOTE_LIMIT = 5000
EARLIEST_YEAR = 2000
# An accusation's subject never travels in a bulletin read by many units (Art. 30).
SHIELDED_TITLE = "检举控告事项（内容不公开）"


# --- who ---------------------------------------------------------------------------------


def may_manage(user, unit=None):
    """Whether `user` may generate bulletins (on `unit`, when given)."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None or not user.has_role(*MANAGE_ROLES):
        return False
    return unit is None or unit.is_within(user.unit.scope_root)


def _manages(user, bulletin):
    return may_manage(user) and bulletin.root_path.startswith(user.unit.scope_root.path)


def visible_to(user):
    """The bulletins `user` may open: those on units within their scope, when they may
    generate bulletins (drafts too); and the published ones naming their unit."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Bulletin.objects.none()
    named = Q(status=BulletinStatus.PUBLISHED, receipts__unit__in=user.unit.acts_for)
    if may_manage(user):
        named |= Q(root_path__startswith=user.unit.scope_root.path)
    ids = Bulletin.objects.filter(named).values("pk")
    return Bulletin.objects.filter(pk__in=ids)


def get_for(user, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    row = visible_to(user).select_related("root_unit", "issuing_unit", "created_by", "published_by").filter(pk=pk).first()
    if row is None:
        raise NotFound("找不到该通报或无权查看 / No such bulletin, or not visible to you.")
    return row


def manages(user, bulletin):
    return _manages(user, bulletin)


def units_for(user):
    """The units `user` may generate a bulletin on (a queryset)."""
    if not may_manage(user):
        return Unit.objects.none()
    return Unit.objects.subtree(user.unit.scope_root).filter(is_active=True)


def list_for(user):
    """The bulletins of the list page: for a supervisor those of their scope, newest
    first; for the staff of a named unit those naming it, unread first. Each carries
    `read_count`, `receipt_count` and `my_receipt` (the reader's unit's, or None)."""
    qs = list(visible_to(user).select_related("root_unit", "issuing_unit").order_by("-created_at", "-id")[:200])
    receipts = BulletinReceipt.objects.filter(bulletin__in=[b.pk for b in qs]).values_list("bulletin_id", "unit_id", "read_at")
    counts, mine = {}, {}
    acts_for = user.unit.acts_for if user.unit_id else set()
    for bulletin_id, unit_id, read_at in receipts:
        total, read = counts.get(bulletin_id, (0, 0))
        counts[bulletin_id] = (total + 1, read + (read_at is not None))
        if unit_id in acts_for:
            mine[bulletin_id] = read_at
    for b in qs:
        b.receipt_count, b.read_count = counts.get(b.pk, (0, 0))
        b.names_mine = b.pk in mine
        b.unread_mine = b.names_mine and mine[b.pk] is None
    # Unread first for the named unit's staff; the rest as they came (newest first).
    return sorted(qs, key=lambda b: not b.unread_mine)


# --- the period --------------------------------------------------------------------------



def period(kind, start, end=None, *, today=None):
    """(start, end) of a bulletin: a week (Monday to Sunday) or a calendar month
    containing `start`, or the custom dates given. Refused when the end is before the
    start or after today (a period not over yet has no figures to report)."""
    today = today or clock.as_date()
    if kind not in PeriodKind.values:
        raise Invalid("通报类型应为周通报、月通报或自定义期间 / The period is weekly, monthly or custom.",
                      fields={"period_kind": "|".join(PeriodKind.values)})
    require({"start": start})
    start = clock.parse_date(start, "start")
    if start.year < EARLIEST_YEAR:
        raise Invalid(f"起始日期不能早于{EARLIEST_YEAR}年 / The period cannot start before {EARLIEST_YEAR}.", fields={"start": "过早 / Too early."})
    if end is not None and kind == PeriodKind.CUSTOM:
        end = clock.parse_date(end, "end")
        if end.year > today.year + 1:
            end = today + datetime.timedelta(days=1)  # refused below as after today, without date arithmetic overflowing
    if start > today:
        raise Invalid(f"通报期间不能晚于今天（{today:%Y-%m-%d}），请选择已结束的期间 / The period cannot end after today ({today}).",
                      code="period_in_future", fields={"start": "晚于今天 / After today."})
    if kind == PeriodKind.WEEKLY:
        start = start - datetime.timedelta(days=start.weekday())
        end = start + datetime.timedelta(days=6)
    elif kind == PeriodKind.MONTHLY:
        start = start.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    else:
        require({"end": end})
        end = clock.parse_date(end, "end")
    if end < start:
        raise Invalid("截止日期不能早于起始日期 / The period cannot end before it starts.", code="end_before_start",
                      fields={"end": "早于起始日期 / Before the start."})
    if end > today:
        raise Invalid(f"通报期间不能晚于今天（{today:%Y-%m-%d}），请选择已结束的期间 / The period cannot end after today ({today}).",
                      code="period_in_future", fields={"end": "晚于今天 / After today."})
    return start, end


def _period_label(kind, start, end):
    if kind == PeriodKind.MONTHLY:
        return f"{start.year}年{start.month}月"
    if start.year == end.year:
        return f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def default_title(kind, start, end, root):
    return f"关于{root.name}{_period_label(kind, start, end)}信访事项逾期未结、退回补办和催办情况的通报"


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- the figures -------------------------------------------------------------------------


def _case_title(case):
    return SHIELDED_TITLE if case is not None and case.kind == Kind.ACCUSATION else (case.title if case else "")


def _obligation_item(o, as_of, typ="obligation"):
    return {"type": typ, "id": o.pk, "case": o.case_id, "number": o.case.number if o.case_id else "",
            "title": _case_title(o.case) if o.case_id else o.title, "matter": o.get_kind_display(),
            "unit": o.owner_unit.name, "due_date": o.due_date.isoformat(), "days_overdue": max((as_of - o.due_date).days, 0)}


def compute(root, start, end, *, now=None):
    """The lines of a bulletin on `root`'s subtree for [start, end]: a list of dicts
    (unit, overdue, sent_back, reminded, items) for the units with a figure, in the
    units' order, and `as_of`. Reads a bounded number of queries whatever the size."""
    now = now or timezone.now()
    as_of = min(end + datetime.timedelta(days=1), clock.as_date(now))
    since, until = _day_start(start), _day_start(end + datetime.timedelta(days=1))
    items = {}  # unit id -> {figure: [item]}

    def add(unit_id, figure, item):
        items.setdefault(unit_id, {f: [] for f in FIGURES})[figure].append(item)

    owed = (Obligation.objects.filter(owner_path__startswith=root.path, status=ObligationStatus.OPEN, due_date__lt=as_of)
            .select_related("case", "owner_unit").order_by("due_date", "id"))
    counted = set()
    for o in owed:
        add(o.owner_unit_id, "overdue", _obligation_item(o, as_of))
        if o.case_id:
            counted.add((o.owner_unit_id, o.case_id))
    cases = (Case.objects.filter(current_unit_path__startswith=root.path, due_date__lt=as_of).exclude(status=Status.REPORTED)
             .select_related("current_unit").order_by("due_date", "id"))
    for c in cases:
        if c.current_unit_id is None or (c.current_unit_id, c.pk) in counted:
            continue
        add(c.current_unit_id, "overdue", {"type": "case", "id": c.pk, "case": c.pk, "number": c.number, "title": _case_title(c),
                                           "matter": c.get_due_kind_display() or "法定期限", "unit": c.current_unit.name,
                                           "due_date": c.due_date.isoformat(), "days_overdue": (as_of - c.due_date).days})
    entries = (ObligationEntry.objects.filter(kind=EntryKind.SENT_BACK, at__gte=since, at__lt=until,
                                              obligation__owner_path__startswith=root.path)
               .select_related("obligation__case", "obligation__owner_unit").order_by("at", "id"))
    for e in entries:
        o = e.obligation
        item = _obligation_item(o, as_of, typ="sent_back")
        item.update(id=e.pk, obligation=o.pk, at=timezone.localtime(e.at).isoformat(), text=e.text[:200],
                    due_date=(e.due_date or o.due_date).isoformat(), days_overdue=0)
        add(o.owner_unit_id, "sent_back", item)
    reminders = (Reminder.objects.filter(unit_path__startswith=root.path, created_at__gte=since, created_at__lt=until)
                 .select_related("case", "obligation__case", "unit").order_by("created_at", "id"))
    for r in reminders:
        case = r.case or (r.obligation.case if r.obligation_id else None)
        add(r.unit_id, "reminded", {"type": "reminder", "id": r.pk, "case": case.pk if case else None,
                                    "obligation": r.obligation_id, "number": case.number if case else "",
                                    "title": _case_title(case) if case else (r.obligation.title if r.obligation_id else ""),
                                    "matter": f"{r.get_kind_display()}（{r.due_label}）", "unit": r.unit.name,
                                    "due_date": r.due_date.isoformat(), "days_overdue": r.days_overdue,
                                    "at": timezone.localtime(r.created_at).isoformat()})
    units = {u.pk: u for u in Unit.objects.filter(pk__in=items)}
    lines = []
    for unit in sorted(units.values(), key=lambda u: (u.path.count("/"), u.sort_order, u.path)):
        found = items[unit.pk]
        lines.append({"unit": unit, **{f: len(found[f]) for f in FIGURES}, "items": found})
    return lines, as_of


# --- generating, publishing --------------------------------------------------------------


def _note(value):
    value = str(value or "").strip()
    if len(value) > NOTE_LIMIT:
        raise Invalid(f"通报意见不超过{NOTE_LIMIT}字 / At most {NOTE_LIMIT} characters.", fields={"note": "过长 / Too long."})
    return value


def _title(value, default):
    value = str(value or "").strip() or default
    if len(value) > 200:
        raise Invalid("标题不超过200字 / The title is at most 200 characters.", fields={"title": "过长 / Too long."})
    return value


def _require_manager(actor, unit):
    if not getattr(actor, "is_authenticated", False) or actor.unit_id is None or not actor.has_role(*MANAGE_ROLES):
        raise NotAllowed("只有督查员、领导或单位负责人可以生成通报 / Only supervisors, leaders and unit heads may issue bulletins.")
    if not unit.is_within(actor.unit.scope_root):
        raise NotAllowed(f"{unit.name}不在您的管辖范围内 / {unit.name} is outside your scope.", code="out_of_scope",
                         fields={"unit": "超出管辖范围 / Outside your scope."})


def _unit(value):
    if isinstance(value, Unit):
        return value
    require({"unit": value})
    unit = Unit.objects.filter(code=str(value).strip(), is_active=True).first()
    if unit is None:
        raise Invalid("单位不存在 / No such unit.", fields={"unit": f"找不到单位代码 {value} / Unknown unit code."})
    return unit


def _fill(bulletin, lines, *, units_in_scope):
    BulletinLine.objects.bulk_create([
        BulletinLine(bulletin=bulletin, unit=line["unit"], unit_name=line["unit"].name, position=i,
                     **{f: line[f] for f in FIGURES}, items=line["items"]) for i, line in enumerate(lines)])
    bulletin.overdue_total = sum(line["overdue"] for line in lines)
    bulletin.sent_back_total = sum(line["sent_back"] for line in lines)
    bulletin.reminded_total = sum(line["reminded"] for line in lines)
    bulletin.units_in_scope = units_in_scope


def generate(*, actor, unit, period_kind, start, end=None, title="", note="", now=None):
    """A draft bulletin on `unit`'s subtree for the period, its figures computed now."""
    now = now or timezone.now()
    unit = _unit(unit)
    _require_manager(actor, unit)
    start, end = period(period_kind, start, end, today=clock.as_date(now))
    title = _title(title, default_title(period_kind, start, end, unit))
    note = _note(note)
    with transaction.atomic():
        lines, as_of = compute(unit, start, end, now=now)
        bulletin = Bulletin(title=title, period_kind=period_kind, start=start, end=end, as_of=as_of, root_unit=unit,
                            root_path=unit.path, issuing_unit=actor.unit, created_by=actor, created_at=now, generated_at=now, note=note)
        bulletin.save()
        _fill(bulletin, lines, units_in_scope=Unit.objects.subtree(unit).filter(is_active=True).count())
        bulletin.save(update_fields=["overdue_total", "sent_back_total", "reminded_total", "units_in_scope"])
        audit(actor=actor, action="bulletin.generate", obj=bulletin,
              detail={"unit": unit.code, "start": start.isoformat(), "end": end.isoformat(), "lines": len(lines)})
    return bulletin


def _locked(bulletin, actor):
    row = Bulletin.objects.select_for_update().select_related("root_unit").filter(pk=getattr(bulletin, "pk", bulletin)).first()
    if row is None:
        raise NotFound("找不到该通报 / No such bulletin.")
    if not _manages(actor, row):
        raise NotAllowed("您无权管理该通报 / You may not manage this bulletin.")
    return row


def _draft_only(row, doing):
    if row.status != BulletinStatus.DRAFT:
        raise WrongState(f"通报已发布，不能{doing} / The bulletin is published: it cannot be changed.", code="published")


def regenerate(bulletin, *, actor, title=None, note=None, now=None):
    """Compute a draft's figures again (the records moved on), and change its title or
    note when given."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(bulletin, actor)
        _draft_only(row, "重新生成")
        if title is not None:
            row.title = _title(title, default_title(row.period_kind, row.start, row.end, row.root_unit))
        if note is not None:
            row.note = _note(note)
        lines, row.as_of = compute(row.root_unit, row.start, row.end, now=now)
        row.lines.all().delete()
        _fill(row, lines, units_in_scope=Unit.objects.subtree(row.root_unit).filter(is_active=True).count())
        row.generated_at = now
        row.save(update_fields=["title", "note", "as_of", "generated_at", "overdue_total", "sent_back_total", "reminded_total",
                                "units_in_scope"])
        audit(actor=actor, action="bulletin.regenerate", obj=row, detail={"lines": len(lines)})
    return row


def edit(bulletin, *, actor, title=None, note=None):
    """Change a draft's title or the supervisor's note without computing again."""
    with transaction.atomic():
        row = _locked(bulletin, actor)
        _draft_only(row, "修改")
        if title is not None:
            row.title = _title(title, default_title(row.period_kind, row.start, row.end, row.root_unit))
        if note is not None:
            row.note = _note(note)
        row.save(update_fields=["title", "note"])
        audit(actor=actor, action="bulletin.edit", obj=row)
    return row


def delete(bulletin, *, actor):
    """Delete a draft. A published bulletin stays for good."""
    with transaction.atomic():
        row = _locked(bulletin, actor)
        _draft_only(row, "删除")
        audit(actor=actor, action="bulletin.delete", obj=row, detail={"title": row.title})
        row.delete()


def staff_of(units):
    """The active users who work for `units`: their own staff and, for a government,
    the staff of its petition office (who act for it)."""
    ids = [u.pk for u in units]
    return list(User.objects.filter(is_active=True).filter(
        Q(unit__in=ids) | Q(unit__parent__in=ids, unit__kind=UnitKind.PETITION_OFFICE)).select_related("unit"))


def publish(bulletin, *, actor, link="", now=None):
    """Publish a draft as it stands: number it (文号 of the issuing unit's 通报 series),
    make one read receipt per unit named, and tell those units' staff."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked(bulletin, actor)
        _draft_only(row, "再次发布")
        row.number = documents.next_number(row.issuing_unit, DocKind.BULLETIN, clock.as_date(now).year)
        row.status, row.published_at, row.published_by = BulletinStatus.PUBLISHED, now, actor
        row.save(update_fields=["number", "status", "published_at", "published_by"])
        lines = list(row.lines.select_related("unit"))
        BulletinReceipt.objects.bulk_create([BulletinReceipt(bulletin=row, unit=line.unit, notified_at=now) for line in lines])
        by_unit = {}
        for user in staff_of([line.unit for line in lines]):
            by_unit.setdefault(user.unit_id, []).append(user)
            if user.unit.parent_id and user.unit.kind == UnitKind.PETITION_OFFICE:
                by_unit.setdefault(user.unit.parent_id, []).append(user)
        for line in lines:
            figures = "，".join(f"{FIGURE_LABELS[f]}{getattr(line, f)}" for f in FIGURES if getattr(line, f))
            notify.inform(by_unit.get(line.unit_id, []), kind=NotifyKind.SYSTEM, title=f"通报：{row.title}"[:200],
                          body=f"{row.number} 通报{line.unit_name}：{figures}。请查阅。", link=link, key=f"bulletin:{row.pk}:{line.unit_id}")
        audit(actor=actor, action="bulletin.publish", obj=row, detail={"number": row.number, "units": len(lines)})
    return row


def mark_read(bulletin, user, *, now=None):
    """The first opening of a published bulletin by the staff of a unit it names marks
    that unit's receipt read (once: later readers change nothing). Returns the receipts
    marked now."""
    if bulletin.status != BulletinStatus.PUBLISHED or not getattr(user, "unit_id", None):
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        marked = BulletinReceipt.objects.filter(bulletin=bulletin, unit__in=user.unit.acts_for, read_at__isnull=True).update(
            read_at=now, read_by=user)
        if marked:
            audit(actor=user, action="bulletin.read", obj=bulletin, detail={"unit": user.unit.code})
    return marked


def receipts_of(bulletin):
    return list(bulletin.receipts.select_related("unit", "read_by").order_by("read_at", "unit__path"))


def lines_of(bulletin):
    return list(bulletin.lines.select_related("unit"))


def figure_list(bulletin, figure, unit_id=None):
    """The matters behind one figure: of one unit's line, or of the whole bulletin
    (each item with its unit)."""
    if figure not in FIGURES:
        raise NotFound("没有该项统计 / No such figure.")
    lines = lines_of(bulletin)
    if unit_id is not None:
        lines = [line for line in lines if line.unit_id == unit_id]
        if not lines:
            raise NotFound("该单位不在此通报中 / The unit is not named in this bulletin.")
    return [item for line in lines for item in line.items.get(figure, [])]


# --- files -------------------------------------------------------------------------------


def _body_text(bulletin):
    named = bulletin.lines.count()
    return (f"现将{bulletin.root_unit.name}{_period_label(bulletin.period_kind, bulletin.start, bulletin.end)}"
            f"（{bulletin.start:%Y-%m-%d}至{bulletin.end:%Y-%m-%d}）信访事项办理中逾期未结、退回补办和催办情况通报如下："
            f"范围内{bulletin.units_in_scope}个单位中，{named}个单位被通报，共逾期未结{bulletin.overdue_total}件、"
            f"退回补办{bulletin.sent_back_total}次、催办{bulletin.reminded_total}次（逾期以{bulletin.as_of:%Y-%m-%d}为判定日）。"
            f"各单位情况见下表，所涉事项见附件。")


def _table(doc, headers, rows, widths):
    """A grid table in the body face, 12 pt, with the column widths (cm) given."""
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False

    def put(cell, text, bold=False):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.font.size, run.font.bold, run.font.name = Pt(12), bold, "仿宋_GB2312"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        put(cell, text, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            put(cell, text)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def docx(bulletin):
    """The bulletin as an editable Word file: the office's 通报 template (documents app,
    the deployment's own when uploaded) filled with the title, the text and the note,
    then the table of units × figures after the text and the annex of the matters
    behind each figure at the end (python-docx: a table of any length)."""
    from docx import Document
    from docx.shared import Pt

    lines = lines_of(bulletin)
    context = {"unit_name": bulletin.issuing_unit.name, "doc_number": bulletin.number or "（草稿，未编号）",
               "issue_date_cn": documents.cn_date(bulletin.published_at or bulletin.generated_at), "title": bulletin.title,
               "to_unit_name": "各有关单位", "body": _body_text(bulletin), "requirements": bulletin.note}
    doc = Document(io.BytesIO(documents.render(DocKind.BULLETIN, context, unit=bulletin.issuing_unit)))
    anchor = next((p for p in doc.paragraphs if p.text.startswith("现将")), doc.paragraphs[-1])
    rows = [(i, line.unit_name, line.overdue, line.sent_back, line.reminded) for i, line in enumerate(lines, 1)]
    rows.append(("", "合计", bulletin.overdue_total, bulletin.sent_back_total, bulletin.reminded_total))
    table = _table(doc, ("序号", "单位", "逾期未结（件）", "退回补办（次）", "催办（次）"), rows, (1.4, 6.2, 3, 3, 2.6))
    anchor._p.addnext(table._tbl)
    doc.add_page_break()
    for figure in FIGURES:
        items = [(line.unit_name, item) for line in lines for item in line.items.get(figure, [])]
        head = doc.add_paragraph()
        run = head.add_run(f"附件：{FIGURE_LABELS[figure]}事项清单（{len(items)}）")
        run.font.bold, run.font.size = True, Pt(14)
        _table(doc, ("序号", "事项编号", "标题", "单位", "期限", "逾期天数"),
               [(i, item["number"] or "—", item["title"], unit, item["due_date"], item["days_overdue"])
                for i, (unit, item) in enumerate(items, 1)], (1.2, 3.6, 5, 3.2, 2.4, 1.8))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx(bulletin):
    """The bulletin as an Excel workbook: a sheet of units × figures with the total, and
    a sheet per figure listing its matters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lines = lines_of(bulletin)
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([bulletin.title])
    sheet.append([f"{bulletin.number or '草稿'}　期间 {bulletin.start:%Y-%m-%d} 至 {bulletin.end:%Y-%m-%d}　逾期判定日 {bulletin.as_of:%Y-%m-%d}"])
    sheet.append(["序号", "单位", "逾期未结（件）", "退回补办（次）", "催办（次）"])
    for i, line in enumerate(lines, 1):
        sheet.append([i, line.unit_name, line.overdue, line.sent_back, line.reminded])
    sheet.append(["", "合计", bulletin.overdue_total, bulletin.sent_back_total, bulletin.reminded_total])
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 30
    for figure in FIGURES:
        ws = book.create_sheet(FIGURE_LABELS[figure])
        ws.append(["序号", "事项编号", "标题", "单位", "事项", "期限", "逾期天数", "时间"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        n = 0
        for line in lines:
            for item in line.items.get(figure, []):
                n += 1
                ws.append([n, item["number"], item["title"], line.unit_name, item.get("matter", ""), item["due_date"],
                           item["days_overdue"], (item.get("at") or "")[:16].replace("T", " ")])
        ws.column_dimensions["C"].width = 40
        ws.column_dimensions["D"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(bulletin, ext):
    return f"{bulletin.number or '通报草稿'}{bulletin.start:%Y%m%d}-{bulletin.end:%Y%m%d}.{ext}"
