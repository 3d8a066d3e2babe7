"""Background work of the text features (huey): indexing when XINFANG_NLP index_mode is
"queue", a catch-up sweep for anything indexing missed, and the nightly training."""

from django.contrib.auth import get_user_model
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import index
from .services import train_models


@db_task()
def index_petition_task(petition_id):
    index.index_petition(petition_id)


@db_task()
def index_case_task(case_id):
    index.resync_case(case_id)


@db_task()
def reindex_words_task(words):
    index.reindex_words(words)


@db_periodic_task(crontab(minute="*/10"))
def catch_up_index():
    """Index petitions that were registered but never indexed, and re-index cases whose
    reply, merge or split came after their search document (a crash between the commit
    and the indexing, or a queue that was down or lost a message)."""
    for pk in index.unindexed_petitions(limit=2000):
        index.safely(index.index_petition, pk)
    for pk in index.stale_cases():
        index.safely(index.resync_case, pk)


@db_periodic_task(crontab(hour="2", minute="30"))
def train_suggestion_models():
    train_models(actor=None)


@db_task()
def train_now(user_id=None):
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    train_models(actor=actor)
