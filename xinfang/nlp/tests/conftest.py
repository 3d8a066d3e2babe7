import pytest

from xinfang.intake.services import PetitionIn, register


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the index maintenance that follows a commit (tests run inside a transaction
    that never commits): with indexed(): register(...)."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


@pytest.fixture
def letter(people, units, indexed):
    """Register a petition and index it; returns (petition, case)."""

    def make(actor="dengji", **overrides):
        fields = dict(channel="letter", receiving_unit=units["bureau"], title="征地补偿款未发放",
                      content="本人承包地于去年被征收，补偿款至今未发放到位。", kind="grievance", petitioners=[])
        fields.update(overrides)
        with indexed():
            return register(actor=people[actor], data=PetitionIn(**fields))

    return make


@pytest.fixture
def api_as(client, people):
    """The API as one named person (the same helper as xinfang/api/tests)."""
    from xinfang.api.tests.conftest import ApiClient
    from xinfang.api.services import issue_token

    def make(username):
        return ApiClient(client, issue_token(user=people[username])[0])

    return make
