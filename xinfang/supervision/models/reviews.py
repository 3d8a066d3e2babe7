"""Case quality review (案件评查) and accountability records (责任追究).

A supervisor draws a sample of answered cases (a ReviewRound), scores each against the
checklist (ReviewItem: the 三到位 and the procedure items), and sends the findings to the
unit that answered; the unit reports what it corrected (整改情况). Accountability records
are what other organs decided about units or officials over a case: the software keeps
the record and who read it; it decides nothing about people (DOMAIN.md "Rights built in")."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewItem(models.Model):
    """One line of the review checklist (评查项目), edited by a deployment in the admin.
    A review keeps a copy of the lines it was scored against, so a later edit never
    changes a past score."""

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("评查项目", max_length=100)
    description = models.CharField("评查要点", max_length=300, blank=True)
    max_score = models.PositiveSmallIntegerField("满分", default=10)
    weight = models.PositiveSmallIntegerField("权重", default=1, help_text="总分 = Σ(得分×权重) ÷ Σ(满分×权重) × 100")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["code"], name="review_item_code_unique")]

    def __str__(self):
        return self.name


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待评查"
    DRAFT = "draft", "已评查（未反馈）"
    SENT = "sent", "已反馈单位"
    ACKNOWLEDGED = "acknowledged", "单位已整改反馈"


class ReviewRound(models.Model):
    """A round of case quality review (一次评查): the answered cases of a period in a unit's
    subtree, drawn by a rule (recorded with its random seed, so the sample can be drawn
    again identically) or picked by hand."""

    name = models.CharField("评查名称", max_length=100)
    period_start = models.DateField("答复日期自")
    period_end = models.DateField("答复日期至")
    unit = models.ForeignKey("org.Unit", verbose_name="评查范围", on_delete=models.PROTECT, related_name="review_rounds")
    unit_path = models.CharField(max_length=255, editable=False)
    rule = models.JSONField("抽取规则", default=dict, blank=True)
    rule_label = models.CharField("抽取方式", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "案件评查"
        verbose_name_plural = "案件评查"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path"], name="review_round_unit_path", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name


class CaseReview(models.Model):
    """The review of one sampled case: per-item scores and notes, the total and grade,
    the findings, and the answering unit's response (整改情况)."""

    round = models.ForeignKey(ReviewRound, verbose_name="评查", on_delete=models.CASCADE, related_name="reviews")
    case = models.ForeignKey("cases.Case", verbose_name="信访事项", on_delete=models.PROTECT, related_name="quality_reviews")
    unit = models.ForeignKey("org.Unit", verbose_name="被评查单位", on_delete=models.PROTECT, related_name="quality_reviews")
    unit_path = models.CharField(max_length=255, editable=False)
    status = models.CharField("状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评查人", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reviewed_at = models.DateTimeField("评查时间", null=True, blank=True)
    # {"items": [{"code", "name", "max_score", "weight", "score", "note"}]}: the checklist as scored.
    scores = models.JSONField("评分", default=dict, blank=True)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=12, choices=ReviewGrade.choices, blank=True)
    findings = models.TextField("评查意见", blank=True)
    sent_at = models.DateTimeField("反馈时间", null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    response_due = models.DateField("整改反馈期限", null=True, blank=True)
    obligation = models.ForeignKey("cases.Obligation", verbose_name="整改督办", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    response = models.TextField("整改情况", blank=True)
    responded_at = models.DateTimeField("整改反馈时间", null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="整改反馈人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "案件评查记录"
        verbose_name_plural = "案件评查记录"
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "case"], name="case_review_once_a_round")]
        indexes = [
            models.Index(fields=["unit_path"], name="case_review_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["unit", "status"], name="case_review_unit_status"),
        ]

    def __str__(self):
        return f"{self.round}：{self.case_id}"


class AccountabilityKind(models.TextChoices):
    CRITICISM = "criticism", "批评教育"
    NOTICE = "notice", "通报批评"
    ADMONITION = "admonition", "诫勉"
    ORGANISATIONAL = "organisational", "组织处理"
    DISCIPLINE = "discipline", "党纪政务处分"
    OTHER = "other", "其他"


class AccountabilityRecord(models.Model):
    """A record of an accountability decision (责任追究) that an organ took about a unit or
    an official over one or more cases. It records others' decisions; every read of it
    is logged in the audit record."""

    summary = models.TextField("问题情况")
    subject_unit = models.ForeignKey("org.Unit", verbose_name="被追责单位", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="accountability_records")
    subject_unit_path = models.CharField(max_length=255, editable=False, blank=True)
    subject_person = models.CharField("被追责人员", max_length=50, blank=True)
    subject_post = models.CharField("职务", max_length=100, blank=True)
    decided_by = models.CharField("决定机关", max_length=100)
    decided_on = models.DateField("决定日期")
    basis = models.TextField("依据")
    kind = models.CharField("处理方式", max_length=16, choices=AccountabilityKind.choices)
    kind_other = models.CharField("其他处理方式", max_length=100, blank=True)
    cases = models.ManyToManyField("cases.Case", verbose_name="关联信访事项", related_name="accountability_records")
    unit = models.ForeignKey("org.Unit", verbose_name="登记单位", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "责任追究记录"
        verbose_name_plural = "责任追究记录"
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path"], name="accountability_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["subject_unit_path"], name="accountability_subject_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.kind_label}：{self.subject_label}"

    @property
    def kind_label(self):
        return self.kind_other if self.kind == AccountabilityKind.OTHER and self.kind_other else self.get_kind_display()

    @property
    def subject_label(self):
        person = "".join(part for part in (self.subject_post, self.subject_person) if part)
        unit = self.subject_unit.name if self.subject_unit_id else ""
        return "，".join(part for part in (unit, person) if part)


def accountability_path(instance, filename):
    return f"accountability/{timezone.localdate():%Y/%m}/{filename}"


class AccountabilityFile(models.Model):
    """A document of an accountability decision (决定书、通报), checked as case files are."""

    record = models.ForeignKey(AccountabilityRecord, verbose_name="责任追究记录", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=accountability_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "责任追究文件"
        verbose_name_plural = "责任追究文件"
        ordering = ["id"]

    def __str__(self):
        return self.original_name
