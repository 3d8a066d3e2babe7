"""Index maintenance follows the cases: a registration or a repeat is indexed in its own
transaction (intake's `petition_recorded`); a reply, a merge or a split writes a
CaseEvent, and once its transaction commits the case named in it is re-indexed in the
request ("inline", the default) or by a huey consumer ("queue"). Only ids cross a
commit."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from xinfang.cases.models import CaseEvent
from xinfang.intake.models import Category
from xinfang.intake.signals import petition_recorded
from xinfang.org.models import Unit

from . import index, tasks
from .conf import nlp_setting
from .models import Term
from .places import GAZETTEER
from .services import MODELS
from .text import SEGMENTER

log = logging.getLogger(__name__)


def enqueue(task, kind, pk):
    """Hand one id to the queue. A queue that is down (Redis restarting) must not fail the
    request whose work has already committed: log it; `catch_up_index` indexes the
    petition once the queue is back."""
    try:
        task(pk)
    except Exception:
        log.warning("task queue unavailable: %s %s not queued for indexing (catch_up_index will)", kind, pk, exc_info=True)


def schedule(kind, pk):
    if nlp_setting("index_mode") == "queue":
        task = tasks.index_petition_task if kind == "petition" else tasks.index_case_task
        transaction.on_commit(lambda: enqueue(task, kind, pk), robust=True)
    else:
        function = index.index_petition if kind == "petition" else index.resync_case
        transaction.on_commit(lambda: index.safely(function, pk), robust=True)


@receiver(petition_recorded, dispatch_uid="nlp-index-registered-petition")
def index_registered_petition(sender, petition, case, opened, names=(), **kwargs):
    """A registration is indexed in its own transaction ("inline", the default: a
    near-duplicate sent a second later is found) from the objects at hand, in a
    savepoint so a failure here never loses the petition (the catch-up task and
    `nlp_reindex` repair it); or, with index_mode "queue", by the huey consumer."""
    if nlp_setting("index_mode") == "queue":
        schedule("petition", petition.pk)
        return
    index.safely(index.index_recorded, petition, case, opened=opened, names=names)


@receiver(post_save, sender=CaseEvent, dispatch_uid="nlp-follow-case-events")
def follow_case_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    if instance.action in index.CASE_ACTIONS:
        schedule("case", instance.case_id)
        for other in (instance.data.get("into_case_id"), instance.data.get("from_case_id")):
            if other:
                schedule("case", other)


@receiver([post_save, post_delete], sender=Term, dispatch_uid="nlp-term-changed")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="nlp-unit-changed")
@receiver([post_save, post_delete], sender=Category, dispatch_uid="nlp-category-changed")
def dictionary_changed(sender, **kwargs):
    SEGMENTER.stale()
    GAZETTEER.stale()
    MODELS.stale()
