"""Keeping the search documents and the near-duplicate index in step with the cases.

Called after a registration, a reply, a merge or a split commits (signals.py), with ids,
never objects; and by `manage.py nlp_reindex` to rebuild everything. Each function is
idempotent: indexing the same petition twice leaves one set of rows."""

import logging

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from xinfang.cases.choices import Action
from xinfang.cases.models import Case, CaseEvent, Reply
from xinfang.intake.models import Petition, Petitioner

from . import minhash, places
from .models import MinHashBand, SearchDocument, TextProfile
from .text import prepare, tokens

log = logging.getLogger(__name__)

# The case events after which a case's search document is rewritten (signals.py follows
# them; stale_cases() finds the ones indexing missed).
CASE_ACTIONS = {Action.REPLY, Action.SIGN, "merge", "split"}


def search_words(text):
    return " ".join(dict.fromkeys(w for w in tokens(text, search=True) if len(w) <= 60))


def name_words(names):
    """A name is found whole (刘某某) and by its parts (刘, 某某) as jieba cuts it."""
    words = []
    for name in names:
        name = prepare(name).strip()
        if name:
            words.append(name.replace(" ", ""))
            words.extend(tokens(name, search=True))
    return " ".join(dict.fromkeys(w for w in words if w))


def index_case(case_id):
    """Rewrite the search document of one case from its petitions, replies and people."""
    case = Case.objects.filter(pk=case_id).only("pk", "title").first()
    if case is None:
        SearchDocument.objects.filter(pk=case_id).delete()
        return
    parts = [case.title]
    for title, content in Petition.objects.filter(case_id=case_id).values_list("title", "content"):
        parts.extend([title, content])
    for reply in Reply.objects.filter(case_id=case_id).values_list("request_summary", "facts", "opinion"):
        parts.extend(reply)
    names = Petitioner.objects.filter(petition__case_id=case_id).exclude(name="").values_list("name", flat=True)
    body = search_words("\n".join(dict.fromkeys(p for p in parts if p)))
    SearchDocument.objects.update_or_create(case_id=case_id, defaults={"body": body, "names": name_words(set(names))})


def title_hash(title):
    """The hash of a title's letters (spacing, punctuation, width and script aside)."""
    return minhash.text_hash(prepare(title or ""))


def profile_petition(petition):
    """The near-duplicate features of one petition (not saved)."""
    text = prepare(f"{petition.title}\n{petition.content}")
    h = minhash.hasher()
    signature = h.signature(text)
    found = places.extract(text, prepared=True)
    return text, signature, found


def _write_profile(petition, *, fresh):
    """Write the near-duplicate profile and LSH band keys of one petition; `fresh` when
    it has never been indexed (a registration), so there is nothing old to replace."""
    text, signature, found = profile_petition(petition)
    h = minhash.hasher()
    values = {
        "case_id": petition.case_id, "received_at": petition.received_at, "text_hash": minhash.text_hash(text),
        "title_hash": title_hash(petition.title),
        "signature": h.to_bytes(signature) if signature is not None else None,
        "place": found.key, "places": found.as_dict(),
    }
    with transaction.atomic(savepoint=False):
        if fresh:
            TextProfile.objects.create(petition_id=petition.pk, **values)
        else:
            old = TextProfile.objects.filter(pk=petition.pk).first()
            if old is not None and old.signature:
                MinHashBand.objects.filter(key__in=h.band_keys(h.from_bytes(old.signature)), petition_id=petition.pk).delete()
            TextProfile.objects.update_or_create(petition_id=petition.pk, defaults=values)
        if signature is not None:
            _insert_band_keys(petition.pk, h.band_keys(signature))


# The table and columns of nlp.MinHashBand, written out: one statement for a petition's
# sixteen keys. bulk_create builds a model object per key first (0.40 against 0.18 ms of
# the server's time on PostgreSQL, at every registration).
_BANDS_PG = 'INSERT INTO "nlp_minhashband" ("key", "petition_id") SELECT unnest(%s::bigint[]), %s'
_BANDS = 'INSERT INTO "nlp_minhashband" ("key", "petition_id") VALUES (%s, %s)'


def _insert_band_keys(petition_id, keys):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_BANDS_PG, [list(keys), petition_id])
        else:
            cursor.executemany(_BANDS, [(key, petition_id) for key in keys])


def index_petition(petition_id):
    """Index one petition for near-duplicates and its case for search."""
    petition = Petition.objects.filter(pk=petition_id).only("pk", "case_id", "title", "content", "received_at").first()
    if petition is None:
        return
    _write_profile(petition, fresh=False)
    index_case(petition.case_id)


def index_recorded(petition, case, *, opened, names=()):
    """Index a petition in the transaction that registers it, from the objects at hand:
    a new case's search document is made from this petition alone (no reads); a repeat
    rewrites its case's document."""
    _write_profile(petition, fresh=True)
    if opened:
        body = search_words("\n".join(dict.fromkeys(p for p in (case.title, petition.title, petition.content) if p)))
        SearchDocument.objects.create(case_id=case.pk, body=body, names=name_words(set(names)))
    else:
        index_case(case.pk)


def safely(function, *args, **kwargs):
    """Index maintenance must never break the work it follows: in its own savepoint (or
    transaction), and on failure log and carry on (the catch-up task and `nlp_reindex`
    repair what was missed)."""
    try:
        with transaction.atomic():
            function(*args, **kwargs)
    except Exception:
        log.exception("nlp index maintenance failed: %s%r", function.__name__, args)


def unindexed_petitions(limit=1000):
    """Petitions registered without being indexed (a crash between commit and index)."""
    return list(Petition.objects.exclude(pk__in=TextProfile.objects.values("pk")).order_by("pk").values_list("pk", flat=True)[:limit])


def stale_cases(*, days=3, limit=1000):
    """Cases whose reply, merge or split of the last `days` came after their search
    document was written (a queue that was down, a crash between commit and index)."""
    written = SearchDocument.objects.filter(case_id=OuterRef("case_id")).values("updated_at")[:1]
    since = timezone.now() - timezone.timedelta(days=days)
    events = (CaseEvent.objects.filter(action__in=CASE_ACTIONS, at__gte=since).annotate(written=Subquery(written))
              .filter(Q(written__isnull=True) | Q(written__lt=F("at"))))
    return list(dict.fromkeys(events.order_by("at").values_list("case_id", flat=True)[:limit]))


def rebuild(*, batch=500, progress=None):
    """Drop and rebuild every search document and every near-duplicate profile."""
    with transaction.atomic():
        MinHashBand.objects.all().delete()
        TextProfile.objects.all().delete()
        SearchDocument.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO nlp_search_fts(nlp_search_fts) VALUES ('rebuild')")
    last, done = 0, 0
    while True:
        ids = list(Petition.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            for pk in ids:
                index_petition(pk)
        last, done = ids[-1], done + len(ids)
        if progress:
            progress(done)
    return done


def petitions_with_words(words, *, batch=1000):
    """Ids of the petitions whose title or text holds any of `words`, in batches."""
    match = Q()
    for word in words:
        match |= Q(title__contains=word) | Q(content__contains=word)
    if not match:
        return
    last = 0
    while ids := list(Petition.objects.filter(match, pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]):
        yield ids
        last = ids[-1]


def reindex_words(words):
    """After the user dictionary gained or lost `words`: index again every petition that
    holds one (its search document and its places), so that what was cut under the old
    dictionary is found by queries cut under the new. Returns how many."""
    done = 0
    for ids in petitions_with_words(words):
        for pk in ids:
            safely(index_petition, pk)
        done += len(ids)
    return done


def resync_case(case_id):
    """After a reply, a merge or a split: the case's search document is rewritten and its
    petitions' profiles point at it."""
    TextProfile.objects.filter(petition_id__in=Petition.objects.filter(case_id=case_id).values("pk")).update(case_id=case_id)
    index_case(case_id)
