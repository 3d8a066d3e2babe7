from .conftest import error_of


def test_an_unknown_path_under_the_api_is_404_in_the_error_shape(api_as):
    response = api_as("dengji").get("/no/such/thing")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_a_route_does_not_take_is_405_in_the_error_shape(api_as):
    response = api_as("dengji").delete("/cases")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_answers_are_utf8_json_with_readable_chinese(api_as):
    response = api_as().get("/cases")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "请先登录".encode() in response.content


def test_an_account_without_a_unit_is_refused_rather_than_crashing(api_as, people):
    people["dengji"].unit = None
    people["dengji"].save(update_fields=["unit"])
    api = api_as("dengji")

    for response in (api.get("/cases", {"waiting": "true"}), api.get("/stats/summary"),
                     api.post("/petitions", {"channel": "letter", "receiving_unit": "341122-XFJ", "title": "t", "content": "c"})):
        assert response.status_code == 403
        assert error_of(response)["code"] == "forbidden"


def test_an_unexpected_error_is_500_in_the_error_shape_without_internals(api_as, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("xinfang.api.routers.cases.filter_cases", broken)

    response = api_as("dengji").get("/cases")

    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert b"secret internals" not in response.content


def test_a_value_the_database_refuses_is_422(api_as, register_case, monkeypatch):
    from django.db import DataError

    case = register_case()

    def too_long(**kwargs):
        raise DataError("value too long for type character varying(16)")

    monkeypatch.setattr("xinfang.api.routers.cases.perform", too_long)

    response = api_as("dengji").post(f"/cases/{case.number}/actions/note", {"note": "x"})

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


def test_a_path_with_an_encoded_newline_or_a_word_for_a_number_is_404_in_the_error_shape(api_as):
    api = api_as("ducha")
    for path in ("/reviews/rounds/v%0Ax/sample", "/campaigns/abc", "/no/such%0Athing"):
        response = api.get(path) if "sample" not in path else api.post(path, {"numbers": []})
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json") and error_of(response)["code"] == "not_found"
