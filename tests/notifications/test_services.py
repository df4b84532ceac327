"""notify(): bulk, once per recipient and key, in the recipient's language, email when set."""

from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext

from tests.factories import make_account
from tests.notifications.factories import make_notification
from tests.opportunities.factories import make_opportunity
from wuwei.notifications.models import Notification
from wuwei.notifications.selectors import notification_list, unread_count
from wuwei.notifications.services import (
    Draft,
    notification_mark_all_read,
    notification_mark_read,
    notify,
    notify_many,
)


def test_notify_creates_one_per_recipient_and_dedupes_by_key(org):
    deal = make_opportunity(org.rep, make_account(org.rep))
    # when
    created = notify(
        recipients=[org.rep, org.manager, org.rep],
        kind="win_rate_change",
        title="Moved",
        body="It moved.",
        url="/opportunities/1/#strategy",
        key="event:1",
        opportunity=deal,
    )
    again = notify(
        recipients=[org.rep, org.manager, org.peer_rep],
        kind="win_rate_change",
        title="Moved again",
        body="",
        url="",
        key="event:1",
    )
    # then
    assert (created, again) == (2, 1)
    rows = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.title, n.opportunity_id) for n in rows] == [
        ("manager", "Moved", deal.pk),
        ("peer", "Moved again", None),
        ("rep", "Moved", deal.pk),
    ]


def test_inactive_users_are_not_notified(org):
    org.peer_rep.is_active = False
    org.peer_rep.save()
    assert notify(recipients=[org.peer_rep], kind="k", title="t", body="", url="", key="k:1") == 0


def test_notify_many_is_bulk(org, django_assert_num_queries):
    drafts = [
        Draft(
            recipients=[org.rep, org.manager], kind="k", title="t", body="b", url="", key=f"k:{i}"
        )
        for i in range(30)
    ]
    # savepoint, existing keys, one INSERT, release
    with django_assert_num_queries(4):
        assert notify_many(drafts) == 60
    with django_assert_num_queries(3):  # all exist: nothing to insert
        assert notify_many(drafts) == 0


def test_text_is_rendered_in_each_recipients_language(org):
    org.rep.language = "en"
    org.rep.save()
    org.manager.language = "zh-hans"
    org.manager.save()
    notify(
        recipients=[org.rep, org.manager],
        kind="k",
        title=lambda: gettext("Opportunities"),
        body=lambda: gettext("Accounts"),
        url="",
        key="lang",
    )
    assert Notification.objects.get(recipient=org.rep).title == "Opportunities"
    manager_note = Notification.objects.get(recipient=org.manager)
    assert (manager_note.title, manager_note.body) == ("商机", "客户")


def test_no_email_unless_email_host_is_configured(
    org, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = ""
    org.rep.email = "rep@example.com"
    org.rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_notification(org.rep)
    assert mail.outbox == []


def test_email_goes_to_recipients_with_an_address_after_commit(
    org, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.com"
    settings.WUWEI_SITE_URL = "https://crm.example.com/"
    org.rep.email = "rep@example.com"
    org.rep.language = "en"
    org.rep.save()
    org.manager.email = ""
    org.manager.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            recipients=[org.rep, org.manager],
            kind="k",
            title="Win rate moved: Deal",
            body="It moved.",
            url="/opportunities/7/#strategy",
            key="mail:1",
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to) == ("Win rate moved: Deal", ["rep@example.com"])
    assert message.body == "It moved.\n\nOpen: https://crm.example.com/opportunities/7/#strategy"


def test_a_failing_email_keeps_the_notification(
    org, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_HOST = "smtp.example.com"
    org.rep.email = "rep@example.com"
    org.rep.save()
    org.manager.email = "manager@example.com"
    org.manager.save()
    from wuwei.notifications import services

    calls: list[Any] = []

    def broken(subject: str, message: str, sender: Any, to: list[str], **kwargs: Any) -> int:
        calls.append(to)
        if to == ["rep@example.com"]:
            raise OSError("connection refused")
        return 1

    monkeypatch.setattr(services, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[org.rep, org.manager], kind="k", title="t", body="b", url="", key="x")
    assert Notification.objects.filter(key="x").count() == 2
    assert sorted(calls) == [["manager@example.com"], ["rep@example.com"]]  # the rest still went
    assert "notification email to rep@example.com failed" in caplog.text


def test_mark_read_and_mark_all_read(org):
    first = make_notification(org.rep)
    make_notification(org.rep)
    make_notification(org.peer_rep)
    assert unread_count(user=org.rep) == 2
    read = notification_mark_read(user=org.rep, id=first.pk)
    assert read.read_at is not None
    stamp = read.read_at
    assert notification_mark_read(user=org.rep, id=first.pk).read_at == stamp  # unchanged
    assert unread_count(user=org.rep) == 1
    assert notification_mark_all_read(user=org.rep) == 1
    assert unread_count(user=org.rep) == 0
    assert unread_count(user=org.peer_rep) == 1  # someone else's untouched


def test_nobody_sees_anyone_elses_notifications(org):
    from wuwei.core.errors import NotFound

    mine = make_notification(org.rep)
    for user in (org.executive, org.admin, org.manager, org.peer_rep):
        assert list(notification_list(user=user)) == []
        with pytest.raises(NotFound):
            notification_mark_read(user=user, id=mine.pk)
    assert notification_mark_all_read(user=org.executive) == 0
    assert Notification.objects.get(pk=mine.pk).read_at is None
