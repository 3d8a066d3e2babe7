"""The full-text index holds petitioners' names (for those who may see them), never
their ID numbers, phones or addresses: those are encrypted and found only by hash."""

import pytest

from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.nlp.models import SearchDocument

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)
PERSON = {"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "竹岭村七组桂花巷"}


def test_the_index_holds_no_number_or_address_and_an_address_finds_nothing(letter, people):
    _, case = letter(title="补偿款未发放", content="承包地被征收，补偿款至今未发放。", petitioners=[PERSON])

    document = SearchDocument.objects.get(case=case)
    for value in ("11010519491231002X", "13800000001", "桂花巷", "竹岭村"):
        assert value not in document.body and value not in document.names
    for value in ("桂花巷", "竹岭村"):
        assert list(filter_cases(people["dengji"], CaseFilter(q=value))) == []
    # The numbers find the person through their lookup hashes (cases.filters.person_filter).
    for value in ("11010519491231002X", "13800000001"):
        assert [c.number for c in filter_cases(people["dengji"], CaseFilter(q=value))] == [case.number]
    assert [c.number for c in filter_cases(people["dengji"], CaseFilter(q="刘某"))] == [case.number]


def test_the_same_petitioner_is_still_found_for_similar_petitions_by_hash(letter, people):
    from xinfang.nlp.services import similar_petitions

    _, first = letter(petitioners=[PERSON])
    found = similar_petitions(actor=people["dengji"], title="另一件事", content="邻居占用宅基地。",
                              petitioners=[{"id_number": "11010519491231002x"}])
    assert [s.case for s in found] == [first] and found[0].reasons == ["same_petitioner"]
