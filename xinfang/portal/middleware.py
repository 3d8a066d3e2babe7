"""A strict Content-Security-Policy and no caching for the public site.

Only scripts, styles, fonts and images from this server; no inline script or style
(every behaviour lives in static/portal/portal.js); no framing; forms post only here.
Applied to the paths in PORTAL_CSP_PATHS (the portal and the public API). The staff
pages are not under it yet: the Django admin and the API docs use inline scripts, and
htmx injects a <style> element; see docs/portal.md."""

from django.conf import settings

POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap draws checkboxes and select arrows as data: SVG
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


class PublicSecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if any(path.startswith(p) for p in settings.PORTAL_CSP_PATHS):
            is_api = path.startswith("/api/")
            response.headers.setdefault("Content-Security-Policy", API_POLICY if is_api else POLICY)
            # A query code or a case on the screen must not stay in a shared cache or
            # in the browser's history cache.
            if not path.startswith(settings.STATIC_URL):
                response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
            response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
