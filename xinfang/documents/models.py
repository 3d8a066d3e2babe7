"""Written documents: the templates they are made from, the numbered documents with
every version of their file, their delivery records, and the archived case file.

A document is about a subject (a case, a supervision item, a bulletin) through a generic
relation, because the apps that own subjects sit above this one (ARCHITECTURE.md layers);
they ask for their documents by subject."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .kinds import DeliveryChannel, DocKind, Retention, VersionSource


def template_path(instance, filename):
    return f"templates/{instance.kind}/{timezone.now():%Y%m}/{filename}"


def document_path(instance, filename):
    return f"documents/{timezone.now():%Y/%m}/{filename}"


def proof_path(instance, filename):
    return f"deliveries/{timezone.now():%Y/%m}/{filename}"


def casefile_path(instance, filename):
    return f"casefiles/{timezone.now():%Y/%m}/{filename}"


class Template(models.Model):
    """One uploaded version of a kind's Word template, for the whole deployment (unit
    empty) or for one unit and the units below it (its own letterhead). The newest
    active version nearest up the unit tree is used; with none, the shipped default
    (documents/defaults/<kind>.docx). Rolling back makes an earlier version active again;
    no version is ever deleted."""

    kind = models.CharField("文书种类", max_length=24, choices=DocKind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name="适用单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("版本")
    file = models.FileField("模板文件", upload_to=template_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    placeholders = models.JSONField("使用的字段", default=list, blank=True)
    is_active = models.BooleanField("使用中", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind", "unit_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "version"], name="template_kind_unit_version",
                                               nulls_distinct=False)]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class NumberSequence(models.Model):
    """The last document number a unit gave in one series in one year, incremented under
    a row lock like case numbers: gapless and unique with many clerks at once."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="doc_seq_unit_year_series")]


class Document(models.Model):
    """A numbered written document (文书) issued by a unit about a subject. Its file has
    versions (generated, edited, signed and scanned); the newest is current, the older
    ones are kept."""

    kind = models.CharField("文书种类", max_length=24, choices=DocKind.choices)
    number = models.CharField("文号", max_length=60)
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="制发单位", on_delete=models.PROTECT, related_name="+")
    # The unit it goes to, for internal forms (交办单 to the lead unit, 督办单 to the
    # supervised unit); empty for what goes to the petitioner.
    to_unit = models.ForeignKey("org.Unit", verbose_name="送达单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    for_petitioner = models.BooleanField("送达信访人", default=False)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # What issued it: the timeline event (cases.CaseEvent id) or another app's record.
    source = models.CharField("来源", max_length=60, blank=True)
    issued_at = models.DateTimeField("制发时间", default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制发人", null=True, on_delete=models.PROTECT, related_name="+")
    # The fields it was filled with, so that it can be generated again from a new template.
    context = models.JSONField(default=dict, blank=True)
    # A document naming an accuser (Art. 30) carries the shield of the material it names:
    # only that unit's staff and the discipline organs may open it (org.identity_shown).
    shield_unit = models.ForeignKey("org.Unit", verbose_name="检举人身份可见单位", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="document_unit_number")]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def current(self):
        return self.versions.order_by("-version").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    source = models.CharField("来源", max_length=12, choices=VersionSource.choices)
    file = models.FileField("文件", upload_to=document_path, max_length=255)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    template = models.ForeignKey(Template, verbose_name="所用模板", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "文书版本"
        verbose_name_plural = "文书版本"
        ordering = ["document", "version"]
        constraints = [models.UniqueConstraint(fields=["document", "version"], name="document_version_unique")]


class Delivery(models.Model):
    """How and when a document reached the petitioner (送达), with its proof. A second
    record for one document is a correction: the new one is current, the old one stays
    with `superseded_at` set."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField("送达方式", max_length=12, choices=DeliveryChannel.choices)
    delivered_on = models.DateField("送达日期")
    recipient = models.CharField("签收人", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    proof = models.FileField("送达凭证", upload_to=proof_path, max_length=255, blank=True)
    proof_name = models.CharField("凭证文件名", max_length=200, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    superseded_at = models.DateTimeField("更正时间", null=True, blank=True)
    correction_reason = models.CharField("更正理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["document", "recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["document"], condition=models.Q(superseded_at__isnull=True),
                                               name="delivery_one_current")]


class CaseFile(models.Model):
    """The electronic case file (电子案卷) of an archived subject: one PDF, a zip of the
    originals with a manifest of SHA-256 checksums, the retention period, and which parts
    failed to convert (the rest is kept; building again retries them)."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    retention = models.CharField("保管期限", max_length=12, choices=Retention.choices)
    pdf = models.FileField("案卷PDF", upload_to=casefile_path, max_length=255, blank=True)
    bundle = models.FileField("原件包", upload_to=casefile_path, max_length=255, blank=True)
    manifest = models.JSONField("清单", default=list, blank=True)
    failures = models.JSONField("转换失败", default=list, blank=True)
    pages = models.PositiveIntegerField("页数", default=0)
    built_at = models.DateTimeField("生成时间", null=True, blank=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # Why the last build stopped before writing anything (LibreOffice missing): shown on
    # the case page until a build succeeds. A part that failed to convert is in `failures`.
    error = models.TextField("生成错误", blank=True)
    error_at = models.DateTimeField("出错时间", null=True, blank=True)
    # When a build was last asked for (archiving, the rebuild button): later than both
    # built_at and error_at means one is waiting in the queue or running.
    requested_at = models.DateTimeField("请求生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "电子案卷"
        verbose_name_plural = "电子案卷"
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="casefile_subject")]

    @property
    def state(self):
        """pending (asked for, not done yet), built, failed (the last build stopped: `error`)."""
        last = max((t for t in (self.built_at, self.error_at) if t), default=None)
        if self.requested_at and (last is None or self.requested_at > last):
            return "pending"
        if self.error_at and (self.built_at is None or self.error_at > self.built_at):
            return "failed"
        return "built" if self.built_at else "pending"
