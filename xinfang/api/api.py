"""The one NinjaAPI of Xinfang, mounted at /api/v1/ (xinfang/urls.py). Routers live in
xinfang/api/routers/, one per subject; they parse, call services and shape answers."""

from django.urls import re_path
from ninja import NinjaAPI

from xinfang.cases.services import FLOWS

from . import errors
from .auth import TokenAuth
from .renderers import Renderer
from .routers import auth, bulletins, campaigns, cases, documents, notify, obligations, petitions, public, reminders, reviews, stats
from .schemas import ErrorOut


class XinfangAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        # The actions there are (an unknown one answers 422 unknown_action).
        take_action = next((ops["post"] for path, ops in schema["paths"].items() if path.endswith("/cases/{number}/actions/{action}")), {})
        for parameter in take_action.get("parameters", []):
            if parameter["name"] == "action":
                parameter["schema"]["enum"] = [str(action) for action in FLOWS]
        return errors.document_errors(schema, "#/components/schemas/ErrorOut")

    def _get_urls(self):
        for bound in self._get_bound_routers():  # the operations that serve requests
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    errors.refuse_unknown_query_parameters(operation)
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = errors.with_error_shape(pattern.callback)
        # Unknown paths under /api/v1/ answer 404 in the error shape, not an HTML page.
        # [\s\S]: a path may hold an encoded newline (%0A), which "." does not match (and
        # Django cannot reverse a pattern with an inline flag such as (?s)).
        urls.append(re_path(r"^[\s\S]*$", errors.unknown_route))
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
api.add_router("/cases", obligations.case_router)  # POST /cases/{number}/supervision
api.add_router("/obligations", obligations.router)
api.add_router("/documents", documents.router)
api.add_router("/stats", stats.router)
api.add_router("/notifications", notify.router)
api.add_router("/bulletins", bulletins.router)
api.add_router("/reviews", reviews.router)
api.add_router("/public", public.router)
api.add_router("/campaigns", campaigns.router)
api.add_router("", reminders.router)  # /reminders, /overdue, /sweeps
