"""The bulletin screens: list, generate, the bulletin page with its figures linked to
their lists (row count equals the figure), downloads, publish, receipts; refusals."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from xinfang.supervision import bulletins
from xinfang.supervision.models import Bulletin, BulletinReceipt, BulletinStatus

from .bulletin_world import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _make(people, units, world):
    return bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom", start=world["start"], end=world["end"])


def test_a_supervisor_generates_a_bulletin_from_the_form(login, units, world):
    client = login("ducha")
    page = client.get("/supervision/bulletins/new/")
    assert page.status_code == 200 and "生成通报" in page.content.decode()
    answer = client.post("/supervision/bulletins/new/", {"period_kind": "custom", "start": world["start"].isoformat(),
                                                         "end": world["end"].isoformat(), "unit": units["county"].code,
                                                         "note": "限期整改"})
    bulletin = Bulletin.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/supervision/bulletins/{bulletin.pk}/"
    assert bulletin.note == "限期整改" and bulletin.created_by.username == "ducha"


def test_the_form_says_why_it_refused_and_makes_nothing(login, units, world):
    client = login("ducha")
    answer = client.post("/supervision/bulletins/new/", {"period_kind": "custom", "start": world["end"].isoformat(),
                                                         "end": world["start"].isoformat(), "unit": units["county"].code})
    assert answer.status_code == 422 and "截止日期不能早于起始日期" in answer.content.decode()
    answer = client.post("/supervision/bulletins/new/", {"period_kind": "monthly", "start": "2026-01-01", "unit": units["city"].code})
    assert answer.status_code == 422 and "不在您的管辖范围内" in answer.content.decode()
    assert not Bulletin.objects.exists()
    assert login("dengji").get("/supervision/bulletins/new/").status_code == 403
    assert login("dengji").post("/supervision/bulletins/new/", {"period_kind": "monthly", "start": "2026-01-01",
                                                                "unit": units["county"].code}).status_code == 403
    assert not Bulletin.objects.exists()


def test_every_figure_links_to_a_list_of_as_many_rows(login, people, units, world):
    bulletin = _make(people, units, world)
    client = login("ducha")
    html = client.get(f"/supervision/bulletins/{bulletin.pk}/").content.decode()
    links = re.findall(r'href="(/supervision/bulletins/\d+/figures/\w+/(?:\?unit=\d+)?)" data-figure="\w+">(\d+)</a>', html)
    assert len(links) == 4 + 3  # the nonzero figures of the three lines (bureau 1, 青山乡 1 and 2, 河口镇 1) and the totals
    for href, figure in links:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert listed.count('data-testid="figure-item"') == int(figure), href


def test_the_downloads_open_with_the_figures(login, people, units, world):
    bulletin = _make(people, units, world)
    client = login("ducha")
    word = client.get(f"/supervision/bulletins/{bulletin.pk}/bulletin.docx")
    assert word.status_code == 200 and "attachment" in word["Content-Disposition"]
    table = Document(io.BytesIO(word.content)).tables[0]
    assert [c.text for c in table.rows[-1].cells][1:] == ["合计", "2", "1", "2"]
    book = load_workbook(io.BytesIO(client.get(f"/supervision/bulletins/{bulletin.pk}/bulletin.xlsx").content))
    assert book["逾期未结"].max_row - 1 == 2


def test_publish_then_a_township_reads_and_the_supervisor_sees_the_receipt(login, people, units, world):
    bulletin = _make(people, units, world)
    assert login("ducha").post(f"/supervision/bulletins/{bulletin.pk}/publish/").status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    township = login("qs_fuzeren")
    listed = township.get("/supervision/bulletins/").content.decode()
    assert bulletin.title in listed and 'data-testid="unread-badge"' in listed
    page = township.get(f"/supervision/bulletins/{bulletin.pk}/").content.decode()
    assert "已记录本单位阅读回执" in page
    receipt = BulletinReceipt.objects.get(bulletin=bulletin, unit=units["qingshan"])
    assert receipt.read_by == people["qs_fuzeren"]
    supervisor = login("ducha").get(f"/supervision/bulletins/{bulletin.pk}/").content.decode()
    assert "冯乡长" in supervisor and "已读 2/3" in supervisor  # 青山乡, and the bureau (named) by the supervisor's own opening
    assert "已读 2/3" in login("ducha").get("/supervision/bulletins/").content.decode()


def test_outsiders_get_404_and_drafts_stay_with_the_supervisors(login, people, units, world):
    bulletin = _make(people, units, world)
    for who in ("qs_fuzeren", "cg_fuzeren"):
        client = login(who)
        for url in ("", "bulletin.docx", "bulletin.xlsx", "figures/overdue/"):
            assert client.get(f"/supervision/bulletins/{bulletin.pk}/{url}").status_code == 404
        assert client.post(f"/supervision/bulletins/{bulletin.pk}/publish/").status_code == 404
        assert client.post(f"/supervision/bulletins/{bulletin.pk}/delete/").status_code == 404
    assert "暂无通报" in login("cg_fuzeren").get("/supervision/bulletins/").content.decode()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT
    assert login("ducha").get(f"/supervision/bulletins/{bulletin.pk}/figures/nothing/").status_code == 404


def test_a_published_bulletin_cannot_be_deleted_from_its_page(login, people, units, world):
    bulletin = bulletins.publish(_make(people, units, world), actor=people["ducha"])
    client = login("ducha")
    answer = client.post(f"/supervision/bulletins/{bulletin.pk}/delete/", follow=True)
    assert "通报已发布，不能删除" in answer.content.decode()
    assert Bulletin.objects.filter(pk=bulletin.pk).exists()


def test_the_navigation_leads_to_the_bulletins(login):
    html = login("qs_fuzeren").get("/supervision/bulletins/").content.decode()
    assert 'href="/supervision/bulletins/"' in html and "通报" in html


def test_a_draft_is_edited_and_counted_again_from_its_page(login, people, units, world):
    bulletin = _make(people, units, world)
    client = login("ducha")
    assert 'data-testid="edit-draft"' in client.get(f"/supervision/bulletins/{bulletin.pk}/").content.decode()
    answer = client.post(f"/supervision/bulletins/{bulletin.pk}/regenerate/", {"title": "十一月通报", "note": "新的要求"}, follow=True)
    assert "已按最新数据重新生成" in answer.content.decode()
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.note) == ("十一月通报", "新的要求")
    answer = client.post(f"/supervision/bulletins/{bulletin.pk}/regenerate/", {"note": "长" * 5001}, follow=True)
    assert "通报意见不超过5000字" in answer.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.note == "新的要求"
