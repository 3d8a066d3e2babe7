"""Background work of cases (huey): building the electronic case file after archiving."""

from django.contrib.auth import get_user_model
from huey.contrib.djhuey import db_task

from xinfang.lib.errors import ServiceError

from .models import Case


@db_task()
def build_casefile_task(case_id, user_id=None):
    """Build the case file; an error (LibreOffice missing) is recorded on the CaseFile row
    by the build and shown on the case page, where it can be retried."""
    from . import casefile

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return None
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        return casefile.build(case, actor=actor).pk
    except ServiceError:
        return None
