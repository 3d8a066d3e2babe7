"""One dictionary for every process: a text and a query are cut the same way whatever
the process did before (loaded a suggestion model, served other requests, started a
minute ago), because the words come from the database, at the version it holds.

The defect this pins (issue #17): `query_words("竹岭村 财务")` gave ['竹岭', '村', '财务']
until the process loaded the suggestion model, and ['竹岭村', '财务'] after, so the same
search answered 0 cases in one gunicorn worker and 4 in another."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from xinfang.nlp import index
from xinfang.nlp.models import DictionaryState, Term
from xinfang.nlp.search import query_words
from xinfang.nlp.services import MODELS, suggest
from xinfang.nlp.text import SEGMENTER, Segmenter, tokens

ROOT = Path(__file__).resolve().parents[3]


def test_loading_the_suggestion_model_does_not_change_how_a_query_is_cut(units):
    SEGMENTER.stale()
    before = query_words("竹岭村 财务")

    MODELS.cold_start()
    suggest(title="竹岭村村务财务长期不公开", content="请求县里督促公开")

    assert query_words("竹岭村 财务") == before == ["竹岭村", "财务"]


def test_a_fresh_process_cuts_a_query_with_the_deployments_words(units):
    fresh = Segmenter()  # a process that has done nothing yet
    assert "竹岭村" in [w for w in fresh.tokenizer().cut("竹岭村财务")]


def test_a_change_made_by_another_process_is_seen_at_the_next_cut(db):
    """Another process adds a word: this one has no signal of it, only the database."""
    text = "锦绣华庭小区停车难"
    assert "锦绣华庭" not in tokens(text)
    Term.objects.bulk_create([Term(word="锦绣华庭", kind="place")])  # no signals, as in another process
    assert "锦绣华庭" not in tokens(text)  # the version is unchanged: nothing tells us

    DictionaryState.objects.update_or_create(pk=1, defaults={"version": 99})  # what the other process's save did

    assert "锦绣华庭" in tokens(text)


def test_a_word_change_is_a_new_version_and_a_rollback_is_not(db):
    from django.db import transaction

    start = DictionaryState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    cut = tokens("碧桂雅苑停水三天")
    Term.objects.create(word="金域蓝湾", kind="place")
    assert DictionaryState.objects.get(pk=1).version == start + 1

    with pytest.raises(RuntimeError), transaction.atomic():
        Term.objects.create(word="碧桂雅苑", kind="place")
        raise RuntimeError
    assert DictionaryState.objects.get(pk=1).version == start + 1
    assert tokens("碧桂雅苑停水三天") == cut


def test_texts_indexed_before_a_word_was_added_are_found_after(letter, people):
    from xinfang.cases.models import Case
    from xinfang.nlp.search import search_filter

    _, case = letter(title="翡翠湖畔小区物业乱收费", content="翡翠湖畔小区物业公司每月多收费用。")
    term = Term.objects.create(word="翡翠湖畔", kind="place")

    assert index.reindex_words([term.word]) == 1  # what the task queued by the save does

    found = Case.objects.filter(search_filter("翡翠湖畔 物业", people["dengji"]))
    assert list(found.values_list("pk", flat=True)) == [case.pk]


def test_saving_a_term_queues_the_texts_that_hold_it(db, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("xinfang.nlp.tasks.reindex_words_task", lambda words: queued.append(words))
    with django_capture_on_commit_callbacks(execute=True):
        term = Term.objects.create(word="云栖雅苑", kind="place")
    with django_capture_on_commit_callbacks(execute=True):
        term.word = "云栖雅居"
        term.save()
    with django_capture_on_commit_callbacks(execute=True):
        term.kind = "org"
        term.save()  # no change to its words: nothing to index again

    assert queued == [["云栖雅苑"], ["云栖雅居", "云栖雅苑"]]


SEARCH = """
import json, sys, django
django.setup()
from xinfang.cases.models import Case
from xinfang.nlp.search import query_words, search_filter
from xinfang.org.models import User
if sys.argv[1] == "after-suggest":
    from xinfang.nlp.services import suggest
    suggest(title="竹岭村村务财务长期不公开", content="请求县里督促公开")
user = User.objects.get(username="dengji")
ids = sorted(Case.objects.filter(search_filter("竹岭村 财务", user)).values_list("number", flat=True))
print(json.dumps({"words": query_words("竹岭村 财务"), "cases": ids}, ensure_ascii=False))
"""


def _database_env():
    settings = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL")}
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = settings["NAME"]
    else:
        env["DATABASE_URL"] = (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
                               f"{settings['NAME']}")
    return env


@pytest.mark.django_db(transaction=True)
def test_two_fresh_processes_with_different_histories_give_the_same_answer(units, people, indexed, tmp_path):
    from xinfang.intake.services import PetitionIn, register

    with indexed():
        _, case = register(actor=people["dengji"], data=PetitionIn(
            channel="visit", receiving_unit=people["dengji"].unit, title="竹岭村村务财务长期不公开",
            content="竹岭村的财务账目多年没有公开，请求县里督促公开。", kind="grievance", petitioners=[]))
    env = _database_env() | {"DJANGO_SETTINGS_MODULE": "xinfang.settings", "XINFANG_VAR_DIR": str(tmp_path / "var"),
                             "PYTHONPATH": str(ROOT)}
    answers = []
    for history in ("fresh", "after-suggest"):
        run = subprocess.run([sys.executable, "-c", SEARCH, history], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        answers.append(run.stdout.strip().splitlines()[-1])

    assert answers[0] == answers[1]
    assert case.number in answers[0] and '"竹岭村"' in answers[0]
