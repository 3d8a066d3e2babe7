"""The public routes of API.md: no token; the answers and the errors in the API's shapes."""

import json



from .conftest import CONTENT, REPLY

BASE = "/api/v1/public"


def post(client, path, body, **headers):
    return client.post(BASE + path, json.dumps(body), content_type="application/json", headers=headers)


def error_of(response):
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def petition(client, **overrides):
    challenge = client.get(BASE + "/captcha").json()
    from xinfang.portal.models import Challenge

    answer = Challenge.objects.get(key=challenge["key"]).answer
    body = dict(kind="grievance", name="刘某", phone="13800000001", unit="341122-XFJ", content=CONTENT, consent=True,
                captcha_key=challenge["key"], captcha_answer=answer)
    body.update(overrides)
    return body


def test_a_petition_is_submitted_without_a_token_and_answers_its_code_once(client, units):
    response = post(client, "/petitions", petition(client), **{"Idempotency-Key": "a" * 24})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["query_code"].startswith("XF-") and body["replayed"] is False and body["needs_verify"] is True
    assert body["case"]["status"] == "registered" and body["case"]["unit"] == "安宁县信访局"


def test_a_retried_request_with_the_same_key_answers_the_same_code(client, units):
    body = petition(client)
    first = post(client, "/petitions", body, **{"Idempotency-Key": "retry-key-0000000001"})
    second = post(client, "/petitions", body, **{"Idempotency-Key": "retry-key-0000000001"})
    assert first.status_code == second.status_code == 201
    assert first.json()["query_code"] == second.json()["query_code"] and second.json()["replayed"] is True


def test_bad_input_answers_422_in_the_error_shape_with_fields(client, units):
    response = post(client, "/petitions", petition(client, kind="grievance", name="", phone="", content="短"))
    assert response.status_code == 422
    assert {"name", "phone", "content"} <= set(error_of(response)["fields"])
    response = post(client, "/petitions", {**petition(client), "surprise": 1})
    assert response.status_code == 422 and "surprise" in error_of(response)["fields"]


def test_following_needs_the_code_and_the_last_four_digits(client, submit_online, replied):
    receipt = submit_online()
    replied(receipt.case)
    missing = client.get(f"{BASE}/cases/{receipt.code}")
    assert missing.status_code == 422 and error_of(missing)["code"] == "verifier_required"
    wrong = client.get(f"{BASE}/cases/{receipt.code}", {"verify": "9999"})
    assert wrong.status_code == 404
    right = client.get(f"{BASE}/cases/{receipt.code.lower()}", {"verify": "0001"})
    assert right.status_code == 200 and right.json()["replies"][0]["opinion"] == REPLY["opinion"]
    assert right["Cache-Control"] == "no-store"


def test_an_unknown_code_is_404_not_found_and_a_malformed_one_404_bad_code(client, db):
    """A path naming no case is 404 either way (the schema cannot tell a code's check
    character); the error code and message still say which it was."""
    from xinfang.portal.codes import new_code

    code = new_code()
    unknown = client.get(f"{BASE}/cases/{code}")  # well formed, its check character right, issued to no one
    assert unknown.status_code == 404
    assert error_of(unknown)["code"] == "not_found" and "查询码或验证信息不正确" in error_of(unknown)["message"]
    wrong_check = code[:-1] + ("0" if code[-1] != "0" else "1")
    for malformed in ["hello", wrong_check]:  # too short; one character off (the check character catches it)
        response = client.get(f"{BASE}/cases/{malformed}")
        assert response.status_code == 404, malformed
        error = error_of(response)
        assert error["code"] == "bad_code" and "查询码格式不正确" in error["message"] and "XF-" in error["fields"]["code"]


def test_the_petitioner_evaluates_and_asks_for_review(client, submit_online, replied):
    receipt = submit_online()
    replied(receipt.case)
    response = post(client, f"/cases/{receipt.code}/evaluation", {"verify": "0001", "satisfaction": "not_satisfied", "comment": "补偿偏低"})
    assert response.status_code == 201, response.content
    assert response.json()["evaluations"][0]["label"] == "不满意"
    again = post(client, f"/cases/{receipt.code}/evaluation", {"verify": "0001", "satisfaction": "satisfied"})
    assert again.status_code == 409 and error_of(again)["code"] == "already_evaluated"
    response = post(client, f"/cases/{receipt.code}/review", {"verify": "0001", "reasons": "补偿标准低于规定"})
    assert response.status_code == 201 and response.json()["status"] == "review"
    event = receipt.case.events.last()
    assert event.action == "review" and event.actor is None and event.data["by"] == "petitioner"


def test_review_before_any_reply_is_refused_with_the_reason(client, submit_online):
    receipt = submit_online()
    response = post(client, f"/cases/{receipt.code}/review", {"verify": "0001", "reasons": "不服"})
    assert response.status_code == 409 and " / " in error_of(response)["message"]


def test_a_rate_limit_answers_429_with_retry_after(client, db, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "follow_ip": "2/1h"}
    for _ in range(2):
        client.get(f"{BASE}/cases/hello")
    response = client.get(f"{BASE}/cases/hello")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert error_of(response)["code"] == "throttled"


def test_the_units_list_offers_no_village_committee(client, units):
    codes = {u["code"] for u in client.get(f"{BASE}/units").json()}
    assert "341122-XFJ" in codes and "341122100" in codes and "341122200202" not in codes


def test_the_public_routes_are_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/public/petitions", "/api/v1/public/cases/{query_code}", "/api/v1/public/cases/{query_code}/evaluation",
                 "/api/v1/public/cases/{query_code}/review"]:
        assert path in paths
