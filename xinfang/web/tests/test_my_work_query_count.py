from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xinfang.cases.services import perform


def make_cases(register_case, people, n):
    for i in range(n):
        case = register_case(title=f"第{i}件", channel=["letter", "visit", "phone"][i % 3],
                             category="0101" if i % 2 else None)
        if i % 4 == 0:
            perform(case=case, action="accept", actor=people["dengji"])


def test_my_work_runs_the_same_number_of_queries_for_5_and_30_cases(login, register_case, people, django_assert_max_num_queries):
    client = login("dengji")
    make_cases(register_case, people, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("web:my_work")).status_code == 200
    make_cases(register_case, people, 25)
    with django_assert_max_num_queries(len(five)):
        response = client.get(reverse("web:my_work"))
    assert len(response.context["page"].object_list) == 30


def test_search_runs_the_same_number_of_queries_for_5_and_30_cases(login, register_case, people, django_assert_max_num_queries):
    client = login("dengji")
    make_cases(register_case, people, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("web:search") + "?kind=grievance").status_code == 200
    make_cases(register_case, people, 25)
    with django_assert_max_num_queries(len(five)):
        response = client.get(reverse("web:search") + "?kind=grievance")
    assert len(response.context["page"].object_list) == 30
