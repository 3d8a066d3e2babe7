"""documents.delivery on its own (no case flow): one current record per document, a
correction needs a reason and keeps the record it replaces, the current state of many
documents in one query, and the database's own guard against two current records."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from xinfang.documents import delivery
from xinfang.documents.models import Delivery, Document
from xinfang.lib.errors import Invalid

from . import factories

pytestmark = pytest.mark.time_machine("2026-09-03 10:00 +0800", tick=False)


@pytest.fixture
def notice(register_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return factories.notice(register_case(), "accept_notice", issued_at=datetime.datetime(2026, 8, 31, 10, tzinfo=datetime.timezone.utc))


def test_a_correction_needs_a_reason_and_keeps_the_old_record(notice, people):
    first, previous = delivery.record(document=notice, channel="online", delivered_on="2026-09-03", actor=people["dengji"])
    assert previous is None and delivery.current(notice) == first
    with pytest.raises(Invalid) as refused:
        delivery.correct(document=notice, reason=" ", channel="post", delivered_on="2026-09-02", proof=factories.scan())
    assert "reason" in refused.value.fields and Delivery.objects.count() == 1
    second, previous = delivery.correct(document=notice, reason="以回证日期为准", channel="post", delivered_on="2026-09-02",
                                        proof=factories.scan(), actor=people["dengji"])
    first.refresh_from_db()
    assert previous == first and first.superseded_at is not None and delivery.current(notice) == second
    assert [r.pk for r in delivery.history_for([notice.pk])[notice.pk]] == [first.pk, second.pk]


def test_the_current_delivery_of_many_documents_in_one_query(notice, django_assert_num_queries):
    other = factories.notice(Document.objects.get(pk=notice.pk).subject, "opinion", issued_at=notice.issued_at)
    delivery.record(document=notice, channel="announced", delivered_on=datetime.date(2026, 9, 1), note="公告栏张贴")
    with django_assert_num_queries(1):
        rows = {d.pk: (d.delivered_on, d.delivery_channel) for d in delivery.with_current(Document.objects.all())}
    assert rows == {notice.pk: (datetime.date(2026, 9, 1), "announced"), other.pk: (None, None)}


def test_the_database_holds_one_current_record_per_document(notice):
    Delivery.objects.create(document=notice, channel="online", delivered_on=datetime.date(2026, 9, 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(document=notice, channel="post", delivered_on=datetime.date(2026, 9, 2))


def test_a_refusal_says_which_field_in_chinese_then_english(notice):
    with pytest.raises(Invalid) as refused:
        delivery.record(document=notice, channel="online", delivered_on="2026-08-30")
    message = refused.value.message
    assert message.startswith("送达登记有误：送达日期不能早于文书制发日期（2026-08-31）") and message.count(" / ") == 1
    assert message.endswith("before the document was issued (2026-08-31).")
