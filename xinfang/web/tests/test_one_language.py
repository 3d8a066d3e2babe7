"""Pages show a service message ("中文 / English") in one language — Chinese unless the
public site is read in English — while the API keeps both halves."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinfang.lib.errors import for_page, halves
from xinfang.portal.models import Challenge
from xinfang.portal.tests.conftest import CONTENT

from .test_register_form import form_data

ENGLISH = re.compile(r"(At most|is not allowed|This field|Some fields|Choose|not valid|is required|The [a-z]+ )")


@pytest.mark.parametrize("message, chinese, english", [
    ("代表人数不超过5人（第二十条）/ At most 5 representatives (Art. 20).", "代表人数不超过5人（第二十条）", "At most 5 representatives (Art. 20)."),
    ("附件“a.exe”的类型不允许（仅限图片、PDF、Office文档、音视频）/ This file type is not allowed.",
     "附件“a.exe”的类型不允许（仅限图片、PDF、Office文档、音视频）", "This file type is not allowed."),
    ("请选择信访渠道 / Choose a channel: letter|visit", "请选择信访渠道", "Choose a channel: letter|visit"),
    ("本单位/部门 / Your unit", "本单位/部门", "Your unit"),
    ("1–30", "1–30", ""),
])
def test_a_message_splits_at_the_slash_before_the_english_however_it_is_spaced(message, chinese, english):
    assert halves(message) == (chinese, english)
    assert for_page(message, "zh-hans") == chinese
    assert for_page(message, "en") == (english or chinese)


def test_the_register_page_shows_the_representatives_and_file_type_errors_in_chinese_only(login):
    client = login("dengji")
    six = {f"p-{i}-{k}": v for i in range(6) for k, v in (("name", f"代表{i}"), ("is_representative", "on"))}
    response = client.post(reverse("web:register"), form_data(**six, **{"p-TOTAL_FORMS": "6", "headcount": "8"}))
    page = response.content.decode()
    assert response.status_code == 422 and "代表人数不超过5人（第二十条）" in page
    assert "Art. 20" not in page and not ENGLISH.search(page)

    exe = SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = client.post(reverse("web:register"), {**form_data(), "attachments": [exe]})
    page = response.content.decode()
    assert "的类型不允许" in page and "is not allowed" not in page


def test_the_api_keeps_both_halves(client, people):
    from xinfang.api.services import issue_token

    token = issue_token(user=people["dengji"])[0]
    body = {"channel": "letter", "receiving_unit": "341122-XFJ", "title": "t", "content": "c", "kind": "grievance",
            "petitioners": [{"name": f"代表{i}", "is_representative": True} for i in range(6)]}
    answer = client.post("/api/v1/petitions", body, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"}).json()
    assert "（第二十条）/ At most 5 representatives" in str(answer)


def test_the_public_site_shows_one_language_in_chinese_and_in_english(client, units):
    page = client.get("/portal/submit/").content.decode()
    key = re.search(r'name="captcha_key" value="([^"]+)"', page)[1]
    idem = re.search(r'name="idempotency_key" value="([^"]+)"', page)[1]
    data = dict(kind="grievance", name="", phone="12345", unit="341122-XFJ", content=CONTENT, consent="on",
                captcha_key=key, captcha=Challenge.objects.get(key=key).answer, idempotency_key=idem)
    chinese = client.post("/portal/submit/", data).content.decode()
    assert "请填写11位手机号码" in chinese and "Enter an 11-digit" not in chinese

    client.post("/portal/language/", {"language": "en", "next": "/portal/submit/"})
    english = client.post("/portal/submit/", data).content.decode()
    assert "Enter an 11-digit mobile number" in english and "请填写11位手机号码" not in english
