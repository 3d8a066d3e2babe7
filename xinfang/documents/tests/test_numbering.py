"""文号: one yearly sequence per unit and series, gapless and unique with many clerks."""

import threading

import pytest
import time_machine
from django.db import connection, transaction

from xinfang.documents.kinds import DocKind
from xinfang.documents.models import NumberSequence
from xinfang.documents.services import next_number

K = DocKind


@pytest.mark.django_db
def test_numbers_run_per_unit_series_and_year(units):
    bureau, town = units["bureau"], units["chengguan"]
    assert next_number(bureau, K.ACCEPT_NOTICE, 2026) == "安宁县信访局信告〔2026〕1号"
    assert next_number(bureau, K.DECLINE_NOTICE, 2026) == "安宁县信访局信告〔2026〕2号"  # notices share the 告 series
    assert next_number(bureau, K.OPINION, 2026) == "安宁县信访局信复〔2026〕1号"
    assert next_number(bureau, K.ASSIGN_FORM, 2026) == "安宁县信访局信交〔2026〕1号"
    assert next_number(town, K.ACCEPT_NOTICE, 2026) == "城关镇人民政府信告〔2026〕1号"
    assert next_number(bureau, K.ACCEPT_NOTICE, 2027) == "安宁县信访局信告〔2027〕1号"


@pytest.mark.django_db
def test_a_unit_with_a_short_name_uses_it(units):
    bureau = units["bureau"]
    bureau.short_name = "安信"
    bureau.save()
    assert next_number(bureau, K.REVIEW_OPINION, 2026) == "安信信复查〔2026〕1号"


@pytest.mark.django_db
def test_a_number_given_in_a_transaction_that_rolls_back_is_given_again(units):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            next_number(units["bureau"], K.ACCEPT_NOTICE, 2026)
            raise RuntimeError("the step failed")
    assert next_number(units["bureau"], K.ACCEPT_NOTICE, 2026).endswith("〕1号")


@pytest.mark.django_db(transaction=True)
@time_machine.travel("2026-12-03 10:00 +0800", tick=False)
def test_clerks_numbering_at_once_get_distinct_gapless_numbers(units):
    bureau = units["bureau"]
    barrier = threading.Barrier(4)
    results = [None] * 4

    def worker(i):
        try:
            barrier.wait()
            numbers = []
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(next_number(bureau, K.ACCEPT_NOTICE, 2026))
            results[i] = numbers
        except Exception as exc:  # the error is part of the result
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not [r for r in results if not isinstance(r, list)], results
    numbers = [n for batch in results for n in batch]
    assert sorted(int(n.split("〕")[1].removesuffix("号")) for n in numbers) == list(range(1, 21))
    assert NumberSequence.objects.get(unit=bureau, year=2026, series="告").last == 20
