from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import (OBLIGATION_OPEN, OPEN_STATUSES, Action, DueKind, EntryKind, GuidedProcedure, Kind, ObligationKind, ObligationStatus,
                      Outcome, RefuseBasis, Satisfaction, Stage, Status, SupervisionLevel)
from .querysets import CaseQuerySet


class CaseNumberSequence(models.Model):
    """The last case number handed out by one unit in one year. Incremented under a row
    lock, so numbers are gapless and unique even with many clerks registering at once."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="case_seq_unit_year")]


class Case(models.Model):
    """A matter being handled (信访事项). Opened by its first petition; later petitions
    about the same matter join it. Routing, deadlines, replies, review and the outcome
    belong here. `status` changes only through cases.services.transition()."""

    # Indexes are chosen in Meta: every one is written on each registration and weighed
    # by the planner on each query (docs/decisions.md, "Registration speed").
    number = models.CharField("事项编号", max_length=40)
    unit = models.ForeignKey("org.Unit", verbose_name="登记单位", on_delete=models.PROTECT, related_name="registered_cases",
                             db_index=False)
    unit_path = models.CharField(max_length=255, editable=False)
    current_unit = models.ForeignKey("org.Unit", verbose_name="当前办理单位", null=True, on_delete=models.PROTECT, related_name="current_cases",
                                     db_index=False)
    current_unit_path = models.CharField(max_length=255, editable=False, default="")
    lead_unit = models.ForeignKey("org.Unit", verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="lead_cases")
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("性质", max_length=16, choices=Kind.choices)
    category = models.ForeignKey("intake.Category", verbose_name="问题类别", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # An accusation's accused unit and post (from the petition that opened it): routing
    # never sends the case to that unit or a unit under it (Art. 30).
    accused_unit = models.ForeignKey("org.Unit", verbose_name="被检举控告单位", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    accused_post = models.CharField("被检举控告职务或部门", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.HANDLING)
    version = models.PositiveIntegerField(default=1, help_text="optimistic lock: bumped by every transition")

    received_at = models.DateTimeField("首次收到时间", db_index=True)
    petition_count = models.PositiveIntegerField("信访次数", default=1)
    headcount = models.PositiveIntegerField("最多人数", default=1)
    is_collective = models.BooleanField("集体访", default=False)
    # Registered long after it was received (补录): the clocks still run from the real
    # receipt; the mark says why the case is so late the day it appears.
    is_late_entry = models.BooleanField("补录", default=False)

    # The deadline the current unit is working against, for sorting and badges.
    due_date = models.DateField("当前期限", null=True, blank=True)
    due_kind = models.CharField("期限类型", max_length=20, choices=DueKind.choices, blank=True)
    # Every legal date, kept for the record and the petitioner's view.
    decide_due = models.DateField("受理告知期限", null=True, blank=True)
    decided_at = models.DateTimeField("受理决定时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    handle_due = models.DateField("办理期限", null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField("延期天数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_on_time = models.BooleanField("按期答复", null=True)
    # The last day to deliver the latest written answer (送达), set by the reply and
    # cleared when its document is delivered; the review windows run from delivery, and
    # stay empty (待送达) until then.
    deliver_due = models.DateField("答复送达期限", null=True, blank=True)
    review_window_end = models.DateField("申请复查截止", null=True, blank=True)
    review_requested_at = models.DateTimeField("申请复查时间", null=True, blank=True)
    review_unit = models.ForeignKey("org.Unit", verbose_name="复查机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    review_due = models.DateField("复查答复期限", null=True, blank=True)
    reviewed_at = models.DateTimeField("复查答复时间", null=True, blank=True)
    re_review_window_end = models.DateField("申请复核截止", null=True, blank=True)
    re_review_requested_at = models.DateTimeField("申请复核时间", null=True, blank=True)
    re_review_unit = models.ForeignKey("org.Unit", verbose_name="复核机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       db_index=False)
    re_review_due = models.DateField("复核答复期限", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    concluded_at = models.DateTimeField("终结时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    decline_reason = models.TextField("不予受理理由", blank=True)
    proper_channel = models.CharField("告知途径", max_length=200, blank=True)
    guided_procedure = models.CharField("导入程序", max_length=20, choices=GuidedProcedure.choices, blank=True)
    refuse_basis = models.CharField("不再受理依据", max_length=8, choices=RefuseBasis.choices, blank=True)
    satisfaction = models.CharField("满意度", max_length=16, choices=Satisfaction.choices, blank=True)
    deadline_warnings = models.JSONField("期限提示", default=list, blank=True)
    # The highest level of supervision (督办级别) among the case's open obligations, kept
    # by cases.obligations so every list and export shows it without a join.
    supervision_level = models.CharField("督办级别", max_length=8, choices=SupervisionLevel.choices, blank=True, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"
        constraints = [models.UniqueConstraint(fields=["number"], name="case_number_unique")]
        indexes = [
            # Scope is a prefix match on the unit paths (visible_to); the pattern operator
            # class lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
            models.Index(fields=["unit_path"], name="case_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["current_unit_path"], name="case_current_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["current_unit", "status", "due_date"], name="case_work_queue"),
            # The open work queue, sorted by deadline: what "my work" reads.
            models.Index(fields=["current_unit", "due_date", "id"], condition=models.Q(status__in=OPEN_STATUSES), name="case_open_queue"),
            models.Index(fields=["due_date", "id"], name="case_due_id"),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
            models.Index(fields=["unit", "received_at"], name="case_unit_received"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def refresh_due(self):
        """Point due_date at the deadline the current unit works against now."""
        self.due_date, self.due_kind = {
            Status.REGISTERED: (self.decide_due, DueKind.DECIDE),
            Status.FORWARDED: (self.decide_due, DueKind.DECIDE),
            Status.ACCEPTED: (self.handle_due, DueKind.HANDLE),
            Status.ASSIGNED: (self.handle_due, DueKind.HANDLE),
            Status.IN_PROGRESS: (self.handle_due, DueKind.HANDLE),
            Status.REPORTED: (self.handle_due, DueKind.HANDLE),
            Status.REVIEW: (self.review_due, DueKind.REVIEW_ANSWER),
            Status.RE_REVIEW: (self.re_review_due, DueKind.RE_REVIEW_ANSWER),
        }.get(self.status, (None, ""))
        if self.due_date is None and self.deliver_due and self.status not in (Status.MERGED, Status.VOIDED, Status.ARCHIVED):
            # Answered, and the answer not yet delivered: its unit owes the delivery.
            self.due_date, self.due_kind = self.deliver_due, DueKind.DELIVER

    @property
    def awaiting_delivery(self):
        """Whether the latest written answer is still to be delivered (待送达)."""
        return self.deliver_due is not None

    def assistants_owing(self):
        """The ids of the assisting units (协办) whose part is still owed."""
        return set(self.assignments.filter(is_lead=False, returned_at__isnull=True, submitted_at__isnull=True)
                   .values_list("unit_id", flat=True))

    def days_left(self, today=None):
        if self.due_date is None:
            return None
        today = today or timezone.localdate()
        return (self.due_date - today).days

    @property
    def is_overdue(self):
        left = self.days_left()
        return left is not None and left < 0

    @property
    def is_due_soon(self):
        left = self.days_left()
        return left is not None and 0 <= left <= settings.XINFANG_LIMITS["due_soon_days"]


class CaseAssignment(models.Model):
    """A unit routed onto a case: the lead unit (主办) or an assisting unit (协办)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="case_assignments")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    is_lead = models.BooleanField("主办", default=True)
    assigned_by = models.ForeignKey("org.Unit", verbose_name="交办单位", null=True, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("交办时间", default=timezone.now)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    # An assisting unit's part (协办): its own due date, and its opinion once submitted,
    # which the lead unit reads before it replies.
    due_date = models.DateField("协办期限", null=True, blank=True)
    opinion = models.TextField("协办意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = "办理单位"
        verbose_name_plural = "办理单位"
        ordering = ["-is_lead", "assigned_at"]


class CaseEvent(models.Model):
    """One entry on a case's timeline: a transition, an extension, a reminder, a note.
    Written by the service that made the change, in the same transaction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+")
    actor_unit = models.ForeignKey("org.Unit", verbose_name="操作单位", null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField("信访人可见", default=False)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]


class OpinionText(models.Model):
    """The parts of a written opinion (信访处理意见书), shared by the signed reply and the
    handler's draft of it."""

    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    outcome = models.CharField("处理意见", max_length=16, choices=Outcome.choices)
    request_summary = models.TextField("信访诉求")
    facts = models.TextField("查明事实")
    opinion = models.TextField("处理意见及理由")
    legal_basis = models.TextField("法律政策依据", blank=True)
    remedy = models.TextField("救济途径", blank=True)
    settlement = models.TextField("调解或和解协议", blank=True)

    FIELDS = ("outcome", "request_summary", "facts", "opinion", "legal_basis", "remedy", "settlement")

    class Meta:
        abstract = True


class Reply(OpinionText):
    """A written opinion (信访处理意见书) at handling, review or re-review stage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("org.Unit", verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField("答复时间", default=timezone.now)

    class Meta:
        verbose_name = "答复意见书"
        verbose_name_plural = "答复意见书"
        ordering = ["replied_at"]


class ReplyDraft(OpinionText):
    """A draft of the written opinion (拟办) by the handler, for the unit head to review,
    edit and sign (审签); the signed draft becomes the Reply."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="drafts")
    unit = models.ForeignKey("org.Unit", verbose_name="拟办单位", on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拟办人", on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField("拟办时间", default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审签人", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField("审签时间", null=True, blank=True)
    reply = models.OneToOneField(Reply, verbose_name="答复意见书", null=True, blank=True, on_delete=models.PROTECT, related_name="draft")

    class Meta:
        verbose_name = "答复拟稿"
        verbose_name_plural = "答复拟稿"
        ordering = ["drafted_at", "id"]


class Evaluation(models.Model):
    """The petitioner's satisfaction with a reply, by whatever channel it came."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    reply = models.ForeignKey(Reply, on_delete=models.PROTECT, related_name="evaluations")
    satisfaction = models.CharField("满意度", max_length=16, choices=Satisfaction.choices)
    comment = models.TextField("意见", blank=True)
    channel = models.CharField("评价渠道", max_length=16, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"


class Obligation(models.Model):
    """Something a unit owes by a date and must report on (cases/obligations.py): the
    report-back of an assigned case (交办), a supervision item (督办), a leader's
    instruction (批示), a meeting's decision. The owner unit reports (progress, then its
    result); the creditor unit accepts the result or sends it back with a new due date.
    Sweeps, reminders, overdue lists and bulletins read this one table."""

    kind = models.CharField("类型", max_length=16, choices=ObligationKind.choices)
    case = models.ForeignKey(Case, verbose_name="信访事项", null=True, blank=True, on_delete=models.PROTECT, related_name="obligations")
    title = models.CharField("事项", max_length=200)
    requirement = models.TextField("要求", blank=True)
    owner_unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="obligations_owed")
    owner_path = models.CharField(max_length=255, editable=False)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    creditor_unit = models.ForeignKey("org.Unit", verbose_name="交办（督办）单位", on_delete=models.PROTECT, related_name="obligations_owed_to")
    creditor_path = models.CharField(max_length=255, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立项人", null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("立项时间", default=timezone.now)
    due_date = models.DateField("办理期限")
    level = models.CharField("督办级别", max_length=8, choices=SupervisionLevel.choices, blank=True, default="")
    status = models.CharField("状态", max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    # Whether the first result report came by the due date then in force (反馈率).
    reported_on_time = models.BooleanField("按期反馈", null=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    sent_back_count = models.PositiveSmallIntegerField("退回次数", default=0)
    # Which row of another app this obligation belongs to ("supervision.item:12"), if any.
    source = models.CharField(max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner_path"], name="obligation_owner_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["creditor_path"], name="obligation_creditor_path", opclasses=["varchar_pattern_ops"]),
            # What the sweep reads: the open obligations by due date.
            models.Index(fields=["due_date", "id"], condition=models.Q(status__in=OBLIGATION_OPEN), name="obligation_open_due"),
            models.Index(fields=["owner_unit", "status", "due_date"], name="obligation_owner_queue"),
            models.Index(fields=["case", "kind", "status"], name="obligation_case_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_open(self):
        return self.status in OBLIGATION_OPEN

    def days_left(self, today=None):
        return (self.due_date - (today or timezone.localdate())).days

    @property
    def is_overdue(self):
        return self.status == ObligationStatus.OPEN and self.days_left() < 0


class ObligationEntry(models.Model):
    """One line of an obligation's record: opened, a progress or result report, accepted,
    sent back, reminded, escalated, cancelled. Written in the transaction of the change."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("记录类型", max_length=12, choices=EntryKind.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("内容", blank=True)
    due_date = models.DateField("新的期限", null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["at", "id"]
