from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


def _case_event_saved(sender, instance, created, raw=False, **kwargs):
    """A new petition on a case (a repeat joining it, a case merged into it) may be a
    backlog case's rebound (反弹): checked after the commit, so the petition's own
    transaction never waits on, or fails for, the campaign's bookkeeping."""
    if not created or raw or instance.action not in ("repeat", "merge"):
        return
    event_id = instance.pk

    def check():
        from xinfang.cases.models import CaseEvent

        from .campaigns import on_case_event

        event = CaseEvent.objects.filter(pk=event_id).first()
        if event is not None:
            on_case_event(event)

    transaction.on_commit(check)


class SupervisionConfig(AppConfig):
    name = "xinfang.supervision"
    label = "supervision"
    verbose_name = "督查督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_save.connect(_case_event_saved, sender="cases.CaseEvent", dispatch_uid="supervision.campaign_rebound")
