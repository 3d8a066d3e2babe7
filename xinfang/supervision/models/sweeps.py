from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderKind(models.TextChoices):
    """How far past (or near) its date a reminder is: a step of the sweep's ladder."""

    NEAR = "near", "临期提醒"
    OVERDUE = "overdue", "逾期催办"
    ESCALATED = "escalated", "逾期通报"


class Reminder(models.Model):
    """A reminder (催办单) the sweep addressed to the unit that owes a legal deadline of a
    case or an obligation. `key` names the deadline and the step of the ladder, so the
    same reminder is never made twice however often, or however concurrently, the sweep
    runs (supervision/sweeps.py)."""

    key = models.CharField(max_length=120)
    kind = models.CharField("催办类型", max_length=12, choices=ReminderKind.choices)
    case = models.ForeignKey("cases.Case", verbose_name="信访事项", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders")
    obligation = models.ForeignKey("cases.Obligation", verbose_name="督办事项", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="reminders")
    # No index of their own on unit (the (unit, created_at) index serves it), responsible,
    # from_unit and document (never looked up by them): a backlog's first sweep inserts
    # tens of thousands of rows at once, and each index costs on every one.
    unit = models.ForeignKey("org.Unit", verbose_name="被催办单位", on_delete=models.PROTECT, related_name="reminders", db_index=False)
    unit_path = models.CharField(max_length=255, editable=False)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    due_date = models.DateField("期限")
    due_label = models.CharField("期限类型", max_length=40)
    days_overdue = models.IntegerField("逾期天数", default=0)
    created_at = models.DateTimeField("催办时间", default=timezone.now)
    # The unit that reminds (the creditor of an obligation; for a case, its supervising
    # unit: supervision/sweeps.py). It issues the 催办单 and is told of a 逾期通报.
    from_unit = models.ForeignKey("org.Unit", verbose_name="催办单位", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="reminders_sent", db_index=False)
    document = models.ForeignKey("documents.Document", verbose_name="催办单", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    # Which run of the sweep told the people concerned (one transaction with their
    # notifications), and when: a reminder not yet told is told by the next run.
    claim = models.CharField(max_length=32, blank=True, default="")
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)

    class Meta:
        verbose_name = "催办单"
        verbose_name_plural = "催办单"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], name="reminder_key_unique")]
        indexes = [
            models.Index(fields=["unit_path"], name="reminder_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["unit", "created_at"], name="reminder_unit_created"),
            models.Index(fields=["claim"], name="reminder_claim"),
            # What each run claims: the reminders nobody has been told of yet.
            models.Index(fields=["id"], condition=models.Q(notified_at__isnull=True), name="reminder_untold"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.unit}"
