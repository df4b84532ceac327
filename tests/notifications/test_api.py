"""/api/v1/notifications: the caller's own, newest first; mark one or all read."""

from datetime import timedelta

from django.utils import timezone

from tests.notifications.factories import make_notification
from wuwei.notifications.models import Notification


def test_list_is_mine_newest_first_with_keyset_pages(org, api):
    base = timezone.now()
    mine = [make_notification(org.rep, title=f"N{i}") for i in range(3)]
    for i, note in enumerate(mine):
        Notification.objects.filter(pk=note.pk).update(created_at=base - timedelta(hours=i))
    make_notification(org.peer_rep, title="not mine")
    client = api(org.rep)
    # when
    first = client.get("/notifications", {"limit": 2, "count": "true"})
    # then
    assert first.status_code == 200
    body = first.json()
    assert [n["title"] for n in body["items"]] == ["N0", "N1"]
    assert body["count"] == 3
    item = body["items"][0]
    assert set(item) == {
        "id",
        "kind",
        "title",
        "body",
        "url",
        "opportunity",
        "created_at",
        "read_at",
        "is_read",
    }
    assert (item["kind"], item["url"], item["is_read"], item["read_at"]) == (
        "test",
        "/opportunities/",
        False,
        None,
    )
    rest = client.get("/notifications", {"limit": 2, "cursor": body["next"]}).json()
    assert ([n["title"] for n in rest["items"]], rest["next"]) == (["N2"], None)


def test_unread_filter(org, api):
    read = make_notification(org.rep, title="read")
    make_notification(org.rep, title="unread")
    client = api(org.rep)
    assert client.post(f"/notifications/{read.pk}/read").status_code == 200
    body = client.get("/notifications", {"unread": "true"}).json()
    assert [n["title"] for n in body["items"]] == ["unread"]


def test_mark_one_read(org, api):
    note = make_notification(org.rep)
    response = api(org.rep).post(f"/notifications/{note.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"] is not None
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_all_read(org, api):
    for _ in range(3):
        make_notification(org.rep)
    other = make_notification(org.peer_rep)
    client = api(org.rep)
    assert client.post("/notifications/read").json() == {"marked": 3}
    assert client.post("/notifications/read").json() == {"marked": 0}
    other.refresh_from_db()
    assert other.read_at is None


def test_another_users_notification_is_not_found(org, api):
    note = make_notification(org.rep)
    for outsider in (org.peer_rep, org.manager, org.executive, org.admin):
        response = api(outsider).post(f"/notifications/{note.pk}/read")
        assert response.status_code == 404
        assert response.json()["detail"] == "Not found."
        assert api(outsider).get("/notifications").json()["items"] == []
    note.refresh_from_db()
    assert note.read_at is None
    assert api(org.rep).post("/notifications/999999/read").status_code == 404


def test_anonymous_gets_401(org, api):
    note = make_notification(org.rep)
    anonymous = api(None)
    assert anonymous.get("/notifications").status_code == 401
    assert anonymous.post(f"/notifications/{note.pk}/read").status_code == 401
    assert anonymous.post("/notifications/read").status_code == 401


def test_bad_input_is_422_not_500(org, api):
    client = api(org.rep)
    assert client.get("/notifications", {"limit": 0}).status_code == 422
    assert client.get("/notifications", {"cursor": "garbage"}).status_code == 422
    assert client.post("/notifications/abc/read").status_code in (404, 422)


def test_list_query_count_does_not_grow_with_rows(org, api, django_assert_num_queries):
    client = api(org.rep)
    make_notification(org.rep)
    client.get("/me")
    # token → user, roles (scope), the page
    with django_assert_num_queries(1):
        assert len(client.get("/notifications").json()["items"]) == 1
    for _ in range(40):
        make_notification(org.rep)
    with django_assert_num_queries(1):
        assert len(client.get("/notifications").json()["items"]) == 41
