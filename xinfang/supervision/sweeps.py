"""Reminders and overdue sweeps (催办): what the huey periodic task, the `sweep` command
and `POST /api/v1/sweeps` run. docs/supervision.md ("Reminders and sweeps") tells the
story; in short:

* The deadlines swept: the legal deadline (`Case.due_date`) of every case some unit owes
  (`cases.querysets.OWED`), owed by its current unit; and every open obligation
  (`cases.obligations`: status open; a reported result waits on the creditor, not the
  owner). A case's deadline is left to its obligation when the current unit owes an open
  obligation on the case with the same due date (the report-back of an assigned case):
  one ladder for one date.
* The ladder: a deadline within `remind_before_working_days` working days (the legal
  calendar's) gets a 临期提醒; a passed one a 逾期催办; one `escalate_after_days`
  calendar days overdue or more a 逾期通报, which also tells the supervising unit and
  raises the supervision level (below). Each step is made once per deadline and date:
  the reminder's `key` names them, so a new due date (sent back, extended) starts anew.
* Idempotent and concurrent-safe: one run is one transaction. Reminders are inserted
  straight from a SELECT of the deadlines with the database's "on conflict do nothing"
  on the unique key, marked as this run's; a key another worker is inserting at the
  same moment waits for that worker's transaction and is then skipped. The run then
  tells the people concerned of its own reminders (in-app notifications in bulk, emails
  by preference through the outbox, whose quiet hours hold them) and escalates. A run
  that dies leaves nothing: the next run makes it all. Reminders somehow made but never
  told (notified_at empty) are claimed and told by the next run. Nothing is made or
  sent twice, whatever runs at once.
* A fixed number of queries whatever the number of cases: the work is done by
  set-based statements; nothing is read or written per case.

The supervising unit: of an obligation, its creditor; of a case's legal deadline, the
registering unit when another unit has the case, else the petition office of the level
above (the parent government's petition office, or that government itself when it has
none). Escalation (逾期通报): an obligation goes one level up (一般 → 重点 → 挂牌 督办);
a case with open obligations has each raised one level (once, even when its own ladder
also escalated it); a case with none gets a new 一般督办 obligation from the supervising
unit, owed by the current unit within `remind_before_working_days` working days, with
source "sweep" (and no 临期提醒 of its own: the 逾期通报 told its date)."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import CharField, Count, DateField, DateTimeField, Exists, F, IntegerField, JSONField, Max, Min, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.calendar import periods
from xinfang.calendar.services import current_table
from xinfang.cases import clock
from xinfang.cases.choices import LEVEL_RANK, OBLIGATION_OPEN, DueKind, EntryKind, ObligationKind, ObligationStatus, SupervisionLevel
from xinfang.cases.models import Case, Obligation, ObligationEntry
from xinfang.cases.querysets import OWED
from xinfang.notify.kinds import Channel, Kind
from xinfang.notify.models import Notification, OutboundMessage, Preference
from xinfang.org.choices import Role, UnitKind
from xinfang.org.models import Unit

from .models import Reminder, ReminderKind

RK = ReminderKind
NEXT_LEVEL = {"": SupervisionLevel.GENERAL, SupervisionLevel.GENERAL: SupervisionLevel.KEY,
              SupervisionLevel.KEY: SupervisionLevel.LISTED}
# Who is told, in the owner unit and in the supervising unit.
OWNER_ROLES = (Role.HEAD, Role.HANDLER)
SUPERVISOR_ROLES = (Role.HEAD, Role.SUPERVISOR)
SWEEP_SOURCE = "sweep"
STEP_TITLE = {RK.NEAR: "临期提醒", RK.OVERDUE: "逾期催办", RK.ESCALATED: "逾期通报"}


def config():
    return settings.SUPERVISION


@dataclass
class SweepResult:
    """What one run did (the command prints it, the API answers it)."""

    today: str = ""
    horizon: str = ""
    created: dict = field(default_factory=lambda: {k: 0 for k in RK.values})
    told: int = 0
    notifications: int = 0
    emails: int = 0
    escalated: int = 0
    opened: int = 0

    @property
    def total(self):
        return sum(self.created.values())

    def as_dict(self):
        return {"today": self.today, "horizon": self.horizon, "created": dict(self.created), "total": self.total,
                "told": self.told, "notifications": self.notifications, "emails": self.emails,
                "escalated": self.escalated, "opened": self.opened}

    def __str__(self):
        made = "，".join(f"{RK(k).label}{n}件" for k, n in self.created.items())
        return (f"{self.today} 催办扫描：新建催办{self.total}件（{made}）；通知{self.notifications}条，邮件{self.emails}封；"
                f"提级督办{self.escalated}件，新立督办{self.opened}件")


# --- dates -------------------------------------------------------------------------------


def horizon(today, days=None):
    """The last day that counts as near: `days` working days after `today` (not counted)."""
    days = config()["remind_before_working_days"] if days is None else days
    table, d = current_table(), today
    while days > 0:
        d += datetime.timedelta(days=1)
        if periods.is_working_day(d, table):
            days -= 1
    return d


def _windows(today):
    """Each step of the ladder and its range of due dates (inclusive, None = open)."""
    late = today - datetime.timedelta(days=config()["escalate_after_days"])
    return {RK.NEAR: (today, horizon(today)), RK.OVERDUE: (late + datetime.timedelta(days=1), today - datetime.timedelta(days=1)),
            RK.ESCALATED: (None, late)}


# --- the supervising unit ------------------------------------------------------------------


def _units():
    return {u["pk"]: u for u in Unit.objects.values("pk", "parent_id", "kind", "name")}


def supervising_unit_ids(units):
    """{unit id: id of the unit that supervises its own cases' legal deadlines}: the
    petition office of the level above (or that government itself)."""
    offices = {}
    for u in units.values():
        if u["kind"] == UnitKind.PETITION_OFFICE and u["parent_id"]:
            offices.setdefault(u["parent_id"], u["pk"])
    result = {}
    for pk, u in units.items():
        own_level = u["parent_id"] if u["kind"] == UnitKind.PETITION_OFFICE else pk
        above = units.get(own_level, {}).get("parent_id") if own_level else None
        if above:
            result[pk] = offices.get(above, above)
    return result


# --- making the reminders -------------------------------------------------------------------


def _days_overdue(today, table_column):
    if connection.vendor == "postgresql":
        return RawSQL(f"(%s::date - {table_column})", (today,), output_field=IntegerField())  # nosec B611: a column of this module, the date a parameter
    return RawSQL(f"CAST(julianday(%s) - julianday({table_column}) AS INTEGER)", (today.isoformat(),),  # nosec B611: as above
                  output_field=IntegerField())


def _date_text(name):
    # A date as YYYY-MM-DD in the key: PostgreSQL's text cast and SQLite's stored text agree.
    return Cast(name, CharField())


def _in_window(name, window):
    low, high = window
    q = Q(**{f"{name}__lte": high})
    return q & Q(**{f"{name}__gte": low}) if low is not None else q


def _case_rows(step, window, today, now, supervisors, *, claim, notified_at):
    q = connection.ops.quote_name
    qn = f'{q(Case._meta.db_table)}.{q("due_date")}'
    covered = Obligation.objects.filter(case=OuterRef("pk"), owner_unit=OuterRef("current_unit"), status__in=OBLIGATION_OPEN,
                                        due_date=OuterRef("due_date"))
    rows = (Case.objects.order_by().filter(OWED, _in_window("due_date", window), current_unit__isnull=False)
            .exclude(Exists(covered)))
    labels = When_(*[When(due_kind=k, then=Value(k.label)) for k in DueKind], default=Value("办理期限"), output_field=CharField())
    others = When_(*[When(current_unit_id=u, then=Value(s)) for u, s in supervisors.items()], default=None,
                   output_field=IntegerField()) if supervisors else Value(None, output_field=IntegerField())
    values = {
        "r_key": Concat(Value("c"), Cast("pk", CharField()), Value(":"), "due_kind", Value(":"), _date_text("due_date"),
                        Value(f":{step.value}"), output_field=CharField()),
        "r_kind": Value(step.value),
        "r_case": F("pk"),
        "r_obligation": Value(None, output_field=IntegerField()),
        "r_unit": F("current_unit_id"),
        "r_unit_path": F("current_unit_path"),
        "r_responsible": Value(None, output_field=IntegerField()),
        "r_from": When_(When(~Q(unit_id=F("current_unit_id")), then=F("unit_id")), default=others, output_field=IntegerField()),
        "r_due": F("due_date"),
        "r_label": labels,
        "r_days": Value(0) if step == RK.NEAR else _days_overdue(today, qn),
        "r_created": Value(now),
        "r_claim": Value(claim),
        "r_told": Value(notified_at, output_field=DateTimeField()),
    }
    # In id order: two workers inserting the same keys at once take them in one order.
    return rows.annotate(**values).values(*values).order_by("pk")


def _obligation_rows(step, window, today, now, *, claim, notified_at):
    q = connection.ops.quote_name
    qn = f'{q(Obligation._meta.db_table)}.{q("due_date")}'
    rows = Obligation.objects.order_by().filter(_in_window("due_date", window), status=ObligationStatus.OPEN)
    if step == RK.NEAR:
        # A 督办 the sweep itself opened is due within the near window from the start: the
        # 逾期通报 that opened it told its date, so it gets no 临期提醒 besides.
        rows = rows.exclude(source=SWEEP_SOURCE)
    labels = When_(*[When(kind=k, then=Value(f"{k.label}期限")) for k in ObligationKind], default=Value("办理期限"),
                   output_field=CharField())
    values = {
        "r_key": Concat(Value("o"), Cast("pk", CharField()), Value(":"), _date_text("due_date"), Value(f":{step.value}"),
                        output_field=CharField()),
        "r_kind": Value(step.value),
        "r_case": F("case_id"),
        "r_obligation": F("pk"),
        "r_unit": F("owner_unit_id"),
        "r_unit_path": F("owner_path"),
        "r_responsible": F("responsible_id"),
        "r_from": F("creditor_unit_id"),
        "r_due": F("due_date"),
        "r_label": labels,
        "r_days": Value(0) if step == RK.NEAR else _days_overdue(today, qn),
        "r_created": Value(now),
        "r_claim": Value(claim),
        "r_told": Value(notified_at, output_field=DateTimeField()),
    }
    # In id order: two workers inserting the same keys at once take them in one order.
    return rows.annotate(**values).values(*values).order_by("pk")


COLUMNS = ("key", "kind", "case_id", "obligation_id", "unit_id", "unit_path", "responsible_id", "from_unit_id", "due_date",
           "due_label", "days_overdue", "created_at", "claim", "notified_at")


def _insert(queryset):
    """INSERT the rows of `queryset` (its columns in COLUMNS' order) as reminders, skipping
    keys that exist: one statement. Returns how many were new."""
    sql, params = queryset.query.sql_with_params()
    q = connection.ops.quote_name
    table, cols = q(Reminder._meta.db_table), ", ".join(q(Reminder._meta.get_field(c.removesuffix("_id")).column
                                                         if c.endswith("_id") else c) for c in COLUMNS)
    if connection.vendor == "postgresql":
        statement = f"INSERT INTO {table} ({cols}) {sql} ON CONFLICT ({q('key')}) DO NOTHING"
    else:
        statement = f"INSERT OR IGNORE INTO {table} ({cols}) {sql}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def make_reminders(today, now, result, units=None, *, claim=""):
    """Insert the reminders due today (each at most once, ever), as told by the run
    `claim` (which tells them in the same transaction), or untold without one. Returns
    the result."""
    supervisors = supervising_unit_ids(units if units is not None else _units())
    told = {"claim": claim, "notified_at": now if claim else None}
    for step, window in _windows(today).items():
        result.created[step] += _insert(_case_rows(step, window, today, now, supervisors, **told))
        result.created[step] += _insert(_obligation_rows(step, window, today, now, **told))
    return result


# --- telling and escalating ---------------------------------------------------------------


def _staff(units):
    """{unit id: {role: [(user id, email)]}} for the roles the sweep tells, the staff of a
    petition office also counted for the government it acts for."""
    User = get_user_model()
    wanted = [str(r) for r in set(OWNER_ROLES) | set(SUPERVISOR_ROLES)]
    by_unit = defaultdict(lambda: defaultdict(set))
    for pk, unit_id, role, email in (User.objects.filter(is_active=True, unit__isnull=False, groups__name__in=wanted)
                                     .values_list("pk", "unit_id", "groups__name", "email")):
        by_unit[unit_id][role].add((pk, email or ""))
        u = units.get(unit_id)
        if u and u["kind"] == UnitKind.PETITION_OFFICE and u["parent_id"]:
            by_unit[u["parent_id"]][role].add((pk, email or ""))
    return by_unit


def _people(staff, unit_id, roles):
    found = set()
    for role in roles:
        found |= staff.get(unit_id, {}).get(str(role), set())
    return found


def _link(unit_id):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("supervision:overdue") + f"?unit={unit_id}"
    except NoReverseMatch:
        return ""


def _tell(claimed, claim, now, units, result):
    """One notification per person, unit and step of the ladder for this run's reminders
    (a unit with many late matters gets one line, not a hundred), and an email to those
    who chose 期限临近或超期 by email and have an address."""
    staff = _staff(units)
    users = get_user_model().objects.filter(pk__in={r["responsible_id"] for r in claimed if r["responsible_id"]})
    responsible = {pk: email or "" for pk, email in users.values_list("pk", "email")}
    # (recipient, email), unit told about, step, whether as supervisor -> [count, worst, first id]
    groups = defaultdict(lambda: [0, 0, None])

    def add(key, r):
        acc = groups[key]
        acc[0] += r["n"]
        acc[1] = max(acc[1], r["worst"])
        acc[2] = r["first"] if acc[2] is None else min(acc[2], r["first"])

    for r in claimed:  # grouped by unit, step, supervising unit and responsible person
        owners = _people(staff, r["unit_id"], OWNER_ROLES)
        if r["responsible_id"] in responsible:
            owners.add((r["responsible_id"], responsible[r["responsible_id"]]))
        for person in owners:
            add((person, r["unit_id"], r["kind"], False), r)
        if r["kind"] == RK.ESCALATED and r["from_unit_id"]:
            for person in _people(staff, r["from_unit_id"], SUPERVISOR_ROLES) - owners:
                add((person, r["unit_id"], r["kind"], True), r)
    notes = []
    for ((user_id, email), unit_id, step, as_supervisor), (n, worst, first) in groups.items():
        unit_name = units.get(unit_id, {}).get("name", "")
        if step == RK.NEAR:
            body = f"{n}件事项将在{config()['remind_before_working_days']}个工作日内到期，请抓紧办理。"
        elif step == RK.OVERDUE:
            body = f"{n}件事项已超过期限（最长逾期{worst}天），请尽快办结并报告。"
        else:
            body = (f"{n}件事项逾期{config()['escalate_after_days']}天以上（最长逾期{worst}天），已提级督办"
                    + ("，请督促办理。" if as_supervisor else "，请立即办理并报告。"))
        notes.append(Notification(recipient_id=user_id, kind=Kind.DUE_SOON, title=f"{STEP_TITLE[step]}：{unit_name}{n}件"[:200],
                                  body=body, link=_link(unit_id), key=f"reminder:{claim}:{first}:{unit_id}:{step}",
                                  created_at=now))
    created = Notification.objects.bulk_create(notes, ignore_conflicts=True)
    result.notifications += len(created)
    wants = {user_id for user_id, kinds in Preference.objects.filter(user_id__in={n.recipient_id for n in notes})
             .values_list("user_id", "email_kinds") if Kind.DUE_SOON in (kinds or [])}
    emails = {pk: email for ((pk, email), *_rest) in groups if email}
    messages = [OutboundMessage(channel=Channel.EMAIL, to=emails[n.recipient_id], to_masked=_masked(emails[n.recipient_id]),
                                user_id=n.recipient_id, kind=Kind.DUE_SOON, subject=n.title, body=f"{n.body}\n\n{_absolute(n.link)}",
                                key=f"{n.key}:email", created_at=now, next_attempt_at=now)
                for n in notes if n.recipient_id in wants and n.recipient_id in emails]
    result.emails += len(OutboundMessage.objects.bulk_create(messages, ignore_conflicts=True)) if messages else 0


def _masked(address):
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


def _absolute(link):
    base = getattr(settings, "SITE_URL", "")
    return f"{base}{link}" if base and link else link


def _among(queryset, ids, column="id"):
    """`queryset` narrowed to rows whose `column` is one of `ids`: one array parameter on
    PostgreSQL (however many ids), an IN list elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        return queryset.extra(where=[f"{table}.{connection.ops.quote_name(column)} = ANY(%s)"], params=[sorted(ids)])  # nosec B610: quoted names of this module, the ids a parameter
    return queryset.filter(**{f"{column.removesuffix('_id')}__in" if column != "id" else "pk__in": ids})


def _insert_rows(model, columns, queryset):
    """INSERT INTO `model`'s table the rows `queryset` selects (its values in `columns`'
    order): one statement, no row passing through Python. Returns how many."""
    sql, params = queryset.query.sql_with_params()
    q = connection.ops.quote_name
    cols = ", ".join(q(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(model._meta.db_table)} ({cols}) {sql}", params)
        return max(cursor.rowcount, 0)


def _escalate(claim, today, now, result):
    """Raise the level for this run's 逾期通报 (see the module's docstring)."""
    mine = Reminder.objects.filter(claim=claim, kind=RK.ESCALATED)
    own = mine.filter(obligation__isnull=False).values("obligation_id")
    cases = mine.filter(obligation__isnull=True).values("case_id")
    targets = list(Obligation.objects.filter(Q(pk__in=own) | Q(case_id__in=cases), status__in=OBLIGATION_OPEN)
                   .exclude(level=SupervisionLevel.LISTED).values_list("pk", "level", "case_id", "creditor_unit_id"))
    # Highest first, so that no obligation rises two steps in one run.
    for old in (SupervisionLevel.KEY, SupervisionLevel.GENERAL, ""):
        ids = [pk for pk, level, *_ in targets if level == old]
        if ids:
            _among(Obligation.objects.filter(level=old), ids).update(level=NEXT_LEVEL[old], version=F("version") + 1)
    ObligationEntry.objects.bulk_create([
        ObligationEntry(obligation_id=pk, kind=EntryKind.ESCALATED, at=now, actor=None, unit_id=creditor,
                        text="逾期提级督办（催办扫描）", data={"from": level, "to": NEXT_LEVEL[level], "source": SWEEP_SOURCE})
        for pk, level, _case, creditor in targets])
    # Cases with no open obligation: a 一般督办 from the supervising unit, written straight
    # from the reminders (a backlog's first sweep may open thousands), with its entry.
    due = horizon(today)
    bare = (Reminder.objects.filter(claim=claim, kind=RK.ESCALATED, obligation__isnull=True, from_unit__isnull=False)
            .exclude(Exists(Obligation.objects.filter(case=OuterRef("case_id"), status__in=OBLIGATION_OPEN))).order_by("case_id"))
    opening = {
        "kind": Value(ObligationKind.SUPERVISION.value), "case": F("case_id"),
        "title": Substr(Concat(Value("逾期督办："), F("case__title"), output_field=CharField()), 1, 200),
        "requirement": Concat(Value("信访事项"), F("case__number"), Value(f"已逾期，请于{due:%Y-%m-%d}前办结并报告。"),
                              output_field=CharField()),
        "owner_unit": F("unit_id"), "owner_path": F("unit_path"), "creditor_unit": F("from_unit_id"),
        "creditor_path": F("from_unit__path"), "opened_at": Value(now, output_field=DateTimeField()),
        "due_date": Value(due, output_field=DateField()), "level": Value(SupervisionLevel.GENERAL.value),
        "status": Value(ObligationStatus.OPEN.value), "sent_back_count": Value(0), "source": Value(SWEEP_SOURCE), "version": Value(1),
    }
    opened = _insert_rows(Obligation, list(opening), bare.annotate(**{f"o_{k}": v for k, v in opening.items()})
                          .values(*[f"o_{k}" for k in opening]))
    new = Obligation.objects.filter(source=SWEEP_SOURCE, opened_at=now)
    if opened:
        entry = {
            "obligation": F("pk"), "kind": Value(EntryKind.OPENED.value), "at": Value(now, output_field=DateTimeField()),
            "unit": F("creditor_unit_id"), "text": F("requirement"), "due_date": F("due_date"),
            "data": Value({"level": SupervisionLevel.GENERAL.value, "source": SWEEP_SOURCE}, output_field=JSONField()),
        }
        _insert_rows(ObligationEntry, list(entry), new.order_by().annotate(**{f"e_{k}": v for k, v in entry.items()})
                     .values(*[f"e_{k}" for k in entry]))
    # Case.supervision_level: the highest level of its open obligations, for the cases
    # whose obligations changed (read once, written once per level).
    touched = {case_id for *_x, case_id, _c in targets if case_id} | set(new.values_list("case_id", flat=True) if opened else ())
    if touched:
        top = {}
        for case_id, level in _among(Obligation.objects.filter(status__in=OBLIGATION_OPEN), touched, "case_id").values_list(
                "case_id", "level"):
            if LEVEL_RANK[level] >= LEVEL_RANK[top.get(case_id, "")]:
                top[case_id] = level
        for level in (SupervisionLevel.GENERAL, SupervisionLevel.KEY, SupervisionLevel.LISTED):
            if ids := [c for c, lv in top.items() if lv == level]:
                _among(Case.objects.exclude(supervision_level=level), ids).update(supervision_level=level)
    result.escalated += len(targets)
    result.opened += opened
    if targets or opened:
        # Each obligation's own record names its step (entries "escalated" and "opened",
        # source "sweep"); the audit entry names the run.
        audit(actor=None, action="supervision.escalate", object_type="supervision.sweep", object_id=claim,
              detail={"raised": len(targets), "opened": opened, "date": today.isoformat(), "at": now.isoformat()})


def run(now=None):
    """One sweep: make today's reminders, tell the people concerned, escalate; one
    transaction, so that a run that dies leaves nothing half done. Safe to run any
    number of times, and at once on several workers: a key another worker is inserting
    waits for it to finish, then is skipped."""
    now = now or timezone.now()
    today = clock.as_date(now)
    result = SweepResult(today=today.isoformat(), horizon=horizon(today).isoformat())
    units = _units()
    claim = uuid.uuid4().hex
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The run may be lost whole in a crash of the server (the next run makes it all
            # again), so its commit need not wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        make_reminders(today, now, result, units, claim=claim)
        # Reminders made but never told (by an older run, or one made outside a run).
        Reminder.objects.filter(notified_at__isnull=True).update(claim=claim, notified_at=now)
        # This run's reminders, counted per unit, step, supervising unit and responsible
        # person: what the notifications say (a few hundred rows however many reminders).
        claimed = list(Reminder.objects.filter(claim=claim).order_by().values("unit_id", "kind", "from_unit_id", "responsible_id")
                       .annotate(n=Count("id"), worst=Max("days_overdue"), first=Min("id")))
        result.told = sum(r["n"] for r in claimed)
        if claimed:
            _tell(claimed, claim, now, units, result)
            _escalate(claim, today, now, result)
    return result

