import datetime

from django.utils import timezone
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times in the deployment's zone with their offset (2026-03-02T10:00:00+08:00), as
    API.md asks: the database hands them back in UTC."""

    def default(self, o):
        if isinstance(o, datetime.datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat(timespec="seconds")
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = LocalTimeEncoder
    # Chinese stays readable in the body; the charset is in the Content-Type.
    json_dumps_params = {"ensure_ascii": False}
