from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def default_rebound_days():
    """How long after its clear-off a new petition still counts as a rebound (反弹):
    XINFANG_CAMPAIGN_REBOUND_DAYS, 180 days unless a deployment says otherwise."""
    return int(getattr(settings, "XINFANG_CAMPAIGN_REBOUND_DAYS", 180))


class CampaignStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    FINISHED = "finished", "已结束"


class CampaignCaseStatus(models.TextChoices):
    LISTED = "listed", "挂牌督办"
    CLEARED = "cleared", "已销号"
    REBOUND = "rebound", "反弹"


class AddedHow(models.TextChoices):
    HAND = "hand", "按编号添加"
    SEARCH = "search", "按查询添加"
    RULE = "rule", "按规则添加"


class EvidenceKind(models.TextChoices):
    """What a unit shows to have a backlog case cleared off (销号)."""

    REPLY = "reply", "答复意见"
    SETTLEMENT = "settlement", "和解（调解）协议"
    CONCLUSION = "conclusion", "终结"
    EVALUATION = "evaluation", "信访人满意评价"


class Campaign(models.Model):
    """A backlog campaign (积案化解专项行动): a list of long-running cases of a unit's
    subtree, each listed for supervision (挂牌督办) and ticked off (销号) when solved by a
    date; its progress is read against the share of its time gone (序时进度).

    The responsible leader is a user with the leader role when they have an account, or
    just a name (`leader_name`, always filled: shown everywhere) when they have none."""

    name = models.CharField("专项行动名称", max_length=120)
    unit = models.ForeignKey("org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="campaigns")
    unit_path = models.CharField(max_length=255, editable=False)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任领导", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    leader_name = models.CharField("责任领导", max_length=60)
    rule = models.JSONField("筛选规则", default=dict, blank=True)
    rebound_days = models.PositiveIntegerField("反弹观察期（天）", default=default_rebound_days)
    status = models.CharField("状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.RUNNING)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "积案化解专项行动"
        verbose_name_plural = "积案化解专项行动"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["unit_path"], name="campaign_unit_path", opclasses=["varchar_pattern_ops"])]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="campaign_ends_after_start")]

    def __str__(self):
        return self.name


class CampaignCase(models.Model):
    """A case listed in a campaign (挂牌督办积案): its responsible leader and unit, how it
    was added, and its clear-off (销号) with the evidence, or its rebound (反弹) when a
    new petition came within the campaign's window after the clear-off. The unit's work
    on it is the Obligation `obligation` (cases/obligations.py)."""

    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey("cases.Case", verbose_name="信访事项", on_delete=models.PROTECT, related_name="campaign_entries")
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任领导", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    leader_name = models.CharField("责任领导", max_length=60)
    status = models.CharField("状态", max_length=12, choices=CampaignCaseStatus.choices, default=CampaignCaseStatus.LISTED)
    obligation = models.ForeignKey("cases.Obligation", verbose_name="督办事项", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    added_at = models.DateTimeField("列入时间", default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="列入人", null=True, on_delete=models.PROTECT, related_name="+")
    added_how = models.CharField("列入方式", max_length=8, choices=AddedHow.choices)
    added_detail = models.CharField("列入依据", max_length=200, blank=True)
    cleared_at = models.DateTimeField("销号时间", null=True, blank=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="销号审核人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    evidence_kind = models.CharField("销号依据", max_length=12, choices=EvidenceKind.choices, blank=True)
    evidence_ref = models.PositiveBigIntegerField("依据编号", null=True, blank=True)
    evidence_note = models.TextField("销号说明", blank=True)
    rebound_at = models.DateTimeField("反弹时间", null=True, blank=True)
    rebound_count = models.PositiveSmallIntegerField("反弹次数", default=0)

    class Meta:
        verbose_name = "挂牌积案"
        verbose_name_plural = "挂牌积案"
        ordering = ["campaign", "unit_path", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="campaign_case_once")]
        indexes = [models.Index(fields=["campaign", "status"], name="campaign_case_status"),
                   models.Index(fields=["case", "status"], name="campaign_case_case")]

    def __str__(self):
        return f"{self.campaign}：{self.case_id}"
