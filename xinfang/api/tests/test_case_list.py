import pytest

from xinfang.cases.services import perform

from .conftest import error_of

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


@pytest.fixture
def three_cases(register_case, people):
    """An old letter now overdue for a decision, a newer accepted suggestion, and a
    declined letter that has no deadline any more."""
    old = register_case(title="拖欠工资", received_at="2026-03-01T09:00:00+08:00", category="0301")
    new = register_case(title="建议修路", kind="suggestion", received_at="2026-03-18T09:00:00+08:00", category="0502",
                        petitioners=[])
    perform(case=new, action="accept", actor=people["dengji"])
    gone = register_case(title="已有判决", received_at="2026-03-10T09:00:00+08:00")
    perform(case=gone, action="decline", actor=people["dengji"], reason="属诉讼程序", proper_channel="人民法院")
    return old, new, gone


def numbers(response):
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def test_it_lists_visible_cases_nearest_deadline_first(api_as, three_cases):
    old, new, gone = three_cases

    response = api_as("dengji").get("/cases")

    assert numbers(response) == [old.number, new.number, gone.number]
    first = response.json()["items"][0]
    assert first["due_date"] == "2026-03-16" and first["days_left"] == -4 and first["overdue"] is True
    assert (first["status_label"], first["kind_label"]) == ("已登记", "申诉求决")
    assert first["category"] == {"code": "0301", "name": "拖欠工资", "full_name": "劳动和社会保障 / 拖欠工资"}
    assert first["current_unit"] == {"code": "341122-XFJ", "name": "安宁县信访局"}
    assert response.json()["items"][2]["due_date"] is None


@pytest.mark.parametrize("params, expected", [
    ({"status": "accepted"}, ["new"]),
    ({"status": "registered,declined"}, ["old", "gone"]),
    ({"kind": "suggestion"}, ["new"]),
    ({"category": "05"}, ["new"]),
    ({"overdue": "true"}, ["old"]),
    ({"overdue": "false"}, ["new", "gone"]),
    ({"due_before": "2026-03-31"}, ["old"]),
    ({"received_from": "2026-03-10"}, ["new", "gone"]),
    ({"received_to": "2026-03-10"}, ["old", "gone"]),
    ({"q": "修路"}, ["new"]),
    ({"unit": "341122100"}, []),
    ({"waiting": "true"}, ["old", "new"]),
])
def test_it_filters(api_as, three_cases, params, expected):
    by_name = dict(zip(["old", "new", "gone"], three_cases))

    response = api_as("dengji").get("/cases", params)

    assert numbers(response) == [by_name[name].number for name in expected]
    assert response.json()["count"] == len(expected)


def test_it_pages_with_limit_and_offset(api_as, three_cases):
    old, new, gone = three_cases

    response = api_as("dengji").get("/cases", {"limit": 1, "offset": 1})

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 1, 1)
    assert numbers(response) == [new.number]


def test_it_defaults_to_50_and_refuses_more_than_200(api_as, three_cases):
    api = api_as("dengji")

    assert api.get("/cases").json()["limit"] == 50
    response = api.get("/cases", {"limit": 201})
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["limit"]


@pytest.mark.parametrize("params, field", [
    ({"status": "lost"}, "status"),
    ({"unit": "000000"}, "unit"),
    ({"category": "zz"}, "category"),
    ({"due_before": "2026-02-30"}, "due_before"),
    ({"overdue": "perhaps"}, "overdue"),
    ({"offset": str(10**30)}, "offset"),
    ({"limit": "0"}, "limit"),
])
def test_bad_filters_are_422_on_the_field(api_as, params, field):
    response = api_as("dengji").get("/cases", params)

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == [field]
