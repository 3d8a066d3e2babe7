import pytest


@pytest.fixture
def login(client, people):
    """Log the test client in as one of the named people: login("dengji")."""

    def as_user(username):
        client.force_login(people[username])
        return client

    return as_user
