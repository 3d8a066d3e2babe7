from xinfang.conftest import PASSWORD


def test_lists_show_the_channel_of_the_first_petition(client, people, register_case):
    register_case(channel="visit", headcount=1, title="来访事项甲")
    register_case(channel="phone", title="来电事项乙")
    client.login(username="dengji", password=PASSWORD)
    html = client.get("/cases/").content.decode()
    visit_row = html[html.index("来访事项甲"):][:1500]
    phone_row = html[html.index("来电事项乙"):][:1500]
    assert "来访" in visit_row.split("</tr>")[0]
    assert "来电" in phone_row.split("</tr>")[0]
