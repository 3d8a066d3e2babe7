"""Index maintenance follows the cases: a registration or a repeat is indexed in its own
transaction (intake's `petition_recorded`); a reply, a merge or a split writes a
CaseEvent, and once its transaction commits the case named in it is re-indexed in the
request ("inline", the default) or by a huey consumer ("queue"). Only ids cross a
commit."""

import logging

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from xinfang.cases.models import CaseEvent
from xinfang.intake.models import Category
from xinfang.intake.signals import petition_recorded
from xinfang.org.models import Unit

from . import index, tasks
from .conf import nlp_setting
from .models import DictionaryState, Term
from .places import GAZETTEER
from .services import MODELS
from . import text
from .text import SEGMENTER, unit_aliases

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


def dictionary_words(instance):
    """The words of the user dictionary that a Term, a Unit or a Category gives (none
    while it is inactive, or deleted)."""
    if instance is None or not getattr(instance, "is_active", True):
        return set()
    if isinstance(instance, Term):
        return {instance.word}
    if isinstance(instance, Unit):
        return unit_aliases(instance.name, instance.short_name)
    return {instance.name}


@receiver(pre_save, sender=Term, dispatch_uid="nlp-term-before")
@receiver(pre_save, sender=Unit, dispatch_uid="nlp-unit-before")
@receiver(pre_save, sender=Category, dispatch_uid="nlp-category-before")
def remember_words(sender, instance, raw=False, **kwargs):
    """The words the row gave before this save: a renamed unit's old name leaves the
    dictionary, and the texts holding it are cut again."""
    old = sender.objects.filter(pk=instance.pk).first() if instance.pk and not raw else None
    instance._nlp_old_words = dictionary_words(old)


def reindex_texts_with(words):
    """Once the change commits, index again the petitions that hold a changed word (a
    huey task: a common word may be in many texts)."""
    words = sorted(w for w in words if w and len(w) > 1)
    if words:
        transaction.on_commit(lambda: enqueue(tasks.reindex_words_task, "words", words), robust=True)


@receiver([post_save, post_delete], sender=Term, dispatch_uid="nlp-term-changed")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="nlp-unit-changed")
@receiver([post_save, post_delete], sender=Category, dispatch_uid="nlp-category-changed")
def dictionary_changed(sender, raw=False, **kwargs):
    """A word, a unit's or a category's name changed: a new version of the dictionary,
    in the same transaction (rolled back with it), for every process to load."""
    if raw:
        return
    instance = kwargs["instance"]
    deleted = "created" not in kwargs
    before = getattr(instance, "_nlp_old_words", set()) if not deleted else dictionary_words(instance)
    now = set() if deleted else dictionary_words(instance)
    # Any save: a unit's place in the tree and a term's unit matter to the gazetteer.
    if not DictionaryState.objects.filter(pk=1).update(version=F("version") + 1):
        DictionaryState.objects.get_or_create(pk=1, defaults={"version": 1})
    SEGMENTER.stale()
    GAZETTEER.stale()
    MODELS.stale()
    reindex_texts_with(before ^ now)


request_started.connect(lambda **kwargs: text.request_started(), dispatch_uid="nlp-dictionary-request-started", weak=False)
request_finished.connect(lambda **kwargs: text.request_finished(), dispatch_uid="nlp-dictionary-request-finished", weak=False)
