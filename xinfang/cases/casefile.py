"""A case's electronic case file (电子案卷): which parts, in which order, and who may have it.

Archive order: cover (案卷封面) and index (卷内目录), then for each petition its
registration form (信访事项登记表) and the files that came with it; every document of the
case (current version) followed by its delivery record and the proof of delivery; each
written reply with its files; the evaluations; any other file; and the timeline.

Decisions (docs/documents.md, "The case file"):
- One file per case, built once for the archive of record: it holds the petitioners'
  names as registered (an accuser's too), their ID and phone numbers masked (the full
  numbers stay behind `intake.privacy.reveal()`, which records who looked).
- So whoever may not see the accuser (`services.shows_identity`, or shielded files) may
  see that the file exists and its status, but not download it
  (`services.casefile_download_refusal`); rebuilding is for the staff who may archive.
- Only the current version of a document goes in; earlier drafts stay in the system
  (the document's versions) and the record page notes how many there were.
- Page numbers in the index (页号) count from the first page after the cover and index,
  as paper files are numbered; the manifest gives each item's pages in the whole PDF.

The petitions, petitioners and attachments are intake's: reached through the case's own
relations (`case.petitions`, `case.attachments`), so this module imports nothing above."""

from django.conf import settings
from django.utils import timezone

from xinfang.documents import casefile as files
from xinfang.documents import services as documents_service
from xinfang.documents.casefile import DOCX, Part
from xinfang.documents.kinds import Retention
from xinfang.documents.models import Document
from xinfang.lib.errors import Invalid, WrongState
from xinfang.lib.masking import mask_id, mask_phone

from .choices import Action, Channel, Satisfaction, Status
from .models import Case


def default_retention(case):
    return settings.XINFANG_CASEFILE["retention"].get(case.kind, Retention.SHORT)


def check_retention(value):
    if value and value not in Retention.values:
        raise Invalid("保管期限应为永久、30年或10年 / Retention must be permanent, 30y or 10y.",
                      fields={"retention": "|".join(Retention.values)})
    return value


def _date(value):
    if not value:
        return ""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d}"


def _when(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def _page(title, name, *, section, date="", number="", listed=True, **content):
    return Part(title, files.docx_page(title, **content), DOCX, name, number=number, date=date, section=section, generated=True,
                listed=listed)


def _stored(field, *, title, name, content_type, section, date="", number=""):
    with field.open("rb") as handle:
        body = handle.read()
    return Part(title, body, content_type, name, number=number, date=date, section=section)


def _registration_form(petition, n):
    people = []
    for person in petition.petitioners.all():
        people.append([person.name or "匿名", person.get_sex_display() if person.sex else "", mask_id(person.id_number),
                       mask_phone(person.phone), person.household_place, "是" if person.is_representative else ""])
    fields = [("信访渠道", _label(Channel, petition.channel)), ("收到时间", _when(petition.received_at)),
              ("接收单位", petition.receiving_unit.name), ("标题", petition.title), ("性质", petition.get_kind_display()),
              ("问题类别", petition.category.name if petition.category else ""), ("人数", petition.headcount),
              ("重复信访", "是" if petition.is_repeat else "否"), ("匿名", "是" if petition.is_anonymous else "否"),
              ("代办人", f"{petition.agent_name} {petition.agent_role}".strip()), ("转送来源", petition.referral_from),
              ("登记时间", _when(petition.registered_at)), ("信访内容", petition.content)]
    table = [["姓名", "性别", "证件号码", "联系电话", "户籍地", "代表"], *people] if people else None
    return _page("信访事项登记表", f"登记表{n}.docx", section="登记表", date=_date(petition.received_at), fields=fields, table=table,
                 widths=[24, 12, 36, 28, 44, 14], notes=["证件号码、联系电话已遮蔽；完整信息须经查阅登记（reveal）后在系统中查看。"])


def _delivery_record(document, deliveries):
    rows = [["送达方式", "送达日期", "签收人", "说明", "凭证", "登记时间", "状态"]]
    for d in deliveries:
        rows.append([d.get_channel_display(), _date(d.delivered_on), d.recipient, d.note, d.proof_name,
                     _when(d.recorded_at), f"已更正：{d.correction_reason}" if d.superseded_at else "有效"])
    return _page(f"送达记录：{document.title}", f"送达记录-{document.number}.docx", section="送达记录", number=document.number,
                 date=_date(deliveries[-1].delivered_on), listed=True, table=rows,
                 fields=[("文号", document.number), ("文书", document.title), ("制发时间", _when(document.issued_at))],
                 widths=[20, 22, 16, 32, 28, 24, 16])


def _reply_page(reply, n):
    fields = [("阶段", reply.get_stage_display()), ("答复单位", reply.unit.name), ("签发人", reply.signed_by.get_full_name() or reply.signed_by.username),
              ("答复时间", _when(reply.replied_at)), ("处理意见", reply.get_outcome_display()), ("信访诉求", reply.request_summary),
              ("查明事实", reply.facts), ("处理意见及理由", reply.opinion), ("法律政策依据", reply.legal_basis),
              ("救济途径", reply.remedy), ("调解或和解协议", reply.settlement)]
    return _page(f"信访处理意见书（{reply.get_stage_display()}）", f"答复意见{n}.docx", section="答复", date=_date(reply.replied_at), fields=fields)


def parts_of(case):
    """The case's parts in archive order (without the cover and index)."""
    parts = []
    petitions = list(case.petitions.select_related("receiving_unit", "category").prefetch_related("petitioners").order_by("received_at", "id"))
    attachments = list(case.attachments.order_by("uploaded_at", "id"))
    for n, petition in enumerate(petitions, 1):
        parts.append(_registration_form(petition, n))
        for item in (a for a in attachments if a.petition_id == petition.pk):
            parts.append(_stored(item.file, title=f"来信材料：{item.original_name}", name=item.original_name, content_type=item.content_type,
                                 section="信访材料", date=_date(item.uploaded_at)))
    documents = Document.objects.filter(subject_type__app_label="cases", subject_type__model="case", subject_id=case.pk)
    for document in documents.prefetch_related("versions", "deliveries").order_by("issued_at", "id"):
        versions = sorted(document.versions.all(), key=lambda v: v.version)
        current = versions[-1] if versions else documents_service.current_version(document)  # a deferred one is filled now
        if current is not None:
            parts.append(_stored(current.file, title=document.title, name=current.original_name, content_type=current.content_type,
                                 section="文书", number=document.number, date=_date(document.issued_at)))
        deliveries = sorted(document.deliveries.all(), key=lambda d: (d.recorded_at, d.pk))
        if deliveries:
            parts.append(_delivery_record(document, deliveries))
            for d in deliveries:
                if d.proof:
                    kind = "application/pdf" if d.proof_name.lower().endswith(".pdf") else _image_type(d.proof_name)
                    parts.append(_stored(d.proof, title=f"送达凭证：{document.number}", name=d.proof_name or "送达凭证", content_type=kind,
                                         section="送达记录", number=document.number, date=_date(d.delivered_on)))
    for n, reply in enumerate(case.replies.select_related("unit", "signed_by").order_by("replied_at", "id"), 1):
        parts.append(_reply_page(reply, n))
        for item in (a for a in attachments if a.reply_id == reply.pk):
            parts.append(_stored(item.file, title=f"答复文书：{item.original_name}", name=item.original_name, content_type=item.content_type,
                                 section="答复", date=_date(item.uploaded_at)))
    evaluations = list(case.evaluations.order_by("at", "id"))
    if evaluations:
        rows = [["评价时间", "满意度", "意见", "渠道"]] + [[_when(e.at), _label(Satisfaction, e.satisfaction), e.comment,
                                                          _label(Channel, e.channel)] for e in evaluations]
        parts.append(_page("满意度评价", "满意度评价.docx", section="评价", date=_date(evaluations[-1].at), table=rows))
    for item in (a for a in attachments if a.petition_id is None and a.reply_id is None):
        parts.append(_stored(item.file, title=f"附件：{item.original_name}", name=item.original_name, content_type=item.content_type,
                             section="附件", date=_date(item.uploaded_at)))
    events = list(case.events.select_related("actor_unit").order_by("at", "id"))
    rows = [["时间", "操作", "单位", "状态", "说明"]] + [
        [_when(e.at), _label(Action, e.action), e.actor_unit.name if e.actor_unit else "信访人",
         _label(Status, e.to_status), (e.note or "")[:200]] for e in events]
    parts.append(_page("办理记录（时间轴）", "办理记录.docx", section="办理记录", date=_date(events[-1].at) if events else "", table=rows,
                       widths=[30, 20, 36, 20, 52]))
    return parts


def _image_type(name):
    suffix = name.lower().rsplit(".", 1)[-1]
    return {"png": "image/png", "tif": "image/tiff", "tiff": "image/tiff"}.get(suffix, "image/jpeg")


def front_for(case, retention):
    """The cover and the index, made once the page counts are known."""

    def front(entries):
        body_pages = sum(e["pages"] for e in entries)
        cover = _page("信访事项案卷", "案卷封面.docx", section="封面", big=True, fields=[
            ("事项编号", case.number), ("题名", case.title), ("登记单位", case.unit.name), ("性质", case.get_kind_display()),
            ("首次收到", _date(case.received_at)), ("办结日期", _date(case.concluded_at or case.closed_at or case.decided_at)),
            ("归档日期", _date(case.archived_at)), ("保管期限", _label(Retention, retention)),
            ("卷内件数", sum(1 for e in entries if e["listed"])), ("卷内页数", body_pages)])
        rows = [["序号", "文号", "题名", "日期", "页号", "页数"]]
        for n, e in enumerate((e for e in entries if e["listed"]), 1):
            title = f"{e['title']}（转换失败）" if e["failed"] else e["title"]
            rows.append([n, e["number"], title, e["date"], e["first"], e["pages"]])
        index = _page("卷内目录", "卷内目录.docx", section="目录", fields=[("事项编号", case.number)], table=rows,
                      widths=[11, 38, 60, 27, 11, 11],
                      notes=["页号自封面、目录之后的第一页起计。"])
        return [cover, index]

    return front


# --- building -----------------------------------------------------------------


def casefile_for(case):
    return files.casefile_of(case)


def build(case, *, actor=None):
    """Build (or build again) the case file of an archived case. Idempotent: the one
    CaseFile row gets a whole new PDF and zip."""
    case = Case.objects.select_related("unit").get(pk=case.pk)
    if case.status != Status.ARCHIVED:
        raise WrongState("事项尚未归档，没有电子案卷 / The case is not archived: it has no case file.", code="not_archived")
    row = files.casefile_of(case) or files.ensure(case, retention=default_retention(case))
    return files.build(case, parts=parts_of(case), front=front_for(case, row.retention), actor=actor,
                       label=case.number.replace("/", "-"))
