"""The submission form on the page: every field labelled, a rejection keeps what was
typed, success shows the code and a printable receipt."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.intake.models import Petition
from xinfang.portal.models import Challenge

from .conftest import CONTENT


def form_page(client):
    page = client.get("/portal/submit/").content.decode()
    key = re.search(r'name="captcha_key" value="([^"]+)"', page).group(1)
    idem = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return page, key, idem


def fields(key, idem, **overrides):
    data = dict(kind="grievance", name="刘某", phone="13800000001", unit="341122-XFJ", place="城关镇东街", content=CONTENT,
                consent="on", captcha_key=key, captcha=Challenge.objects.get(key=key).answer, idempotency_key=idem)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_every_visible_field_has_a_label(client, units):
    page, _, _ = form_page(client)
    controls = re.findall(r'<(?:input|select|textarea)\b[^>]*>', page)
    for control in controls:
        if 'type="hidden"' in control or 'type="radio"' in control:
            continue
        ident = re.search(r'id="([^"]+)"', control).group(1)
        assert f'for="{ident}"' in page, control
    for radio in re.findall(r'<input[^>]*type="radio"[^>]*>', page):
        ident = re.search(r'id="([^"]+)"', radio).group(1)
        assert f'for="{ident}"' in page, radio


def test_a_rejection_keeps_what_was_typed_and_marks_the_fields(client, units):
    _, key, idem = form_page(client)
    response = client.post("/portal/submit/", fields(key, idem, name="", phone="12345", content=CONTENT + "（续）"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "提交未成功" in page and "请填写姓名" in page and "请填写11位手机号码" in page
    assert CONTENT + "（续）" in page and 'value="12345"' in page and 'value="城关镇东街"' in page
    assert f'value="{idem}"' in page  # the same submission: a retry stays idempotent
    assert f'value="{key}"' in page  # the unused captcha is kept
    assert 'aria-invalid="true"' in page
    assert not Petition.objects.exists()


def test_a_wrong_captcha_shows_a_new_one(client, units):
    _, key, idem = form_page(client)
    response = client.post("/portal/submit/", fields(key, idem, captcha="1111"))
    page = response.content.decode()
    assert response.status_code == 422 and "验证码不正确" in page
    assert f'value="{key}"' not in page and CONTENT in page


def test_success_shows_the_code_once_and_a_receipt_to_print(client, units):
    _, key, idem = form_page(client)
    response = client.post("/portal/submit/", fields(key, idem))
    page = response.content.decode()
    assert response.status_code == 200 and "网上信访登记回执" in page and "打印登记回执" in page
    code = re.search(r'data-testid="query-code">([^<]+)<', page).group(1)
    assert code.startswith("XF-")
    # A double click sends the same form again: one petition, the same code.
    again = client.post("/portal/submit/", fields(key, idem)).content.decode()
    assert code in again and "未重复登记" in again
    assert Petition.objects.count() == 1


def test_an_attachment_that_is_not_an_image_is_refused_beside_the_field(client, units):
    _, key, idem = form_page(client)
    data = fields(key, idem)
    data["attachments"] = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post("/portal/submit/", data)
    page = response.content.decode()
    assert response.status_code == 422 and 'id="id_attachments_error"' in page and "photo.jpg" in page


def test_the_page_speaks_english_after_the_switch(client, units):
    response = client.post("/portal/language/", {"language": "en", "next": "/portal/submit/"})
    assert response.status_code == 302
    page = client.get("/portal/submit/").content.decode()
    assert "Submit a matter" in page and 'lang="en"' in page
    client.post("/portal/language/", {"language": "zh-hans", "next": "/portal/"})
    assert "我要反映" in client.get("/portal/").content.decode()
