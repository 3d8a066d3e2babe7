from .models import AuditEntry


def record(*, actor, action, obj, detail=None, ip=None):
    """Append one audit entry; call inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail or {},
        ip=ip,
    )
