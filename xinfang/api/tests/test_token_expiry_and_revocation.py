import time_machine

from xinfang.api.models import ApiToken
from xinfang.audit.models import AuditEntry

from .conftest import ApiClient, error_of


def test_a_request_without_a_token_gets_401_in_the_error_shape(api_as):
    response = api_as().get("/cases")

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_made_up_token_gets_401(client, people):
    response = ApiClient(client, "xf_made-up").get("/cases")

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_a_token_expires_after_its_lifetime(api_as):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        api = api_as("dengji")
        traveller.move_to("2026-03-02 21:59 +0800")
        assert api.get("/cases").status_code == 200

        traveller.move_to("2026-03-02 22:00 +0800")
        response = api.get("/cases")

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_revoking_a_token_closes_it_and_only_it(api_as):
    first, second = api_as("dengji"), api_as("dengji")

    response = first.delete("/auth/token")

    assert response.status_code == 204
    assert first.get("/cases").status_code == 401
    assert second.get("/cases").status_code == 200
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1
    assert AuditEntry.objects.filter(action="api.token_revoke").count() == 1


def test_a_revoked_token_cannot_revoke_again(api_as):
    api = api_as("dengji")
    api.delete("/auth/token")

    assert api.delete("/auth/token").status_code == 401


def test_a_deactivated_persons_token_stops_working(api_as, people):
    api = api_as("dengji")
    people["dengji"].is_active = False
    people["dengji"].save(update_fields=["is_active"])

    assert api.get("/cases").status_code == 401
