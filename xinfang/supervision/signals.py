"""Signal receivers of the supervision app, connected by apps.SupervisionConfig.ready()."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from xinfang.cases.models import CaseEvent

from .campaigns import on_case_event


@receiver(post_save, sender=CaseEvent, dispatch_uid="supervision.campaign_rebound")
def case_event_saved(sender, instance, created, raw=False, **kwargs):
    """A new petition on a case (a repeat joining it, a case merged into it) may be a
    backlog case's rebound (反弹): checked after the commit, so the petition's own
    transaction never waits on, or fails for, the campaign's bookkeeping."""
    if not created or raw or instance.action not in ("repeat", "merge"):
        return
    event_id = instance.pk

    def check():
        event = CaseEvent.objects.filter(pk=event_id).first()
        if event is not None:
            on_case_event(event)

    transaction.on_commit(check)
