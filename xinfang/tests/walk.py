"""Every route of the project, found in Django's URL resolver (admin and the Ninja API
included), so that a route added later is walked too; and what a response showed, as
text, whatever it was (a page, JSON, a CSV or Excel export, a download, its headers)."""

import html
import io
import json
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLResolver
from django.utils.regex_helper import normalize


@dataclass
class Route:
    regex: str  # the full regular expression from the site root
    callback: object
    name: str  # namespaced name, or "" for an unnamed pattern
    params: list
    fmt: str  # "cases/%(number)s/"

    @property
    def model_admin(self):
        return getattr(self.callback, "model_admin", None)

    @property
    def label(self):
        return "/" + self.fmt.replace("%(", "<").replace(")s", ">")

    @property
    def is_api(self):
        return self.fmt.startswith("api/")

    @property
    def is_admin(self):
        return self.fmt.startswith("admin/")

    def url(self, values):
        return "/" + self.fmt % values

    def reaches(self, url):
        """Whether `url` resolves to this route (and not to one before it)."""
        try:
            return resolve(url.split("?")[0]).func is self.callback
        except Resolver404:
            return False


def routes():
    """Every URL pattern of the site, depth first, one Route per distinct regex."""
    found, seen = [], set()

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
            if isinstance(pattern, URLResolver):
                ns = namespace + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern, regex, ns)
                continue
            if regex in seen:
                continue  # the same path for another method (Ninja): one route
            seen.add(regex)
            fmt, params = normalize(regex)[0]
            name = ":".join(namespace + [pattern.name]) if pattern.name else ""
            found.append(Route(regex=regex, callback=pattern.callback, name=name, params=list(params), fmt=fmt))

    walk(get_resolver(), "", [])
    return found


def urls_for(route, values_for, combos_for=None):
    """The URLs that reach `route`: its parameters filled with the values that
    `values_for(route, param)` offers, each value used at least once (value i of each
    parameter together, cycling the shorter lists), or with the parameter sets that
    `combos_for(route)` gives for parameters that belong together."""
    combos = combos_for(route) if combos_for else None
    if combos is None:
        choices = []
        for param in route.params:
            values = list(values_for(route, param))
            if not values:
                raise AssertionError(f"{route.label}: the walk has no value for the parameter {param!r}; "
                                     f"add one to the values in xinfang/tests/test_scope_walk.py")
            choices.append((param, values))
        size = max((len(v) for _, v in choices), default=1)
        combos = [{param: values[i % len(values)] for param, values in choices} for i in range(size)]
    urls = [route.url(combo) for combo in combos]
    if not route.params and not route.reaches(urls[0]):
        # A catch-all (".*") normalises to its prefix, which an earlier route serves.
        urls = [urls[0] + "zz-no-such-page/"]
    return urls


def with_query(url, query):
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


@dataclass
class Seen:
    status: int
    text: str
    location: str = ""
    notes: list = field(default_factory=list)


def seen(response):
    """Everything a response showed, as one text: the body (JSON re-read without escapes,
    an XLSX file's cells, a download's bytes as far as they are text) and the headers."""
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    parts = []
    if "spreadsheetml" in content_type or raw[:2] == b"PK":
        parts.append(_xlsx_text(raw))
    text = raw.decode("utf-8", errors="replace")
    parts.append(text)
    if "json" in content_type:
        try:
            parts.append(json.dumps(json.loads(text), ensure_ascii=False))
        except ValueError:
            pass
    for header in ("Location", "Content-Disposition", "X-Filename", "HX-Redirect", "HX-Location", "Link"):
        if header in response:
            parts.append(f"{header}: {response[header]}")
    return Seen(status=response.status_code, text="\n".join(parts), location=response.get("Location", ""))


def _xlsx_text(raw):
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return html.unescape("\n".join(z.read(n).decode("utf-8", errors="replace") for n in z.namelist() if n.endswith(".xml")))
    except zipfile.BadZipFile:
        return ""


def leaks(text, strings, *, sent=""):
    """The distinctive strings found in `text`, leaving out those the request itself
    carried (a search box shows what was typed into it)."""
    found = []
    for value, what in strings.items():
        if value in sent:
            continue
        escaped = value.encode("unicode_escape").decode("ascii")
        if value in text or (escaped != value and (escaped in text or escaped.lower() in text.lower())):
            found.append(f"{what}「{value}」")
    return found
