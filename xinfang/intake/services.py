"""Registration: every petition received is written down at once (Art. 21) and either
opens a case or joins an existing one as a repeat."""

import datetime
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xinfang.audit.services import record as audit
from xinfang.cases import clock
from xinfang.cases.attachments import attach
from xinfang.cases.choices import Action, Channel, Kind, Status
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import get_case_for, next_number
from xinfang.lib import idempotency
from xinfang.lib.crypto import lookup_hashes
from xinfang.lib.errors import Invalid, NotAllowed
from xinfang.lib.queries import unique_row
from xinfang.lib.text import clean_deep, clean_text
from xinfang.lib.validators import document_error, phone_error, sex_from_document
from xinfang.org.choices import Role
from xinfang.org.models import PLACE_KINDS, Unit

from . import categories
from .choices import COLLECTIVE_HEADCOUNT, MAX_REPRESENTATIVES, DocumentType, Sex
from .models import Category, Petition, Petitioner
from .signals import petition_recorded


@dataclass
class PersonIn:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    is_representative: bool = False
    sms_opt_out: bool = False  # declines the SMS about each step of the case
    document_type: str = DocumentType.RESIDENT_ID
    sex: str = ""  # derived from an 18-digit number; entered for other documents
    household_unit: object = None  # a place unit (Unit or its code) of the deployment
    household_place: str = ""  # 户籍地 outside the deployment, as written


@dataclass
class PetitionIn:
    """What a clerk (or the API) hands to register(); validated there, not before."""

    channel: str = ""
    received_at: object = None
    receiving_unit: object = None  # Unit or unit code
    title: str = ""
    content: str = ""
    kind: str = ""
    category: object = None  # Category, code or id
    petitioners: list = field(default_factory=list)
    headcount: int = 1
    representatives: list = field(default_factory=list)  # names among petitioners
    case: str = ""  # number of an existing case to attach to as a repeat
    is_cosigned: bool = False
    agent_name: str = ""
    agent_role: str = ""
    referral_from: str = ""
    accused_unit: object = None  # Unit or unit code: for an accusation, the unit accused
    accused_post: str = ""  # the office or post concerned (村主任, 财务室)
    # A received time more than `late_entry_days` before registration is taken only with
    # this set: the registrar confirms it is a late entry (补录), not a typo.
    confirm_late: bool = False


def _clean(data: PetitionIn, scope, actor_unit=None, *, entered_at=None):
    """Check and normalise what a petition says; `scope` is the unit whose subtree the
    registering staff may register for, or None for the public (any active unit).
    `entered_at`: when it was (or is being) registered, for the late-entry check."""
    errors = {}
    # Text that cannot go into a file (control, direction, zero-width characters) never
    # reaches the database, whichever door it came through (lib/text.py).
    for name in ("title", "content", "agent_name", "agent_role", "referral_from", "case"):
        setattr(data, name, clean_text(getattr(data, name)))
    data.petitioners = [clean_deep(p.__dict__ if isinstance(p, PersonIn) else dict(p)) for p in (data.petitioners or [])]
    data.representatives = clean_deep(list(data.representatives or []))
    if data.channel not in Channel.values:
        errors["channel"] = "请选择信访渠道 / Choose a channel: " + "|".join(Channel.values)
    if data.kind not in Kind.values:
        errors["kind"] = "请选择信访性质 / Choose a kind: " + "|".join(Kind.values)
    title, content = (data.title or "").strip(), (data.content or "").strip()
    if not title:
        errors["title"] = "请填写标题 / A title is required."
    elif len(title) > 200:
        errors["title"] = "标题不超过200字 / At most 200 characters."
    if not content:
        errors["content"] = "请填写信访内容 / The content is required."
    elif len(content) > 100_000:
        errors["content"] = "内容不超过10万字 / At most 100,000 characters."

    received_at = data.received_at
    if isinstance(received_at, str):
        try:
            received_at = parse_datetime(received_at) if received_at else None
        except ValueError:
            received_at = None
        if received_at is None and data.received_at:
            errors["received_at"] = "时间格式不正确 / Not a valid date and time."
    if received_at is None and "received_at" not in errors:
        received_at = timezone.now()
    late = False
    if received_at is not None:
        received_at, late, wrong = clock.check_received(received_at, entered_at=entered_at, confirm_late=data.confirm_late)
        errors.update(wrong)

    unit = data.receiving_unit
    if not isinstance(unit, Unit) and actor_unit is not None and unit == actor_unit.code and actor_unit.is_active:
        unit = actor_unit  # a clerk registering for their own office: already loaded
    if not isinstance(unit, Unit):
        unit = unique_row(Unit.objects.filter(code=unit, is_active=True)) if unit else None
        if unit is None:
            errors["receiving_unit"] = "请选择有效的接收单位 / Choose a valid receiving unit."
    if unit is not None and scope is not None and not unit.is_within(scope):
        errors["receiving_unit"] = "只能为本单位辖区内的单位登记 / You may register only for units within your scope."

    category = data.category
    if category not in (None, "") and not isinstance(category, Category):
        category = categories.tree.find(category)
        if category is None:
            errors["category"] = "问题类别不存在 / Unknown category."
    category = category or None

    try:
        # Blank means one person; 0 is a number, and refused like any other below 1.
        headcount = int(1 if data.headcount in (None, "") else data.headcount)
        if headcount < 1 or headcount > 100_000:
            raise ValueError
    except (TypeError, ValueError):
        errors["headcount"] = "人数应为正整数 / Headcount must be a positive whole number."
        headcount = 1

    people = []
    for i, raw in enumerate(data.petitioners or []):
        person = raw if isinstance(raw, PersonIn) else PersonIn(**{k: v for k, v in dict(raw).items() if k in PersonIn.__dataclass_fields__})
        person.name, person.id_number = (person.name or "").strip(), (person.id_number or "").strip().upper()
        person.phone, person.address = (person.phone or "").strip(), (person.address or "").strip()
        if len(person.name) > 40:
            errors[f"petitioners.{i}.name"] = "姓名不超过40字 / At most 40 characters."
        if len(person.address) > 200:
            errors[f"petitioners.{i}.address"] = "住址不超过200字 / At most 200 characters."
        person.document_type = person.document_type or DocumentType.RESIDENT_ID
        if person.document_type not in DocumentType.values:
            errors[f"petitioners.{i}.document_type"] = "证件类型不正确 / Unknown document type."
        elif why := document_error(person.document_type, person.id_number):
            errors[f"petitioners.{i}.id_number"] = why
        person.id_number = "".join(person.id_number.split())
        person.sex = (person.sex or "").strip()
        if person.sex and person.sex not in Sex.values:
            errors[f"petitioners.{i}.sex"] = "性别不正确 / Unknown sex."
        elif (stated := sex_from_document(person.document_type, person.id_number)) and f"petitioners.{i}.id_number" not in errors:
            if person.sex and person.sex != stated:
                errors[f"petitioners.{i}.sex"] = "性别与证件号码不符 / The sex differs from what the ID number states."
            person.sex = stated
        if (why := _household(person)) is not None:
            errors[f"petitioners.{i}.household_unit"] = why
        if why := phone_error(person.phone):
            errors[f"petitioners.{i}.phone"] = why
        if person.name or person.id_number or person.phone or person.address or person.household_unit or person.household_place:
            people.append(person)
    names = set(data.representatives or [])
    for person in people:
        person.is_representative = person.is_representative or (person.name in names)
    reps = sum(p.is_representative for p in people)
    if reps > MAX_REPRESENTATIVES:
        errors["representatives"] = f"代表人数不超过{MAX_REPRESENTATIVES}人（第二十条）/ At most {MAX_REPRESENTATIVES} representatives (Art. 20)."
    if names - {p.name for p in people}:
        errors["representatives"] = "代表须是已填写的信访人 / Representatives must be among the petitioners."
    if data.channel == Channel.VISIT and headcount < max(len(people), 1):
        errors["headcount"] = "来访人数不能少于登记的信访人数 / Headcount is lower than the number of petitioners."
    if data.channel == Channel.VISIT and headcount >= COLLECTIVE_HEADCOUNT and people and not reps:
        errors["representatives"] = "集体访请推选不超过5名代表 / A collective visit chooses up to 5 representatives."

    accused, accused_post = data.accused_unit or None, (data.accused_post or "").strip()
    if accused is not None and not isinstance(accused, Unit):
        accused = unique_row(Unit.objects.filter(code=accused, is_active=True))
        if accused is None:
            errors["accused_unit"] = "被检举控告单位不存在 / Unknown accused unit."
    if (accused is not None or accused_post) and data.kind in Kind.values and data.kind != Kind.ACCUSATION:
        errors["accused_unit"] = "只有检举控告件填写被检举控告对象 / Only an accusation names who is accused."
    if len(accused_post) > 100:
        errors["accused_post"] = "不超过100字 / At most 100 characters."

    for name, size in (("agent_name", 40), ("agent_role", 40), ("referral_from", 100)):
        if len(getattr(data, name) or "") > size:
            errors[name] = f"不超过{size}字 / At most {size} characters."
    if errors:
        raise Invalid("登记信息有误，请检查标示的项目 / Some fields need attention.", fields=errors)
    return dict(title=title, content=content, received_at=received_at, unit=unit, category=category, headcount=headcount, people=people,
                accused_unit=accused, accused_post=accused_post, late=late)


def _household(person):
    """Resolve a petitioner's 户籍地 in place; the reason it is not valid, or None."""
    person.household_place = (person.household_place or "").strip()
    if len(person.household_place) > 100:
        return "户籍地不超过100字 / At most 100 characters."
    unit = person.household_unit
    if unit in (None, ""):
        person.household_unit = None
        return None
    if not isinstance(unit, Unit):
        unit = unique_row(Unit.objects.places().filter(code=str(unit), is_active=True))
    if unit is None or unit.kind not in PLACE_KINDS or not unit.is_active:
        return "户籍地应为本辖区的县、乡镇或村（社区）/ Choose a county, township or village of this area."
    person.household_unit, person.household_place = unit, unit.place_name
    return None


@transaction.atomic
def register(*, actor, data: PetitionIn, files=(), ip=None, _key=("", "")):
    """Register one petition. Opens a new case, or, with `data.case`, joins that case as
    a repeat. Returns (petition, case). Nothing is written when anything is invalid."""
    if actor.unit_id is None or not actor.has_role(Role.REGISTRAR, Role.HEAD, Role.HANDLER):
        raise NotAllowed("您没有登记信访件的权限 / Your role may not register petitions.")
    clean = _clean(data, actor.unit.scope_root, actor.unit)
    return _record(data, clean, actor=actor, files=files, ip=ip, key=_key)


def register_once(*, actor, data: PetitionIn, idempotency_key="", files=(), ip=None):
    """register() for a client that may send the same request again (it did not hear the
    answer): with an `idempotency_key`, the same key and content return the petition the
    first request registered, other content is a Conflict (lib/idempotency.py, the same
    mechanism as the public site's). Returns (petition, case, replayed)."""
    key = idempotency.check_key(idempotency_key)
    if not key:
        return (*register(actor=actor, data=data, files=files, ip=ip), False)
    raw = []
    for upload in files:
        upload.seek(0)
        raw.append(upload.read())
        upload.seek(0)
    digest = idempotency.fingerprint(asdict(data), raw)
    if (found := _replay(actor, key, digest)) is not None:
        return (*found, True)
    try:
        petition, case = register(actor=actor, data=data, files=files, ip=ip, _key=(key, digest))
    except IntegrityError:
        # A twin sent at the same moment claimed the key first: answer with its petition.
        if (found := _replay(actor, key, digest)) is not None:
            return (*found, True)
        raise
    return petition, case, False


def _replay(actor, key, digest):
    petition = Petition.objects.select_related("case", "receiving_unit").filter(registered_by=actor, idempotency_key=key).first()
    if petition is None:
        return None
    idempotency.same_request(petition.fingerprint, digest)
    return petition, petition.case


@transaction.atomic
def register_public(*, data: PetitionIn, files=(), ip=None):
    """Register one petition that a member of the public sent online (the portal): no
    staff actor (`registered_by` is None), any active unit may receive it, and it always
    opens a new case in that unit's intake queue. Returns (petition, case)."""
    if data.channel != Channel.ONLINE:
        raise Invalid("网上提交的信访件渠道应为网上信访 / A public submission comes through the online channel.",
                      fields={"channel": Channel.ONLINE})
    if data.case:
        raise Invalid("网上提交不能并入已有事项 / A public submission cannot join an existing case.", fields={"case": data.case})
    return _record(data, _clean(data, None), actor=None, files=files, ip=ip)


def _record(data, clean, *, actor, files, ip, key=("", "")):
    """Write a checked petition: open a case or join `data.case`, then the petition, its
    people, its files, the timeline event and the audit entry."""
    now = timezone.now()
    if data.case:
        case = get_case_for(actor, data.case, lock=True)
        Case.objects.filter(pk=case.pk).update(
            petition_count=F("petition_count") + 1,
            headcount=Greatest(F("headcount"), clean["headcount"]),
            version=F("version") + 1,
        )
        if data.channel == Channel.VISIT and clean["headcount"] >= COLLECTIVE_HEADCOUNT:
            Case.objects.filter(pk=case.pk).update(is_collective=True)
        case.refresh_from_db()
        action, is_repeat = Action.REPEAT, True
        # A repeat of an accusation is the accuser again; an accusation joining another
        # matter is shielded for the office that took it down (Art. 30).
        shield = case.unit_id if case.kind == Kind.ACCUSATION else (clean["unit"].pk if data.kind == Kind.ACCUSATION else None)
    else:
        unit = clean["unit"]
        due = clock.decide_due(clean["received_at"])
        case = Case(
            number=next_number(unit, clock.as_date(clean["received_at"]).year),
            unit=unit, unit_path=unit.path, current_unit=unit, current_unit_path=unit.path,
            region_code=unit.region_code, title=clean["title"], kind=data.kind, category=clean["category"],
            status=Status.REGISTERED, received_at=clean["received_at"], headcount=clean["headcount"],
            is_collective=data.channel == Channel.VISIT and clean["headcount"] >= COLLECTIVE_HEADCOUNT,
            decide_due=due.date, deadline_warnings=list(due.warnings),
            accused_unit=clean["accused_unit"], accused_post=clean["accused_post"], is_late_entry=clean["late"],
        )
        case.refresh_due()
        case.save()
        action, is_repeat = Action.REGISTER, False
        shield = unit.pk if data.kind == Kind.ACCUSATION else None
    petition = Petition.objects.create(
        case=case, channel=data.channel, received_at=clean["received_at"], receiving_unit=clean["unit"],
        receiving_level=clean["unit"].level, title=clean["title"], content=clean["content"], kind=data.kind,
        category=clean["category"], headcount=clean["headcount"], is_repeat=is_repeat,
        is_anonymous=not any(p.name or p.id_number or p.phone for p in clean["people"]),
        is_cosigned=bool(data.is_cosigned) or (data.channel == Channel.LETTER and len(clean["people"]) > 1),
        agent_name=data.agent_name or "", agent_role=data.agent_role or "", referral_from=data.referral_from or "",
        accused_unit=clean["accused_unit"], accused_post=clean["accused_post"], is_late_entry=clean["late"],
        shield_unit_id=shield, registered_by=actor, idempotency_key=key[0] or None, fingerprint=key[1],
    )
    Petitioner.objects.bulk_create(
        Petitioner(petition=petition, position=i, name=p.name, document_type=p.document_type, id_number=p.id_number,
                   phone=p.phone, address=p.address, is_representative=p.is_representative, sex=p.sex,
                   sms_opt_out=bool(p.sms_opt_out),
                   household_unit=p.household_unit, household_place=p.household_place)
        for i, p in enumerate(clean["people"])
    )
    stored = []
    try:
        for upload in files:
            stored.append(attach(case=case, petition=petition, upload=upload, actor=actor))
    except Exception:
        # The transaction rolls back the rows; the files on disk must go too.
        for item in stored:
            item.file.delete(save=False)
        raise
    data_out = {"petition_id": petition.pk, "channel": data.channel}
    if clean["late"]:
        data_out["late_entry"] = True
    if actor is None:
        data_out["by"] = "petitioner"
    CaseEvent.objects.create(case=case, action=action, at=now, actor=actor, actor_unit=actor.unit if actor else None,
                             to_status=case.status, note=clean["title"], data=data_out, public=True)
    petition_recorded.send(sender=Petition, petition=petition, case=case, opened=not is_repeat,
                           names=[p.name for p in clean["people"] if p.name])
    audit(actor=actor, action="petition.register", obj=petition, detail={"case": case.number, "repeat": is_repeat}, ip=ip)
    return petition, case


def _same_people(petitioners, prefix=""):
    """A filter for petitioners with any of these ID numbers or phones, or None when none
    is given. The numbers are encrypted at rest: their keyed hashes are matched
    (docs/security.md)."""
    ids = lookup_hashes("id", [p.get("id_number") for p in petitioners if p.get("id_number")])
    phones = lookup_hashes("phone", [p.get("phone") for p in petitioners if p.get("phone")])
    if not ids and not phones:
        return None
    match = Q()
    if ids:
        match |= Q(**{f"{prefix}id_number_hash__in": ids})
    if phones:
        match |= Q(**{f"{prefix}phone_hash__in": phones})
    return match


def cases_of_people(petitioners, *, limit=10):
    """Ids of the cases whose petitions name any of these people (same ID number or
    phone), newest petition first, at most `limit`. No scope is applied here: the caller
    passes them through `Case.objects.visible_to`."""
    match = _same_people(petitioners)
    if match is None:
        return []
    rows = (Petitioner.objects.filter(match).order_by("-petition__received_at")
            .values_list("petition__case_id", flat=True)[:limit * 3])
    return list(dict.fromkeys(rows))[:limit]


def candidate_cases(*, actor, petitioners, exclude=None, limit=10):
    """Existing cases of the same petitioner (same ID number or phone) that the clerk
    may attach a new petition to, newest first, within the clerk's scope."""
    match = _same_people(petitioners, "petitions__petitioners__")
    if match is None:
        return Case.objects.none()
    qs = Case.objects.visible_to(actor).filter(pk__in=Case.objects.filter(match).values("pk"))
    if exclude:
        qs = qs.exclude(pk=exclude.pk)
    return qs.select_related("current_unit").order_by("-received_at")[:limit]
