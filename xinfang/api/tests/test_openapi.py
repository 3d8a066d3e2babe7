FIXED_ROUTES = {
    ("/api/v1/auth/token", "post"),
    ("/api/v1/petitions", "post"),
    ("/api/v1/cases", "get"),
    ("/api/v1/cases/{number}", "get"),
    ("/api/v1/cases/{number}/actions/{action}", "post"),
    ("/api/v1/stats/summary", "get"),
}


def test_the_openapi_document_loads_without_a_token_and_holds_the_fixed_routes(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    routes = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert FIXED_ROUTES <= routes
    assert spec["paths"]["/api/v1/auth/token"]["post"].get("security") is None
    assert spec["paths"]["/api/v1/cases"]["get"]["security"] == [{"TokenAuth": []}]
    assert spec["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_stats_route_documents_from_and_to(client):
    spec = client.get("/api/v1/openapi.json").json()

    names = {p["name"] for p in spec["paths"]["/api/v1/stats/summary"]["get"]["parameters"]}
    assert {"from", "to", "unit"} <= names


def test_the_interactive_docs_page_loads(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def test_the_docs_page_loads_nothing_from_a_cdn(client):
    # Intranets have no internet (ARCHITECTURE.md): the page must work offline.
    response = client.get("/api/v1/docs")

    assert b"cdn." not in response.content
