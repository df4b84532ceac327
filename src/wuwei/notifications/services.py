"""Writes: create notifications in bulk (once per recipient and key), mark them read.

Text is rendered in each recipient's language (their stored `language`, else the site
default), so callers pass the title and body as callables that translate when called. Email
goes through Django's email backend only when `EMAIL_HOST` is configured, after the
notifications are committed; a failed email is logged and never loses the in-app one.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wuwei.core.bulk import BulkLoader
from wuwei.notifications.models import Notification
from wuwei.notifications.selectors import notification_get, notification_list
from wuwei.org.models import User

logger = logging.getLogger(__name__)

Text = str | Callable[[], str]
_KEY_CHUNK = 500
_COLUMNS = (
    "recipient_id",
    "kind",
    "title",
    "body",
    "url",
    "opportunity_id",
    "key",
    "created_at",
)
# From this many rows a batch is written by COPY (4 statements on PostgreSQL), below it by
# one INSERT per 1,000.
_COPY_FROM = 2_000


@dataclass(frozen=True, slots=True)
class Draft:
    """One event to tell some people about; `key` identifies the event for dedupe."""

    recipients: Sequence[User]
    kind: str
    title: Text
    body: Text
    url: str
    key: str
    opportunity_id: int | None = None


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    message: str
    to: str


@dataclass(slots=True)
class _Batch:
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # values of `_COLUMNS`
    emails: list[Email] = field(default_factory=list)


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def email_enabled() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def _render(text: Text) -> str:
    return text() if callable(text) else str(text)


def _existing(drafts: Sequence[Draft]) -> set[tuple[int, str]]:
    keys = sorted({draft.key for draft in drafts})
    recipients = sorted({user.pk for draft in drafts for user in draft.recipients})
    found: set[tuple[int, str]] = set()
    # PostgreSQL takes long IN lists well (the nightly risk run asks for ~150k keys).
    size = _KEY_CHUNK if connection.vendor != "postgresql" else 20 * _KEY_CHUNK
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        # with the recipients, so the (recipient, key) unique index answers
        found.update(
            Notification.objects.filter(recipient_id__in=recipients, key__in=chunk).values_list(
                "recipient_id", "key"
            )
        )
    return found


def _email_for(user: User, title: str, body: str, url: str) -> Email:
    link = f"{getattr(settings, 'WUWEI_SITE_URL', '').rstrip('/')}{url}"
    message = f"{body}\n\n{_('Open: %(link)s') % {'link': link}}" if url else body
    return Email(subject=title, message=message, to=user.email)


def _build(drafts: Sequence[Draft], existing: set[tuple[int, str]]) -> _Batch:
    batch = _Batch()
    seen = set(existing)
    now = timezone.now()
    with_email = email_enabled()
    rows = batch.rows
    # The recipient's language, switched only when it changes (not entered and left per
    # notice); the caller's language is back afterwards.
    with translation.override(translation.get_language()):
        active = translation.get_language()
        for draft in drafts:
            for user in draft.recipients:
                if not user.is_active or (user.pk, draft.key) in seen:
                    continue
                seen.add((user.pk, draft.key))
                language = language_of(user)
                if language != active:
                    translation.activate(language)
                    active = language
                title, body = _render(draft.title)[:300], _render(draft.body)
                if with_email and user.email:
                    batch.emails.append(_email_for(user, title, body, draft.url))
                rows.append(
                    (
                        user.pk,
                        draft.kind,
                        title,
                        body,
                        draft.url,
                        draft.opportunity_id,
                        draft.key,
                        now,
                    )
                )
    return batch


def send_emails(emails: Iterable[Email]) -> int:
    """Send each email on one connection; a failure is logged and the rest still go."""
    sent = 0
    connection = get_connection(fail_silently=False)
    for email in emails:
        try:
            sent += send_mail(
                email.subject,
                email.message,
                None,
                [email.to],
                fail_silently=False,
                connection=connection,
            )
        except Exception:  # any backend error: the in-app notification already exists
            logger.exception("notification email to %s failed", email.to)
    return sent


@transaction.atomic
def notify_many(drafts: Sequence[Draft]) -> int:
    """Create the notifications not created before (by recipient and key), in bulk; queue
    their emails for after the commit. Returns how many notifications were created."""
    if not drafts:
        return 0
    batch = _build(drafts, _existing(drafts))
    # ignore_conflicts: a concurrent run that created the same (recipient, key) wins.
    if len(batch.rows) >= _COPY_FROM:  # COPY on PostgreSQL (the nightly risk notices)
        BulkLoader(now=timezone.now()).write(
            Notification, _COLUMNS, batch.rows, ignore_conflicts=True
        )
    else:
        Notification.objects.bulk_create(
            (Notification(**dict(zip(_COLUMNS, row, strict=True))) for row in batch.rows),
            batch_size=1000,
            ignore_conflicts=True,
        )
    if batch.emails:
        emails = list(batch.emails)
        transaction.on_commit(lambda: send_emails(emails))
    return len(batch.rows)


def notify(
    *,
    recipients: Sequence[User],
    kind: str,
    title: Text,
    body: Text,
    url: str,
    key: str,
    opportunity: Any = None,
) -> int:
    """Tell `recipients` about one event (see `notify_many`)."""
    draft = Draft(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        url=url,
        key=key,
        opportunity_id=opportunity.pk if opportunity is not None else None,
    )
    return notify_many([draft])


@transaction.atomic
def notification_mark_read(*, user: User, id: int) -> Notification:
    """Mark one of the user's notifications read (already read: unchanged)."""
    notification = notification_get(user=user, id=id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return notification_list(user=user, unread_only=True).update(read_at=timezone.now())
