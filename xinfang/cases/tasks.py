"""Background work of cases (huey): building the electronic case file after archiving."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from huey.contrib.djhuey import db_task

from xinfang.lib.errors import ServiceError

from . import casefile
from .models import Case

log = logging.getLogger(__name__)


@db_task()
def build_casefile_task(case_id, user_id=None):
    """Build the case file; an error (LibreOffice missing) is recorded on the CaseFile row
    by the build and shown on the case page, where it can be retried."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return None
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        return casefile.build(case, actor=actor).pk
    except ServiceError:
        return None


def schedule_casefile(case, actor=None):
    """Build the case file once the archiving commits, in the background worker. A queue
    that is down does not undo the archiving: the page shows the file as waiting, and
    the rebuild button or `build_casefile` builds it."""

    def enqueue():
        try:
            build_casefile_task(case.pk, actor.pk if actor else None)
        except Exception:
            log.warning("task queue unavailable: case file of case %s not queued (build_casefile builds it)", case.pk, exc_info=True)

    transaction.on_commit(enqueue, robust=True)
