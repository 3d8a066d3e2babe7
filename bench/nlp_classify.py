"""Category suggestion on the real data: macro-F1 over the 7 first-level categories of
gov-messages/labelled.csv (494 labels), by repeated stratified 5-fold cross-validation,
and the time of one suggestion on one core.

    .venv/bin/python bench/nlp_classify.py [--seeds 3] [--data ../shared/data/gov-messages]

Each fold trains on 4/5 of the labels with the taxonomy's names (taxonomy.csv) and the
unlabelled texts (unlabelled.csv, hot_topics.csv, replies.csv: for the word weights only),
and is scored on the fifth it never saw. The baseline is a plain TF-IDF + linear SVM on
the labels alone. Target: macro-F1 >= 0.85, suggestion <= 10 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "gov-messages"))
    args = parser.parse_args()
    import django

    django.setup()
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    from xinfang.nlp.classify import Suggester, document, score_predictions, taxonomy_words
    from xinfang.nlp.text import add_words
    from xinfang.nlp.datasets import read_rows, read_taxonomy

    data = Path(args.data)
    rows = read_rows(data / "labelled.csv", need=("title", "text", "label"))
    labels = np.array([r["label"] for r in rows], dtype=object)
    taxonomy = read_taxonomy(data / "taxonomy.csv", labels=set(labels))
    started = time.perf_counter()
    add_words(taxonomy_words(taxonomy))  # the taxonomy's names into the segmenter, before any text is cut
    docs = [document(r["title"], r["text"]) for r in rows]
    unlabelled = []
    for name in ("unlabelled.csv", "hot_topics.csv", "replies.csv"):
        unlabelled += [document(r["title"], r["text"]) for r in read_rows(data / name)]
    print(f"labelled={len(docs)} classes={len(set(labels))} unlabelled={len(unlabelled)} taxonomy_names={sum(map(len, taxonomy.values()))} "
          f"(segmented in {time.perf_counter() - started:.0f} s)", flush=True)

    scores, baseline = [], []
    last = None
    for seed in range(args.seeds):
        predicted = np.empty(len(docs), dtype=object)
        plain = np.empty(len(docs), dtype=object)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(docs, labels):
            model = Suggester().fit([docs[i] for i in train], list(labels[train]), taxonomy=taxonomy, unlabelled=unlabelled, evaluate=False)
            predicted[test] = [p[0][0] if p else "" for p in model.predict([docs[i] for i in test], top=1)]
            vec = TfidfVectorizer(token_pattern=r"(?u)\S+", sublinear_tf=True).fit([docs[i] for i in train])
            svm = LinearSVC(class_weight="balanced").fit(vec.transform([docs[i] for i in train]), labels[train])
            plain[test] = svm.predict(vec.transform([docs[i] for i in test]))
        result = score_predictions(list(labels), list(predicted))
        scores.append(result.macro_f1)
        baseline.append(score_predictions(list(labels), list(plain)).macro_f1)
        print(f"seed {seed}: macro_f1={result.macro_f1:.4f} accuracy={result.accuracy:.4f}  (plain TF-IDF+SVM on the labels: "
              f"{baseline[-1]:.4f})", flush=True)
        last = result
    print(f"{'class':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}   (last seed)")
    for label, f in last.per_class.items():
        print(f"{label:<16}{f['precision']:>10.4f}{f['recall']:>10.4f}{f['f1']:>10.4f}{f['support']:>9}")

    model = Suggester().fit(docs, list(labels), taxonomy=taxonomy, unlabelled=unlabelled, evaluate=False)
    times = []
    for r in rows:
        t0 = time.perf_counter()
        model.predict([document(r["title"], r["text"])], top=3)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    mean = statistics.mean(scores)
    print(f"suggestion time per text (segmentation + model, one core): p50={p50:.2f} ms p95={p95:.2f} ms  "
          f"[{'PASS' if p95 <= 10 else 'MISS'} <= 10 ms]")
    print(f"baseline macro_f1 (plain TF-IDF+SVM, labels only) mean={statistics.mean(baseline):.4f}")
    print(f"macro_f1 mean over {len(scores)} x 5-fold CV = {mean:.4f}  [{'PASS' if mean >= 0.85 else 'MISS'} >= 0.85]")


if __name__ == "__main__":
    main()
