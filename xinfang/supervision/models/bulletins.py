from django.conf import settings
from django.db import models
from django.utils import timezone


class PeriodKind(models.TextChoices):
    WEEKLY = "weekly", "周通报"
    MONTHLY = "monthly", "月通报"
    CUSTOM = "custom", "自定义期间"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Bulletin(models.Model):
    """A bulletin (通报) a supervisor issues on the units of a subtree for a period: per
    unit how many matters were overdue, how many results were sent back for more work,
    how many reminders it received. A draft is generated (and regenerated) from the
    records; publishing freezes it, numbers it (文号) and tells the units named, whose
    read receipts the supervisor then sees (supervision/bulletins.py)."""

    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    period_kind = models.CharField("通报类型", max_length=8, choices=PeriodKind.choices)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    # The day on which "overdue" is judged: the day after the period, or the day the
    # figures were generated when that came first (see bulletins.compute).
    as_of = models.DateField("逾期判定日")
    root_unit = models.ForeignKey("org.Unit", verbose_name="通报范围", on_delete=models.PROTECT, related_name="+")
    root_path = models.CharField(max_length=255, editable=False)
    issuing_unit = models.ForeignKey("org.Unit", verbose_name="发布单位", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    generated_at = models.DateTimeField("统计时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    note = models.TextField("通报意见", blank=True)
    overdue_total = models.PositiveIntegerField("逾期合计", default=0)
    sent_back_total = models.PositiveIntegerField("退回补办合计", default=0)
    reminded_total = models.PositiveIntegerField("催办合计", default=0)
    units_in_scope = models.PositiveIntegerField("范围内单位数", default=0)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["root_path"], name="bulletin_root_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "-published_at"], name="bulletin_status_published"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self):
        return self.status == BulletinStatus.DRAFT


class BulletinLine(models.Model):
    """One unit named in a bulletin, with its three figures and, frozen beside them, the
    matters behind each figure (so a published bulletin never changes as cases move on):
    `items` = {"overdue": [...], "sent_back": [...], "reminded": [...]}, each a list of
    dicts (type, id, case, number, title, unit, due_date, days_overdue, at). A figure is
    always the length of its list."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=100)
    position = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField("逾期未结", default=0)
    sent_back = models.PositiveIntegerField("退回补办", default=0)
    reminded = models.PositiveIntegerField("催办", default=0)
    items = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "通报单位"
        verbose_name_plural = "通报单位"
        ordering = ["bulletin", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "unit"], name="bulletin_line_unit_unique")]

    def __str__(self):
        return f"{self.unit_name}：逾期{self.overdue} 退回{self.sent_back} 催办{self.reminded}"


class BulletinReceipt(models.Model):
    """The read receipt of one unit named in a published bulletin: when its staff were
    told, and who of them first opened it and when."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="bulletin_receipts")
    notified_at = models.DateTimeField("通知时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="阅读人", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = "通报阅读回执"
        verbose_name_plural = "通报阅读回执"
        ordering = ["bulletin", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "unit"], name="bulletin_receipt_unit_unique")]
        indexes = [models.Index(fields=["unit", "read_at"], name="bulletin_receipt_unit_read")]

    def __str__(self):
        return f"{self.unit}：{'已读' if self.read_at else '未读'}"
