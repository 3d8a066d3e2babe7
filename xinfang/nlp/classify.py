"""The suggestion model: TF-IDF over jieba words and a linear SVM, made to learn from few
labelled cases by two things an office always has.

- The taxonomy's own names. Every second- and third-level name (住房公积金, 物业服务,
  地铁城铁…) is a short training text of its first-level class, and every name goes into
  the segmenter's dictionary so texts are cut at the same words. On the 494 labelled
  messages this alone lifts macro-F1 from ~0.78 to ~0.89 (bench/nlp_classify.py).
- Unlabelled text: the inverse document frequencies are learnt from every text at hand,
  labelled or not, so a word's weight reflects the office's whole history.

Confidence is a softmax of the SVM's decision values with a temperature fitted on
cross-validated decisions (so 0.8 means right about 8 times in 10 on the office's data).
No state outside the object: it pickles whole into nlp.SuggestionModel.payload.
"""

import math
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .text import prepare, tokens

TITLE_REPEAT = 2


DOCUMENT_CHARS = 1000


def document(title, content=""):
    """The words a model reads: the title twice (it is the clerk's summary), then the
    first 1,000 characters of the text (what a letter is about is said early; the cap
    bounds the time of a suggestion)."""
    title = (title or "").strip()[:200]
    content = (content or "")[:DOCUMENT_CHARS]
    text = "。".join([title] * TITLE_REPEAT + [content]) if title else content
    return " ".join(tokens(prepare(text), search=True, prepared=True))


def taxonomy_words(taxonomy):
    """The names of a taxonomy ({label: [names]}), as words the segmenter should keep
    whole. In the deployment they are the categories' and units' names, which the user
    dictionary holds already; an evaluation on a taxonomy read from a file adds them
    itself (text.add_words), before it cuts any text."""
    return sorted({n for names in taxonomy.values() for n in names if n and n != "其他"} | set(taxonomy))


def taxonomy_documents(taxonomy):
    """taxonomy: {label: [names below it]} → (documents, labels). "其他" says nothing."""
    docs, labels = [], []
    for label, names in taxonomy.items():
        for name in sorted(set(names)):
            if name and name != "其他":
                doc = document("", name)
                if doc:
                    docs.append(doc)
                    labels.append(label)
    return docs, labels


@dataclass
class Evaluation:
    macro_f1: float | None = None
    accuracy: float | None = None
    per_class: dict = field(default_factory=dict)
    folds: int = 0
    samples: int = 0

    def as_dict(self):
        return {"macro_f1": self.macro_f1, "accuracy": self.accuracy, "per_class": self.per_class, "folds": self.folds,
                "samples": self.samples}


def score_predictions(y_true, y_pred, labels=None):
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    labels = sorted(set(y_true)) if labels is None else labels
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = {str(lab): {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
                            "support": int(s[i])} for i, lab in enumerate(labels)}
    return Evaluation(macro_f1=float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
                      accuracy=float(accuracy_score(y_true, y_pred)), per_class=per_class, samples=len(y_true))


class Suggester:
    """Fit on documents (from `document()`) and labels, plus the taxonomy; predict labels
    with a confidence."""

    def __init__(self, *, C=1.0, taxonomy_weight=0.8, max_df=0.5):
        self.C, self.taxonomy_weight, self.max_df = C, taxonomy_weight, max_df
        self.vectorizer = self.svm = None
        self.classes_ = []
        self.temperature = 1.0
        self.words = []
        self.evaluation = None

    # -- training ------------------------------------------------------------------

    def _fit(self, docs, labels, tax_docs, tax_labels, unlabelled):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        corpus = list(docs) + list(unlabelled) + list(tax_docs)
        vectorizer = TfidfVectorizer(token_pattern=r"(?u)\S+", sublinear_tf=True, max_df=self.max_df if len(corpus) > 50 else 1.0,
                                     dtype=np.float32, lowercase=False)
        vectorizer.fit(corpus)
        parts, y = [], []
        if docs:
            parts.append(vectorizer.transform(docs))
            y.extend(labels)
        if tax_docs:
            parts.append(vectorizer.transform(tax_docs) * self.taxonomy_weight)
            y.extend(tax_labels)
        X = sparse.vstack(parts).tocsr()
        classes = sorted(set(y))
        if len(classes) < 2:
            return vectorizer, None, classes
        svm = LinearSVC(C=self.C, class_weight="balanced")
        with warnings.catch_warnings():
            # Few cases per class (a young deployment's second level) is expected here.
            warnings.filterwarnings("ignore", message="The number of unique classes", category=UserWarning)
            svm.fit(X, np.array(y, dtype=object))
        return vectorizer, svm, [c for c in svm.classes_]

    def fit(self, docs, labels, *, taxonomy=None, unlabelled=(), evaluate=True, folds=5, seed=0):
        """taxonomy: {label: [names]}. `evaluate` runs a stratified cross-validation first
        (its figures are stored, and its decisions fit the temperature)."""
        taxonomy = taxonomy or {}
        self.words = taxonomy_words(taxonomy)
        tax_docs, tax_labels = taxonomy_documents(taxonomy)
        docs, labels = list(docs), [str(label) for label in labels]
        self.evaluation = None
        if evaluate and docs:
            self.evaluation, decisions = self._cross_validate(docs, labels, tax_docs, tax_labels, unlabelled, folds, seed)
            if decisions:
                self.temperature = _fit_temperature(*decisions)
        self.vectorizer, self.svm, self.classes_ = self._fit(docs, labels, tax_docs, tax_labels, unlabelled)
        return self

    def _cross_validate(self, docs, labels, tax_docs, tax_labels, unlabelled, folds, seed):
        from collections import Counter

        from sklearn.model_selection import StratifiedKFold

        counts = Counter(labels)
        k = min(folds, min(counts.values())) if len(counts) > 1 else 0
        if k < 2:
            return None, None
        y = np.array(labels, dtype=object)
        predicted = np.empty(len(y), dtype=object)
        scores, truth = [], []
        for train, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(docs, y):
            vectorizer, svm, classes = self._fit([docs[i] for i in train], list(y[train]), tax_docs, tax_labels, unlabelled)
            X = vectorizer.transform([docs[i] for i in test])
            decision = _decision(svm, X, classes)
            predicted[test] = [classes[i] for i in decision.argmax(axis=1)]
            for row, label in zip(decision, y[test]):
                if label in classes:
                    scores.append(row)
                    truth.append(classes.index(label))
        evaluation = score_predictions(list(y), list(predicted), labels=sorted(counts))
        evaluation.folds = k
        return evaluation, (scores, truth)

    # -- use -------------------------------------------------------------------------

    def ready(self):
        return self

    def predict(self, docs, top=3):
        """For each document, [(label, confidence)] best first."""
        if not self.classes_:
            return [[] for _ in docs]
        if self.svm is None:
            return [[(self.classes_[0], 1.0)] for _ in docs]
        if len(docs) == 1:  # a registration asks for one at a time
            decision = self._decision_one(docs[0])
            return [[] if decision is None else self._ranked(_softmax(decision * self.temperature)[0], top)]
        X = self.vectorizer.transform(docs)
        probs = _softmax(_decision(self.svm, X, self.classes_) * self.temperature)
        # A document with no known word gets no opinion.
        return [self._ranked(row, top) if x.nnz else [] for row, x in zip(probs, X)]

    def _ranked(self, probs, top):
        order = np.argsort(-probs)[:top]
        return [(self.classes_[i], float(probs[i])) for i in order]

    def _decision_one(self, doc):
        """The decision values of one document, or None when it has no known word: the
        arithmetic of `vectorizer.transform` (sublinear tf × idf, L2 norm) and of
        `svm.decision_function`, without their per-call checks and sparse matrices
        (0.05 against 0.45 ms a document; test_suggestions checks they agree)."""
        vocabulary = self.vectorizer.vocabulary_
        counts = Counter(vocabulary[w] for w in doc.split() if w in vocabulary)
        if not counts:
            return None
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = (np.log(tf) + np.float32(1)) * self.vectorizer.idf_[columns].astype(np.float32)
        weights /= np.sqrt(np.dot(weights, weights))
        decision = self.svm.coef_[:, columns] @ weights + self.svm.intercept_
        if decision.ndim == 0 or decision.shape[0] == 1:  # two classes: one value, positive for classes[1]
            value = float(np.ravel(decision)[0])
            return np.array([[-value, value]])
        return decision[None, :]


def _decision(svm, X, classes):
    if svm is None:
        return np.zeros((X.shape[0], len(classes)))
    d = svm.decision_function(X)
    if d.ndim == 1:  # two classes: one column, positive for classes[1]
        d = np.column_stack([-d, d])
    return d


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(scores, truth):
    """The scale of decision values that makes the softmax best calibrated (least log
    loss) on cross-validated decisions."""
    if not scores:
        return 1.0
    Z, t = np.array(scores), np.array(truth)
    best, best_loss = 1.0, math.inf
    for temperature in np.geomspace(0.25, 30, 60):
        p = _softmax(Z * temperature)[np.arange(len(t)), t]
        loss = -np.log(np.clip(p, 1e-9, 1)).mean()
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best
