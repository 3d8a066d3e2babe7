"""Property-based check of the whole API against its own OpenAPI document (schemathesis,
through WSGI, in this process), with every check schemathesis has (`--checks all`):
for every operation, generated requests — valid ones and invalid ones — never get a
5xx, every answer's status, content type, headers and body are documented, valid input
is accepted and invalid input refused. Staff routes with a registrar's token, public
routes without one; a bounded number of examples per operation
(SCHEMATHESIS_MAX_EXAMPLES) so that it runs in about a minute."""

import os
import time
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks

from xinfang.api.services import issue_token

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 8))
CHECKS = [not_a_server_error] + [getattr(openapi_checks, name) for name in (
    "status_code_conformance", "content_type_conformance", "response_headers_conformance", "response_schema_conformance",
    "negative_data_rejection", "positive_data_acceptance", "missing_required_header", "unsupported_method",
    "use_after_free", "ensure_resource_availability", "ignored_auth")]

pytestmark = pytest.mark.django_db


def settings_file():
    return Path(__file__).resolve().parents[3] / "schemathesis.toml"


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
    # The project's schemathesis.toml: the same settings as `st run` from the repository root.
    config = SchemathesisConfig.from_path(str(settings_file()))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=config)
    return [result.ok() for result in schema.get_all_operations()]


def test_generated_requests_get_no_server_error_and_match_the_documented_schemas(people, capsys, keep_connection):
    ran, failures = {}, {}
    started = time.monotonic()

    for operation in operations():
        label = f"{operation.method.upper()} {operation.path}"
        ran[label] = 0
        staff = bool(operation.definition.raw.get("security"))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                ran[label] += 1
                cache.clear()  # the rate limits would turn every later request into a 429
                # A fresh token each time: the operations under test include revoking tokens.
                headers = {"Authorization": f"Bearer {issue_token(user=people['dengji'])[0]}"} if staff else None
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # no input at all: nothing can be invalid
            except BaseException as exc:  # noqa: BLE001 - a FailureGroup is not an Exception; go on with the other operations; all failures are reported below
                failures[f"{label} ({mode.value})"] = str(exc)[:1500]

    with capsys.disabled():
        print(f"\nschemathesis: {len(ran)} operations, {sum(ran.values())} cases in {time.monotonic() - started:.1f}s")
        for label, count in ran.items():
            print(f"  {count:4d}  {label}")
    assert ran and all(ran.values())
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
