"""Train the category model on one CSV and evaluate it on another.

    python manage.py classify_eval --train A.csv --test B.csv [--taxonomy T.csv] [--unlabelled U.csv ...]

CSV columns `id,title,text,label` (like gov-messages/labelled.csv). The taxonomy
(`level1,level2,level3`) defaults to a `taxonomy.csv` beside the training file, and the
unlabelled texts (`id,title,text`) to an `unlabelled.csv` beside it; `--no-beside` uses
neither. The test file's texts are never used for training. The last line printed is
`macro_f1=0.xxxx`.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from xinfang.nlp.classify import Suggester, document, score_predictions, taxonomy_words
from xinfang.nlp.datasets import beside, read_rows, read_taxonomy
from xinfang.nlp.text import add_words


class Command(BaseCommand):
    help = "Train the category suggestion model on --train and print its figures on --test (last line: macro_f1=…)."

    def add_arguments(self, parser):
        parser.add_argument("--train", required=True)
        parser.add_argument("--test", required=True)
        parser.add_argument("--taxonomy", default=None, help="level1,level2,level3 CSV (default: taxonomy.csv beside --train)")
        parser.add_argument("--unlabelled", action="append", default=None, help="id,title,text CSV, repeatable")
        parser.add_argument("--no-beside", action="store_true", help="do not look for taxonomy.csv / unlabelled.csv beside --train")

    def handle(self, *args, **opts):
        try:
            train = read_rows(opts["train"], need=("title", "text", "label"))
            test = read_rows(opts["test"], need=("title", "text", "label"))
        except (OSError, ValueError) as error:
            raise CommandError(str(error))
        labels = sorted({r["label"].strip() for r in train if r["label"].strip()})
        taxonomy_path = opts["taxonomy"] or (None if opts["no_beside"] else beside(opts["train"], "taxonomy.csv"))
        taxonomy = read_taxonomy(taxonomy_path, labels=set(labels)) if taxonomy_path else {}
        unlabelled_paths = opts["unlabelled"]
        if unlabelled_paths is None:
            found = None if opts["no_beside"] else beside(opts["train"], "unlabelled.csv")
            unlabelled_paths = [found] if found else []
        out = self.stdout.write
        out(f"train: {opts['train']} ({len(train)} rows, {len(labels)} classes)")
        out(f"test: {opts['test']} ({len(test)} rows)")
        out(f"taxonomy: {taxonomy_path or '—'} ({sum(len(v) for v in taxonomy.values())} names)")
        add_words(taxonomy_words(taxonomy))  # before any text is cut, training and test alike
        started = time.perf_counter()
        unlabelled = []
        for path in unlabelled_paths:
            unlabelled += [document(r["title"], r["text"]) for r in read_rows(path)]
        out(f"unlabelled: {', '.join(map(str, unlabelled_paths)) or '—'} ({len(unlabelled)} texts)")
        rows = [r for r in train if r["label"].strip()]
        docs = [document(r["title"], r["text"]) for r in rows]
        model = Suggester().fit(docs, [r["label"].strip() for r in rows], taxonomy=taxonomy, unlabelled=unlabelled, evaluate=False)
        out(f"trained in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        predicted = []
        for r in test:
            best = model.predict([document(r["title"], r["text"])], top=1)[0]
            predicted.append(best[0][0] if best else "")
        per_text = (time.perf_counter() - started) / max(len(test), 1) * 1000
        truth = [r["label"].strip() for r in test]
        result = score_predictions(truth, predicted, labels=sorted(set(truth) | set(labels)))
        out(f"{'class':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
        for label, figures in result.per_class.items():
            out(f"{label:<16}{figures['precision']:>10.4f}{figures['recall']:>10.4f}{figures['f1']:>10.4f}{figures['support']:>9}")
        out(f"accuracy={result.accuracy:.4f}")
        out(f"suggestion time={per_text:.2f} ms per text (one core, segmentation included)")
        out(f"macro_f1={result.macro_f1:.4f}")
