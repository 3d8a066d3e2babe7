"""A body over the upload limit (DATA_UPLOAD_MAX_MEMORY_SIZE) answers 413 in the API's
error shape, on staff routes, public routes and the token route alike, and writes
nothing; a request just under the limit is read as usual."""

import json

import pytest
from django.test import override_settings

from xinfang.audit.models import AuditEntry
from xinfang.intake.models import Petition

from .conftest import error_of

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


def big_body():
    return json.dumps({"title": "x", "content": "长" * LIMIT})


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
@pytest.mark.parametrize("path", ["/petitions", "/cases/2026-000001/actions/accept", "/auth/token", "/public/petitions",
                                  "/public/cases/ABCD-EFGH-JKLM/evaluation"])
def test_a_body_over_the_limit_answers_413_in_the_error_shape(api_as, path):
    api = api_as("dengji")
    entries = AuditEntry.objects.count()

    response = api.post(path, raw=big_body())

    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_large" and "0.0625 MB" in error["message"]
    assert Petition.objects.count() == 0 and AuditEntry.objects.count() == entries


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_body_under_the_limit_is_read(api_as):
    response = api_as("dengji").post("/petitions", raw=json.dumps({"content": "短"}))

    assert response.status_code == 422  # read and validated, not refused for its size
