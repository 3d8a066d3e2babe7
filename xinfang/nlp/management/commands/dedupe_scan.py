"""Find the near-duplicate groups in a CSV of texts.

    python manage.py dedupe_scan FILE.csv [FILE2.csv ...] [--threshold 0.6] [--quiet]

Columns `id,title,text`. Each text (title and text) is folded, cleaned of personal
numbers, cut into character 3-grams and MinHashed; the LSH index (the same code and
settings as the database index) proposes candidates, and a pair counts when its estimated
similarity reaches the threshold, or when the letters are identical. Pairs are joined into
groups. The last line is `pairs=N groups=M`.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from xinfang.nlp import minhash
from xinfang.nlp.conf import nlp_setting
from xinfang.nlp.datasets import read_rows
from xinfang.nlp.text import prepare


class Command(BaseCommand):
    help = "Index the texts of CSV files (id,title,text) and print the near-duplicate groups; last line pairs=N groups=M."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--threshold", type=float, default=None, help="estimated Jaccard similarity (default: the setting, 0.6)")
        parser.add_argument("--quiet", action="store_true", help="print only the summary lines")

    def handle(self, *args, **opts):
        threshold = opts["threshold"] if opts["threshold"] is not None else nlp_setting("near_duplicate_threshold")
        rows = []
        for path in opts["files"]:
            try:
                rows += [(f"{r['id']}", r.get("title") or "", r.get("text") or "") for r in read_rows(path)]
            except (OSError, ValueError) as error:
                raise CommandError(str(error))
        h = minhash.hasher()
        started = time.perf_counter()
        pairs, timings = scan([(title, text) for _, title, text in rows], threshold, h)
        elapsed = time.perf_counter() - started
        groups = _groups(len(rows), pairs)
        exact = sum(1 for _, is_exact in pairs.values() if is_exact)
        out = self.stdout.write
        if not opts["quiet"]:
            for n, members in enumerate(sorted(groups, key=lambda g: (-len(g), g[0])), start=1):
                out(f"group {n} ({len(members)} texts)")
                for i in members:
                    key, title, _ = rows[i]
                    out(f"  {key}\t{title[:60]}")
        timings.sort()
        p95 = timings[int(len(timings) * 0.95)] * 1000 if timings else 0
        out(f"texts={len(rows)} threshold={threshold} bands={h.bands}x{h.rows}")
        out(f"exact_pairs={exact} near_pairs={len(pairs) - exact} texts_in_groups={sum(len(g) for g in groups)}")
        out(f"time={elapsed:.1f}s per_text_p95={p95:.2f}ms")
        out(f"pairs={len(pairs)} groups={len(groups)}")


def scan(texts, threshold, h):
    """{(i, j): (similarity, exact)} for the pairs of [(title, text)] at or above the
    threshold, and the time each text took to prepare, hash, look up and add."""
    index = minhash.MemoryIndex(h)
    by_hash, pairs, timings = {}, {}, []
    for i, (title, text) in enumerate(texts):
        t0 = time.perf_counter()
        prepared = prepare(f"{title}\n{text}")
        digest = minhash.text_hash(prepared)
        signature = h.signature(prepared)
        if digest:
            for j in by_hash.get(digest, []):
                pairs[(j, i)] = (1.0, True)
            by_hash.setdefault(digest, []).append(i)
        if signature is not None:
            for score, j in index.query(signature, threshold):
                pairs.setdefault((j, i), (score, False))
            index.add(i, signature)
        timings.append(time.perf_counter() - t0)
    return pairs, timings


def _groups(n, pairs):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [members for members in groups.values() if len(members) > 1]
