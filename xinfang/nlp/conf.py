"""The text features' knobs, read from settings at call time (never at import), with
defaults that suit a county office. A deployment overrides any of them with the
environment variable XINFANG_NLP='{"near_duplicate_threshold": 0.7}'."""

import json
import os
from functools import lru_cache

from django.conf import settings

DEFAULTS = {
    # Near-duplicates: MinHash over character 3-grams, LSH in bands.
    "minhash_perms": 64,
    "minhash_bands": 16,  # 16 bands of 4 rows: pairs above ~0.5 Jaccard become candidates
    "near_duplicate_threshold": 0.6,  # estimated Jaccard at or above which a text is "the same text"
    "similar_window_days": 365,  # how far back registration looks for similar petitions
    "similar_limit": 10,
    # Text is cut here before any analysis, so a 100,000-character letter costs bounded time.
    "max_chars": 30_000,
    # Search: at most this many matching cases (the newest) go on to the case list's filters.
    "search_max_matches": 2000,
    # Suggestions below this confidence are shown as uncertain.
    "suggest_min_confidence": 0.5,
    "min_training_cases": 20,  # fewer labelled cases: the taxonomy's names carry the model
    # Index maintenance: "inline" (after commit, in the request) or "queue" (a huey task).
    "index_mode": "inline",
    # Hot topics
    "topic_window_days": 30,
    "topic_growth_days": 7,
    "topic_similarity": 0.35,
    "topic_max_petitions": 5000,
    "topic_min_size": 2,
}


def nlp_setting(name):
    override = getattr(settings, "XINFANG_NLP", None)
    if override is None:
        override = _from_environment(os.environ.get("XINFANG_NLP", ""))
    return override.get(name, DEFAULTS[name])


@lru_cache(maxsize=4)
def _from_environment(value):
    return json.loads(value or "{}")
