"""A form posted with a body over the upload limit answers 413 with a page in Chinese
(staff pages, the public site, the login page), not Django's English "Bad Request" or a
500; nothing is saved."""

import pytest
from django.test import override_settings
from django.urls import reverse

from xinfang.intake.models import Petition

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
@pytest.mark.parametrize("url", [reverse("web:login"), reverse("portal:submit"), reverse("web:register")])
def test_a_form_over_the_limit_answers_413_with_a_chinese_page(client, people, url):
    client.force_login(people["dengji"])

    response = client.post(url, {"title": "x", "content": "长" * LIMIT})

    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "0.0625 MB" in page
    assert '<html lang="zh-CN">' in page
    assert Petition.objects.count() == 0


def test_another_refused_request_answers_a_chinese_400_page(client, people):
    # More form fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: refused before the view.
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5):
        response = client.post(reverse("web:login"), {f"f{i}": "x" for i in range(10)})

    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()
