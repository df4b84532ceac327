"""/notifications/ and the navbar bell."""

from django.test.utils import CaptureQueriesContext

from tests.notifications.factories import make_notification
from wuwei.notifications.models import Notification


def bell_count(html: str) -> str:
    start = html.index('id="notification-count"')
    tail = html[start:]
    return tail[tail.index(">") + 1 : tail.index("<")]


def test_bell_shows_my_unread_count_on_every_page(org, web):
    for _ in range(3):
        make_notification(org.rep)
    make_notification(org.peer_rep)
    client = web(org.rep)
    html = client.get("/opportunities/").content.decode()
    assert 'id="notification-bell"' in html
    assert 'href="/notifications/"' in html
    assert bell_count(html) == "3"


def test_bell_caps_the_count(org, web):
    from wuwei.notifications.services import Draft, notify_many

    notify_many(
        [
            Draft(recipients=[org.rep], kind="k", title="t", body="", url="", key=f"k{i}")
            for i in range(120)
        ]
    )
    assert bell_count(web(org.rep).get("/").content.decode()) == "99+"


def test_bell_is_hidden_at_zero(org, web):
    html = web(org.rep).get("/").content.decode()
    start = html.index('id="notification-count"')
    assert "d-none" in html[start : html.index(">", start)]


def test_bell_costs_one_query_per_page(org, web):
    from django.db import connection

    client = web(org.rep)
    client.get("/opportunities/")
    with CaptureQueriesContext(connection) as before:
        client.get("/opportunities/")
    counts = [q["sql"] for q in before.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0]


def test_list_page_shows_only_mine(org, web):
    mine = make_notification(org.rep, title="Mine to read", body="Look at the deal.")
    make_notification(org.peer_rep, title="Someone else's")
    response = web(org.rep).get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mine to read" in html and "Look at the deal." in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert f'href="/notifications/{mine.pk}/open/"' in html


def test_unread_filter_and_empty_state(org, web):
    note = make_notification(org.rep, title="Already read")
    client = web(org.rep)
    client.post(f"/notifications/{note.pk}/read/")
    html = client.get("/notifications/?unread=1").content.decode()
    assert "Already read" not in html
    assert "No unread notifications." in html


def test_mark_read_with_htmx_returns_the_row_and_the_new_count(org, web):
    note = make_notification(org.rep, title="Read me")
    make_notification(org.rep)
    client = web(org.rep)
    response = client.post(f"/notifications/{note.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{note.pk}"' in html and 'data-read="true"' in html
    assert 'hx-swap-oob="true"' in html and bell_count(html) == "1"
    assert "<nav" not in html  # a fragment, not the page
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_without_htmx_redirects_to_the_list(org, web):
    note = make_notification(org.rep)
    response = web(org.rep).post(f"/notifications/{note.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/notifications/")


def test_open_marks_read_and_follows_the_link(org, web):
    note = make_notification(org.rep, url="/opportunities/5/#strategy")
    response = web(org.rep).get(f"/notifications/{note.pk}/open/")
    assert (response.status_code, response["Location"]) == (302, "/opportunities/5/#strategy")
    note.refresh_from_db()
    assert note.read_at is not None


def test_open_never_redirects_off_site(org, web):
    note = make_notification(org.rep, url="https://evil.example.com/")
    response = web(org.rep).get(f"/notifications/{note.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read(org, web):
    for _ in range(2):
        make_notification(org.rep)
    response = web(org.rep).post("/notifications/read/", follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=org.rep, read_at__isnull=True).exists()


def test_another_users_notification_is_404(org, web):
    note = make_notification(org.rep)
    for outsider in (org.peer_rep, org.executive):
        client = web(outsider)
        assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
        assert client.get(f"/notifications/{note.pk}/open/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_anonymous_is_sent_to_login(org, client):
    note = make_notification(org.rep)
    for method, url in (
        ("get", "/notifications/"),
        ("post", f"/notifications/{note.pk}/read/"),
        ("get", f"/notifications/{note.pk}/open/"),
        ("post", "/notifications/read/"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_writes_need_post(org, web):
    note = make_notification(org.rep)
    client = web(org.rep)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 405
    assert client.get("/notifications/read/").status_code == 405


def test_list_page_query_count_does_not_grow_with_rows(org, web, django_assert_num_queries):
    from django.db import connection

    client = web(org.rep)
    make_notification(org.rep)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/notifications/").status_code == 200
    for _ in range(40):
        make_notification(org.rep)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/notifications/").status_code == 200
    # session, user, roles, count, page, the bell
    assert len(small.captured_queries) == 6
