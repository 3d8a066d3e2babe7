from .signals import request_ip


class AuditContextMiddleware:
    """Remembers the caller's address while a request is served, for audit entries
    written by code that has no request at hand (the admin's change log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)
