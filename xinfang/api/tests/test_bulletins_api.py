"""The bulletin routes: list, create, detail (lines with the matters behind each figure,
read on opening by a named unit), regenerate, publish, delete, the files; every refusal
in the documented error shape, with nothing changed."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from xinfang.supervision import bulletins
from xinfang.supervision.models import Bulletin, BulletinReceipt, BulletinStatus
from xinfang.supervision.tests.bulletin_world import world  # noqa: F401 - the fixture

from .conftest import error_of

pytestmark = pytest.mark.django_db


def _body(units, world, **extra):
    return {"unit": units["county"].code, "period_kind": "custom", "start": world["start"].isoformat(),
            "end": world["end"].isoformat(), **extra}


def test_create_answers_the_draft_with_every_figure_equal_to_its_list(api_as, units, world):
    answer = api_as("ducha").post("/bulletins", _body(units, world, note="限期整改"))
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "draft" and body["number"] == "" and body["note"] == "限期整改"
    assert (body["overdue_total"], body["sent_back_total"], body["reminded_total"]) == (2, 1, 2)
    for line in body["lines"]:
        for figure in ("overdue", "sent_back", "reminded"):
            assert line[figure] == len(line["items"][figure])
    for figure in ("overdue", "sent_back", "reminded"):
        assert body[f"{figure}_total"] == sum(line[figure] for line in body["lines"])
    qingshan = next(line for line in body["lines"] if line["unit"] == units["qingshan"].code)
    assert qingshan["items"]["overdue"][0]["title"] == "青山乡道路积水问题督办"
    bureau = next(line for line in body["lines"] if line["unit"] == units["bureau"].code)
    assert bureau["items"]["overdue"][0]["number"] == world["case_a"].number


@pytest.mark.parametrize("who, change, status, code", [
    ("ducha", {"end": "2026-01-01", "start": "2026-02-01"}, 422, "end_before_start"),
    ("ducha", {"end": "2099-01-01"}, 422, "period_in_future"),
    ("ducha", {"start": "1900-01-01"}, 422, "invalid"),
    ("ducha", {"unit": "341100"}, 403, "out_of_scope"),
    ("ducha", {"unit": "nope"}, 422, "invalid"),
    ("ducha", {"period_kind": "yearly"}, 422, "invalid"),
    ("ducha", {"start": "2026-1-1"}, 422, "invalid"),
    ("ducha", {"surprise": 1}, 422, "invalid"),
    ("dengji", {}, 403, "forbidden"),
    ("qs_fuzeren", {}, 403, "out_of_scope"),
])
def test_create_refusals_make_nothing(api_as, units, world, who, change, status, code):
    answer = api_as(who).post("/bulletins", _body(units, world, **change))
    assert answer.status_code == status, answer.json()
    assert error_of(answer)["code"] == code
    assert not Bulletin.objects.exists()


def test_publish_then_a_named_unit_reads_it_on_opening(api_as, people, units, world):
    created = api_as("ducha").post("/bulletins", _body(units, world)).json()
    township = api_as("qs_fuzeren")
    assert error_of(township.get(f"/bulletins/{created['id']}"))["code"] == "not_found"  # a draft
    published = api_as("ducha").post(f"/bulletins/{created['id']}/publish")
    assert published.status_code == 200
    body = published.json()
    assert body["status"] == "published" and "信通报〔" in body["number"]
    assert (body["receipts"], body["read"]) == (3, 0)
    listed = township.get("/bulletins").json()
    assert [b["id"] for b in listed] == [created["id"]] and listed[0]["read"] == 0
    opened = township.get(f"/bulletins/{created['id']}").json()
    mine = next(r for r in opened["receipt_list"] if r["unit"] == units["qingshan"].code)
    assert mine["read_by"] == "冯乡长" and mine["read_at"]
    assert BulletinReceipt.objects.get(unit=units["qingshan"]).read_by == people["qs_fuzeren"]
    again = api_as("ducha").post(f"/bulletins/{created['id']}/publish")
    assert again.status_code == 409 and error_of(again)["code"] == "published"
    assert error_of(api_as("ducha").delete(f"/bulletins/{created['id']}"))["code"] == "published"
    assert error_of(api_as("ducha").post(f"/bulletins/{created['id']}/regenerate", {}))["code"] == "published"
    assert Bulletin.objects.get().status == BulletinStatus.PUBLISHED


def test_a_named_reader_may_not_publish_or_delete(api_as, people, units, world):
    draft = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom", start=world["start"], end=world["end"])
    assert error_of(api_as("dengji").post(f"/bulletins/{draft.pk}/publish"))["code"] == "not_found"
    bulletins.publish(draft, actor=people["ducha"])
    answer = api_as("dengji").delete(f"/bulletins/{draft.pk}")  # the bureau is named: dengji reads it, but is no supervisor
    assert answer.status_code == 403 and error_of(answer)["code"] == "forbidden"
    assert error_of(api_as("cg_fuzeren").get(f"/bulletins/{draft.pk}"))["code"] == "not_found"
    assert Bulletin.objects.filter(pk=draft.pk).exists()


def test_regenerate_and_delete_a_draft(api_as, units, world):
    api = api_as("ducha")
    created = api.post("/bulletins", _body(units, world)).json()
    again = api.post(f"/bulletins/{created['id']}/regenerate", {"note": "新的意见"})
    assert again.status_code == 200 and again.json()["note"] == "新的意见"
    assert api.delete(f"/bulletins/{created['id']}").status_code == 204
    assert not Bulletin.objects.exists()
    assert error_of(api.get(f"/bulletins/{created['id']}"))["code"] == "not_found"


def test_the_files(api_as, units, world):
    api = api_as("ducha")
    created = api.post("/bulletins", _body(units, world)).json()
    word = api.get(f"/bulletins/{created['id']}/docx")
    assert word.status_code == 200 and word["Content-Type"].endswith("wordprocessingml.document")
    assert [c.text for c in Document(io.BytesIO(word.content)).tables[0].rows[-1].cells][1:] == ["合计", "2", "1", "2"]
    book = load_workbook(io.BytesIO(api.get(f"/bulletins/{created['id']}/xlsx").content))
    assert [book[s].max_row - 1 for s in ("逾期未结", "退回补办", "催办")] == [2, 1, 2]
    assert error_of(api_as("cg_fuzeren").get(f"/bulletins/{created['id']}/xlsx"))["code"] == "not_found"


def test_the_routes_are_in_the_openapi_document(api_as):
    schema = api_as().get("/openapi.json").json()
    paths = schema["paths"]
    for route in ("/api/v1/bulletins", "/api/v1/bulletins/{id}", "/api/v1/bulletins/{id}/publish", "/api/v1/bulletins/{id}/regenerate",
                  "/api/v1/bulletins/{id}/docx", "/api/v1/bulletins/{id}/xlsx"):
        assert route in paths, route
    assert "409" in paths["/api/v1/bulletins/{id}/publish"]["post"]["responses"]


def test_without_a_token_it_is_401(api_as):
    answer = api_as().get("/bulletins")
    assert answer.status_code == 401 and error_of(answer)
