import hashlib
import json

import time_machine

from xinfang.api.models import ApiToken
from xinfang.conftest import PASSWORD

from .conftest import error_of


def ask_token(client, username, password):
    return client.post("/api/v1/auth/token", json.dumps({"username": username, "password": password}), content_type="application/json")


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_it_issues_a_token_for_the_right_password_and_stores_only_its_hash(client, people):
    response = ask_token(client, "dengji", PASSWORD)

    assert response.status_code == 201
    body = response.json()
    assert body["expires_at"] == "2026-03-02T22:00:00+08:00"  # API_TOKEN_TTL_HOURS = 12, in local time
    row = ApiToken.objects.get(user=people["dengji"])
    assert row.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {row.key_hash, str(row.pk)}


def test_the_token_opens_the_api(client, people, register_case):
    token = ask_token(client, "dengji", PASSWORD).json()["token"]

    case = register_case()

    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["items"]]
    assert numbers == [case.number]  # the clerk's own unit's case, seen as that clerk
    without = client.get("/api/v1/cases")
    assert without.status_code == 401 and error_of(without)["code"] == "unauthorized"


def test_it_refuses_a_wrong_password(client, people):
    response = ask_token(client, "dengji", PASSWORD + "x")

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_user_with_the_same_answer(client, people):
    wrong_password = ask_token(client, "dengji", "not-the-password").json()
    unknown_user = ask_token(client, "nobody", "not-the-password").json()

    assert unknown_user == wrong_password


def test_it_refuses_an_inactive_user_with_the_right_password(client, people):
    people["dengji"].is_active = False
    people["dengji"].save(update_fields=["is_active"])

    response = ask_token(client, "dengji", PASSWORD)

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_it_asks_for_both_username_and_password(client, people):
    response = client.post("/api/v1/auth/token", json.dumps({"username": "dengji"}), content_type="application/json")

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"password": "此项必填 / This field is required."}
