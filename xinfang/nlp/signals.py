"""Index maintenance follows the cases' own timeline: a registration, a repeat, a reply,
a merge or a split writes a CaseEvent; once its transaction commits, the petition or case
named in it is (re)indexed — in the request after the commit ("inline", the default), or
by a huey consumer ("queue"). Only ids cross the commit. Registration itself does no text
work at all."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from xinfang.cases.choices import Action
from xinfang.cases.models import CaseEvent
from xinfang.intake.models import Category
from xinfang.org.models import Unit

from .conf import nlp_setting
from .models import Term

PETITION_ACTIONS = {Action.REGISTER, Action.REPEAT}
CASE_ACTIONS = {Action.REPLY, "merge", "split"}


def schedule(kind, pk):
    from . import index, tasks

    if nlp_setting("index_mode") == "queue":
        task = tasks.index_petition_task if kind == "petition" else tasks.index_case_task
        transaction.on_commit(lambda: task(pk))
    else:
        function = index.index_petition if kind == "petition" else index.resync_case
        transaction.on_commit(lambda: index.safely(function, pk))


@receiver(post_save, sender=CaseEvent, dispatch_uid="nlp-follow-case-events")
def follow_case_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    if instance.action in PETITION_ACTIONS and instance.data.get("petition_id"):
        schedule("petition", instance.data["petition_id"])
    elif instance.action in CASE_ACTIONS:
        schedule("case", instance.case_id)
        for other in (instance.data.get("into_case_id"), instance.data.get("from_case_id")):
            if other:
                schedule("case", other)


@receiver([post_save, post_delete], sender=Term, dispatch_uid="nlp-term-changed")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="nlp-unit-changed")
@receiver([post_save, post_delete], sender=Category, dispatch_uid="nlp-category-changed")
def dictionary_changed(sender, **kwargs):
    from .places import GAZETTEER
    from .text import SEGMENTER

    SEGMENTER.stale()
    GAZETTEER.stale()
