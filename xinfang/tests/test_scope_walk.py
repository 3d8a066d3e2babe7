"""Scope everywhere (issue 4, item 2): every route of the site — pages, the API, exports,
search, suggestions, statistics, the audit screen, the admin — walked as users of units
unrelated to 城关镇, who must get nothing of 城关镇's data back, and change nothing of it.

The routes come from Django's URL resolver, not from a list: a route added later is
walked too, and a route with a parameter the walk cannot fill fails here until a value
is added to `values_for`."""

import json
from urllib.parse import unquote

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from xinfang.api.services import find_token
from xinfang.cases.choices import Action
from xinfang.cases.models import Obligation
from xinfang.conftest import PASSWORD
from xinfang.documents.kinds import DocKind
from xinfang.documents.models import Delivery, Document, Template
from xinfang.intake.models import Attachment, Petitioner
from xinfang.supervision.models import AccountabilityRecord, Bulletin, Campaign, CaseReview, Reminder, ReviewRound

from . import walk
from .conftest import GRIEVANT, ROUTED, give_admin_view

# Reachable without logging in, on purpose. Each is still walked for leaks.
PUBLIC = {
    "web:login": "the staff login page",
    "admin:login": "the admin's login page",
    "api:openapi-json": "the API's description: schemas, no data",
    "api:openapi-view": "the API's documentation page, drawn from the description",
    "api:create_token": "exchanging a username and password for a token (API.md)",
    "api:new_captcha": "public API: a captcha for an online submission (API.md, Public)",
    "api:units": "public API: the units that receive online petitions (the organisation chart)",
    "api:submit": "public API: submitting an online petition",
    "api:follow": "public API: following a case by its query code",
    "api:evaluate": "public API: evaluating a reply by query code",
    "api:review": "public API: asking for review by query code",
    "api:document": "public API: downloading a reply's document by query code",
}
PUBLIC_PREFIXES = {
    "portal:": "the public site (网上信访): submit, follow by query code, guide, reception schedule, open figures",
}


def is_public(route):
    return route.name in PUBLIC or any(route.name.startswith(p) for p in PUBLIC_PREFIXES)


def admin_ids(model, world, people):
    """Ids of 城关镇's rows of `model`, for the admin's object pages."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xinfang.api.models import ApiToken
    from xinfang.audit.models import AuditEntry
    from xinfang.org.models import Unit, User
    from xinfang.portal.models import Submission

    cases = [c.pk for c in world.cases]
    cg_users = User.objects.filter(username__startswith="cg_")
    rows = {
        "cases.case": cases,
        "org.user": cg_users.values_list("pk", flat=True),
        "org.unit": Unit.objects.filter(code__startswith="341122100").values_list("pk", flat=True),
        "audit.auditentry": AuditEntry.objects.filter(object_type="cases.case", object_id__in=[str(c) for c in cases])
        .values_list("pk", flat=True)[:3],
        "api.apitoken": ApiToken.objects.filter(user__in=cg_users).values_list("pk", flat=True),
        "portal.submission": Submission.objects.filter(case__in=cases).values_list("pk", flat=True),
        "otp_totp.totpdevice": TOTPDevice.objects.filter(user__in=cg_users).values_list("pk", flat=True),
        "axes.accessattempt": AccessAttempt.objects.filter(username__startswith="cg_").values_list("pk", flat=True),
        "axes.accessfailurelog": AccessFailureLog.objects.filter(username__startswith="cg_").values_list("pk", flat=True),
    }.get(model._meta.label_lower)
    ids = [str(i) for i in rows] if rows is not None else []
    return ids or [str(model.objects.values_list("pk", flat=True).first() or 1)]


def model_admin_of(route):
    found = route.model_admin
    if found is None:
        bound = getattr(route.callback, "__wrapped__", None)
        found = getattr(bound, "__self__", None)
    return found if isinstance(found, admin.ModelAdmin) else None


def make_values(world, people):
    """values_for(route, param): what to put in each path parameter — 城关镇's own ids and
    numbers, so that a route that forgets the scope shows them."""
    attachment_ids = [str(i) for i in world.attachments]
    petitioner_ids = [str(i) for i in Petitioner.objects.filter(petition__case__in=[c.pk for c in world.cases])
                      .values_list("pk", flat=True)]
    case_type = ContentType.objects.get(app_label="cases", model="case").pk
    case_pks = [c.pk for c in world.cases]
    notice_ids = [str(i) for i in Document.objects.filter(subject_type_id=case_type, subject_id__in=case_pks).values_list("pk", flat=True)]
    delivery_ids = [str(i) for i in Delivery.objects.filter(document__subject_type_id=case_type, document__subject_id__in=case_pks)
                    .values_list("pk", flat=True)]
    user_type = ContentType.objects.get(app_label="org", model="user").pk
    # 城关镇's written documents (the steps of the world issued them) and any template.
    document_ids = [str(i) for i in Document.objects.filter(subject_type=case_type, subject_id__in=[c.pk for c in world.cases])
                    .values_list("pk", flat=True)]
    template_ids = [str(i) for i in Template.objects.values_list("pk", flat=True)] or ["1"]
    cache = {}

    by_segment = {  # what an id after this path segment names
        "attachments": attachment_ids, "documents": attachment_ids + document_ids, "petitioners": petitioner_ids,
        "cases": world.numbers, "actions": list(Action.values), "templates": template_ids + [DocKind.ACCEPT_NOTICE.value],
        "notices": notice_ids, "deliveries": delivery_ids,
        # The world's obligations (the report-back of its assigned cases, any supervision item).
        "obligations": [str(i) for i in Obligation.objects.filter(case__in=case_pks).values_list("pk", flat=True)] or ["1"],
        # The supervision screens' rows (reminders, bulletins, campaigns, review rounds,
        # case reviews, accountability records): whatever exists, else an id that does not.
        **{segment: [str(i) for i in model.objects.values_list("pk", flat=True)[:3]] or ["1"]
           for segment, model in (("reminders", Reminder), ("bulletins", Bulletin), ("campaigns", Campaign), ("rounds", ReviewRound),
                                  ("reviews", CaseReview), ("findings", CaseReview), ("accountability", AccountabilityRecord))},
    }
    by_segment["case"] = by_segment["reviews"]  # /supervision/reviews/case/<pk>/

    def values_for(route, param):
        model_admin = model_admin_of(route)
        if model_admin is not None and param in ("object_id", "pk", "id"):
            key = model_admin.model._meta.label_lower
            if key not in cache:
                cache[key] = admin_ids(model_admin.model, world, people)
            return cache[key]
        before = route.fmt.split(f"%({param})s")[0].rstrip("/").rsplit("/", 1)[-1]
        if before in by_segment:
            return by_segment[before]
        return {
            "number": world.numbers,
            "campaign_id": by_segment["campaigns"],
            "figure": ["overdue", "sent_back", "reminded"],  # a bulletin's figures (web/supervision/bulletins.py)
            "action": list(Action.values),
            "pk": attachment_ids,
            "document_id": attachment_ids,
            "file_pk": attachment_ids,  # an accountability record's document (web/supervision/reviews.py)
            "notice_id": notice_ids,
            "id": petitioner_ids,
            "key": ["zz-no-such-captcha"],
            "query_code": ["ABCD-EFGH-JKLM-NPQR"],  # the real code is the petitioner's own credential
            "fmt": ["csv", "xlsx"],
            "kind": [DocKind.ACCEPT_NOTICE.value, DocKind.ASSIGN_FORM.value],
            "which": ["pdf", "zip"],
            "step": ["report", "accept", "send_back", "escalate", "cancel"],  # an obligation's steps (web/supervision/items.py)
            "app_label": sorted({m._meta.app_label for m in admin.site._registry}),
            "url": ["zz-no-such-page/"],
            "content_type_id": [str(case_type), str(user_type)],
            "object_id": [str(c.pk) for c in world.cases] + [str(people["cg_chengban"].pk)],
        }.get(param, [])

    return values_for


def probes(world, route):
    """More query strings for a route without path parameters that answered: search for
    城关镇's title, a petitioner's name and ID number, filter by 城关镇's unit and case."""
    if route.params:
        return []
    number = world.grievance.number
    return [
        {"q": world.grievance.title},
        {"q": GRIEVANT.name},
        {"unit": "341122100", "object": number, "case": number, "number": number, "p-0-id_number": ROUTED.id_number,
         "p-0-phone": ROUTED.phone, "days": "90", "from": "2020-01-01", "to": timezone.localdate().isoformat(),
         "term": world.routed.title, "app_label": "org", "model_name": "user", "field_name": "unit", "waiting": "false"},
    ]


GRIEVANCE_TEXT = "东街豆腐坊夜间排放酸浆水，臭味熏人，请求整治。"


def web_form(world, action=""):
    """A form for every page: a registration joining 城关镇's case, with 城关镇's text and a
    城关镇 petitioner's numbers (the side panels look those up), and an action's fields."""
    number = world.grievance.number
    data = {
        "channel": "letter", "receiving_unit": "341122200", "kind": "grievance", "title": world.routed.title,
        "content": GRIEVANCE_TEXT, "case": number, "q": world.grievance.title, "version": "1",
        "p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "200",
        "p-0-name": "探查人", "p-0-id_number": GRIEVANT.id_number, "p-0-phone": GRIEVANT.phone,
    }
    for name in ("note", "reason", "into", "unit", "reasons", "opinion", "facts", "request_summary", "days", "satisfaction"):
        data[f"{action}-{name}" if action else name] = {"into": number, "unit": "341122100", "days": "10",
                                                        "satisfaction": "satisfied"}.get(name, "探查")
    return data


def like_theirs(world):
    return {"channel": "letter", "receiving_unit": "341122200", "title": world.routed.title, "content": GRIEVANCE_TEXT,
            "kind": "grievance", "petitioners": [{"name": "探查人", "id_number": GRIEVANT.id_number, "phone": GRIEVANT.phone}]}


def api_bodies(world, route):
    if route.name == "api:register_petition":
        # Joining 城关镇's case must fail (a petition of one's own like 城关镇's: see
        # test_a_petition_like_another_units_is_not_told_about_theirs).
        return [{**like_theirs(world), "case": world.grievance.number}]
    if route.name == "api:create_token":
        return [{"username": "qs_fuzeren", "password": PASSWORD}]
    return [{"note": "探查", "into": world.grievance.number, "unit": "341122100", "version": 1, "reason": "探查", "opinion": "探查"}]


def admin_posts(route, world, people):
    """The admin's bulk actions on 城关镇's rows, from the changelist; a confirmation POST
    (`post=yes`) on every other admin page."""
    model_admin = model_admin_of(route)
    if model_admin is None or not route.name.endswith("_changelist"):
        return [{"post": "yes", "_save": "保存"}]
    ids = admin_ids(model_admin.model, world, people)
    actions = ["delete_selected"] + [a if isinstance(a, str) else a.__name__ for a in model_admin.actions or []]
    return [{"action": a, "_selected_action": ids, "index": "0", "post": "yes"} for a in actions]


class Walker:
    """One user's walk: a logged-in client and an API token, renewed when a route ends
    them (logout, logout everywhere, revoking the token)."""

    def __init__(self, people, username):
        self.username = username
        self.user = people[username] if username else None
        self.client = Client(raise_request_exception=False)
        self.token = None
        self.login()

    def login(self):
        if self.user is None:
            return
        self.user.refresh_from_db()  # "log out everywhere" moved its session epoch on
        self.client.force_login(self.user)
        response = self.client.post("/api/v1/auth/token", {"username": self.username, "password": PASSWORD},
                                    content_type="application/json")
        assert response.status_code == 201, response.content
        self.token = response.json()["token"]

    def still_in(self):
        if self.user is None:
            return
        if self.client.session.get("_auth_user_id") != str(self.user.pk) or find_token(self.token) is None:
            self.login()

    def request(self, method, url, route, data=None):
        headers = {"Authorization": f"Bearer {self.token}"} if (self.token and route.is_api) else {}
        if method == "get":
            response = self.client.get(url, headers=headers)
        elif route.is_api:
            response = self.client.generic(method.upper(), url, json.dumps(data or {}), content_type="application/json",
                                           headers=headers)
        else:
            response = self.client.post(url, data or {}, headers=headers)
        self.still_in()
        return response


def make_combos(world):
    """Parameters that belong together: a case and one of its own petitioners or files."""
    cases = {c.pk: c.number for c in world.cases}
    petitioners = list(Petitioner.objects.filter(petition__case__in=list(cases)).values_list("petition__case_id", "pk"))
    files = list(Attachment.objects.filter(case__in=list(cases)).values_list("case_id", "pk"))

    def combos_for(route):
        params = set(route.params)
        if "number" not in params or len(params) != 2:
            return None
        other = (params - {"number"}).pop()
        before = route.fmt.split(f"%({other})s")[0].rstrip("/").rsplit("/", 1)[-1]
        rows = {"petitioners": petitioners, "attachments": files, "documents": files}.get(before)
        if rows is None:
            return None
        return [{"number": cases[case_id], other: str(pk)} for case_id, pk in rows]

    return combos_for


def check(route, method, target, data, response, strings, *, anonymous):
    got = walk.seen(response)
    sent = unquote(target) + json.dumps(data or {}, ensure_ascii=False)
    where = f"{method.upper()} {unquote(target)}"
    found = []
    if got.status >= 500:
        found.append(f"{where}: {got.status}")
    for leak in walk.leaks(got.text, strings, sent=sent):
        found.append(f"{where} ({got.status}) shows {leak}")
    if anonymous and method == "get" and not is_public(route):
        to_login = got.status in (301, 302) and got.location.split("?")[0] in ("/login/", "/admin/login/", "/admin/")
        if not (to_login or got.status in (401, 403, 404, 405)):
            found.append(f"{where}: answers {got.status} without a login and is not in PUBLIC")
    return got, found


def walk_as(walker, world, people, routes, strings, *, anonymous=False):
    """Walk every route; returns (requests made, {route label: [problems]})."""
    values_for, combos_for = make_values(world, people), make_combos(world)
    problems, count = {}, 0
    for route in routes:
        found = problems.setdefault(route.label, [])
        for url in walk.urls_for(route, values_for, combos_for):
            requests = [("get", url, None)]
            if not anonymous:
                if route.is_api:
                    requests += [("post", url, body) for body in api_bodies(world, route)] + [("delete", url, {})]
                elif route.is_admin:
                    requests += [("post", url, data) for data in admin_posts(route, world, people)]
                else:
                    action = url.rstrip("/").rsplit("/", 1)[-1] if route.name == "web:case_action" else ""
                    requests.append(("post", url, web_form(world, action)))
            while requests:
                method, target, data = requests.pop(0)
                response = walker.request(method, target, route, data)
                count += 1
                got, bad = check(route, method, target, data, response, strings, anonymous=anonymous)
                found.extend(bad)
                if method == "get" and target == url and got.status == 200:
                    # It answered: now search and filter it for 城关镇's data.
                    requests[:0] = [("get", walk.with_query(url, q), None) for q in probes(world, route)]
                if route.is_admin and method == "get" and got.location.startswith("/admin/login/"):
                    # The admin site turns away whoever is not staff before any of its views
                    # runs, whatever the method.
                    requests = [r for r in requests if r[0] == "get"]
    return count, {label: p for label, p in problems.items() if p}


@pytest.fixture(autouse=True)
def quiet_logs():
    """Refusals (403, 404) are logged with their traceback; only errors matter here."""
    import logging

    names = ["django.request", "axes", "axes.watch_login", "xinfang.api.errors", "django.security"]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.ERROR)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def township_admin(people):
    """qs_fuzeren is also 青山乡's administrator in the admin (may look at every model and
    change accounts), as a township's staff member may be."""
    give_admin_view(people["qs_fuzeren"], "change_user", "change_apitoken", "change_totpdevice", "delete_totpdevice")


def test_no_route_shows_or_changes_another_units_data(world, world_rows, people, township_admin):
    routes = walk.routes()
    before = world_rows()
    strings = world.strings
    total, bad = 0, {}
    # A township's head (who is also its registrar, handler and admin-site user), a
    # county department's head, and nobody at all.
    for username in ["qs_fuzeren", "zj_fuzeren", None]:
        walker = Walker(people, username)
        count, problems = walk_as(walker, world, people, routes, strings, anonymous=username is None)
        total += count
        for label, found in problems.items():
            bad.setdefault(label, []).extend(f"[{username or 'anonymous'}] {p}" for p in found)
    clean = len(routes) - len(bad)
    print(f"\nscope walk: {len(routes)} routes, {clean} clean ({total} requests as qs_fuzeren, zj_fuzeren and anonymous)")
    assert not bad, "\n".join(f"{label}:\n  " + "\n  ".join(found[:8]) for label, found in bad.items())
    assert world_rows() == before, "a walk changed 城关镇's data"


def test_the_walk_covers_pages_api_admin_and_exports(world):
    names = {r.name for r in walk.routes()}
    for expected in ["web:case", "web:search", "web:attachment", "web:similar", "web:candidates", "api:get_case", "api:list_cases",
                     "api:stats_summary", "nlp:topics", "audit:index", "audit:export", "web:case_export_csv", "web:case_export_xlsx",
                     "admin:cases_case_changelist", "admin:org_user_changelist", "admin:portal_submission_changelist"]:
        assert expected in names
    for model in admin.site._registry:
        assert f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" in names


def test_statistics_count_only_the_users_own_cases_and_refuse_another_units_subtree(world, client, people):
    from xinfang.api.services import issue_token

    token = issue_token(user=people["qs_fuzeren"])[0]
    auth = {"Authorization": f"Bearer {token}"}
    mine = client.get("/api/v1/stats/summary", {"from": "2020-01-01"}, headers=auth)
    theirs = client.get("/api/v1/stats/summary", {"from": "2020-01-01", "unit": "341122100"}, headers=auth)
    assert mine.status_code == 200 and mine.json()["cases"]["total"] == 1, mine.json()
    assert theirs.status_code == 403


def test_merging_ones_own_case_into_another_units_case_is_refused(world, client, people, world_rows):
    from xinfang.api.services import issue_token

    before = world_rows()
    token = issue_token(user=people["qs_fuzeren"])[0]
    api = client.post(f"/api/v1/cases/{world.own.number}/actions/merge", {"into": world.grievance.number},
                      content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    client.force_login(people["qs_fuzeren"])
    page = client.post(f"/cases/{world.own.number}/actions/merge/", {"merge-into": world.grievance.number, "merge-reason": "repeat",
                                                                     "version": world.own.version})
    assert api.status_code == 422 and "找不到" in api.json()["error"]["message"]
    assert page.status_code == 422 and "找不到" in page.content.decode()
    assert world_rows() == before
    assert walk.leaks(api.content.decode() + page.content.decode(), {world.grievance.title: "title"}) == []


def test_a_petition_like_another_units_is_not_told_about_theirs(world, client, people):
    """Same text, same petitioner's numbers as 城关镇's case: registered in 青山乡, it is
    linked to nothing of 城关镇's."""
    from xinfang.api.services import issue_token

    token = issue_token(user=people["qs_fuzeren"])[0]
    response = client.post("/api/v1/petitions", like_theirs(world), content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    control = client.post("/api/v1/petitions", {**like_theirs(world), "receiving_unit": "341122100"}, content_type="application/json",
                          headers={"Authorization": f"Bearer {issue_token(user=people['cg_chengban'])[0]}"})
    assert response.status_code == 201, response.content
    assert response.json()["related"] == []
    # The same petition in 城关镇 is linked to 城关镇's case: the probe would find a leak.
    assert world.grievance.number in [r["number"] for r in control.json()["related"]]
    strings = {k: v for k, v in world.strings.items() if k not in (world.routed.title, GRIEVANT.id_number, GRIEVANT.phone)}
    assert walk.leaks(json.dumps(response.json(), ensure_ascii=False), strings, sent=GRIEVANCE_TEXT) == []
