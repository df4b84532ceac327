"""Teams and users: readable by the organisation, written by admins only."""

from wuwei.org.models import Team, User


def test_admin_creates_team_tree_and_moves_a_subtree(org, api):
    client = api(org.admin)
    region = client.post("/teams", {"name": "South", "kind": "region", "parent": org.company.pk})
    assert region.status_code == 201
    sales = client.post(
        "/teams",
        {"name": "South KA", "kind": "sales", "segment": "KA", "parent": region.json()["id"]},
    ).json()
    moved = client.patch(f"/teams/{region.json()['id']}", {"parent": org.east.pk, "version": 1})
    assert moved.status_code == 200
    child = Team.objects.get(pk=sales["id"])
    assert child.path == f"{org.company.path}{org.east.pk}/{region.json()['id']}/{sales['id']}/"


def test_team_cannot_move_under_its_own_subtree(org, api):
    response = api(org.admin).patch(
        f"/teams/{org.east.pk}", {"parent": org.east_ka.pk, "version": org.east.version}
    )
    assert response.status_code == 422
    org.east.refresh_from_db()
    assert org.east.parent_id == org.company.pk


def test_non_admin_cannot_write_the_organisation(org, api):
    client = api(org.manager)
    assert client.post("/teams", {"name": "X", "kind": "sales"}).status_code == 403
    assert (
        client.post("/users", {"username": "x", "password": "Sup3r-secret-pw"}).status_code == 403
    )
    assert client.patch(f"/users/{org.rep.pk}", {"roles": ["admin"]}).status_code == 403
    assert not Team.objects.filter(name="X").exists()
    assert org.rep.role_links.get().role == "rep"


def test_admin_creates_user_with_roles_and_password_rules(org, api):
    client = api(org.admin)
    weak = client.post("/users", {"username": "newbie", "password": "123"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    created = client.post(
        "/users",
        {
            "username": "newbie",
            "password": "Sup3r-secret-pw",
            "roles": ["rep", "presales"],
            "team": org.east_ka.pk,
        },
    )
    assert created.status_code == 201
    assert created.json()["roles"] == ["presales", "rep"]
    duplicate = client.post("/users", {"username": "NEWBIE", "password": "Sup3r-secret-pw"})
    assert duplicate.status_code == 422
    unknown = client.post(
        "/users", {"username": "x2", "password": "Sup3r-secret-pw", "roles": ["overlord"]}
    )
    assert unknown.status_code == 422


def test_partner_sees_only_own_team_and_self(org, api):
    client = api(org.partner)
    assert [t["id"] for t in client.get("/teams").json()["items"]] == [org.partner_team.pk]
    assert [u["id"] for u in client.get("/users").json()["items"]] == [org.partner.pk]
    assert client.get(f"/users/{org.rep.pk}").status_code == 404
    assert client.get(f"/teams/{org.east.pk}").status_code == 404


def test_user_list_filters_by_role_and_has_fixed_queries(org, api, django_assert_num_queries):
    client = api(org.rep)
    client.get("/me")
    with django_assert_num_queries(2):  # page, roles prefetch (the token is cached)
        managers = client.get("/users", {"role": "manager", "limit": 500}).json()["items"]
    assert {u["username"] for u in managers} == {"manager", "boss", "north_mgr"}
    assert User.objects.count() == 9
