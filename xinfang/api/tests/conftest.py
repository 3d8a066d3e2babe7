import json

import pytest

from xinfang.api.services import issue_token

BASE = "/api/v1"


class ApiClient:
    """The Django test client speaking JSON to /api/v1/, with one person's token."""

    def __init__(self, client, token=None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, params=None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path, body=None, *, raw=None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(BASE + path, data, content_type="application/json", headers=self.headers)

    def delete(self, path):
        return self.client.delete(BASE + path, headers=self.headers)


@pytest.fixture
def api_as(client, people):
    """api_as("dengji") is an ApiClient holding a fresh token of that named person;
    api_as() has no token."""

    def make(username=None):
        token = issue_token(user=people[username])[0] if username else None
        return ApiClient(client, token)

    return make


def error_of(response):
    """The error object of a rejected request, after checking the documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert " / " in body["error"]["message"], "messages are Chinese / English"
    return body["error"]


@pytest.fixture
def routed_case(register_case, people):
    """A letter registered at the county bureau by `dengji`, accepted there and
    assigned to 城关镇: never near 青山乡."""
    from xinfang.cases.services import perform

    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    return perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
