"""The bell polls every minute, but a poll is no activity: an open tab does not keep an
unattended session past the idle limit (SESSION_IDLE_TIMEOUT, 30 minutes); when the
limit has passed, the poll sends the whole page to the login."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, people, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800", tick=False)
    client.force_login(people["dengji"])
    assert client.get(reverse("web:my_work")).status_code == 200
    return client


def test_polls_alone_do_not_keep_the_session(signed_in, time_machine):
    for minute in range(1, 31):
        time_machine.move_to(f"2026-03-02 09:{minute:02d}:30 +0800")
        response = signed_in.get("/notify/bell/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/work/"})
        if minute < 30:
            assert response.status_code == 200 and "HX-Redirect" not in response
    assert response["HX-Redirect"] == reverse("web:login") + "?next=/work/"
    assert signed_in.get(reverse("web:my_work")).status_code == 302  # signed out


def test_a_real_request_still_restarts_the_clock(signed_in, time_machine):
    time_machine.move_to("2026-03-02 09:20 +0800")
    assert signed_in.get(reverse("web:search")).status_code == 200
    time_machine.move_to("2026-03-02 09:45 +0800")
    response = signed_in.get("/notify/bell/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Redirect" not in response
