"""The bell's dropdown preview (issue 14): the latest 5 unread of the user's own, "mark all
read" from the dropdown, a link to the list; fixed queries; hostile titles escaped."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.notifications.factories import make_notification
from wuwei.notifications.models import Notification

HOSTILE = "<img src=x onerror=alert(1)>"
PREVIEW = "/notifications/preview/"


def preview_queries(client) -> int:
    client.get(PREVIEW)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PREVIEW, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_preview_shows_the_latest_five_unread_newest_first(org, web):
    notes = [make_notification(org.rep, title=f"Note {i}") for i in range(7)]
    Notification.objects.filter(pk=notes[6].pk).update(read_at=notes[6].created_at)
    html = web(org.rep).get(PREVIEW, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('data-testid="notification-preview-item"') == 5
    assert "Note 6" not in html  # read
    assert "Note 5" in html and "Note 1" in html and "Note 0" not in html
    assert html.index("Note 5") < html.index("Note 1")
    assert 'href="/notifications/"' in html
    assert f'href="/notifications/{notes[5].pk}/open/"' in html
    assert 'id="notification-count"' in html and 'hx-swap-oob="true"' in html


def test_preview_costs_a_fixed_number_of_queries(org, web, django_assert_num_queries):
    client = web(org.rep)
    make_notification(org.rep)
    one = preview_queries(client)
    for _ in range(20):
        make_notification(org.rep)
    assert preview_queries(client) == one
    # session, user, roles, the 5 latest unread, the unread count
    assert one == 5
    client.get(PREVIEW)
    with django_assert_num_queries(5):
        client.get(PREVIEW, HTTP_HX_REQUEST="true")


def test_preview_escapes_a_hostile_title(org, web):
    make_notification(org.rep, title=f"Win rate moved: {HOSTILE}")
    html = web(org.rep).get(PREVIEW).content.decode()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_preview_shows_nobody_elses(org, web):
    make_notification(org.rep, title="For the rep only")
    for viewer in (org.partner, org.other_manager, org.peer_rep):
        html = web(viewer).get(PREVIEW).content.decode()
        assert "For the rep only" not in html
        assert 'data-testid="notification-preview-empty"' in html


def test_preview_needs_a_login_and_a_get(org, client):
    response = client.get(PREVIEW)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_mark_all_read_from_the_dropdown_returns_the_empty_preview(org, web):
    mine = [make_notification(org.rep) for _ in range(3)]
    other = make_notification(org.peer_rep)
    response = web(org.rep).post("/notifications/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="notification-preview-empty"' in html
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_partner_cannot_open_or_read_someone_elses_from_the_preview(org, web):
    note = make_notification(org.rep)
    for viewer in (org.partner, org.other_manager):
        client = web(viewer)
        assert client.get(f"/notifications/{note.pk}/open/").status_code == 404
        assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=note.pk).read_at is None
