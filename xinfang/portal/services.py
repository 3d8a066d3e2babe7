"""The public site's rules: submit a petition and get a query code, find a case by its
code, show it as the petitioner may see it, hand out the documents of the written
replies, evaluate a reply, ask for review; and, for staff, issue a query code for a
matter that came by letter, visit, phone or a deputy.

Registration goes through intake.services.register_public() and every change of a case
through cases.services.perform_as_petitioner(): the portal adds the public channel's
checks (captcha, rate limits, uploads, idempotency, the code), never its own writes to
cases."""

import re
import secrets
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.cases.choices import Action, Channel, Kind, Status
from xinfang.cases.models import Case
from xinfang.cases.case_documents import notices_of
from xinfang.documents import services as documents
from xinfang.cases.services import deliver_on_download, get_case_for, perform_as_petitioner, shows_identity
from xinfang.intake.models import Attachment
from xinfang.intake.services import PetitionIn, register_public
from xinfang.lib import idempotency
from xinfang.lib import ratelimit as limits
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound, WrongState
from xinfang.lib.masking import mask_phone
from xinfang.lib.text import clean_text
from xinfang.lib.validators import document_error, eighteen_digit_type, phone_error
from xinfang.notify import sms
from xinfang.org.choices import Role, UnitKind
from xinfang.org.models import Unit

from . import captcha, codes, uploads
from .choices import SmsStatus
from .models import Submission

MOBILE = re.compile(r"^1[3-9]\d{9}$")
CONTENT_MIN, CONTENT_MAX = 10, 5000
TITLE_MAX = 60

NOT_FOUND = "查询码或验证信息不正确，请核对后重试 / The query code or the last four digits are not right."


@dataclass
class SubmissionIn:
    """What a member of the public sends: who (or anonymous), what, where, which kind."""

    kind: str = ""
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    sms_opt_out: bool = False  # no SMS about each step of the case (cases/notices.py)
    unit: str = ""  # code of the receiving unit
    place: str = ""  # where it happened, in their words
    title: str = ""
    content: str = ""
    consent: bool = False


@dataclass
class Receipt:
    """What a successful submission (or a code issued by staff) answers: the code (shown
    once), the case, whether this answer repeats an earlier one for the same idempotency
    key, and whether the code replaced an earlier one."""

    code: str
    submission: Submission
    replayed: bool = False
    reissued: bool = False
    sms_to: str = ""  # the masked number the code is being texted to, when staff asked for it

    @property
    def case(self):
        return self.submission.case


# --- units -----------------------------------------------------------------------------


def receiving_units():
    """The units a member of the public may address: every active unit with a desk
    (village committees have none; their township receives for them)."""
    return Unit.objects.active().exclude(kind=UnitKind.COMMUNITY).order_by("path")


SUFFIXES = ("人民政府", "委员会", "委会", "办事处")


def _names(unit):
    names = {unit.name, unit.short_name}
    for suffix in SUFFIXES:
        if unit.name.endswith(suffix):
            names.add(unit.name[: -len(suffix)])
    return [n for n in names if n and len(n) >= 2]


def suggest_unit(text):
    """The unit the text most likely concerns: the deepest unit of the tree whose name
    appears in it; a village or community stands for its township. None when no name
    appears."""
    text = str(text or "")
    if not text.strip():
        return None
    best = None
    for unit in Unit.objects.active().only("pk", "name", "short_name", "path", "kind", "parent_id"):
        if any(n in text for n in _names(unit)) and (best is None or unit.path.count("/") > best.path.count("/")):
            best = unit
    while best is not None and best.kind == UnitKind.COMMUNITY:
        best = best.parent
    return best


# --- submit ---------------------------------------------------------------------------


def _text(value):
    return clean_text(str(value or "")).strip()  # lib/text.py: nothing a file cannot hold


def _check(data: SubmissionIn):
    """The public channel's own rules, before anything is written; returns the unit."""
    errors = {}
    kind = data.kind
    if kind not in Kind.values:
        errors["kind"] = "请选择反映事项的类型 / Choose what kind of matter this is."
    if data.anonymous and kind == Kind.GRIEVANCE:
        errors["anonymous"] = ("申诉求决类事项需要实名并留下联系方式，以便书面答复您 / A grievance needs your name and a way to reach "
                               "you, so that you can be answered in writing.")
    if not data.anonymous:
        if not data.name:
            errors["name"] = "请填写姓名 / Your name is required."
        elif len(data.name) > 40:
            errors["name"] = "姓名不超过40字 / At most 40 characters."
        if kind == Kind.GRIEVANCE and not data.phone:
            errors["phone"] = "申诉求决类事项请留下手机号码 / A grievance needs a phone number."
        if data.phone and (phone_error(data.phone) or not MOBILE.match(data.phone)):
            errors["phone"] = "请填写11位手机号码 / Enter an 11-digit mobile number."
        if why := document_error(eighteen_digit_type(data.id_number), data.id_number):
            errors["id_number"] = why
        if len(data.address) > 200:
            errors["address"] = "地址不超过200字 / At most 200 characters."
    if len(data.title) > TITLE_MAX:
        errors["title"] = f"标题不超过{TITLE_MAX}字 / At most {TITLE_MAX} characters."
    if len(data.content) < CONTENT_MIN:
        errors["content"] = f"请把事情经过和您的诉求写清楚（至少{CONTENT_MIN}字） / Describe what happened and what you ask for."
    elif len(data.content) > CONTENT_MAX:
        errors["content"] = f"内容不超过{CONTENT_MAX}字，更多材料请作为附件上传 / At most {CONTENT_MAX} characters; attach the rest."
    if len(data.place) > 100:
        errors["place"] = "地点不超过100字 / At most 100 characters."
    unit = receiving_units().filter(code=data.unit).first() if data.unit else None
    if data.unit and unit is None:
        errors["unit"] = "请从列表中选择受理单位 / Choose a unit from the list."
    if unit is None and not data.unit:
        unit = suggest_unit(f"{data.place}\n{data.content}")
        if unit is None:
            errors["unit"] = "请选择受理单位（事情发生地或主管部门） / Choose the unit: where it happened, or the department in charge."
    if not data.consent:
        errors["consent"] = "请阅读并同意提交须知 / Please read and accept the notice."
    if errors:
        raise Invalid("提交的信息有误，请检查标示的项目 / Some fields need attention.", fields=errors)
    return unit


def _normal(data: SubmissionIn):
    data = SubmissionIn(**{k: (_text(v) if isinstance(v, str) else bool(v)) for k, v in asdict(data).items()})
    data.id_number = data.id_number.upper()
    data.phone = data.phone.replace(" ", "").replace("-", "")
    if data.anonymous:
        data.name = data.phone = data.id_number = data.address = ""
    return data


def _fingerprint(data, raw_files):
    return idempotency.fingerprint(asdict(data), raw_files)


def _read(upload):
    if not upload:
        return b""
    upload.seek(0)
    body = upload.read()
    upload.seek(0)
    return body


def _replay(key, fingerprint):
    existing = Submission.objects.select_related("case", "case__unit").filter(idempotency_key=key).first()
    if existing is None:
        return None
    idempotency.same_request(existing.fingerprint, fingerprint)
    code = codes.new_code(seed=key)
    if codes.code_hash(codes.normalize(code)) != existing.code_hash:
        # Staff issued a new code since: the one derived from the key no longer opens
        # anything, and the new one is never told to a form.
        raise Conflict("该事项已登记，查询码已由受理单位重新生成，请使用新的查询码 / This petition is registered; its query code "
                       "was issued again by the receiving unit: use the new code.", code="code_reissued")
    return Receipt(code=code, submission=existing, replayed=True)


def submit(*, data: SubmissionIn, files=(), idempotency_key="", captcha_key="", captcha_answer="", ip=None):
    """Register an online petition from the public and return its Receipt with a new
    query code. The same `idempotency_key` with the same content answers with the
    same petition and code, however often it is sent; with other content, 409."""
    ident = ip or "unknown"
    key = idempotency.check_key(idempotency_key)
    data = _normal(data)
    raw_files = [_read(f) for f in files if f]
    fingerprint = _fingerprint(data, raw_files)
    if key and (receipt := _replay(key, fingerprint)):
        return receipt
    if limits.exceeded("submit_ip", ident):
        wait = limits.minutes(limits.retry_after("submit_ip", ident))
        raise limits.Throttled(f"提交过于频繁，请{wait}分钟后再试 / Too many submissions from your network; try again in {wait} minutes.",
                               retry_after=wait * 60)
    unit = _check(data)
    cleaned = uploads.clean_all(files)
    captcha.verify(key=captcha_key, answer=captcha_answer, used_by=key or "once-" + secrets.token_hex(8))
    code = codes.new_code(seed=key or None)
    chars = codes.normalize(code)
    hashed = codes.code_hash(chars)
    petition_in = PetitionIn(
        channel=Channel.ONLINE, receiving_unit=unit, kind=data.kind, title=data.title or _title(data.content),
        content=data.content + (f"\n\n事发地点：{data.place}" if data.place else ""),
        petitioners=[] if data.anonymous else [{"name": data.name, "phone": data.phone, "id_number": data.id_number,
                                                "document_type": eighteen_digit_type(data.id_number), "address": data.address,
                                                "sms_opt_out": bool(data.sms_opt_out)}],
    )
    try:
        with transaction.atomic():
            # Claim the key first: a concurrent twin waits here on the unique index and
            # then finds this row, instead of registering a second petition.
            submission = Submission.objects.create(
                code_hash=hashed, idempotency_key=key or None, fingerprint=fingerprint,
                verifiers=codes.verifiers_for(hashed, phone=data.phone, id_number=data.id_number))
            try:
                petition, case = register_public(data=petition_in, files=cleaned, ip=ip)
            except Invalid as exc:
                raise Invalid(exc.message, code=exc.code, fields=_portal_fields(exc.fields)) from exc
            submission.case, submission.petition = case, petition
            submission.save(update_fields=["case", "petition"])
    except IntegrityError:
        if key and (receipt := _replay(key, fingerprint)):
            return receipt
        raise
    limits.hit("submit_ip", ident)
    if data.phone:
        # robust: a failure sending the text is logged, never an error for a saved petition.
        transaction.on_commit(lambda: _text_receipt(submission.pk, data.phone, code, case), robust=True)
    return Receipt(code=code, submission=submission)


def _title(content):
    first = re.split(r"[\n。！？!?]", content.strip(), maxsplit=1)[0].strip()
    return (first[:30] + "…") if len(first) > 30 else (first or "网上信访")


FIELD_NAMES = {"petitioners.0.name": "name", "petitioners.0.phone": "phone", "petitioners.0.id_number": "id_number",
               "petitioners.0.address": "address", "receiving_unit": "unit"}


def _portal_fields(fields):
    return {FIELD_NAMES.get(name, name): message for name, message in fields.items()}


def _text_receipt(submission_id, phone, code, case):
    text = (f"【网上信访】您反映的事项已登记，查询码{code}，请妥善保管，凭查询码和手机号后4位可查询进度、评价答复。"
            f"受理单位将于{case.decide_due:%Y年%m月%d日}前告知是否受理。")
    sent = sms.send_now(phone, text)
    Submission.objects.filter(pk=submission_id).update(sms_status=SmsStatus.SENT if sent else SmsStatus.FAILED)


# --- find ----------------------------------------------------------------------------


def find(*, code, verify="", ip=None):
    """The submission a query code (and, for a case with personal data, the last four
    digits of the phone or ID number given) opens. Limits: requests and failures per
    network; failures per code, after which the code is locked for a while."""
    ident = ip or "unknown"
    limits.guard("follow_ip", ident, "查询过于频繁，请{minutes}分钟后再试 / Too many queries; try again in {minutes} minutes.")
    if limits.exceeded("follow_fail_ip", ident):
        wait = limits.minutes(limits.retry_after("follow_fail_ip", ident))
        raise limits.Throttled(f"查询失败次数过多，请{wait}分钟后再试 / Too many failed queries; try again in {wait} minutes.",
                               retry_after=wait * 60)
    chars = codes.normalize(code)
    if chars is None:
        raise Invalid("查询码格式不正确，请核对 / This is not a valid query code; check it.", code="bad_code",
                      fields={"code": "查询码为XF开头的16位字母和数字，如XF-7K3M-Q9TD-2HXA-PW4E / XF- and 16 letters and digits."})
    hashed = codes.code_hash(chars)
    # The busiest public route: one narrow query (no .first(), whose ORDER BY is wasted on
    # a unique key; the units are loaded only when the view is not cached).
    submission = next(iter(Submission.objects.filter(code_hash=hashed, case__isnull=False).select_related("case")[:1]), None)
    if submission is None:
        limits.hit("follow_fail_ip", ident)
        raise NotFound(NOT_FOUND, fields={"code": NOT_FOUND})
    if submission.needs_verifier:
        if limits.exceeded("code_fail", hashed):
            wait = limits.retry_after("code_fail", hashed)
            raise limits.Throttled(f"该查询码验证失败次数过多，已暂时锁定，请{limits.minutes(wait) // 60 or 1}小时后再试，"
                                   f"或到信访接待场所查询 / This code is locked after too many failed attempts.", retry_after=wait)
        if not str(verify or "").strip():
            raise Invalid("请填写您提交时所留手机号或身份证号的后4位 / Enter the last 4 digits of the phone or ID number you gave.",
                          code="verifier_required", fields={"verify": "请填写后4位 / The last 4 digits."})
        if not codes.verifies(submission, verify):
            limits.hit("code_fail", hashed)
            limits.hit("follow_fail_ip", ident)
            raise NotFound(NOT_FOUND, fields={"verify": NOT_FOUND})
    return submission


# --- the documents of the written replies ------------------------------------------------


def document(*, submission, attachment_id, ip=None, counted=False):
    """A document attached to one of the written replies of the case `submission` opens,
    for the petitioner who proved the code (and the last four digits). Every attachment
    of a reply is part of the written opinion sent to the petitioner; petition
    attachments and anything else are never served here. Counted with the follows
    (`counted`: the caller already did, through find()); every download is in the audit
    record as a read by the petitioner."""
    if not counted:
        limits.guard("follow_ip", ip or "unknown", "查询过于频繁，请{minutes}分钟后再试 / Too many queries; try again in {minutes} minutes.")
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        pk = None
    item = None
    if pk is not None and pk > 0:
        item = (Attachment.objects.filter(pk=pk, case_id=submission.case_id, reply__isnull=False, reply__case_id=submission.case_id)
                .select_related("case").first())
    if item is None:
        raise NotFound("找不到该文件 / No such document.")
    audit(actor=None, action="attachment.download", obj=item, ip=ip,
          detail={"case": item.case.number, "by": "petitioner", "channel": "online"})
    return item


# --- the notices sent to the petitioner (受理告知书, 处理意见书 …) ----------------------------------


def notice(*, submission, document_id, ip=None, counted=False):
    """The current version of a notice of the case `submission` opens (one of
    cases.case_documents.notices_of: never an internal form), for the petitioner who proved the
    code. Opening it is delivery online (网上送达) that day when no delivery is on
    record yet (cases.services.deliver_on_download). In the audit record as a read by
    the petitioner."""
    if not counted:
        limits.guard("follow_ip", ip or "unknown", "查询过于频繁，请{minutes}分钟后再试 / Too many queries; try again in {minutes} minutes.")
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        pk = 0
    doc = notices_of(submission.case).filter(pk=pk).first() if pk > 0 else None
    version = documents.current_version(doc) if doc is not None else None  # fills version 1 of a demo's deferred notice
    if version is None:
        raise NotFound("找不到该文书 / No such document.")
    deliver_on_download(case=submission.case_id, document=doc, ip=ip)
    audit(actor=None, action="document.download", obj=doc, ip=ip,
          detail={"case": submission.case.number, "version": version.version, "by": "petitioner", "channel": "online"})
    return version


# --- query codes issued by staff ----------------------------------------------------------

ISSUE_ROLES = (Role.REGISTRAR, Role.HEAD, Role.HANDLER)


def issue_refusal(case, actor):
    """Why `actor` may not issue a query code for `case` (one they can see), or None.
    The staff of the unit holding the case, or of the office that registered it (the
    window where the petitioner came), with a registrar, handler or head role; for an
    accusation only those who may know the accuser (Art. 30)."""
    if not actor.has_role(*ISSUE_ROLES):
        return NotAllowed("需要登记员、承办人或单位负责人角色才能生成查询码 / Your role may not issue query codes.")
    if actor.unit_id is None or not (actor.unit.acts_for & {case.current_unit_id, case.unit_id}):
        return NotAllowed("本事项不由您的单位登记或办理，不能生成查询码 / Only the unit holding this case may issue its query code.")
    if case.status == Status.MERGED:
        return WrongState("本事项已并入其他事项，请为并入后的事项生成查询码 / This case was merged: issue the code for the case it joined.")
    if not shows_identity(case, actor):
        return NotAllowed("检举控告事项的查询码只能由登记单位或纪检监察机关生成 / Only the registering office or the discipline organs "
                          "may issue the code of an accusation.")
    return None


def _opening_petition(case):
    return case.petitions.order_by("received_at", "id").first()


def _verifiers(hashed, petition):
    """The keyed hashes of the last four digits that open the case with the code: those
    of the phone and ID number of the people of the petition the code is for (its
    representatives, when a collective visit chose some; Art. 20). None given: the code
    alone opens it, as for an anonymous letter."""
    if petition is None:
        return []
    # The phone and ID number are read through the model's attributes (decrypted there
    # once intake encrypts them); a value that cannot be read adds nothing.
    people = list(petition.petitioners.all())
    if any(p.is_representative for p in people):
        people = [p for p in people if p.is_representative]
    found = set()
    for person in people:
        phone, id_number = (value if isinstance(value, str) else "" for value in (person.phone, person.id_number))
        found.update(codes.verifiers_for(hashed, phone=phone, id_number=id_number))
    return sorted(found)


def code_state(case, actor):
    """For the staff case page: whether `actor` may issue a code for `case`, and the
    code in force (who made it, when; never the code). One query."""
    submission = Submission.objects.filter(case=case).select_related("issued_by").first()
    return {"allowed": issue_refusal(case, actor) is None, "submission": submission}


def issue_code(*, case, actor, ip=None, send_sms=False):
    """Issue a query code for `case` and return its Receipt: the code is shown this once.
    A case has one code in force: issuing again replaces the old one, which then opens
    nothing. NotFound (404) when `actor` cannot see the case; NotAllowed or WrongState
    with the reason (issue_refusal) otherwise. `send_sms`: also text the code, after
    the commit, to the first mobile number among the people it is issued for."""
    number = case.number if isinstance(case, Case) else case
    with transaction.atomic():
        case = get_case_for(actor, number, lock=True)  # two clerks at once: one after the other
        if (why := issue_refusal(case, actor)) is not None:
            raise why
        submission = Submission.objects.select_for_update().filter(case=case).first()
        reissued = submission is not None
        petition = submission.petition if reissued and submission.petition_id else _opening_petition(case)
        code = codes.new_code()
        hashed = codes.code_hash(codes.normalize(code))
        now = timezone.now()
        values = {"code_hash": hashed, "verifiers": _verifiers(hashed, petition), "petition": petition, "issued_at": now,
                  "issued_by": actor}
        if reissued:
            for name, value in values.items():
                setattr(submission, name, value)
            submission.save(update_fields=list(values))
        else:
            submission = Submission.objects.create(case=case, created_at=now, **values)
        phone = _mobile_of(petition) if send_sms else ""
        audit(actor=actor, action="case.query_code", obj=case, ip=ip,
              detail={"number": case.number, "reissued": reissued, "needs_verify": bool(values["verifiers"]), "sms": bool(phone)})
        if phone:
            transaction.on_commit(lambda: _text_code(submission.pk, phone, code, case), robust=True)
    submission.case = case
    return Receipt(code=code, submission=submission, reissued=reissued, sms_to=mask_phone(phone) if phone else "")


MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _mobile_of(petition):
    """The first mobile number among the people a code is issued for (its representatives
    when a collective visit chose some), or ""."""
    if petition is None:
        return ""
    people = list(petition.petitioners.all())
    if any(p.is_representative for p in people):
        people = [p for p in people if p.is_representative]
    for person in people:
        number = person.phone if isinstance(person.phone, str) else ""
        if MOBILE.match(number):
            return number
    return ""


def _text_code(submission_id, phone, code, case):
    text = (f"【信访】您的信访事项{case.number}的查询码为{code}，请妥善保管；凭查询码和手机号后4位可在网上信访查询进度、"
            f"下载答复文书、评价和请求复查。")
    sent = sms.send_now(phone, text)
    Submission.objects.filter(pk=submission_id).update(sms_status=SmsStatus.SENT if sent else SmsStatus.FAILED)


# --- the petitioner's moves ---------------------------------------------------------------


def evaluate(*, submission, satisfaction="", comment="", ip=None):
    limits.guard("act_ip", ip or "unknown", "操作过于频繁，请{minutes}分钟后再试 / Too many requests; try again in {minutes} minutes.")
    comment = _text(comment)
    if len(comment) > 1000:
        raise Invalid("意见不超过1000字 / At most 1,000 characters.", fields={"comment": "过长 / Too long."})
    return perform_as_petitioner(case=submission.case, action=Action.EVALUATE, ip=ip, satisfaction=_text(satisfaction), comment=comment)


def review_action(case):
    """Which the petitioner's next request to a higher level is: re-review after a review
    answer, review otherwise."""
    return Action.RE_REVIEW if case.status == Status.REVIEWED else Action.REVIEW


def ask_review(*, submission, reasons="", ip=None):
    limits.guard("act_ip", ip or "unknown", "操作过于频繁，请{minutes}分钟后再试 / Too many requests; try again in {minutes} minutes.")
    reasons = _text(reasons)
    if len(reasons) > CONTENT_MAX:
        raise Invalid(f"理由不超过{CONTENT_MAX}字 / At most {CONTENT_MAX} characters.", fields={"reasons": "过长 / Too long."})
    return perform_as_petitioner(case=submission.case, action=review_action(submission.case), ip=ip, reasons=reasons)
