"""`GET /cases?q=` with a petitioner's phone or ID number lists that person's cases, found
through the lookup hashes, and nothing where the digits only occur in a text."""

MOBILE = "13912345678"


def test_a_phone_in_q_lists_that_persons_cases_only(api_as, register_case):
    mine = register_case(petitioners=[{"name": "刘某", "phone": MOBILE}])
    register_case(title="拖欠工资", content=f"联系电话{MOBILE}", petitioners=[{"name": "王某", "phone": "13800000009"}])

    body = api_as("dengji").get("/cases", params={"q": MOBILE}).json()
    assert [c["number"] for c in body["items"]] == [mine.number]
    assert api_as("dengji").get("/cases", params={"q": "13700000000"}).json()["items"] == []
