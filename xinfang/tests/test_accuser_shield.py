"""Accusers shielded (issue 4, item 3; Art. 30): an accusation routed to 城关镇 reaches
城关镇's staff without the accuser — no name, ID number, phone, address or the scan of
their ID card, on any route (case page, API, search, exports, suggestions, hot topics,
the admin) and not through a lookup by the accuser's number either. The county bureau's
registrar who took the letter sees them.

The case model names no accused unit, so the routed unit is the one shielded from it."""

import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.api.services import issue_token
from xinfang.cases.services import perform
from xinfang.intake.models import Attachment
from xinfang.intake.services import PetitionIn, register

from . import walk
from .conftest import ACCUSATION_TEXT, ACCUSER, PNG, give_admin_view
from .test_scope_walk import Walker, check, make_combos, make_values, quiet_logs  # noqa: F401 (fixture)


@pytest.fixture
def accuser_strings(world):
    strings = {value: f"检举人{what}" for value, what in zip(ACCUSER.strings, ["姓名", "身份证号", "电话", "住址"])}
    strings[world.accuser_attachment.original_name.rsplit(".", 1)[0]] = "检举人的身份证复印件"
    strings[f"/attachments/{world.accuser_attachment.pk}/"] = "检举人附件的下载地址"
    return strings


def lookups(world):
    """Read-only queries that name the accuser: the search box, the case list, the
    register form's side panels."""
    return [
        {"q": ACCUSER.name}, {"q": world.accusation.title, "kind": "accusation"},
        {"q": ACCUSER.phone, "p-0-id_number": ACCUSER.id_number, "p-0-phone": ACCUSER.phone, "days": "90"},
    ]


def walk_as(world, people, username, strings):
    """Every route, as `username`, with the lookups that name the accuser; the problems."""
    walker = Walker(people, username)
    values_for, combos_for = make_values(world, people), make_combos(world)
    problems, count = [], 0
    routes = walk.routes()
    for route in routes:
        for url in walk.urls_for(route, values_for, combos_for):
            requests = [("get", url, None)]
            if route.name == "web:similar":  # the register form's panel: a POST that reads only
                requests.append(("post", url, {"title": world.accusation.title, "content": ACCUSATION_TEXT,
                                               "p-0-id_number": ACCUSER.id_number, "p-0-phone": ACCUSER.phone}))
            while requests:
                method, target, data = requests.pop(0)
                response = walker.request(method, target, route, data)
                count += 1
                got, bad = check(route, method, target, data, response, strings, anonymous=False)
                problems.extend(bad)
                if target == url and method == "get" and got.status == 200 and not route.params:
                    requests[:0] = [("get", walk.with_query(url, q), None) for q in lookups(world)]
    print(f"\naccuser shield: {len(routes)} routes, {count} requests as {username}, {len(problems)} problems")
    return problems


def test_no_route_shows_the_routed_unit_who_accused(world, people, accuser_strings):
    give_admin_view(people["cg_chengban"])  # even as a staff member with the admin's view permission
    problems = walk_as(world, people, "cg_chengban", accuser_strings)
    assert not problems, "\n".join(problems[:40])


def test_no_route_shows_an_accuser_whose_material_was_moved_into_the_accused_units_cases(world, people, units, accuser_strings):
    """The shield is the material's: an accusation merged into a case 城关镇 handles, and
    one registered as a repeat of 城关镇's own case, keep it (issue 11, item 1)."""
    moved = register(actor=people["dengji"], files=[SimpleUploadedFile("蔺秋实检举材料.png", PNG)], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], title="三次检举粮站站长", kind="accusation", content=ACCUSATION_TEXT,
        petitioners=[ACCUSER.as_input()], agent_name="蔺冬青", agent_role="蔺秋实之妻代办"))[1]
    perform(case=moved, action="merge", actor=people["dengji"], into=world.routed.number)
    register(actor=people["dengji"], data=PetitionIn(
        channel="visit", receiving_unit=units["bureau"], title="来访检举粮站站长", kind="accusation", content=ACCUSATION_TEXT,
        petitioners=[ACCUSER.as_input()], agent_name="蔺冬青", agent_role="蔺秋实之妻代办", case=world.grievance.number))
    strings = {**accuser_strings, "蔺秋实检举材料": "检举人的检举材料", "蔺冬青": "检举人的代办人", "蔺秋实之妻代办": "代办人身份",
               f"/attachments/{Attachment.objects.get(original_name='蔺秋实检举材料.png').pk}/": "检举材料的下载地址"}
    give_admin_view(people["cg_dengji"])
    problems = walk_as(world, people, "cg_dengji", strings)
    assert not problems, "\n".join(problems[:40])


def test_the_case_page_and_api_show_the_matter_without_the_accuser(world, client, people, accuser_strings):
    client.force_login(people["cg_chengban"])
    page = client.get(f"/cases/{world.accusation.number}/")
    html = page.content.decode()
    token = issue_token(user=people["cg_chengban"])[0]
    detail = client.get(f"/api/v1/cases/{world.accusation.number}", headers={"Authorization": f"Bearer {token}"})
    body = detail.json()

    assert page.status_code == 200 and world.accusation.title in html and "侵吞种粮补贴" in html  # the matter itself
    assert detail.status_code == 200 and [p["identity_hidden"] for p in body["petitions"]] == [True, True]
    assert all(p["petitioners"] == [] for p in body["petitions"])
    assert walk.leaks(html + json.dumps(body, ensure_ascii=False), accuser_strings) == []
    assert client.get(f"/attachments/{world.accuser_attachment.pk}/").status_code == 404


def test_the_accusers_number_finds_nothing_for_the_routed_unit(world, client, people):
    """Typing a suspect's ID number or phone into the register form must not tell the
    accused unit that this person accused them."""
    client.force_login(people["cg_chengban"])
    candidates = client.get("/register/candidates/", {"p-0-id_number": ACCUSER.id_number, "p-0-phone": ACCUSER.phone})
    similar = client.post("/register/similar/", {"title": "询问", "content": "询问某事",
                                                  "p-0-id_number": ACCUSER.id_number, "p-0-phone": ACCUSER.phone})
    search = client.get("/cases/", {"q": ACCUSER.name})
    assert world.accusation.number not in candidates.content.decode()
    assert world.accusation.number not in similar.content.decode()
    assert world.accusation.number not in search.content.decode()


def test_registering_with_the_accusers_number_does_not_link_the_accusation(world, client, people):
    token = issue_token(user=people["cg_chengban"])[0]
    response = client.post("/api/v1/petitions", {
        "channel": "visit", "receiving_unit": "341122100", "title": "咨询种粮补贴发放", "content": "来访询问种粮补贴何时发放。",
        "kind": "grievance", "petitioners": [{"name": "来访人", "id_number": ACCUSER.id_number, "phone": ACCUSER.phone}],
    }, content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.content
    related = {r["number"]: r["reasons"] for r in response.json()["related"]}
    assert "same_petitioner" not in related.get(world.accusation.number, [])


def test_the_registrar_who_took_the_accusation_sees_the_accuser(world, client, people):
    client.force_login(people["dengji"])
    html = client.get(f"/cases/{world.accusation.number}/").content.decode()
    download = client.get(f"/attachments/{world.accuser_attachment.pk}/")
    token = issue_token(user=people["dengji"])[0]
    body = client.get(f"/api/v1/cases/{world.accusation.number}", headers={"Authorization": f"Bearer {token}"}).json()
    found = client.get("/cases/", {"q": ACCUSER.name}).content.decode()

    assert ACCUSER.name in html and f"/attachments/{world.accuser_attachment.pk}/" in html
    assert download.status_code == 200
    assert [p["identity_hidden"] for p in body["petitions"]] == [False, False]
    assert [person["name"] for p in body["petitions"] for person in p["petitioners"]] == [ACCUSER.name, ACCUSER.name]
    assert world.accusation.number in found
