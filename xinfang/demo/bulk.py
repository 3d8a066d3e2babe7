"""Synthetic cases for benchmarks, written straight into the tables in large batches.

NOT for demos and NOT a way to create real data: it bypasses the services, so there is
no audit trail and no timeline beyond the registration event. What it keeps consistent
is what queries and indexes see: gapless numbers per unit and year (and the sequence
rows that continue them), unit paths, statuses with the dates and deadlines that go
with them, one petition with one petitioner and one register event per case, and the
routing rows of cases that went to another unit.
"""

import csv
import datetime as dt
import random
import time
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from xinfang.cases import clock
from xinfang.cases.choices import Action, Channel, Kind, Satisfaction, Stage, Status
from xinfang.cases.models import Case, CaseAssignment, CaseEvent, CaseNumberSequence
from xinfang.intake.models import Category, Petition, Petitioner
from xinfang.lib.fields import EncryptedTextField, LookupHashField

from . import fake
from .people import build
from .scenarios import SCENARIOS, fill, slots

S = Status
REGISTERING = {"bureau": 70, "chengguan_office": 9, "qingshan": 7, "hekou": 7, "city_office": 7}
REGISTRAR_OF = {"bureau": "dengji", "chengguan_office": "cg_dengji", "qingshan": "qs_fuzeren", "hekou": "hk_fuzeren", "city_office": "city_fuzeren"}
HANDLERS = ("land", "housing", "labour", "environment", "education", "police", "chengguan", "qingshan", "hekou",
            "dongjie", "xijie", "shanxia", "zhuling", "dukou", "xinhe")
CHANNELS = {Channel.ONLINE: 32, Channel.LETTER: 22, Channel.VISIT: 24, Channel.PHONE: 14, Channel.DEPUTY: 3, Channel.REFERRAL: 5}
KINDS = {Kind.GRIEVANCE: 80, Kind.ACCUSATION: 10, Kind.SUGGESTION: 10}
# Status by age: young cases are mostly open, old ones mostly finished.
BY_AGE = [
    (15, {S.REGISTERED: 40, S.FORWARDED: 5, S.ACCEPTED: 15, S.ASSIGNED: 20, S.IN_PROGRESS: 12, S.DECLINED: 5, S.REPLIED: 3}),
    (75, {S.REGISTERED: 1.5, S.FORWARDED: 0.5, S.ACCEPTED: 3, S.ASSIGNED: 10, S.IN_PROGRESS: 30, S.REPLIED: 14, S.EVALUATED: 10,
          S.CLOSED: 20, S.DECLINED: 6, S.REVIEW: 4, S.REFUSED: 1}),
    (None, {S.ASSIGNED: 1, S.IN_PROGRESS: 2.5, S.REPLIED: 5, S.EVALUATED: 5, S.CLOSED: 35, S.ARCHIVED: 35, S.DECLINED: 5,
            S.REVIEW: 1, S.REVIEWED: 3, S.RE_REVIEW: 1, S.CONCLUDED: 5, S.REFUSED: 1.5}),
]
ROUTED = {S.FORWARDED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.EVALUATED, S.CLOSED, S.ARCHIVED, S.REVIEW, S.REVIEWED, S.RE_REVIEW, S.CONCLUDED}
REPLIED = {S.REPLIED, S.EVALUATED, S.CLOSED, S.ARCHIVED, S.REVIEW, S.REVIEWED, S.RE_REVIEW, S.CONCLUDED}


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def text_pool(rng, size=2000):
    """(title, content) pairs: the public message data beside the repository when it is
    there (benchmarks may use it; demo screens may not), else demo scenario texts."""
    folder = Path(getattr(settings, "BENCH_TEXTS_DIR", "") or settings.BASE_DIR.parent / "shared" / "data" / "gov-messages")
    pool = []
    for name in ("hot_topics.csv", "unlabelled.csv", "labelled.csv"):
        path = folder / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                pool += [(row["title"][:200], row["text"][:4000]) for row in csv.DictReader(fh) if row["title"] and row["text"]]
    if not pool:
        for _ in range(size):
            scenario = rng.choice(SCENARIOS)
            words = slots(rng, rng.choice(scenario.places))
            pool.append((fill(rng.choice(scenario.titles), words), fill(scenario.body, words)))
    return pool


class Filler:
    def __init__(self, *, seed=11, days=365, now=None, log=None):
        self.rng = random.Random(seed)
        self.days = days
        self.now = now or timezone.now()
        self.log = log or (lambda msg: None)
        self.units, self.people = build()
        self.cats = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
        self.texts = text_pool(self.rng)
        self._periods = {}
        self.ids = _Ids()
        self.counts = {}

    def period(self, start, days):
        key = (start, days)
        if key not in self._periods:
            self._periods[key] = clock.days_after(start, days)
        return self._periods[key]

    def run(self, total, batch=5000):
        started = time.monotonic()
        rng, now = self.rng, self.now
        # Receipt times for all cases first, oldest first, so numbers rise with time.
        ages = sorted((rng.random() ** 1.3 * self.days for _ in range(total)), reverse=True)
        done = 0
        while done < total:
            chunk = ages[done:done + batch]
            with transaction.atomic():
                self.write([now - dt.timedelta(days=a) for a in chunk])
            done += len(chunk)
            rate = done / max(time.monotonic() - started, 1e-6)
            self.log(f"  {done}/{total} cases ({rate:,.0f}/s)")
        return time.monotonic() - started

    def write(self, moments):
        rng, units = self.rng, self.units
        seqs, cases, routes = {}, [], []
        for received in moments:
            reg_key = _weighted(rng, REGISTERING)
            unit = units[reg_key]
            year = clock.as_date(received).year
            if (unit.pk, year) not in seqs:
                seq, _ = CaseNumberSequence.objects.select_for_update().get_or_create(unit=unit, year=year)
                seqs[unit.pk, year] = [seq, seq.last]
            seqs[unit.pk, year][1] += 1
            number = f"{unit.code}-{year}-{seqs[unit.pk, year][1]:05d}"
            case, route = self.case(number, unit, reg_key, received)
            cases.append(case)
            routes.append(route)
        _insert(Case, cases, self.ids)
        petitions = []
        for case in cases:
            channel = _weighted(rng, CHANNELS)
            collective = channel == Channel.VISIT and rng.random() < 0.06
            case.is_collective = collective
            petitions.append(Petition(
                case_id=case.pk, channel=channel, received_at=case.received_at, receiving_unit=case.unit,
                receiving_level=case.unit.level, title=case.title, content=case._content, kind=case.kind,
                category_id=case.category_id, headcount=rng.randint(5, 30) if collective else 1,
                registered_by=case._actor, registered_at=case._registered_at,
                referral_from="江州市信访局" if channel == Channel.REFERRAL else "",
            ))
        _insert(Petition, petitions, self.ids)
        people, events, assignments = [], [], []
        for case, petition, route in zip(cases, petitions, routes, strict=True):
            person = fake.person(rng, with_id=False)
            people.append(Petitioner(petition_id=petition.pk, name=person["name"], id_number=fake.id_number(rng, local=True),
                                     phone=person["phone"], address=person["address"], is_representative=petition.headcount >= 5))
            events.append(CaseEvent(case_id=case.pk, action=Action.REGISTER, at=case._registered_at, actor=case._actor,
                                    actor_unit_id=case._actor.unit_id, to_status=S.REGISTERED, note=petition.title,
                                    data={"petition_id": petition.pk, "channel": petition.channel}, public=True))
            if route is not None:
                lead, by, at = route
                assignments.append(CaseAssignment(case_id=case.pk, unit=lead, unit_path=lead.path, is_lead=True, assigned_by=by, assigned_at=at))
        _insert(Petitioner, people, self.ids)
        _insert(CaseEvent, events, self.ids)
        _insert(CaseAssignment, assignments, self.ids)
        collective = [c.pk for c in cases if c.is_collective]
        if collective:
            Case.objects.filter(pk__in=collective).update(is_collective=True)
        for seq, last in seqs.values():
            CaseNumberSequence.objects.filter(pk=seq.pk).update(last=last)
        for case in cases:
            self.counts[case.status] = self.counts.get(case.status, 0) + 1

    def case(self, number, unit, reg_key, received):
        """One case in a status that fits its age, with the dates that status implies."""
        rng, units, now = self.rng, self.units, self.now
        age = (now - received).total_seconds() / 86400
        status = _weighted(rng, next(w for limit, w in BY_AGE if limit is None or age < limit))
        if reg_key == "city_office" and status == S.REGISTERED and age > 3:
            status = S.FORWARDED
        if status == S.FORWARDED and reg_key != "city_office" and age < 2:
            status = S.REGISTERED

        def after(moment, lo, hi):
            """A moment lo..hi days after `moment`, but never later than now."""
            later = moment + dt.timedelta(days=rng.uniform(lo, hi))
            if later >= now:
                later = moment + (now - moment) * rng.random() if now > moment else moment
            return later

        registered_at = received + dt.timedelta(minutes=rng.randint(3, 90))
        if registered_at > now:
            registered_at = now
        received_day = clock.as_date(received)
        decide = self.period(received_day, 15)
        case = Case(
            number=number, unit=unit, unit_path=unit.path, current_unit=unit, current_unit_path=unit.path,
            region_code=unit.region_code, title="", kind=_weighted(rng, KINDS), category_id=rng.choice(self.cats),
            status=status, received_at=received, decide_due=decide.date, created_at=registered_at, updated_at=registered_at,
        )
        case.title, case._content = rng.choice(self.texts)
        case._actor, case._registered_at = self.people[REGISTRAR_OF[reg_key]], registered_at
        route = None
        if status in (S.DECLINED, S.REFUSED):
            case.decided_at = after(registered_at, 0.5, 10)
            if status == S.DECLINED:
                case.decline_reason, case.proper_channel, case.guided_procedure = "属于劳动争议，应通过劳动仲裁解决", "向劳动人事争议仲裁委员会申请仲裁", "arbitration"
            else:
                case.refuse_basis, case.decline_reason = "art36", "同一事实和理由已经复核终结"
        if status not in (S.REGISTERED, S.DECLINED, S.REFUSED):
            handler = units[rng.choice(HANDLERS)]
            decider, since = unit, registered_at
            if reg_key == "city_office":
                # 越级: the city forwards down to the county bureau, which decides from there.
                decider, since = units["bureau"], after(registered_at, 0.3, 5)
                if status == S.FORWARDED:
                    route = (decider, unit, since)
                    case.current_unit, case.decide_due = decider, self.period(clock.as_date(since), 15).date
            if status == S.FORWARDED and route is None:
                at = after(since, 0.5, 8)
                route = (handler, unit, at)
                case.current_unit, case.decide_due = handler, self.period(clock.as_date(at), 15).date
            elif status != S.FORWARDED:
                accepted = after(since, 0.5, 9)
                case.decided_at = case.accepted_at = accepted
                case.handle_due = self.period(clock.as_date(accepted), 60).date
                case.current_unit = decider
                if status != S.ACCEPTED:
                    case.assigned_at = after(accepted, 0, 2)
                    route = (handler, decider, case.assigned_at)
                    case.current_unit = case.lead_unit = handler
                if status in REPLIED:
                    self.answered(case, accepted, after)
        case.current_unit_path = case.current_unit.path
        case.refresh_due()
        return case, route

    def answered(self, case, accepted, after):
        rng, units = self.rng, self.units
        replied = after(accepted, 8, 70)
        case.replied_at = replied
        case.replied_on_time = clock.as_date(replied) <= case.handle_due
        case.review_window_end = self.period(clock.as_date(replied), 30).date
        status = case.status
        if status in (S.EVALUATED, S.CLOSED, S.ARCHIVED) or (status != S.REPLIED and rng.random() < 0.5):
            case.satisfaction = rng.choice(Satisfaction.values)
        if status in (S.CLOSED, S.ARCHIVED):
            case.closed_at = after(replied, 1, 10)
        if status == S.ARCHIVED:
            case.archived_at = after(case.closed_at, 4, 20)
        if status in (S.REVIEW, S.REVIEWED, S.RE_REVIEW, S.CONCLUDED):
            county = units["county"]
            asked = after(replied, 3, 25)
            case.review_requested_at, case.review_unit = asked, county
            case.review_due = self.period(clock.as_date(asked), 30).date
            case.current_unit, case.stage = county, Stage.REVIEW
            if status != S.REVIEW:
                case.reviewed_at = after(asked, 8, 28)
                case.re_review_window_end = self.period(clock.as_date(case.reviewed_at), 30).date
            if status in (S.RE_REVIEW, S.CONCLUDED):
                city = units["city"]
                asked = after(case.reviewed_at, 3, 25)
                case.re_review_requested_at, case.re_review_unit = asked, city
                case.re_review_due = self.period(clock.as_date(asked), 30).date
                case.current_unit, case.stage = city, Stage.RE_REVIEW
            if status == S.CONCLUDED:
                case.concluded_at = after(case.re_review_requested_at, 8, 28)


class _Ids:
    """Primary keys handed out here: one writer fills a batch, so the next ids are
    simply after the largest one (and PostgreSQL's sequences are moved on at the end)."""

    def __init__(self):
        self.next = {}

    def take(self, model, count):
        if model not in self.next:
            top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self.next[model] = top + 1
        first = self.next[model]
        self.next[model] += count
        return range(first, first + count)


def _converter(field):
    """How one field's Python value goes to the database, cheaply: values that the
    driver takes as they are pass through; the rest go through Django's own prep."""
    if isinstance(field, EncryptedTextField):
        return field.get_prep_value  # personal data is encrypted here too (AES-GCM, some µs a value)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        if connection.vendor == "sqlite":
            # What Django's SQLite backend stores: naive UTC text.
            return lambda v: None if v is None else str(v.astimezone(dt.timezone.utc).replace(tzinfo=None))
        return None
    if kind in ("DateField", "JSONField") or connection.vendor not in ("sqlite", "postgresql"):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def _insert(model, objs, ids):
    """Write rows without bulk_create's per-row SQL building: executemany on SQLite
    (its 999-parameter limit would make ~19 rows a statement), COPY on PostgreSQL."""
    if not objs:
        return
    for obj, pk in zip(objs, ids.take(model, len(objs)), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    for field in fields:
        if isinstance(field, LookupHashField):
            for obj in objs:
                field.pre_save(obj, True)  # the keyed hash of the number beside it
    qn = connection.ops.quote_name
    prep = [(f.attname, _converter(f)) for f in fields]
    rows = [[conv(getattr(obj, name)) if conv else getattr(obj, name) for name, conv in prep] for obj in objs]
    table = f"{qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # bandit: table and column names come from model metadata, quoted; the values are bound.
        cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(fields))})", rows)  # nosec B608


def _reset_sequences(models):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def fill_cases(total, *, batch=5000, seed=11, days=365, log=None):
    """Write `total` synthetic cases; returns ({status: count}, seconds)."""
    filler = Filler(seed=seed, days=days, log=log)
    seconds = filler.run(total, batch=batch)
    _reset_sequences([Case, Petition, Petitioner, CaseEvent, CaseAssignment])
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather after a load this size;
        # without them PostgreSQL plans the work lists as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return filler.counts, seconds
