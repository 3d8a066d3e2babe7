"""The written documents of a case (documents.Document with the case as subject), and
which of them is the written answer of a reply: what delivery (送达) of the answer
starts. The document itself is issued by cases/paperwork.py; by convention the answer of
a reply has `source = "reply:<reply id>"` and a kind of ANSWER_KINDS."""

from django.contrib.contenttypes.models import ContentType

from xinfang.documents import services as documents
from xinfang.documents.kinds import FOR_PETITIONER, DocKind

from .models import Case

ANSWER_KINDS = frozenset({DocKind.OPINION, DocKind.REVIEW_OPINION, DocKind.RE_REVIEW_OPINION})


def documents_of(case):
    """Every document about `case`, oldest first."""
    return documents.about(case).order_by("issued_at", "id")


def notices_of(case):
    """The documents of `case` meant for the petitioner (never 交办单, 转送单 or any
    internal form, whatever flag a caller set), oldest first."""
    return documents_of(case).filter(for_petitioner=True, kind__in=[k.value for k in FOR_PETITIONER])


def is_of(document, case):
    return document.subject_type_id == ContentType.objects.get_for_model(Case).pk and document.subject_id == case.pk


def reply_id_of(document):
    """The reply whose written answer `document` is, or None."""
    if document.kind not in ANSWER_KINDS or not document.source.startswith("reply:"):
        return None
    try:
        return int(document.source.split(":", 1)[1])
    except ValueError:
        return None
