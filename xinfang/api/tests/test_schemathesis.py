"""Property-based check of the whole API against its own OpenAPI document (schemathesis,
through WSGI, in this process): for every operation, generated requests never get a
5xx, and every documented response matches its schema. Authenticated as a registrar;
a bounded number of examples per operation (SCHEMATHESIS_MAX_EXAMPLES) so that it runs
in well under two minutes."""

import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from xinfang.api.services import issue_token

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 25))
CHECKS = [not_a_server_error, response_schema_conformance]

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_connection():
    """Django closes the database connection when a WSGI request finishes; the test's
    transaction lives on that connection (the test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


def test_generated_requests_get_no_server_error_and_match_the_documented_schemas(people, capsys, keep_connection):
    ran = {}
    started = time.monotonic()

    for operation in operations():
        label = f"{operation.method.upper()} {operation.path}"
        ran[label] = 0

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            ran[label] += 1
            # A fresh token each time: the operations under test include revoking tokens.
            token, _ = issue_token(user=people["dengji"])
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        check()

    with capsys.disabled():
        print(f"\nschemathesis: {len(ran)} operations, {sum(ran.values())} cases in {time.monotonic() - started:.1f}s")
        for label, count in ran.items():
            print(f"  {count:4d}  {label}")
    assert ran and all(ran.values())
