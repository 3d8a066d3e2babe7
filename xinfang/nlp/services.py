"""What the text features offer the rest of Xinfang: similar petitions for a new one,
suggestions (category, responsible unit, place), training of the suggestion models, and
hot topics. Every function that returns cases starts from `Case.objects.visible_to(actor)`.
"""

import datetime
import logging
import pickle
import threading
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.cases.choices import Status
from xinfang.cases.models import Case
from xinfang.intake.models import Category, Petition, Petitioner
from xinfang.intake import categories
from xinfang.intake.services import cases_of_people
from xinfang.org.models import Unit

from . import minhash, places
from .index import title_hash
from .search import cases_with_words, key_words
from .classify import Suggester, document
from .conf import nlp_setting
from .models import MinHashBand, ModelTarget, SuggestionModel, TextProfile
from .text import prepare, tokens

log = logging.getLogger(__name__)

REASON_LABELS = {
    "same_petitioner": "同一信访人",
    "same_text": "相同内容",
    "similar_text": "内容相似",
    "same_title": "标题相同",
    "same_words": "标题关键词相同",
    "same_place_category": "同一地点同类问题",
}
# How much each kind of likeness weighs when two cases have as many reasons: the same
# text beats the same title, which beats the title's words found in another case.
TITLE_SCORE, WORDS_SCORE = 0.95, 0.5


# --- similar petitions ------------------------------------------------------------------


@dataclass
class Similar:
    """An existing case like the new petition: how alike (0–1) and why."""

    case: Case
    score: float = 0.0
    reasons: list = field(default_factory=list)
    petition_id: int | None = None
    other_unit: bool = False  # received by another unit: perhaps the same letter sent elsewhere (一信多投)

    @property
    def reason_labels(self):
        return [REASON_LABELS[r] for r in self.reasons]

    # The API's RelatedCaseOut reads these.
    @property
    def number(self):
        return self.case.number

    @property
    def title(self):
        return self.case.title

    @property
    def status(self):
        return self.case.status

    @property
    def received_at(self):
        return self.case.received_at

    def get_status_display(self):
        return self.case.get_status_display()


def _text_matches(text, *, since, limit=200):
    """{petition id: (case id, estimated similarity, exact)} of indexed petitions like
    `text` received since `since`: the same text hash, or a shared LSH band key and an
    estimated similarity over the threshold. Two indexed lookups, whose cost does not
    grow with the number of petitions indexed."""
    h = minhash.hasher()
    signature = h.signature(text)
    digest = minhash.text_hash(text)
    if not digest and signature is None:
        return {}
    match = Q(text_hash=digest) if digest else Q()
    if signature is not None:
        # The band keys' petitions as a list, not a subquery: "hash = x OR id IN (list)"
        # is two index lookups; with a subquery PostgreSQL would scan the whole table.
        banded = list(MinHashBand.objects.filter(key__in=h.band_keys(signature)).values_list("petition_id", flat=True)
                      .distinct()[:limit * 5])
        match |= Q(pk__in=banded)
    rows = (TextProfile.objects.filter(match, received_at__gte=since)
            .values_list("pk", "case_id", "text_hash", "signature")[:limit * 5])
    threshold = nlp_setting("near_duplicate_threshold")
    found = {}
    for pk, case_id, row_hash, stored in rows:
        if digest and row_hash == digest:
            found[pk] = (case_id, 1.0, True)
        elif signature is not None and stored:
            score = h.similarity(signature, h.from_bytes(stored))
            if score >= threshold:
                found[pk] = (case_id, score, False)
    return found


def similar_petitions(*, actor, title="", content="", petitioners=(), category=None, place=None, exclude_case=None,
                      receiving_unit=None, now=None, limit=None):
    """Existing cases within the actor's scope and the time window that the new petition
    may repeat: the same petitioner (ID number or phone), the same or a near-identical
    text, or the same place with the same category. Best first; one entry per case."""
    if actor is None or getattr(actor, "unit_id", None) is None:
        return []
    limit = limit or nlp_setting("similar_limit")
    now = now or timezone.now()
    since = now - datetime.timedelta(days=nlp_setting("similar_window_days"))
    text = prepare(f"{title}\n{content}")
    visible = Case.objects.visible_to(actor).exclude(status=Status.VOIDED)  # a voided registration is nobody's match
    found = {}

    def note(case_id, reason, score=0.0, petition_id=None):
        entry = found.setdefault(case_id, {"reasons": [], "score": 0.0, "petition_id": None})
        if reason not in entry["reasons"]:
            entry["reasons"].append(reason)
        if score > entry["score"]:
            entry["score"], entry["petition_id"] = score, petition_id or entry["petition_id"]

    people = [p for p in (dict(p) for p in petitioners or []) if p.get("id_number") or p.get("phone")]
    if people:
        for case_id in cases_of_people(people, limit=limit + 1):
            note(case_id, "same_petitioner")
    if text.strip():
        for pk, (case_id, score, exact) in _text_matches(text, since=since).items():
            note(case_id, "same_text" if exact or score >= 0.9 else "similar_text", score, pk)
    if title.strip():
        # The same matter under the same title with another text (a visit after a letter),
        # and the title's key words in another case's text (the same matter reworded).
        if digest := title_hash(title):
            for pk, case_id in (TextProfile.objects.filter(title_hash=digest, received_at__gte=since)
                                .order_by("-received_at").values_list("pk", "case_id")[:limit * 2]):
                note(case_id, "same_title", TITLE_SCORE, pk)
        for case_id in cases_with_words(key_words(title), limit=limit * 2):
            note(case_id, "same_words", WORDS_SCORE)
    if text.strip():
        place_key = place if place is not None else places.extract(text, prepared=True).key
        if category is not None and not isinstance(category, Category):  # a code or name, as the form sends it
            category = categories.tree.find(category) if str(category) else None
        if place_key and category is not None:
            same = (TextProfile.objects.filter(place=place_key, received_at__gte=since, case__category__in=categories.tree.family(category))
                    .values_list("case_id", flat=True)[:limit])
            for case_id in same:
                note(case_id, "same_place_category", 0.0)
    if exclude_case is not None:
        found.pop(exclude_case.pk, None)
    if not found:
        return []
    # Scope is applied once, here, to every kind of match. The ids go in as a list:
    # folding the same-petitioner subquery in here made PostgreSQL scan every case
    # (measured: 0.6 s a registration at 100,000 cases). Only what the answer shows is read.
    cases = {c.pk: c for c in visible.filter(pk__in=list(found)).select_related("unit")
             .only("number", "title", "status", "received_at", "kind", "unit")}
    out = []
    receiving_unit = receiving_unit if isinstance(receiving_unit, Unit) else None
    for case_id, entry in found.items():
        case = cases.get(case_id)
        if case is None or entry["reasons"] == ["same_words"] and case.received_at < since:
            continue
        other = receiving_unit is not None and case.unit_id != receiving_unit.pk
        out.append(Similar(case=case, score=round(entry["score"], 3), reasons=entry["reasons"], petition_id=entry["petition_id"],
                           other_unit=other))
    out.sort(key=lambda s: (-len(s.reasons), -s.score, -s.case.received_at.timestamp()))
    return out[:limit]


# --- suggestions -------------------------------------------------------------------------


class _Models:
    """The active model of each target, loaded once per process and looked at again
    every minute (a newly trained version replaces it without a restart). The category
    tree the suggestions name comes from `intake.categories`, kept the same way."""

    CHECK_SECONDS = 60

    def __init__(self):
        self._lock = threading.Lock()
        self._loaded = {}
        self._checked = 0.0
        self._cold = None

    def stale(self):
        self._checked = 0.0
        categories.tree.stale()

    def get(self, target):
        with self._lock:
            if time.monotonic() - self._checked > self.CHECK_SECONDS:
                self._checked = time.monotonic()
                latest = {}
                for pk, t in SuggestionModel.objects.filter(is_active=True).order_by("target", "-version").values_list("pk", "target"):
                    latest.setdefault(t, pk)
                for t, pk in latest.items():
                    if self._loaded.get(t, (None,))[0] != pk:
                        row = SuggestionModel.objects.get(pk=pk)
                        self._loaded[t] = (pk, load_payload(row.payload).ready(), row)
                for t in list(self._loaded):
                    if t not in latest:
                        del self._loaded[t]
            entry = self._loaded.get(target)
            return (entry[1], entry[2]) if entry else (None, None)

    def categories(self):
        """{code: Category} of the active categories, with their parents."""
        return categories.tree.active()

    def cold_start(self):
        """Before any training: a category model from the category tree's names alone."""
        cats = self.categories()
        version = tuple(sorted((c.pk, c.name, c.parent_id) for c in cats.values()))
        with self._lock:
            if self._cold is None or self._cold[0] != version:
                self._cold = (version, Suggester().fit([], [], taxonomy=category_taxonomy(), evaluate=False))
            return self._cold[1]


MODELS = _Models()


def dump_payload(model):
    return zlib.compress(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), 6)


def load_payload(data):
    # Only payloads this deployment trained itself are ever stored here.
    # bandit: the payload was written by this deployment's own training task into its own database.
    return pickle.loads(zlib.decompress(bytes(data)))  # nosec B301


def category_taxonomy():
    """{top code: [its name and its children's names]} from the office's category tree."""
    tree = defaultdict(list)
    for code, name, parent_code, parent_name in Category.objects.filter(is_active=True).values_list("code", "name", "parent__code", "parent__name"):
        if parent_code:
            tree[parent_code].append(name)
        else:
            tree[code].append(name)
    return dict(tree)


def _choice(label, confidence, name, **extra):
    low = confidence < nlp_setting("suggest_min_confidence")
    return {"code": label, "name": name, "confidence": round(float(confidence), 3), "low_confidence": low, **extra}


def suggest(*, title="", content="", actor=None):
    """Suggested category (first and second level), responsible unit and place for a
    new petition, each with a confidence; low ones are flagged, none is ever applied
    by itself. Personal numbers in the text are hidden before any model reads it."""
    started = time.perf_counter()
    out = {"category": None, "subcategory": None, "unit": None, "place": None, "place_unit": None, "model_version": {}}
    doc = document(title, content)
    prepared = prepare(f"{title}\n{content}")
    if doc:
        top_model, top_row = MODELS.get(ModelTarget.CATEGORY)
        if top_model is None:
            top_model = MODELS.cold_start()
        out["model_version"]["category"] = top_row.version if top_row else 0
        ranked = top_model.predict([doc], top=3)[0]
        cats = MODELS.categories()
        ranked = [(code, p) for code, p in ranked if code in cats]
        if ranked:
            code, p = ranked[0]
            out["category"] = _choice(code, p, cats[code].name, alternatives=[{"code": c, "name": cats[c].name, "confidence": round(q, 3)}
                                                                               for c, q in ranked[1:]])
            out["subcategory"] = _subcategory(doc, cats[code], p, cats)
        unit_model, unit_row = MODELS.get(ModelTarget.UNIT)
        if unit_model is not None:
            scope = actor.unit.scope_root if actor is not None and actor.unit_id else None
            ranked = unit_model.predict([doc], top=5)[0]
            units = {u.code: u for u in Unit.objects.filter(code__in=[c for c, _ in ranked], is_active=True)}
            ranked = [(c, p) for c, p in ranked if c in units and (scope is None or units[c].is_within(scope))]
            if ranked:
                code, p = ranked[0]
                out["unit"] = _choice(code, p, units[code].name)
                out["model_version"]["unit"] = unit_row.version
    if prepared.strip():
        found = places.extract(prepared, prepared=True)
        out["place"] = found.as_dict() | {"key": found.key}
        scope = actor.unit.scope_root if actor is not None and actor.unit_id else None
        unit = places.place_unit(found, scope)
        if unit is not None:
            out["place_unit"] = {"code": unit.code, "name": unit.name, "level": unit.level}
    out["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out


def _subcategory(doc, top, top_confidence, cats):
    model, _ = MODELS.get("subcategory")
    children = [c for c in cats.values() if c.parent_id == top.pk]
    if model is None or not children:
        # No second-level model yet: the child whose name the text contains, if one does.
        hits = [c for c in children if c.name in doc.replace(" ", "")]
        if len(hits) == 1:
            return _choice(hits[0].code, top_confidence * 0.6, hits[0].name)
        return None
    ranked = model.predict([doc], top=len(model.classes_))[0]
    child_codes = {c.code for c in children}
    among = [(code, p) for code, p in ranked if code in child_codes]
    total = sum(p for _, p in among)
    if not among or total <= 0:
        return None
    code, p = among[0]
    return _choice(code, top_confidence * p / total, cats[code].name)


# --- training --------------------------------------------------------------------------

MAX_TRAINING_CASES = 20_000


def _training_rows(since_pk=None):
    first = Petition.objects.filter(case=OuterRef("pk")).order_by("received_at", "id")
    qs = (Case.objects.annotate(first_content=Subquery(first.values("content")[:1]))
          .select_related("category", "category__parent", "lead_unit", "current_unit", "unit").order_by("-pk"))
    return qs


def train_models(*, actor=None, folds=5):
    """Train the category, second-level category and responsible-unit models from the
    cases the office has classified and routed; store each as a new version with its
    cross-validated figures. Returns the new SuggestionModel rows."""
    started = time.perf_counter()
    rows = list(_training_rows().filter(category__isnull=False)[:MAX_TRAINING_CASES])
    unlabelled = [document(c.title, c.first_content or "") for c in _training_rows().filter(category__isnull=True)[:5000]]
    docs = [document(c.title, c.first_content or "") for c in rows]
    created = []
    taxonomy = category_taxonomy()
    top_labels = [c.category.top.code for c in rows]
    created.append(_store(ModelTarget.CATEGORY, Suggester().fit(docs, top_labels, taxonomy=taxonomy, unlabelled=unlabelled, folds=folds),
                          actor=actor, samples=len(docs), labels=top_labels))
    leaf = [(d, c.category.code) for d, c in zip(docs, rows) if c.category.parent_id]
    leaf_tax = {code: [name] for code, name in Category.objects.filter(is_active=True, parent__isnull=False).values_list("code", "name")}
    model = Suggester().fit([d for d, _ in leaf], [code for _, code in leaf], taxonomy=leaf_tax, unlabelled=unlabelled, folds=folds)
    created.append(_store("subcategory", model, actor=actor, samples=len(leaf), labels=[code for _, code in leaf]))
    routed = []
    for d, c in zip(docs, rows):
        unit = c.lead_unit or (c.current_unit if c.current_unit_id != c.unit_id else None)
        if unit is not None:
            routed.append((d, unit.code))
    all_routed = [(document(c.title, c.first_content or ""), (c.lead_unit or c.current_unit).code)
                  for c in _training_rows().filter(category__isnull=True).filter(Q(lead_unit__isnull=False))[:MAX_TRAINING_CASES]]
    routed += all_routed
    if len({code for _, code in routed}) >= 2:
        names = {u.code: [u.short_name or u.name] for u in Unit.objects.filter(code__in={code for _, code in routed})}
        model = Suggester(taxonomy_weight=0.3).fit([d for d, _ in routed], [code for _, code in routed], taxonomy=names,
                                                   unlabelled=unlabelled, folds=folds)
        created.append(_store(ModelTarget.UNIT, model, actor=actor, samples=len(routed), labels=[code for _, code in routed]))
    MODELS.stale()
    log.info("trained %d suggestion models in %.1f s", len(created), time.perf_counter() - started)
    return created


@transaction.atomic
def _store(target, model, *, actor, samples, labels):
    last = SuggestionModel.objects.select_for_update().filter(target=target).order_by("-version").first()
    evaluation = model.evaluation
    notes = ""
    if samples < nlp_setting("min_training_cases"):
        notes = f"已标注事项仅{samples}件，建议主要依据类别名称，可信度有限 / Few labelled cases: suggestions lean on the taxonomy's names."
    row = SuggestionModel.objects.create(
        target=target, version=(last.version + 1) if last else 1, trained_by=actor, samples=samples,
        classes=len(model.classes_), macro_f1=evaluation.macro_f1 if evaluation else None,
        accuracy=evaluation.accuracy if evaluation else None,
        metrics=(evaluation.as_dict() if evaluation else {}) | {"label_counts": dict(Counter(labels).most_common(50)),
                                                                 "temperature": model.temperature},
        notes=notes, payload=dump_payload(model),
    )
    if actor is not None:
        audit(actor=actor, action="nlp.train", obj=row, detail={"target": target, "version": row.version, "samples": samples})
    return row


# --- hot topics ----------------------------------------------------------------------------


@dataclass
class Topic:
    label: str
    place: str
    petitions: list
    size: int
    petitioners: int
    recent: int  # petitions in the last growth period
    before: int  # petitions in the period before it
    cases: int

    @property
    def growth(self):
        return self.recent - self.before

    @property
    def score(self):
        return self.petitioners * 2 + self.size + max(self.growth, 0)


def hot_topics(*, actor, days=None, now=None, limit=20, min_size=None):
    """Recent petitions in the actor's scope grouped into topics (the same problem, at
    the same place), ranked by distinct petitioners, size and growth. Labels are the
    topic's weightiest words: never a personal number (hidden before any word is read)."""
    now = now or timezone.now()
    days = days or nlp_setting("topic_window_days")
    growth_days = nlp_setting("topic_growth_days")
    min_size = min_size or nlp_setting("topic_min_size")
    since = now - datetime.timedelta(days=days)
    petitions = list(Petition.objects.filter(case__in=Case.objects.visible_to(actor).exclude(status=Status.VOIDED),
                                             received_at__gte=since, received_at__lte=now)
                     .select_related("case").order_by("-received_at")[: nlp_setting("topic_max_petitions")])
    if len(petitions) < min_size:
        return []
    profiles = dict(TextProfile.objects.filter(pk__in=[p.pk for p in petitions]).values_list("pk", "place"))
    words = [tokens(f"{p.title}。{p.title}。{p.content}", keep_stopwords=False) for p in petitions]
    groups = cluster([" ".join(w) for w in words], [profiles.get(p.pk, "") for p in petitions], threshold=nlp_setting("topic_similarity"))
    people = defaultdict(set)
    # Distinct people by the keyed hashes of their numbers: nothing is decrypted to count.
    for petition_id, name, id_hash, phone_hash in Petitioner.objects.filter(petition__in=[p.pk for p in petitions]).values_list(
            "petition_id", "name", "id_number_hash", "phone_hash"):
        people[petition_id].add(f"id:{id_hash}" if id_hash else f"phone:{phone_hash}" if phone_hash else f"name:{name}")
    recent_since = now - datetime.timedelta(days=growth_days)
    before_since = recent_since - datetime.timedelta(days=growth_days)
    topics = []
    for members in groups:
        if len(members) < min_size:
            continue
        chosen = [petitions[i] for i in members]
        who = set()
        for p in chosen:
            who |= people.get(p.pk) or {f"petition:{p.pk}"}
        place = Counter(profiles.get(p.pk, "") for p in chosen if profiles.get(p.pk)).most_common(1)
        topics.append(Topic(
            label=topic_label([words[i] for i in members], [w for i, w in enumerate(words) if i not in set(members)],
                              titles=[petitions[i].title for i in members]),
            place=place[0][0] if place else "", petitions=sorted(chosen, key=lambda p: p.received_at, reverse=True),
            size=len(chosen), petitioners=len(who), cases=len({p.case_id for p in chosen}),
            recent=sum(p.received_at >= recent_since for p in chosen),
            before=sum(before_since <= p.received_at < recent_since for p in chosen),
        ))
    topics.sort(key=lambda t: (-t.score, -t.recent, t.label))
    return topics[:limit]


def cluster(docs, place_keys, *, threshold):
    """Groups of document indexes: linked when their TF-IDF cosine similarity reaches
    `threshold` (a little less when they name the same place)."""
    import numpy as np
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not docs:
        return []
    try:
        X = TfidfVectorizer(token_pattern=r"(?u)\S+", sublinear_tf=True, max_df=0.5 if len(docs) > 20 else 1.0,
                            dtype=np.float32).fit_transform(docs)
    except ValueError:  # no words at all
        return [[i] for i in range(len(docs))]
    S = (X @ X.T).tocoo()
    keep = S.row < S.col
    rows, cols, values = S.row[keep], S.col[keep], S.data[keep]
    same_place = np.array([bool(place_keys[r]) and place_keys[r] == place_keys[c] for r, c in zip(rows, cols)], dtype=bool)
    linked = (values >= threshold) | (same_place & (values >= threshold * 0.6))
    from scipy.sparse import coo_matrix

    graph = coo_matrix((np.ones(linked.sum()), (rows[linked], cols[linked])), shape=(len(docs), len(docs)))
    n, labels = connected_components(graph, directed=False)
    groups = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return list(groups.values())


def topic_label(member_words, other_words, size=4, titles=()):
    """The words that most distinguish a topic from the other recent petitions; words of
    the titles (the clerks' summaries) first among equals, longer words before shorter."""
    inside = Counter(w for words in member_words for w in set(words) if len(w) > 1 and not any(c.isdigit() for c in w))
    outside = Counter(w for words in other_words for w in set(words))
    n_in, n_out = max(len(member_words), 1), max(len(other_words), 1)
    in_titles = Counter(w for title in titles for w in set(tokens(title, keep_stopwords=False)))

    def weight(w):
        return inside[w] / n_in - outside[w] / n_out + 0.5 * in_titles[w] / max(len(titles), 1)

    scored = sorted(inside, key=lambda w: (-round(weight(w), 6), -len(w), w))
    return "、".join(scored[:size])
