"""Full-text search over the cases' search documents, and highlighting.

A query is folded and cut exactly as the documents were (so 信訪 finds 信访, and 补偿
finds 补偿款), then every word must match (AND). The match is a set of case ids that the
case list intersects with its own filters and with `Case.objects.visible_to(user)`: the
index never widens what a user may see. Petitioners' names are matched only on cases whose
identity the user may see (an accusation's accuser is hidden from the accused, Art. 30).
"""

import html
import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from xinfang.cases.choices import Kind
from xinfang.cases.models import Case
from xinfang.intake.models import Petition
from xinfang.org.choices import UnitKind

from .conf import nlp_setting
from .text import fold, prepare, tokens

MAX_QUERY_WORDS = 8
NOT_INDEXED_TAIL = 1000
CASE_NUMBER = re.compile(r"^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*-\d{4}-\d{1,6}$")


def query_words(q):
    """The words of a query, cut with the dictionary of the version the database holds
    (the one the index is written with), in every process alike ([] when nothing is
    searchable)."""
    words = []
    for word in tokens((q or "")[:200]):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _alternatives(word):
    """A word, or the shorter words inside it: a text indexed before the administrator
    added 米兰春天 to the dictionary holds 米兰 and 春天, and must still be found."""
    parts = [w for w in tokens(word, search=True, refresh=False) if w != word]
    return [word, parts] if parts else [word]


def _expression(words, quote, both, either):
    """A boolean query over `words`: each word, or all of its inner words (补偿款, or
    补偿 and 款), joined by `both`; `quote`, `both` and `either` are the engine's."""
    terms = []
    for word in words:
        alternatives = _alternatives(word)
        if len(alternatives) == 1:
            terms.append(quote(word))
        else:
            terms.append(f"({quote(word)}{either}({both.join(quote(p) for p in alternatives[1])}))")
    return both.join(terms)


def _fts_expression(words):
    """SQLite FTS5 syntax."""
    return _expression(words, lambda w: '"' + w.replace('"', '""') + '"', " AND ", " OR ")


def _ts_expression(words):
    """PostgreSQL tsquery syntax."""
    return _expression(words, lambda w: "'" + w.replace("\\", "\\\\").replace("'", "''") + "'", " & ", " | ")


def _matching_sql(words, column, cap=None):
    """SQL (and params) of the ids of the newest `search_max_matches` cases whose `column`
    (body or names) has every word. The bound keeps a query of two very common words
    (小区 物业: one petition in twenty) from joining and sorting every match; the list
    then shows the newest matches, and the clerk adds a word to narrow it."""
    if column not in ("body", "names"):  # identifiers below come from this fixed set only
        raise ValueError(f"unknown search column {column!r}")
    cap = int(cap or nlp_setting("search_max_matches"))
    if connection.vendor == "postgresql":
        field = "document" if column == "body" else "names_document"
        # MATERIALIZED: the GIN bitmap finds the matches; without it the planner may walk the
        # primary key backwards testing every row's tsvector to honour the LIMIT.
        return (f"SELECT case_id FROM (WITH m AS MATERIALIZED (SELECT case_id FROM nlp_searchdocument WHERE {field} @@ %s::tsquery) "  # nosec B608: field and cap are fixed/int; the query text is a parameter
                f"SELECT case_id FROM m ORDER BY case_id DESC LIMIT {cap}) AS capped", [_ts_expression(words)])
    return f"SELECT rowid FROM nlp_search_fts WHERE {column} MATCH %s ORDER BY rowid DESC LIMIT {cap}", [_fts_expression(words)]  # nosec B608: column checked above, cap an int


def key_words(text, most=3):
    """The words a title turns on: its longest words that are not stop words (`most` of
    them, in the title's order); [] when it has fewer, too little to tell one matter from
    its whole kind (拖欠工资 alone would match every wage claim)."""
    words = list(dict.fromkeys(w for w in tokens(text[:200], keep_stopwords=False) if len(w) >= 2))
    if len(words) < most:
        return []
    longest = set(sorted(words, key=len, reverse=True)[:most])
    return [w for w in words if w in longest][:most]


def cases_with_words(words, *, limit):
    """Ids of the newest `limit` cases whose search document holds every one of `words`."""
    if not words:
        return []
    sql, params = _matching_sql(words, "body", cap=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _sql(qs):
    return qs.query.sql_with_params()


def _not_yet_indexed(q):
    """Cases registered after the newest indexed one (their indexing runs after commit,
    or on a queue): matched by plain substring until the index has them."""
    newest = RawSQL("SELECT COALESCE(MAX(case_id), 0) FROM nlp_searchdocument", [])
    # At most the 1,000 newest: the tail is seconds of registrations, and the bound tells
    # the planner so (unbounded, PostgreSQL guesses a third of the table and scans it).
    tail = Case.objects.filter(pk__gt=newest).order_by("pk").values("pk")[:NOT_INDEXED_TAIL]
    in_text = Petition.objects.filter(case=OuterRef("pk")).filter(Q(content__icontains=q) | Q(title__icontains=q))
    return Case.objects.filter(pk__in=tail).filter(Q(title__icontains=q) | Exists(in_text)).values("pk")


def search_filter(q, user):
    """A Q for the case list: cases whose text has every word of `q`, or whose
    petitioners' names do (for cases whose identity `user` may see), or whose number is
    `q`. None when `q` is empty.

    The branches are one UNION of case ids, so the database drives the list from the
    index (a few thousand ids at most) instead of testing every case against an OR."""
    q = (q or "").strip()[:100]
    if not q:
        return None
    words = query_words(q)
    parts = [_sql(_not_yet_indexed(q))]
    if CASE_NUMBER.match(q):
        parts.append(_sql(Case.objects.filter(number=q).values("pk")))
    if words:
        parts.append(_matching_sql(words, "body"))
        unit = getattr(user, "unit", None)
        if unit is not None:
            names_sql, names_params = _matching_sql(words, "names")
            allowed = Case.objects.all()
            if unit.kind != UnitKind.DISCIPLINE:
                # The accuser shield travels with the petition (a merge or a repeat may
                # have brought an accusation into another case): no name match there.
                acts_for = sorted(unit.acts_for)
                hidden = Petition.objects.filter(case=OuterRef("pk"), shield_unit__isnull=False).exclude(shield_unit__in=acts_for)
                allowed = allowed.filter(~Q(kind=Kind.ACCUSATION) | Q(unit_id__in=acts_for)).exclude(Exists(hidden))
            allowed_sql, allowed_params = _sql(allowed.filter(pk__in=RawSQL(names_sql, names_params)).values("pk"))  # nosec B611: SQL built by _matching_sql, values parameterised
            parts.append((allowed_sql, allowed_params))
    sql = " UNION ".join(f"SELECT * FROM ({part_sql}) AS part{i}" for i, (part_sql, _) in enumerate(parts))  # nosec B608: parts are compiled querysets
    params = [p for _, part_params in parts for p in part_params]
    return Q(pk__in=RawSQL(sql, params))  # nosec B611: see above; every value is a parameter


def highlight(text, q, *, width=None):
    """HTML of `text` (or of a window of `width` characters around the first hit) with
    the query's words in <mark>. Works on the folded text, whose positions are those of
    the original, so a traditional query marks the simplified text and vice versa."""
    text = text or ""
    words = sorted({fold(w) for w in query_words(q)}, key=len, reverse=True)
    if not words:
        return html.escape(text[:width] if width else text)
    folded = fold(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    spans = [(m.start(), m.end()) for m in pattern.finditer(folded)]
    start, end = 0, len(text)
    if width and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, first - width // 4)
        end = min(len(text), start + width)
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def has_words(text, q):
    words = query_words(q)
    folded = fold(prepare(text or "", max_chars=100_000))
    return bool(words) and all(w in folded for w in words)
