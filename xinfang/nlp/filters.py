"""One way to filter the case list, shared by the work pages, the API and exports. It sits
in nlp, above the case domain, because its text box is the full-text search (search.py)."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from xinfang.cases.choices import Kind, Status
from xinfang.cases.querysets import OWED
from xinfang.cases.models import Case
from xinfang.intake.models import Category, Petitioner
from xinfang.lib.crypto import lookup_hashes
from xinfang.lib.errors import Invalid
from xinfang.lib.validators import normalise_document
from xinfang.org.choices import UnitKind
from xinfang.org.models import Unit

from .search import search_filter


@dataclass
class CaseFilter:
    status: str = ""
    unit: str = ""  # unit code: cases registered at, or routed to, that unit's subtree
    category: str = ""  # category code; a first-level code includes its children
    kind: str = ""
    overdue: bool | None = None
    due_before: object = None
    q: str = ""
    received_from: object = None
    received_to: object = None
    waiting: bool = False  # only cases whose next move is the user's unit's


def _date(value, name):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise Invalid("日期格式应为YYYY-MM-DD / Dates are YYYY-MM-DD.", code="bad_filter", fields={name: str(value)})


def filter_cases(user, f: CaseFilter):
    if f.waiting:
        # Cases waiting on the user's unit are visible to it by definition: starting from
        # the work queue skips the scope test and lets the open-queue index do the work.
        qs = Case.objects.waiting_on(user.unit) if user.unit_id else Case.objects.none()
    else:
        qs = Case.objects.visible_to(user)
    if f.status:
        statuses = [s for s in str(f.status).split(",") if s]
        if unknown := set(statuses) - set(Status.values):
            raise Invalid("状态不正确 / Unknown status.", code="bad_filter", fields={"status": ",".join(sorted(unknown))})
        qs = qs.filter(status__in=statuses)
    if Status.VOIDED not in str(f.status or "").split(","):
        # A voided registration is out of every list and figure unless asked for by name.
        qs = qs.exclude(status=Status.VOIDED)
    if f.kind:
        if f.kind not in Kind.values:
            raise Invalid("信访性质不正确 / Unknown kind.", code="bad_filter", fields={"kind": f.kind})
        qs = qs.filter(kind=f.kind)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        if unit is None:
            raise Invalid("单位不存在 / Unknown unit.", code="bad_filter", fields={"unit": f.unit})
        qs = qs.filter(Q(unit_path__startswith=unit.path) | Q(current_unit_path__startswith=unit.path))
    if f.category:
        cat = Category.objects.filter(code=f.category).first()
        if cat is None:
            raise Invalid("问题类别不存在 / Unknown category.", code="bad_filter", fields={"category": f.category})
        qs = qs.filter(Q(category=cat) | Q(category__parent=cat))
    today = timezone.localdate()
    if f.overdue is True:
        qs = qs.overdue(today)
    elif f.overdue is False:
        qs = qs.exclude(OWED, due_date__lt=today)
    if due_before := _date(f.due_before, "due_before"):
        qs = qs.filter(OWED, due_date__lte=due_before)
    if start := _date(f.received_from, "received_from"):
        qs = qs.filter(received_at__date__gte=start)
    if end := _date(f.received_to, "received_to"):
        qs = qs.filter(received_at__date__lte=end)
    if (q := (f.q or "").strip()[:100]) and (person := person_filter(q, user)) is not None:
        # An ID or phone number is a person, found through the lookup hashes only: the
        # digits are never searched as words (a phone number is not a text).
        qs = qs.filter(person)
    elif q:
        # The full-text index (xinfang.nlp.search): jieba words, traditional folded to
        # simplified, petitioners' names only where the user may see them.
        qs = qs.filter(search_filter(q, user))
    return qs.select_related("current_unit", "category", "category__parent").by_deadline()


PHONE_QUERY = re.compile(r"^\+?[0-9][0-9\- ]{5,}[0-9]$")
DOCUMENT_QUERY = re.compile(r"^([0-9]{17}[0-9X]|[A-Z]{1,2}[0-9]{6,10})$")
MIN_PHONE_DIGITS = 7


def person_filter(q, user):
    """A Q for the cases of the person whose ID (or other document) number or phone `q`
    is, or None when `q` is not such a number. Matched on the keyed lookup hashes
    (docs/security.md), and only on cases whose petitioners `user` may see: an accuser
    is never found by the accused unit (Art. 30; `services.shows_identity`)."""
    compact = normalise_document(q)
    if DOCUMENT_QUERY.match(compact):
        match = Q(id_number_hash__in=lookup_hashes("id", [compact]))
    elif PHONE_QUERY.match(q.strip()) and len(re.sub(r"\D", "", q)) >= MIN_PHONE_DIGITS:
        match = Q(phone_hash__in=lookup_hashes("phone", [q]))
    else:
        return None
    unit = getattr(user, "unit", None)
    if unit is None:
        return Q(pk__in=[])
    people = Petitioner.objects.filter(match)
    if unit.kind == UnitKind.DISCIPLINE:
        return Q(pk__in=people.values("petition__case_id"))
    # The shield travels with the petition (a merge or repeat may have carried an
    # accusation into another case): its petitioners are not matched either.
    acts_for = sorted(unit.acts_for)
    people = people.filter(Q(petition__shield_unit__isnull=True) | Q(petition__shield_unit__in=acts_for))
    return Q(pk__in=people.values("petition__case_id")) & (~Q(kind=Kind.ACCUSATION) | Q(unit_id__in=acts_for))
