"""Three small timings that used to be assertions inside tests (a test must fail for a
reason in the code, not because the shared machine was busy): issue #20.

    .venv/bin/python bench/timings.py suggest      # one category/unit prediction, target ≤ 50 ms
    .venv/bin/python bench/timings.py codes        # 2,000 query-code checks, target ≤ 1 s
    .venv/bin/python bench/timings.py folding      # segmenting a 112,000-character text, target ≤ 5 s
    .venv/bin/python bench/timings.py all

Each prints its figure beside its target (PASS/MISS) and the best of --repeat runs (the
best: other work on the machine only ever adds time). No database is needed: the code
check uses an unsaved submission, the suggestion a model trained here on a few lines.
The tests keep what these compute (the right category, a code that verifies, a text
cut to its limit); only the clock moved here.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")


def best_of(repeat, run):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def report(name, seconds, target, unit="s", scale=1):
    shown, limit = seconds * scale, target * scale
    print(f"{name:<48} {shown:9.3f} {unit}   target ≤ {limit:g} {unit}   {'PASS' if seconds <= target else 'MISS'}")
    return seconds <= target


def suggest(repeat):
    """One prediction of the suggestion model (was test_the_suggester_is_calibrated_and_fast)."""
    from xinfang.nlp.classify import Suggester, document
    from xinfang.nlp.tests.test_suggestions import TRAIN

    docs = [document(t, c) for t, c, _ in TRAIN]
    model = Suggester().fit(docs, [code[:2] for *_, code in TRAIN],
                            taxonomy={"03": ["拖欠工资"], "06": ["噪声"], "08": ["教育收费"]}, folds=2)
    one = [document("拖欠工资", "老板不发工资")]
    model.predict(one)  # the first call loads what it needs

    def twenty():
        for _ in range(20):
            assert model.predict(one)[0][0][0] == "03"

    return report("suggestion: one prediction (mean of 20)", best_of(repeat, twenty) / 20, 0.05, "ms", 1000)


def codes(repeat):
    """2,000 checks of a query code and its last four digits (was
    test_checking_a_code_and_its_last_four_is_cheap)."""
    from types import SimpleNamespace

    from xinfang.portal import codes as c

    code = c.new_code()
    hashed = c.code_hash(c.normalize(code))
    submission = SimpleNamespace(code_hash=hashed, verifiers=c.verifiers_for(hashed, phone="13800000001"))

    def checks():
        for _ in range(2000):
            assert c.verifies(submission, "0001")
            c.code_hash(c.normalize(code))

    return report("query codes: 2,000 checks", best_of(repeat, checks), 1.0)


def folding(repeat):
    """Segmenting a text of 112,000 characters (was
    test_a_text_of_100000_characters_costs_bounded_time)."""
    from xinfang.nlp.text import tokens

    text = "反映小区物业乱收停车费问题。" * 8000
    tokens("预热")  # the dictionary loads once per process
    runs = iter(range(10**6))

    def cut():
        # A different text each time: the prepared text of a recent one is cached.
        assert tokens(f"第{next(runs)}次。" + text)

    return report("text: segmenting 112,000 characters", best_of(repeat, cut), 5.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["suggest", "codes", "folding", "all"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    chosen = ["suggest", "codes", "folding"] if args.what == "all" else [args.what]
    results = [globals()[name](args.repeat) for name in chosen]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
