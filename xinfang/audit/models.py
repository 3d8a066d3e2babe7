from django.conf import settings
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录不可修改 / Audit entries are append-only.")

    def delete(self):
        raise PermissionError("审计记录不可删除 / Audit entries are append-only.")


class AuditEntry(models.Model):
    """One thing somebody did or read: a state change, a registration, a read of
    personal data. Append-only: the application never edits or deletes a row."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=48, db_index=True)
    object_type = models.CharField("对象类型", max_length=48)
    object_id = models.CharField("对象标识", max_length=64, db_index=True)
    detail = models.JSONField("内容", default=dict, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录不可修改 / Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除 / Audit entries are append-only.")
