"""The OpenAPI document describes what the API really answers: every component name
stands for one schema class (two routers each defining `ReplyOut` once made the staff
case detail show the public reply's shape), and every operation documents the error
answers it can give, in the error shape."""

import typing

import pydantic

from xinfang.api.api import api

FORM = {"code", "message", "fields"}


def models_of(annotation, found):
    for arg in typing.get_args(annotation):
        models_of(arg, found)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel) and annotation not in found:
        found.add(annotation)
        for field in annotation.model_fields.values():
            models_of(field.annotation, found)
    return found


def schema_classes():
    found = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in list((operation.response_models or {}).values()) + list(operation.models):
                    models_of(model, found)
    return found


def test_every_component_name_stands_for_one_class(client):
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    by_name = {}
    for cls in schema_classes():
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")

    shared = {name: sorted(classes) for name, classes in by_name.items() if name in components and len(classes) > 1}

    assert shared == {}


def test_the_staff_case_detail_shows_the_staff_reply_and_evaluation(client):
    spec = client.get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]

    # The staff reply has the internal fields the public one must not have.
    assert "PublicReplyOut" in components and "PublicEvaluationOut" in components
    detail = components["CaseDetailOut"]["properties"]
    assert detail["replies"]["items"]["$ref"].endswith("/ReplyOut")
    assert detail["evaluations"]["items"]["$ref"].endswith("/EvaluationOut")
    public = components["PublicCaseOut"]["properties"]
    assert public["replies"]["items"]["$ref"].endswith("/PublicReplyOut")


def test_every_operation_documents_its_errors_in_the_error_shape(client):
    spec = client.get("/api/v1/openapi.json").json()
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(spec["components"]["schemas"]["ErrorDetail"]["properties"]) == FORM and set(error["properties"]) == {"error"}

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"500", "503"}
            if operation.get("security"):
                expected.add("401")
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            if operation.get("requestBody"):
                expected |= {"400", "413"}
            assert expected <= set(responses), (method, path, sorted(responses))
            for status, answer in responses.items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
                    assert answer["description"]


def test_routes_that_can_refuse_for_state_scope_or_rate_say_so(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"403", "404", "409"} <= set(paths["/api/v1/cases/{number}/actions/{action}"]["post"]["responses"])
    assert {"403", "404", "429"} <= set(paths["/api/v1/cases/{number}/petitioners/{id}/reveal"]["post"]["responses"])
    assert {"401", "403", "429"} <= set(paths["/api/v1/auth/token"]["post"]["responses"])
    assert {"404", "409", "429"} <= set(paths["/api/v1/public/cases/{query_code}/review"]["post"]["responses"])
    assert paths["/api/v1/public/captcha"]["get"]["responses"]["429"]["headers"]["Retry-After"]


def test_the_actions_route_lists_the_actions_there_are(client):
    from xinfang.cases.services import FLOWS

    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/cases/{number}/actions/{action}"]["post"]
    action = next(p for p in operation["parameters"] if p["name"] == "action")

    assert set(action["schema"]["enum"]) == set(FLOWS) and {"accept", "reply", "conclude"} <= set(FLOWS)
