"""Enterprise connections (§3.5): records, "who can introduce me to X", permissions."""

from tests.factories import make_account, make_contact, make_user
from wuwei.people import services
from wuwei.people.models import Connection


def test_introducers_rank_direct_and_reporting_chain(org, api):
    account = make_account(org.rep)
    ceo = make_contact(account, "CEO")
    cio = make_contact(account, "CIO", reports_to=ceo)
    target = make_contact(account, "Architect", reports_to=cio)
    bystander = make_contact(account, "Peer of target", reports_to=cio)
    weak = make_user("weak", team=org.east_ka)
    strong_boss = make_user("strong_boss", team=org.east_ka)
    far = make_user("far", team=org.east_ka)
    gone = make_user("gone", team=org.east_ka)
    admin = org.admin
    services.connection_create(user=admin, employee=weak, contact=target, how="friend", strength=1)
    services.connection_create(
        user=admin, employee=strong_boss, contact=cio, how="classmate", strength=5
    )
    services.connection_create(
        user=admin, employee=far, contact=ceo, how="former_colleague", strength=3
    )
    services.connection_create(user=admin, employee=gone, contact=target, how="friend", strength=5)
    services.connection_create(
        user=admin, employee=far, contact=bystander, how="friend", strength=5
    )
    gone.is_active = False
    gone.save()
    body = api(org.rep).get(f"/contacts/{target.pk}/introducers").json()["items"]
    # score = strength − distance: strong_boss 5−1=4, far 3−2=1, weak 1−0=1 (closer wins the tie)
    assert [(i["employee_name"], i["via_name"], i["distance"], i["score"]) for i in body] == [
        ("strong_boss", "CIO", 1, 4),
        ("weak", "Architect", 0, 1),
        ("far", "CEO", 2, 1),
    ]


def test_record_own_connection_but_not_for_others(org, api):
    contact = make_contact(make_account(org.rep))
    client = api(org.rep)
    mine = client.post("/connections", {"contact": contact.pk, "how": "classmate", "strength": 4})
    assert mine.status_code == 201
    assert (mine.json()["employee"], mine.json()["account"]) == (org.rep.pk, contact.account_id)
    assert client.post("/connections", {"contact": contact.pk, "how": "friend"}).status_code == 409
    other = client.post(
        "/connections", {"contact": contact.pk, "how": "friend", "employee": org.peer_rep.pk}
    )
    assert other.status_code == 403
    assert Connection.objects.count() == 1
    managed = api(org.manager).post(
        "/connections", {"contact": contact.pk, "how": "friend", "employee": org.peer_rep.pk}
    )
    assert managed.status_code == 201


def test_connection_visibility(org, api):
    contact = make_contact(make_account(org.rep))
    connection = services.connection_create(
        user=org.other_manager, employee=org.other_manager, contact=contact, how="friend"
    )
    path = f"/connections/{connection.pk}"
    assert api(None).get(path).status_code == 401
    # the holder sees their own connection even where the account is not theirs
    assert api(org.other_manager).get(path).status_code == 200
    assert api(org.peer_rep).get(path).status_code == 404
    assert api(org.rep).get(path).status_code == 200
    assert api(org.peer_rep).get(f"/contacts/{contact.pk}/introducers").status_code == 404
    assert api(org.rep).get("/connections", {"employee": "me"}).json()["items"] == []
