from django.conf import settings
from django.db import models
from django.utils import timezone

APPEND_ONLY = "审计记录只能追加，不可修改或删除 / Audit entries are append-only."


class AuditEntryQuerySet(models.QuerySet):
    """Reads only: every way the ORM offers to change or remove rows in bulk is refused,
    and rows are added one at a time by `audit.services.record()`, which chains them."""

    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)

    def bulk_create(self, objs, *args, **kwargs):
        raise PermissionError("审计记录须逐条经 audit.services.record() 写入 / Audit entries are written one by one through record().")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError(APPEND_ONLY)

    def update_or_create(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def search(self, *, actor="", action="", object_type="", object_filter=None, date_from=None, date_to=None):
        """The auditor's filters. Dates are local calendar days, both ends included."""
        qs = self
        if actor:
            qs = qs.filter(models.Q(actor__username__icontains=actor) | models.Q(actor__display_name__icontains=actor))
        if action:
            qs = qs.filter(action=action)
        if object_type:
            qs = qs.filter(object_type=object_type)
        if object_filter is not None:
            qs = qs.filter(object_filter)
        if date_from:
            qs = qs.filter(at__gte=_day_start(date_from))
        if date_to:
            qs = qs.filter(at__lt=_day_start(date_to + timezone.timedelta(days=1)))
        return qs


def _day_start(day):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


class AuditEntry(models.Model):
    """One thing somebody did or read: a state change, a registration, a read of
    personal data or of accusation material, a login, an export of this record.

    Append-only: the application never edits or deletes a row. Each row carries `seq`
    (gapless, 1, 2, 3, …) and `hash` = SHA-256 over the row and the previous row's hash
    (`audit/chain.py`), so a row changed, removed or slipped in behind the
    application's back is found by `manage.py audit_verify`."""

    seq = models.BigIntegerField("序号", unique=True, editable=False)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=48)
    object_type = models.CharField("对象类型", max_length=48)
    object_id = models.CharField("对象标识", max_length=64)
    detail = models.JSONField("内容", default=dict, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    prev_hash = models.CharField("前序摘要", max_length=64, editable=False)
    hash = models.CharField("摘要", max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-seq"]
        # Plain btrees: both are matched whole (equality, IN), never by prefix, so the
        # second "_like" index PostgreSQL would get from db_index is left out. The object
        # id alone is near-unique: it serves "this object's history" with or without type.
        indexes = [models.Index(fields=["action"], name="audit_action"),
                   models.Index(fields=["object_id"], name="audit_object_id")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self.hash:
            raise PermissionError("审计记录须经 audit.services.record() 写入，且不可修改 / Audit entries are written by record() and never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)


class AuditChainHead(models.Model):
    """The end of the audit chain: the last entry's sequence number and hash. One row
    (pk=1). Writers lock it (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at
    a time) while they append, so two transactions can never chain onto the same entry,
    and removing entries from the end of the record shows against it."""

    last_seq = models.BigIntegerField("末条序号", default=0)
    last_hash = models.CharField("末条摘要", max_length=64)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "审计链末端"
        verbose_name_plural = "审计链末端"

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"
