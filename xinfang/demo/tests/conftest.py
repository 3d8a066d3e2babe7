import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Argon2 is slow on purpose; these tests create twenty users per load.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
