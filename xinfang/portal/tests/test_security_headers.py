"""The public site on the internet: a strict Content-Security-Policy and no caching on
its pages and API, CSRF on its forms, and no stack trace on any error."""

import re

import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/portal/", "/portal/submit/", "/portal/follow/", "/portal/guide/", "/portal/reception/",
                                  "/portal/figures/"])
def test_every_page_has_a_strict_policy_and_no_inline_script_or_style(client, units, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", page), "inline style or handler"


def test_the_public_api_has_a_policy_and_the_staff_pages_are_left_alone(client, db):
    assert client.get("/api/v1/public/units")["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "Content-Security-Policy" not in client.get("/login/")


def test_a_form_post_without_the_csrf_token_is_refused_in_the_portals_words(units):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/portal/follow/", {"code": "XF-0000-0000-0000-0000"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()
    assert "Content-Security-Policy" in response


def test_an_unexpected_error_shows_no_stack_trace(client, db, monkeypatch):
    from xinfang.portal import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.info, "time_limits", boom)
    client.raise_request_exception = False
    response = client.get("/portal/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internals" not in body and "Traceback" not in body
