"""The one NinjaAPI of Xinfang, mounted at /api/v1/ (xinfang/urls.py). Routers live in
xinfang/api/routers/, one per subject; they parse, call services and shape answers."""

from django.urls import re_path
from ninja import NinjaAPI

from . import errors
from .auth import TokenAuth
from .renderers import Renderer
from .routers import auth, cases, petitions, public, stats


class XinfangAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = errors.with_error_shape(pattern.callback)
        # Unknown paths under /api/v1/ answer 404 in the error shape, not an HTML page.
        urls.append(re_path(r"^.*$", errors.unknown_route))
        return urls


api = XinfangAPI(
    title="Xinfang API",
    version="1",
    description="信访业务系统接口 / The Xinfang petition case system.",
    urls_namespace="api",
    auth=TokenAuth(),  # every route needs a token unless it says auth=None
    renderer=Renderer(),
)
errors.install(api)

api.add_router("/auth", auth.router)
api.add_router("/petitions", petitions.router)
api.add_router("/cases", cases.router)
api.add_router("/stats", stats.router)
api.add_router("/public", public.router)
