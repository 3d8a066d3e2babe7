"""Query parameters are checked like body fields: an unknown one is refused (a misspelt
filter must not silently list every case), statuses must be known ones; and a query
code that cannot be one names nothing: 404, like a code that does not exist."""

import pytest

from .conftest import error_of

pytestmark = pytest.mark.django_db


def test_an_unknown_filter_is_refused_by_name(api_as):
    response = api_as("dengji").get("/cases", {"stauts": "closed"})

    assert response.status_code == 422
    assert "stauts" in error_of(response)["fields"]


def test_statuses_are_known_ones_comma_separated(api_as):
    api = api_as("dengji")

    assert api.get("/cases", {"status": "accepted,assigned,"}).status_code == 200
    response = api.get("/cases", {"status": "accepted,nonsense"})
    assert response.status_code == 422 and "status" in error_of(response)["fields"]


def test_an_empty_kind_means_any_kind(api_as):
    assert api_as("dengji").get("/cases", {"kind": ""}).status_code == 200


@pytest.mark.parametrize("path", ["/public/cases/hello", "/public/cases/hello/documents/1"])
def test_a_query_code_that_cannot_be_one_is_404_with_the_reason(api_as, path):
    response = api_as().get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "bad_code"


def test_an_unknown_parameter_of_the_public_case_is_refused(api_as):
    response = api_as().get("/public/cases/XF-7K3M-Q9TD-2HXA-PW4E", {"verfy": "1234"})

    assert response.status_code == 422


@pytest.mark.parametrize("path,name", [("/cases", "received_to"), ("/stats/summary", "to")])
def test_dates_are_yyyy_mm_dd_not_a_unix_time(api_as, path, name):
    api = api_as("dengji")

    assert api.get(path, {name: "2026-03-02"}).status_code == 200
    response = api.get(path, {name: "0"})
    assert response.status_code == 422 and name in error_of(response)["fields"]
