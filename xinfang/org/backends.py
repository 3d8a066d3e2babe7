"""Authentication backends: django-axes' lockout check in front of the model backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every login attempt for an account that is locked out after repeated
    failures (settings.AXES_*), for the login page and the API token route alike: both
    call `authenticate(request, …)`.

    Without a request there is no caller to lock out: that is code running on the server
    (a management command, the test client's `login()`), not somebody guessing
    passwords over the network, so the check is skipped instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
