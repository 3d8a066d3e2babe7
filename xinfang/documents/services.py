"""Written documents: filling a kind's Word template, the templates a deployment or a
unit uploads (checked, versioned, rolled back), the document numbers (文号), issuing a
numbered document and adding versions of its file.

Which step issues which document, with which fields, is the business of the app that
owns the step (cases/paperwork.py); who may see a document is decided there too, from
its subject. This module only checks who may manage templates."""

import contextlib
import contextvars
import datetime
import functools
import hashlib
import io
import zipfile
from pathlib import Path

import filetype
import jinja2
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from xinfang.audit.services import record as audit
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound, ServiceError
from xinfang.lib.sequences import next_value
from xinfang.org.choices import Role
from xinfang.org.models import Unit

from .fields import allowed, sample_context
from .kinds import FOR_PETITIONER, SERIES, DocKind, VersionSource
from .models import Document, DocumentVersion, NumberSequence, Template

DEFAULTS = Path(__file__).resolve().parent / "defaults"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DIGITS = "〇一二三四五六七八九"


# --- dates in Chinese ------------------------------------------------------------------


def _cn_number(n):
    """1..31 as written in a date: 三, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


def cn_date(value):
    """A date as official documents write it: 二〇二六年十二月三日. Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    year = "".join(DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{_cn_number(value.month)}月{_cn_number(value.day)}日"


# --- templates ------------------------------------------------------------------------


def _kind(kind):
    if kind not in DocKind.values:
        raise Invalid(f"未知的文书种类 {kind} / Unknown document kind.", code="unknown_kind",
                      fields={"kind": "|".join(DocKind.values)})
    return DocKind(kind)


def active_template(kind, unit=None):
    """The uploaded template in use for `kind` at `unit`: the active one of the unit or
    of the nearest unit above it, else the deployment's (unit empty); None means the
    shipped default."""
    ids = [int(i) for i in unit.path.strip("/").split("/") if i] if unit is not None else []
    found = {t.unit_id: t for t in Template.objects.filter(kind=kind, is_active=True).filter(
        unit_id__in=ids) | Template.objects.filter(kind=kind, is_active=True, unit__isnull=True)}
    for unit_id in reversed(ids):
        if unit_id in found:
            return found[unit_id]
    return found.get(None)


@functools.lru_cache(maxsize=64)
def _default_bytes(kind):
    return (DEFAULTS / f"{kind}.docx").read_bytes()


@functools.lru_cache(maxsize=64)
def _uploaded_bytes(pk, sha256):
    # Keyed by the content's hash too: a file is never changed in place, but be sure.
    template = Template.objects.get(pk=pk)
    with template.file.open("rb") as handle:
        return handle.read()


class _Environment(SandboxedEnvironment):
    """Sandboxed: an uploaded template is code an administrator wrote, not the server's.
    docxtpl compiles every XML part of a template on each fill; the same template gives
    the same parts, so their compiled form is kept (a third of a fill's time)."""

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one environment for the process, below
    def _compiled(self, source):
        return super().from_string(source)

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class:
            return super().from_string(source, globals, template_class)
        return self._compiled(source)


_ENVIRONMENT = _Environment(undefined=jinja2.Undefined)


def _environment():
    return _ENVIRONMENT


def _fill(body, context):
    doc = DocxTemplate(io.BytesIO(body))
    doc.render(context, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(kind, context, *, unit=None, template=None):
    """The .docx of `kind` filled with `context`, from `template` when given, else the
    template in use at `unit` (active_template), else the shipped default."""
    return _render(kind, context, unit=unit, template=template)[0]


def _render(kind, context, *, unit=None, template=None):
    kind = _kind(kind)
    if template is None:
        template = active_template(kind, unit)
    body = _uploaded_bytes(template.pk, template.sha256) if template is not None else _default_bytes(kind)
    try:
        return _fill(body, context), template
    except (jinja2.TemplateError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        name = f"{template} " if template else ""
        raise ServiceError(f"文书模板{name}无法生成文书：{exc} / The template could not be filled: {exc}", code="template_error")


def _placeholders(body):
    """The placeholder names a .docx template uses; Invalid when it is not a Word file or
    its Jinja syntax is broken."""
    not_docx = Invalid("模板必须是Word文档（.docx）/ The template must be a Word .docx file.", code="not_docx",
                       fields={"file": "不是.docx文件 / Not a .docx file."})
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise not_docx
    except zipfile.BadZipFile:
        raise not_docx
    try:
        return DocxTemplate(io.BytesIO(body)).get_undeclared_template_variables(jinja_env=_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise Invalid(f"模板语法错误（第{exc.lineno}行）：{exc.message} / Template syntax error at line {exc.lineno}: {exc.message}",
                      code="template_syntax", fields={"file": f"第{exc.lineno}行：{exc.message} / Line {exc.lineno}: {exc.message}"})
    except (KeyError, ValueError) as exc:  # a zip that python-docx cannot open as a document
        raise Invalid(f"无法读取该Word文档：{exc} / The .docx could not be read.", code="not_docx", fields={"file": str(exc)})


def check_template(kind, body):
    """The placeholders of an uploaded template, sorted; Invalid unless every one is a
    field of `kind` (the error lists those it may use, with what each holds)."""
    kind = _kind(kind)
    used = _placeholders(body)
    fields = allowed(kind)
    if unknown := sorted(used - set(fields)):
        listing = "；".join(f"{name}：{text}" for name, text in fields.items())
        raise Invalid(f"模板使用了未知字段：{'、'.join(unknown)}。可用字段：{listing} / "
                      f"Unknown placeholders: {', '.join(unknown)}; the allowed ones are listed in 'allowed'.",
                      code="unknown_placeholders",
                      fields={"file": f"未知字段 / Unknown placeholders: {', '.join(unknown)}", "allowed": listing})
    try:
        _fill(body, sample_context(kind))
    except (jinja2.TemplateError, ValueError, KeyError, TypeError) as exc:
        raise Invalid(f"模板无法用示例事项生成：{exc} / The template fails on the sample case: {exc}", code="template_error",
                      fields={"file": str(exc)})
    return sorted(used)


def may_manage_templates(user, unit):
    """A superuser for the deployment (unit None) and any unit; a unit administrator
    (系统管理员) for units in their scope's subtree."""
    if getattr(user, "is_superuser", False):
        return True
    if unit is None or not getattr(user, "unit_id", None) or not user.has_role(Role.ADMIN):
        return False
    return unit.is_within(user.unit.scope_root)


def _require_manager(user, unit):
    if not may_manage_templates(user, unit):
        where = unit.name if unit is not None else "全系统"
        raise NotAllowed(f"您无权管理{where}的文书模板 / You may not manage document templates for this scope.", code="not_allowed")


def _unit(unit):
    if unit is None or isinstance(unit, Unit):
        return unit
    found = Unit.objects.filter(code=str(unit), is_active=True).first()
    if found is None:
        raise Invalid("单位不存在 / No such unit.", fields={"unit": f"找不到单位代码 {unit} / Unknown unit code."})
    return found


def managed_units(user):
    """The units whose templates `user` manages (a queryset); a superuser also the
    deployment's, which `may_manage_templates(user, None)` tells."""
    if getattr(user, "is_superuser", False):
        return Unit.objects.all()
    if not getattr(user, "unit_id", None) or not user.has_role(Role.ADMIN):
        return Unit.objects.none()
    return Unit.objects.subtree(user.unit.scope_root)


def may_see_templates(user):
    return getattr(user, "is_superuser", False) or (bool(getattr(user, "unit_id", None)) and user.has_role(Role.ADMIN))


def templates_for(user, *, kind=None):
    """Every uploaded version `user` may see: the deployment's and those of the units
    they manage, newest first within each kind and unit."""
    if not may_see_templates(user):
        raise NotAllowed("只有系统管理员可以管理文书模板 / Only administrators manage document templates.", code="not_allowed")
    qs = Template.objects.filter(Q(unit__isnull=True) | Q(unit__in=managed_units(user))).select_related("unit", "uploaded_by")
    if kind:
        qs = qs.filter(kind=_kind(kind))
    return qs.order_by("kind", "unit__path", "-version")


def template_for(user, pk, *, kind=None):
    """One uploaded template version `user` may see (of `kind`, when given)."""
    try:
        return templates_for(user, kind=kind).get(pk=int(pk))
    except (Template.DoesNotExist, TypeError, ValueError):
        raise NotFound("找不到该模板或无权查看 / No such template, or not visible to you.")


def upload_template(kind, file, *, unit, actor, note=""):
    """A new version of `kind`'s template for `unit` (None: the deployment), in use from
    now on. Refused, with nothing saved, when it is not a .docx (by content), too large,
    its syntax is broken or it uses a placeholder the kind does not have."""
    kind, unit = _kind(kind), _unit(unit)
    _require_manager(actor, unit)
    limit = settings.DOCUMENT_TEMPLATE_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None or size > limit:
        shown = filesizeformat(limit).replace("\xa0", " ")
        raise Invalid(f"模板文件超过{shown}的大小限制 / The template is larger than {shown}.", code="too_large",
                      fields={"file": f"不超过{shown} / At most {shown}."})
    body = file.read()
    used = check_template(kind, body)
    name = (getattr(file, "name", "") or f"{kind}.docx").rsplit("/", 1)[-1][:200]
    try:
        with transaction.atomic():
            rows = Template.objects.select_for_update().filter(kind=kind, unit=unit)
            version = (rows.aggregate(v=Max("version"))["v"] or 0) + 1
            rows.filter(is_active=True).update(is_active=False)
            template = Template(kind=kind, unit=unit, version=version, original_name=name, sha256=hashlib.sha256(body).hexdigest(),
                                placeholders=used, is_active=True, note=str(note or "")[:200], uploaded_by=actor)
            template.file.save(f"{kind}-v{version}.docx", ContentFile(body), save=False)
            template.save()
            audit(actor=actor, action="document.template_upload", obj=template,
                  detail={"kind": kind, "unit": unit.code if unit else "", "version": version, "sha256": template.sha256})
    except IntegrityError:
        raise Conflict("他人同时上传了该模板，请刷新后重试 / Someone uploaded this template at the same time; reload and retry.")
    return template


def activate_template(template, actor):
    """Roll back (or forward) to `template`: it is used from now on, the other versions
    of its kind and unit are kept but not used."""
    _require_manager(actor, template.unit)
    with transaction.atomic():
        Template.objects.filter(kind=template.kind, unit=template.unit_id).exclude(pk=template.pk).update(is_active=False)
        Template.objects.filter(pk=template.pk).update(is_active=True)
        template.is_active = True
        audit(actor=actor, action="document.template_activate", obj=template,
              detail={"kind": template.kind, "unit": template.unit.code if template.unit_id else "", "version": template.version})
    return template


def use_default(kind, *, unit, actor):
    """Stop using uploaded templates of `kind` at `unit`: the one above (or the shipped
    default) applies again. The versions stay, to be activated again."""
    kind, unit = _kind(kind), _unit(unit)
    _require_manager(actor, unit)
    with transaction.atomic():
        changed = Template.objects.filter(kind=kind, unit=unit, is_active=True).update(is_active=False)
        audit(actor=actor, action="document.template_default", object_type="documents.template", object_id=kind,
              detail={"kind": kind, "unit": unit.code if unit else "", "deactivated": changed})


def preview(kind, template=None, *, unit=None):
    """`kind` filled with the sample case, from `template` (or what `unit` uses)."""
    return render(kind, sample_context(kind), unit=unit, template=template)


# --- numbers and documents ---------------------------------------------------------------


def format_number(unit, kind, year, n):
    return f"{unit.short_name or unit.name}信{SERIES[kind]}〔{year}〕{n}号"


def next_number(unit, kind, year):
    """The next 文号 of `unit` in the series of `kind` for `year`: gapless and unique
    under concurrency (lib/sequences.py); call inside the transaction that uses it."""
    kind = _kind(kind)
    return format_number(unit, kind, year, next_value(NumberSequence, unit=unit, year=year, series=SERIES[kind]))


# Bulk loads (the demo's 300 cases) number and record their documents as they go but
# fill each file when it is first asked for: filling is most of a document's cost.
_DEFERRED = contextvars.ContextVar("documents_deferred", default=False)


@contextlib.contextmanager
def deferred_rendering():
    """Within this block issue() stores no file; current_version() (every download)
    fills version 1 from the document's saved fields when it is first needed, with the
    template in use then."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def issue(kind, *, unit, subject, context, actor, to_unit=None, source="", title="", shield_unit=None):
    """Number, fill and store a document of `kind` about `subject`: version 1, generated.
    The common fields (unit_name, doc_number, issue_date_cn) are filled here unless given.
    `shield_unit`: the document names an accuser shielded for that unit (Art. 30)."""
    kind = _kind(kind)
    now = timezone.now()
    with transaction.atomic():
        number = next_number(unit, kind, timezone.localdate(now).year)
        context = {"unit_name": unit.name, "issue_date_cn": cn_date(now), **context, "doc_number": number}
        document = Document.objects.create(kind=kind, number=number, title=title or kind.label, unit=unit, to_unit=to_unit,
                                           for_petitioner=kind in FOR_PETITIONER, subject_type=ContentType.objects.get_for_model(subject),
                                           subject_id=subject.pk, source=source, issued_at=now, issued_by=actor, context=context,
                                           shield_unit_id=getattr(shield_unit, "pk", shield_unit))
        if not _DEFERRED.get():
            _generate(document)
        audit(actor=actor, action="document.issue", obj=document,
              detail={"kind": kind, "number": number, "subject": f"{subject._meta.label_lower}:{subject.pk}", "source": source})
    return document


def _generate(document):
    kind = DocKind(document.kind)
    body, template = _render(kind, document.context, unit=document.unit)
    return _store(document, body, version=1, source=VersionSource.GENERATED, name=f"{document.number}{kind.label}.docx",
                  content_type=DOCX, actor=document.issued_by, template=template, created_at=document.issued_at)


def current_version(document, version=None):
    """The current version of `document` (or the numbered one), filling version 1 first
    if it was issued under deferred_rendering(). None when there is no such version."""
    versions = document.versions.order_by("-version")
    if not versions.exists():
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if not locked.versions.exists():
                _generate(locked)
    return versions.filter(version=version).first() if version not in (None, "") else versions.first()


def _store(document, body, *, version, source, name, content_type, actor, template=None, note="", created_at=None):
    item = DocumentVersion(document=document, version=version, source=source, original_name=name[:200], content_type=content_type,
                           size=len(body), sha256=hashlib.sha256(body).hexdigest(), template=template, note=str(note or "")[:200],
                           created_by=actor, created_at=created_at or timezone.now())
    item.file.save(f"{document.pk}-v{version}.{name.rsplit('.', 1)[-1].lower()[:5]}", ContentFile(body), save=False)
    item.save()
    return item


def about(subject):
    """The documents about `subject`, as a plain queryset to narrow further."""
    return Document.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def documents_of(subject):
    """The documents about `subject`, oldest first, with their units and versions."""
    return (about(subject).select_related("unit", "to_unit")
            .prefetch_related(Prefetch("versions", DocumentVersion.objects.select_related("created_by"))))


def _content_type(body):
    """The real type of an uploaded version (by content): .docx, PDF or an image."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            if "word/document.xml" in archive.namelist():
                return DOCX
    except zipfile.BadZipFile:
        pass
    kind = filetype.guess(body[:8192])
    mime = kind.mime if kind else ""
    if mime == "application/pdf" or mime in settings.DOCUMENT_IMAGE_TYPES:
        return mime
    return ""


def add_version(document, upload, *, actor, source=VersionSource.EDITED, note=""):
    """Replace the current file of `document` with an edited .docx or a signed and
    scanned PDF or image: a new version; every older one is kept."""
    if source not in (VersionSource.EDITED, VersionSource.SCANNED):
        raise Invalid("版本来源应为修改稿或签章扫描件 / The source is edited or scanned.", fields={"source": "edited|scanned"})
    name = (getattr(upload, "name", "") or "文书").rsplit("/", 1)[-1]
    size = getattr(upload, "size", None)
    if not size:
        raise Invalid(f"文件“{name}”是空文件 / The file is empty.", code="empty", fields={"file": "空文件 / Empty file."})
    body = upload.read(settings.DOCUMENT_VERSION_MAX_BYTES["default"] + 1)
    mime = _content_type(body)
    if not mime:
        raise Invalid(f"文件“{name}”类型不允许，仅限Word（.docx）、PDF或图片 / Only .docx, PDF or image files.", code="bad_type",
                      fields={"file": "仅限.docx、PDF、图片 / .docx, PDF or images only."})
    limits = settings.DOCUMENT_VERSION_MAX_BYTES
    limit = limits.get(mime, limits["default"])
    if len(body) > limit or size > limit:
        shown = filesizeformat(limit).replace("\xa0", " ")
        raise Invalid(f"文件“{name}”超过{shown}的大小限制 / The file is larger than {shown}.", code="too_large",
                      fields={"file": f"不超过{shown} / At most {shown}."})
    current_version(document)  # a document issued in a bulk load gets its version 1 first
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        version = (locked.versions.aggregate(v=Max("version"))["v"] or 0) + 1
        item = _store(locked, body, version=version, source=source, name=name, content_type=mime, actor=actor, note=note)
        audit(actor=actor, action="document.add_version", obj=locked,
              detail={"number": locked.number, "version": version, "source": source, "sha256": item.sha256})
    return item
