from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xinfang.audit"
    label = "audit"
    verbose_name = "审计记录"

    def ready(self):
        from django.contrib.admin.models import LogEntryManager

        from . import signals  # noqa: F401  (connects the receivers)

        # The admin writes its change log through LogEntryManager.log_actions(), with
        # bulk_create for a bulk deletion, which sends no signal: wrap it once so that
        # every admin change lands in the audit record, in the same transaction.
        if getattr(LogEntryManager.log_actions, "audited", False):
            return
        log_actions = LogEntryManager.log_actions

        def audited_log_actions(manager, user_id, queryset, action_flag, change_message="", *, single_object=False):
            result = log_actions(manager, user_id, queryset, action_flag, change_message, single_object=single_object)
            signals.audit_admin_log([result] if single_object else list(result))
            return result

        audited_log_actions.audited = True
        LogEntryManager.log_actions = audited_log_actions
